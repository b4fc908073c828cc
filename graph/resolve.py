"""Resolution across the corpus: one node per document, however it is cited.

Inputs are the extracted graphs (loaded documents and their plo:Citation records); the output
is the derived graph (``graph/derived``): eli:cites / eli:based_on edges, plo:refersTo, and the
nodes of documents known only from citations. It is a function of the set of loaded files, not
of their order: identities are found by union–find over 发文字号 and normalized titles (a
notice "…关于印发X的通知" is X too), with links processed in sorted order and never joining
two different 发文字号 or two loaded files into one node.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.graph import iri
from policykg.graph import ntriples as nt
from policykg.graph.store import Store, ntriples
from policykg.loaders.citations import promulgated_title, title_key
from policykg.ontology.plo import ELI, PLO

MIN_TITLE_KEY = 5  # shorter titles (《通知》, 《意见》) are too generic to identify a document
LEVEL_ORDER = [str(PLO.National), str(PLO.Provincial), str(PLO.Municipal), str(PLO.County)]

PREFIXES = f"""PREFIX eli: <{ELI}>
PREFIX plo: <{PLO}>
PREFIX dcterms: <{DCTERMS}>
PREFIX skos: <{SKOS}>
PREFIX org: <{ORG}>
"""
DERIVED = str(iri.DERIVED_GRAPH)
# The inputs, one simple pattern per question (faster than one query of OPTIONALs). ``{v}`` is
# where a VALUES block narrows a question to given documents, citations or graphs. A loaded
# document's own facts are read from the graphs that name its file, never from the derived graph
# (which states the 发文字号 a numberless loaded document is cited by).
_DOC_FACTS = {
    "": "SELECT DISTINCT ?d WHERE {{ {v} GRAPH ?g {{ ?d dcterms:source ?s }} }}",  # each an eli:LegalResource
    "numbers": "SELECT ?d ?v WHERE {{ {v} GRAPH ?g {{ ?d dcterms:source ?s ; eli:id_local ?v }} }}",
    "titles": "SELECT ?d ?v WHERE {{ {v} GRAPH ?g {{ ?d dcterms:source ?s ; dcterms:title ?v }} }}",
    "alternatives": "SELECT ?d ?v WHERE {{ {v} GRAPH ?g {{ ?d dcterms:source ?s ; dcterms:alternative ?v }} }}",
}
_CITE_FACTS = {
    "": "SELECT ?c ?d ?v WHERE {{ {v} ?d plo:hasCitation ?c . ?c plo:citationKind ?v }}",
    "numbers": "SELECT ?c ?v WHERE {{ {v} ?c plo:citedNumber ?v }}",
    "titles": "SELECT ?c ?v WHERE {{ {v} ?c plo:citedTitle ?v }}",
    "issuers": "SELECT ?c ?v WHERE {{ {v} ?c plo:citedIssuer ?v }}",
    "levels": "SELECT ?c ?v WHERE {{ {v} ?c plo:citedLevel ?v }}",
    "jurisdictions": "SELECT ?c ?v WHERE {{ {v} ?c plo:citedJurisdiction ?v }}",
}


@dataclass
class Loaded:
    iri: str
    numbers: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)


@dataclass
class Cite:
    iri: str
    doc: str
    kind: str
    numbers: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    issuers: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)
    jurisdictions: set[str] = field(default_factory=set)


class _Clusters:
    """Union–find whose classes may hold at most one 发文字号 and one loaded document."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.numbers: dict[str, set[str]] = {}
        self.loaded: dict[str, set[str]] = {}

    def add(self, key: str, number: str | None = None, loaded: str | None = None) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.numbers[key] = {number} if number else set()
            self.loaded[key] = {loaded} if loaded else set()

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str, strict: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        numbers = self.numbers[ra] | self.numbers[rb]
        loaded = self.loaded[ra] | self.loaded[rb]
        if strict and (len(numbers) > 1 or len(loaded) > 1):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.numbers[ra], self.loaded[ra] = numbers, loaded
        return True


