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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.graph import iri
from policykg.graph.store import Store
from policykg.loaders.citations import promulgated_title, title_key
from policykg.ontology.plo import ELI, PLO

MIN_TITLE_KEY = 5  # shorter titles (《通知》, 《意见》) are too generic to identify a document
LEVEL_ORDER = [str(PLO.National), str(PLO.Provincial), str(PLO.Municipal), str(PLO.County)]

_LOADED = """
SELECT ?d ?num ?title ?alt WHERE {
  ?d a eli:LegalResource ; dcterms:source ?src .
  OPTIONAL { ?d eli:id_local ?num }
  OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?d dcterms:alternative ?alt }
}"""
_CITATIONS = """
SELECT ?d ?c ?kind ?num ?title ?issuer ?level ?jur WHERE {
  ?d plo:hasCitation ?c . ?c plo:citationKind ?kind .
  FILTER (?kind != "draft")
  OPTIONAL { ?c plo:citedNumber ?num }
  OPTIONAL { ?c plo:citedTitle ?title }
  OPTIONAL { ?c plo:citedIssuer ?issuer }
  OPTIONAL { ?c plo:citedLevel ?level }
  OPTIONAL { ?c plo:citedJurisdiction ?jur }
}"""
PREFIXES = f"""PREFIX eli: <{ELI}>
PREFIX plo: <{PLO}>
PREFIX dcterms: <{DCTERMS}>
"""


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


def read_inputs(store: Store) -> tuple[dict[str, Loaded], dict[str, Cite]]:
    loaded: dict[str, Loaded] = {}
    for row in store.select(PREFIXES + _LOADED):
        doc = loaded.setdefault(row["d"], Loaded(row["d"]))
        if "num" in row:
            doc.numbers.add(row["num"])
        for name in ("title", "alt"):
            if name in row:
                doc.titles.add(row[name])
    cites: dict[str, Cite] = {}
    for row in store.select(PREFIXES + _CITATIONS):
        c = cites.setdefault(row["c"], Cite(row["c"], row["d"], row["kind"]))
        for name, target in (("num", c.numbers), ("title", c.titles), ("issuer", c.issuers),
                             ("level", c.levels), ("jur", c.jurisdictions)):
            if name in row:
                target.add(row[name])
    return loaded, cites


def resolve(loaded: dict[str, Loaded], cites: dict[str, Cite]) -> Iterator[tuple]:
    """The derived triples for the given loaded documents and citations."""
    uf = _Clusters()
    title_links: list[tuple[str, str]] = []
    for doc in loaded.values():
        key = "L:" + doc.iri
        uf.add(key, loaded=doc.iri)
        for number in doc.numbers:
            uf.add("n:" + number, number=number)
            uf.union(key, "n:" + number, strict=False)
        for title in doc.titles:
            title_links.extend((key, "t:" + k) for k in _title_keys(title))
    for c in cites.values():
        key = "C:" + c.iri
        uf.add(key)
        for number in c.numbers:
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


def recompute(store: Store) -> int:
    """Recompute the derived graph from the whole store; returns its triple count."""
    loaded, cites = read_inputs(store)
    return store.replace_graphs({str(iri.DERIVED_GRAPH): resolve(loaded, cites)})


_REFERENCES = """
SELECT DISTINCT ?o WHERE {
  VALUES ?p { eli:passed_by plo:involvesAgency plo:mentionsAgency plo:citedIssuer eli:jurisdiction
              plo:citedJurisdiction }
  GRAPH ?g { ?s ?p ?o } FILTER (?g != <%s>)
}"""
_ENTITY_LINKS = (ORG.subOrganizationOf, DCTERMS.spatial, PLO.function, SKOS.broader)


def collect_entities(store: Store) -> int:
    """Drop from the entities graph what no loaded document refers to any more (directly, or
    through an agency's government, region or function, or a region's broader regions), so the
    store holds what loading its files afresh would give. Returns the number of triples dropped."""
    graph = str(iri.ENTITIES_GRAPH)
    live = {r["o"] for r in store.select(PREFIXES + _REFERENCES % graph)}
    by_subject: dict[str, list[tuple]] = defaultdict(list)
    for s, p, o in store.triples_in(graph):
        by_subject[str(s)].append((s, p, o))
    todo = list(live)
    while todo:
        for _, p, o in by_subject.get(todo.pop(), ()):
            if p in _ENTITY_LINKS and str(o) not in live:
                live.add(str(o))
                todo.append(str(o))
    keep = [t for subject, ts in by_subject.items() if subject in live for t in ts]
    dropped = sum(len(ts) for subject, ts in by_subject.items() if subject not in live)
    if dropped:
        store.replace_graphs({graph: keep})
    return dropped