def _title_keys(title: str) -> set[str]:
    keys = {title_key(title)}
    inner = promulgated_title(title)
    if inner:
        keys.add(title_key(inner))
    return {k for k in keys if len(k) >= MIN_TITLE_KEY}


def _values(var: str, terms: Iterable[str], literal: bool = False) -> str:
    make = ox.Literal if literal else ox.NamedNode
    return f"VALUES ?{var} {{ " + " ".join(str(make(t)) for t in terms) + " }"


def _rows(store: Store, sparql: str, values: str = "") -> Iterator[tuple[str, ...]]:
    """The rows of a SELECT whose variables are all bound, as the terms' lexical values."""
    for solution in store.query(PREFIXES + sparql.format(v=values)):
        yield tuple(term.value for term in solution)


def read_docs(store: Store, iris: Collection[str] | None = None) -> dict[str, Loaded]:
    """The loaded documents (all, or those of ``iris`` that are loaded) with their numbers and titles."""
    if iris is not None and not iris:
        return {}
    values = "" if iris is None else _values("d", iris)
    docs = {d: Loaded(d) for (d,) in _rows(store, _DOC_FACTS[""], values)}
    for name in ("numbers", "titles", "alternatives"):
        for d, value in _rows(store, _DOC_FACTS[name], values):
            if d in docs:
                (docs[d].numbers if name == "numbers" else docs[d].titles).add(value)
    return docs


def read_cites(store: Store, iris: Collection[str] | None = None) -> dict[str, Cite]:
    """The citations that are not drafts (all, or those of ``iris``) with what they say of the
    cited document. A citation read twice (two files of one document) takes the first kind in
    order (basis before mention)."""
    if iris is not None and not iris:
        return {}
    values = "" if iris is None else _values("c", iris)
    cites: dict[str, Cite] = {}
    for c, d, kind in _rows(store, _CITE_FACTS[""], values):
        if kind == "draft":
            continue
        known = cites.get(c)
        if known is None:
            cites[c] = Cite(c, d, kind)
        elif (kind, d) < (known.kind, known.doc):
            known.kind, known.doc = kind, d
    for name in ("numbers", "titles", "issuers", "levels", "jurisdictions"):
        for c, value in _rows(store, _CITE_FACTS[name], values):
            if c in cites:
                getattr(cites[c], name).add(value)
    return cites


def read_inputs(store: Store) -> tuple[dict[str, Loaded], dict[str, Cite]]:
    """Every loaded document and every citation of the store."""
    return read_docs(store), read_cites(store)


def resolve(loaded: dict[str, Loaded], cites: dict[str, Cite]) -> Iterator[tuple]:
    """The derived triples for the given loaded documents and citations."""
    uf = _Clusters()
    title_links: list[tuple[str, str]] = []
    for doc in loaded.values():
        key = "L:" + doc.iri
        uf.add(key, loaded=doc.iri)
        for number in sorted(doc.numbers):
            uf.add("n:" + number, number=number)
            uf.union(key, "n:" + number, strict=False)
        for title in doc.titles:
            title_links.extend((key, "t:" + k) for k in _title_keys(title))
    for c in cites.values():
        key = "C:" + c.iri
        uf.add(key)
        for number in sorted(c.numbers):  # a citation read from two files may have two
            uf.add("n:" + number, number=number)
            uf.union(key, "n:" + number, strict=True)
        for title in c.titles:
            title_links.extend((key, "t:" + k) for k in _title_keys(title))
    for key, tkey in sorted(title_links):
        uf.add(tkey)
        uf.union(key, tkey, strict=True)

    members: dict[str, list[str]] = defaultdict(list)
    for key in uf.parent:
        members[uf.find(key)].append(key)

    node_of: dict[str, str] = {}
    for root, keys in members.items():
        loaded_here = sorted(k[2:] for k in keys if k.startswith("L:"))
        numbers = sorted(uf.numbers[root])
        tkeys = sorted(k[2:] for k in keys if k.startswith("t:"))
        if loaded_here:
            node = loaded_here[0]
        elif numbers:
            node = str(iri.doc_by_number(numbers[0]))
        elif tkeys:
            node = str(iri.doc_by_title(tkeys[0]))
        else:
            continue
        node_of[root] = node

    cited_only: dict[str, list[Cite]] = defaultdict(list)
    for c in sorted(cites.values(), key=lambda c: c.iri):
        node = node_of.get(uf.find("C:" + c.iri))
        if node is None or node == c.doc:
            continue
        n, d = URIRef(node), URIRef(c.doc)
        yield URIRef(c.iri), PLO.refersTo, n
        yield d, ELI.cites, n
        if c.kind == "basis":
            yield d, ELI.based_on, n
        if node not in loaded:
            cited_only[node].append(c)

    for root, node in node_of.items():
        numbers = sorted(uf.numbers[root])
        if node in loaded:
            if numbers and not loaded[node].numbers:
                yield URIRef(node), ELI.id_local, Literal(numbers[0])
            continue
        if node in cited_only:
            yield from _cited_node(URIRef(node), numbers, cited_only[node])


def _cited_node(node: URIRef, numbers: list[str], cites: list[Cite]) -> Iterator[tuple]:
    yield node, RDF.type, ELI.LegalResource
    if numbers:
        yield node, ELI.id_local, Literal(numbers[0])
    titles = sorted({t for c in cites for t in c.titles}, key=lambda t: (-len(t), t))
    if titles:
        yield node, DCTERMS.title, Literal(titles[0], lang="zh")
        for other in titles[1:]:
            yield node, DCTERMS.alternative, Literal(other, lang="zh")
    for issuer in sorted({i for c in cites for i in c.issuers}):
        yield node, ELI.passed_by, URIRef(issuer)
    level = _most_common((lv for c in cites for lv in c.levels), LEVEL_ORDER)
    if level:
        yield node, PLO.level, URIRef(level)
    jurisdiction = _most_common(j for c in cites for j in c.jurisdictions)
    if jurisdiction:
        yield node, ELI.jurisdiction, URIRef(jurisdiction)


def _most_common(values: Iterable[str], order: list[str] | None = None) -> str | None:
    counts = Counter(values)
    if not counts:
        return None
    rank = {v: i for i, v in enumerate(order or [])}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), v))


def title_index(loaded: dict[str, Loaded], cites: dict[str, Cite]) -> Iterator[tuple]:
    """The keys each loaded document's and citation's titles are matched by, as
    ``skos:hiddenLabel`` (a label for search, not for display): the documents and citations that
    share a title are then found by a lookup."""
    for x in (*loaded.values(), *cites.values()):
        for key in sorted({k for t in x.titles for k in _title_keys(t)}):
            yield URIRef(x.iri), SKOS.hiddenLabel, Literal(key)


def derived(loaded: dict[str, Loaded], cites: dict[str, Cite]) -> Iterator[tuple]:
    """The derived graph's triples for these inputs: resolution and the title index."""
    yield from resolve(loaded, cites)
    yield from title_index(loaded, cites)


def recompute(store: Store) -> int:
    """Recompute the derived graph from the whole store; returns its triple count.

    On the embedded store, when the derived graph is there already, only the difference is
    written (one update): replacing a graph of a million statements through SPARQL would hold
    its whole text and parse in memory."""
    loaded, cites = read_inputs(store)
    ox_store = getattr(store, "ox", None)
    if ox_store is None or not ox_store.contains_named_graph(ox.NamedNode(DERIVED)):
        return store.replace_graphs({DERIVED: derived(loaded, cites)})
    new = set(ntriples(derived(loaded, cites)))
    del loaded, cites
    old = {nt.statement(str(q.subject), str(q.predicate), str(q.object))
           for q in ox_store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED))}
    _write_difference(store, old, new)
    return len(new)


def _write_difference(store: Store, old: set[str], new: set[str]) -> int:
    """Turn the derived statements ``old`` into ``new`` in one update; returns how many changed."""
    drop, add = sorted(old - new), sorted(new - old)
    parts = []
    if drop:
        parts.append(f"DELETE DATA {{ GRAPH <{DERIVED}> {{\n" + "\n".join(drop) + "\n}}")
    if add:
        parts.append(f"INSERT DATA {{ GRAPH <{DERIVED}> {{\n" + "\n".join(add) + "\n}}")
    if parts:
        store.ox.update(" ;\n".join(parts))
    return len(drop) + len(add)


# -- incremental resolution ---------------------------------------------------------------------
# Union–find on different connected components of the link graph (loaded documents and
# citations joined to their 发文字号 and title keys) never interacts: a union joins two classes of
# one component, the strict rule looks at those two classes only, title links keep their sorted
# order within a component, and a node is named from its own class. Resolving the components a
# change touches, in the store as it is after the change, therefore gives the triples a full run
# gives for them. Every derived triple belongs to one component: plo:refersTo to its citation's,
# eli:cites / eli:based_on and a node's description to the component of the node (an IRI made
# from a loaded document, a 发文字号 or a title key of that component, and of no other),
# skos:hiddenLabel (a title key) to its document's or citation's.

FULL_SHARE = 0.2  # a change of more than this share of the loaded documents is resolved afresh
_DESCRIBING = {str(RDF.type), str(ELI.id_local), str(DCTERMS.title), str(DCTERMS.alternative),
               str(ELI.passed_by), str(PLO.level), str(ELI.jurisdiction)}
_EDGES = {str(ELI.cites), str(ELI.based_on)}
_MEMBERS = {
    "docs": "SELECT DISTINCT ?x WHERE {{ {v} GRAPH ?g {{ ?x dcterms:source ?s }} }}",
    "cites": "SELECT DISTINCT ?x WHERE {{ {v} GRAPH ?g {{ ?d plo:hasCitation ?x }} }}",
}
_BY_NUMBER = {
    "docs": "SELECT DISTINCT ?x WHERE {{ {v} GRAPH ?g {{ ?x eli:id_local ?v ; dcterms:source ?s }} }}",
    "cites": "SELECT DISTINCT ?x WHERE {{ {v} ?x plo:citedNumber ?v }}",
}
_BY_KEY = "SELECT DISTINCT ?x WHERE {{ {v} GRAPH <" + DERIVED + "> {{ ?x skos:hiddenLabel ?v }} }}"
_DERIVED_FROM = "SELECT ?s ?p ?o WHERE {{ {v} GRAPH <" + DERIVED + "> {{ ?s ?p ?o }} }}"
_COUNT_DOCS = "SELECT (COUNT(*) AS ?n) WHERE { ?d dcterms:source ?s }"
_INDEXED = "ASK { GRAPH <" + DERIVED + "> { ?x skos:hiddenLabel ?k } }"


@dataclass
class Snapshot:
    """The loaded documents and citations of some graphs, their 发文字号 and title keys, and the
    agencies and regions the graphs refer to."""

    docs: set[str] = field(default_factory=set)
    cites: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)  # the agencies and regions they refer to

    def add(self, loaded: Iterable[Loaded | Cite]) -> None:
        for x in loaded:
            (self.cites if isinstance(x, Cite) else self.docs).add(x.iri)
            self.numbers |= x.numbers
            self.keys.update(k for t in x.titles for k in _title_keys(t))

    def update(self, other: Snapshot) -> None:
        self.docs |= other.docs
        self.cites |= other.cites
        self.numbers |= other.numbers
        self.keys |= other.keys
        self.entities |= other.entities

    def to_dict(self) -> dict[str, list[str]]:
        """The snapshot as plain lists (to record it: :mod:`policykg.graph.pending`)."""
        return {name: sorted(getattr(self, name)) for name in ("docs", "cites", "numbers", "keys", "entities")}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> Snapshot:
        return cls(**{name: set(data.get(name, ())) for name in ("docs", "cites", "numbers", "keys", "entities")})


def snapshot(store: Store, graph_iris: Iterable[str]) -> Snapshot:
    """What resolution depends on in these graphs as the store holds them now: take it before
    the graphs are replaced or removed, and hand it to :func:`update` after."""
    out = Snapshot()
    graphs = list(dict.fromkeys(graph_iris))
    if graphs:
        values = _values("g", graphs)
        docs = [x for (x,) in _rows(store, _MEMBERS["docs"], values)]
        cites = [x for (x,) in _rows(store, _MEMBERS["cites"], values)]
        out.docs.update(docs)
        out.cites.update(cites)
        out.add(read_docs(store, docs).values())
        out.add(read_cites(store, cites).values())
        out.entities = entities_of(store, graphs)
    return out


def _count_docs(store: Store) -> int:
    return int(next(iter(store.query(PREFIXES + _COUNT_DOCS)))[0].value)


def incremental(store: Store, changed: int) -> bool:
    """Whether a change of ``changed`` files is better resolved by :func:`update` than afresh:
    a small share of the loaded documents, and a derived graph that has the title index, in
    the embedded store (a SPARQL server is resolved afresh)."""
    return _incremental(store, changed, _count_docs(store))


def _incremental(store: Store, changed: int, docs_count: int) -> bool:
    return (isinstance(store, Store) and changed <= FULL_SHARE * docs_count
            and bool(store.query(PREFIXES + _INDEXED)))


def _components(store: Store, seeds: Snapshot, limit: int) -> tuple[dict[str, Loaded], dict[str, Cite], Snapshot] | None:
    """The loaded documents and citations of the link-graph components holding ``seeds``, and
    everything they were found by; None past ``limit`` documents and citations."""
    docs: dict[str, Loaded] = {}
    cites: dict[str, Cite] = {}
    seen = Snapshot()
    todo_docs, todo_cites = set(seeds.docs), set(seeds.cites)
    todo_numbers, todo_keys = set(seeds.numbers), set(seeds.keys)
    while todo_docs or todo_cites or todo_numbers or todo_keys:
        if todo_numbers:
            values = _values("v", todo_numbers, literal=True)
            todo_docs.update(x for (x,) in _rows(store, _BY_NUMBER["docs"], values))
            todo_cites.update(x for (x,) in _rows(store, _BY_NUMBER["cites"], values))
        if todo_keys:
            found = [x for (x,) in _rows(store, _BY_KEY, _values("v", todo_keys, literal=True))]
            todo_docs.update(found)  # the index does not tell documents from citations:
            todo_cites.update(found)  # each reader keeps its own
        seen.numbers |= todo_numbers
        seen.keys |= todo_keys
        seen.docs |= todo_docs
        seen.cites |= todo_cites
        new_docs = read_docs(store, todo_docs - docs.keys())
        new_cites = read_cites(store, todo_cites - cites.keys())
        docs.update(new_docs)
        cites.update(new_cites)
        if len(docs) + len(cites) > limit:
            return None
        found_now = Snapshot()
        found_now.add((*new_docs.values(), *new_cites.values()))
        todo_numbers = found_now.numbers - seen.numbers
        todo_keys = found_now.keys - seen.keys
        todo_docs, todo_cites = set(), set()
    return docs, cites, seen


def _derived_now(store: Store, seen: Snapshot) -> set[str]:
    """The derived graph's statements that belong to the components of ``seen`` (as it was
    before the change as well as after: ``seen`` holds the keys of both)."""
    entities = seen.docs | seen.cites
    nodes = set(seen.docs)
    nodes.update(str(iri.doc_by_number(n)) for n in seen.numbers)
    nodes.update(str(iri.doc_by_title(k)) for k in seen.keys)
    refers, hidden = str(PLO.refersTo), str(SKOS.hiddenLabel)
    out: set[str] = set()
    subjects = sorted(entities | nodes)
    for chunk in range(0, len(subjects), 5000):
        values = _values("s", subjects[chunk:chunk + 5000])
        for sol in store.query(PREFIXES + _DERIVED_FROM.format(v=values)):
            s, p, o = sol
            if ((p.value == refers and s.value in seen.cites) or (p.value == hidden and s.value in entities)
                    or (p.value in _DESCRIBING and s.value in nodes)):
                out.add(nt.statement(str(s), str(p), str(o)))
    objects = sorted(nodes)
    for chunk in range(0, len(objects), 5000):
        values = _values("o", objects[chunk:chunk + 5000])
        for sol in store.query(PREFIXES + _DERIVED_FROM.format(v=values)):
            s, p, o = sol
            if p.value in _EDGES:
                out.add(nt.statement(str(s), str(p), str(o)))
    return out


def update(store: Store, before: Snapshot | None, graph_iris: Iterable[str]) -> int:
    """Bring the derived graph up to date after the graphs ``graph_iris`` were written or
    removed, ``before`` being their :func:`snapshot` taken just before (None: not taken, resolve
    afresh). Only the components the change touches are resolved again, or the whole store
    when the change is large; either way the derived graph is then what :func:`recompute`
    gives. Returns the number of derived triples removed and added (the derived graph's size
    when resolved afresh)."""
    graphs = list(dict.fromkeys(graph_iris))
    if not graphs:
        return 0
    docs_count = _count_docs(store)
    if before is None or not _incremental(store, len(graphs), docs_count):
        return recompute(store)
    seeds = snapshot(store, graphs)
    seeds.update(before)
    found = _components(store, seeds, limit=max(1000, int(FULL_SHARE * docs_count * 5)))
    if found is None:
        return recompute(store)
    docs, cites, seen = found
    seen.update(before)
    return _write_difference(store, _derived_now(store, seen), set(ntriples(derived(docs, cites))))


_ENTITY_LINKS = (ORG.subOrganizationOf, DCTERMS.spatial, PLO.function, SKOS.broader)
# A document describes an agency it names (eli:passed_by, plo:involvesAgency, plo:mentionsAgency,
# plo:citedIssuer) in full; an agency it reaches only as another's government
# (org:subOrganizationOf) it describes by type, name and region alone. So an agency that no
# remaining document names keeps only those statements: its function, its own government, and
# its VerticalBody / AgencyGroup types go (they came from the documents that named it).
_NAMING = {str(p) for p in (ELI.passed_by, PLO.involvesAgency, PLO.mentionsAgency, PLO.citedIssuer)}
_AGENCY_PREFIXES = (f"{iri.BASE}id/agency/", f"{iri.BASE}id/group/")
_NAMED_ONLY_LINKS = {str(ORG.subOrganizationOf), str(PLO.function)}
_NAMED_ONLY_TYPES = {str(PLO.VerticalBody), str(PLO.AgencyGroup)}


def _named_only(s: str, p: str, o: str) -> bool:
    """Whether a statement of an agency's description comes only from documents naming it."""
    return s.startswith(_AGENCY_PREFIXES) and (p in _NAMED_ONLY_LINKS or (p == str(RDF.type) and o in _NAMED_ONLY_TYPES))
# a document graph refers to an entity by these, and by the links of the agencies it describes
# itself (those of unstated jurisdiction: their government, region and function)
_REFERENCES = """
SELECT DISTINCT ?p ?o WHERE {
  VALUES ?p { eli:passed_by plo:involvesAgency plo:mentionsAgency plo:citedIssuer eli:jurisdiction
              plo:citedJurisdiction org:subOrganizationOf dcterms:spatial plo:function skos:broader }
  GRAPH ?g { ?s ?p ?o } FILTER (?g != <%s>)
}"""


def collect_entities(store: Store, referenced: Iterable[str] | None = None) -> int:
    """Drop from the entities graph what no loaded document refers to any more (directly, or
    through an agency's government, region or function, or a region's broader regions), so the
    store holds what loading its files afresh would give. Returns the number of triples dropped.

    ``referenced``: the entities the removed or replaced graphs referred to (``Snapshot.entities``);
    only they, and what they lead to, are then examined (every other entity is still referred to)."""
    if referenced is not None and isinstance(store, Store):
        return _collect_some(store, set(referenced))
    graph = str(iri.ENTITIES_GRAPH)
    rows = store.select(PREFIXES + _REFERENCES % graph)
    live = {r["o"] for r in rows}
    named = {r["o"] for r in rows if r["p"] in _NAMING}
    by_subject: dict[str, list[tuple]] = defaultdict(list)
    for s, p, o in store.triples_in(graph):
        if str(s) in named or not _named_only(str(s), str(p), str(o)):
            by_subject[str(s)].append((s, p, o))
    todo = list(live)
    while todo:
        for _, p, o in by_subject.get(todo.pop(), ()):
            if p in _ENTITY_LINKS and str(o) not in live:
                live.add(str(o))
                todo.append(str(o))
    keep = [t for subject, ts in by_subject.items() if subject in live for t in ts]
    dropped = sum(1 for _ in store.triples_in(graph)) - len(keep)
    if dropped:
        store.replace_graphs({graph: keep})
    return dropped


_ENTITIES = str(iri.ENTITIES_GRAPH)
_REFERRING = {str(p) for p in (ELI.passed_by, PLO.involvesAgency, PLO.mentionsAgency, PLO.citedIssuer,
                                ELI.jurisdiction, PLO.citedJurisdiction, *_ENTITY_LINKS)}
_LINKS = {str(p) for p in _ENTITY_LINKS}
_REFERENCED_IN = "SELECT DISTINCT ?p ?o WHERE {{ {v} GRAPH ?g {{ ?s ?p ?o }} FILTER (isIRI(?o)) }}"
_ENTITY_OUT = _ENTITY_IN = "SELECT ?s ?p ?o WHERE {{ {v} GRAPH <" + _ENTITIES + "> {{ ?s ?p ?o }} }}"
_REFERRED = ("SELECT ?o WHERE {{ {v} FILTER EXISTS {{ VALUES ?p {{ " + " ".join(f"<{p}>" for p in sorted(_REFERRING))
             + " }} GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <" + _ENTITIES + ">) }} }}")
_NAMED = ("SELECT ?o WHERE {{ {v} FILTER EXISTS {{ VALUES ?p {{ " + " ".join(f"<{p}>" for p in sorted(_NAMING))
          + " }} GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <" + _ENTITIES + ">) }} }}")


def entities_of(store: Store, graph_iris: Collection[str]) -> set[str]:
    """The agencies and regions these graphs refer to (as :func:`collect_entities` counts)."""
    if not graph_iris:
        return set()
    return {o for p, o in _rows(store, _REFERENCED_IN, _values("g", graph_iris)) if p in _REFERRING}


def _collect_some(store: Store, referenced: set[str]) -> int:
    candidates: set[str] = set()
    # subject → (statement, link target or None, whether only a document naming it gives it)
    statements: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    todo = referenced
    while todo:
        candidates |= todo
        found: set[str] = set()
        for sol in store.query(_ENTITY_OUT.format(v=_values("s", sorted(todo)))):
            s, p, o = sol
            link = o.value if p.value in _LINKS and isinstance(o, ox.NamedNode) else None
            statements[s.value].append((f"{s} {p} {o} .", link, _named_only(s.value, p.value, o.value)))
            if link is not None:
                found.add(link)
        todo = found - candidates
    if not candidates:
        return 0
    values = _values("o", sorted(candidates))
    named = {o for (o,) in _rows(store, _NAMED, values)}
    live = {o for (o,) in _rows(store, _REFERRED, values)}
    live.update(o.value for s, p, o in store.query(_ENTITY_IN.format(v=values))
                if p.value in _LINKS and s.value not in candidates)
    todo_live = list(live)
    while todo_live:
        subject = todo_live.pop()
        for _, link, own in statements.get(subject, ()):
            if link is not None and link not in live and (subject in named or not own):
                live.add(link)
                todo_live.append(link)
    drop = [line for subject in sorted(candidates) for line, _, own in statements.get(subject, ())
            if subject not in live or (own and subject not in named)]
    if drop:
        store.ox.update(f"DELETE DATA {{ GRAPH <{_ENTITIES}> {{\n" + "\n".join(drop) + "\n}}")
    return len(drop)
