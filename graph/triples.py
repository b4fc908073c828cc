"""Facts → RDF triples: pure functions from a :class:`Notice` to the statements of its named graph.

What is written follows CONTRACT.md; the vocabulary is ``ontology/plo.ttl``. Cross-document
facts (eli:cites, eli:based_on, cited-only documents) are not made here but by
:mod:`policykg.graph.resolve`, from the plo:Citation records written here.

The mapping is written once, with terms in N-Triples form (:mod:`policykg.graph.ntriples`):
:func:`notice_lines` joins them into the lines a load writes, :func:`notice_triples` turns
them into rdflib terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from urllib.parse import quote

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.graph import iri, ntriples
from policykg.graph.ntriples import Terms, lang_literal, statement, to_rdflib, typed_literal
from policykg.loaders import citations as cite_mod
from policykg.loaders import regions as region_mod
from policykg.loaders.models import Agency, Article, Citation, Notice, Provision, Region, Task
from policykg.ontology.plo import ELI, LEVELS, PLO, ROLES

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Statement = str  # one N-Triples statement: "<s> <p> <o> ." (ntriples.statement)

LEVEL_CONCEPTS = LEVELS
ROLE_PROPERTIES = ROLES

# The vocabulary in N-Triples form, by prefix: plo.Task == "<https://w3id.org/policykg/ontology#Task>".
rdf, eli, plo, dcterms, skos, org = map(Terms, (RDF, ELI, PLO, DCTERMS, SKOS, ORG))
_LEVEL = {name: ntriples.iri(str(concept)) for name, concept in LEVELS.items()}
_ROLE = {name: ntriples.iri(str(prop)) for name, prop in ROLES.items()}
_INTEGER, _DATE = str(XSD.integer), str(XSD.date)
# ELI's in-force concepts (eli:InForceTable), the values of eli:in_force
_IN_FORCE = {name: ntriples.iri(str(ELI[f"InForce-{name}"])) for name in ("inForce", "partiallyInForce", "notInForce")}
# split_entities' rule, on N-Triples terms
_ENTITY_SUBJECTS = tuple(f"<{prefix}" for prefix in iri.ENTITY_PREFIXES)


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _zh(text: str) -> str:
    return lang_literal(text, "zh")


@lru_cache(maxsize=16384)
def _zh_short(text: str) -> str:
    """_zh() of a label that recurs (a section heading, an agency's name)."""
    return _zh(text)


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    return ntriples.literal(text)


@lru_cache(maxsize=4096)
def _integer(n: int) -> str:
    return typed_literal(str(n), _INTEGER)


@lru_cache(maxsize=16384)
def _agency(name: str, group: bool) -> str:
    return ntriples.iri(str(iri.agency(name, group)))


def _agency_of(agency: Agency, d: str) -> str:
    """The IRI of an agency named in document ``d`` (N-Triples form): one node across notices,
    or, when its jurisdiction is not known, one node of the document."""
    if agency.local:
        return ntriples.iri(str(iri.local_agency(d[1:-1], agency.name, agency.kind == "group")))
    return _agency(agency.name, agency.kind == "group")


@lru_cache(maxsize=8192)
def _region(region: Region) -> str:
    return ntriples.iri(str(region_iri(region)))


@lru_cache(maxsize=1024)
def _function(key: str) -> str:
    return ntriples.iri(str(iri.function(key)))


def _iri(term: URIRef) -> str:
    return ntriples.iri(str(term))


def _url(url: str) -> str | None:
    """The web page a notice was published on as an IRI (characters an IRI cannot hold
    percent-encoded), or None when it cannot be one."""
    try:
        return ntriples.iri(quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~"))
    except ValueError:
        return None


def doc_iri(notice: Notice) -> URIRef:
    """The IRI of a loaded notice: by its own 发文字号, else its title, else its file's hash."""
    if notice.number is not None:
        return iri.doc_by_number(notice.number.canonical)
    if notice.title:
        return iri.doc_by_title(cite_mod.title_key(notice.title))
    return iri.doc_by_file(notice.sha256)


def graph_iri(notice: Notice) -> URIRef:
    return iri.source_graph(notice.source)


def region_iri(region: Region) -> URIRef:
    return iri.region(region.code, region.name)


def split_entities(triples: Iterable[Triple]) -> tuple[list[Triple], list[Triple]]:
    """(document triples, entity triples). Agencies, regions and functions are shared by many
    documents: their descriptions go to one graph (``graph/entities``) instead of being repeated
    in every document's graph, where a union default graph would repeat them in every answer.
    The surface forms an agency is written with in a notice (skos:altLabel) stay with it."""
    doc: list[Triple] = []
    shared: list[Triple] = []
    for t in triples:
        if t[1] != SKOS.altLabel and str(t[0]).startswith(iri.ENTITY_PREFIXES):
            shared.append(t)
        else:
            doc.append(t)
    return doc, shared


def notice_lines(notice: Notice) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The N-Triples statements of one notice as a load writes them: those of its own graph and
    those describing shared entities (the rule of :func:`split_entities`), each once, in order.
    The same as ``split_entities(notice_triples(notice))`` through ``store.ntriples``, without
    making rdflib terms."""
    own: list[str] = []
    shared: list[str] = []
    alt_label = skos.altLabel
    for line in _statements(notice):
        # an IRI has no space: the predicate starts after the first one
        if line.startswith(_ENTITY_SUBJECTS) and not line.startswith(alt_label, line.index(" ") + 1):
            shared.append(line)
        else:
            own.append(line)
    return tuple(dict.fromkeys(own)), tuple(dict.fromkeys(shared))


def notice_triples(notice: Notice) -> Iterator[Triple]:
    """Every triple extracted from one notice (its named graph's content)."""
    return _rdflib(_statements(notice))


def _rdflib(statements: Iterable[Statement]) -> Iterator[Triple]:
    term = _rdflib_term
    for line in statements:
        s, p, o = ntriples.terms(line)
        yield term(s), term(p), term(o)  # type: ignore[misc]


@lru_cache(maxsize=65536)
def _rdflib_term(term: str) -> URIRef | Literal:
    return to_rdflib(term)


def _statements(notice: Notice) -> list[Statement]:
    """Every statement of one notice's named graph, in order.

    The ``_…_statements`` functions append to ``out``. An agency, region or function described
    once is not described again further down (its statements would only repeat); the blocks
    themselves are built once per process."""
    out: list[Statement] = []
    add = out.append
    seen: set[tuple] = set()
    d = _iri(doc_iri(notice))
    add(statement(d, rdf.type, eli.LegalResource))
    if notice.number is not None:
        n = notice.number
        add(statement(d, eli.id_local, ntriples.literal(n.canonical)))
        add(statement(d, plo.issuerCode, ntriples.literal(n.code)))
        add(statement(d, plo.numberSerial, ntriples.literal(n.serial)))
        if n.year is not None:
            add(statement(d, plo.numberYear, _integer(n.year)))
        if n.surface:
            add(statement(d, plo.numberAsWritten, ntriples.literal(n.surface)))
    if notice.title:
        add(statement(d, dcterms.title, _zh(notice.title)))
    if notice.promulgates and notice.promulgates != notice.title:
        add(statement(d, dcterms.alternative, _zh(notice.promulgates)))
    if notice.doctype:
        add(statement(d, plo.documentType, _zh_short(notice.doctype)))
    for agency in notice.issuers:
        add(statement(d, eli.passed_by, _agency_of(agency, d)))
        _agency_statements(out, agency, seen, d)
    if notice.date is not None:
        add(statement(d, eli.date_document, typed_literal(notice.date.isoformat(), _DATE)))
    if notice.published is not None:
        add(statement(d, eli.date_publication, typed_literal(notice.published.isoformat(), _DATE)))
    if notice.level is not None:
        add(statement(d, plo.level, _LEVEL[notice.level]))
    if notice.region is not None:
        add(statement(d, eli.jurisdiction, _region(notice.region)))
        _region_statements(out, notice.region, seen)
    if notice.in_force is not None:
        add(statement(d, eli.in_force, _IN_FORCE[notice.in_force]))
    if notice.url:
        page = _url(notice.url)
        if page is not None:
            add(statement(d, dcterms.hasFormat, page))
    add(statement(d, dcterms.source, ntriples.literal(notice.source)))
    add(statement(d, plo.sha256, ntriples.literal(notice.sha256)))
    if notice.encoding:
        add(statement(d, plo.encoding, _plain(notice.encoding)))
    add(statement(d, plo.taskCount, _integer(len(notice.tasks))))
    for position, citation in enumerate(notice.citations, start=1):
        _citation_statements(out, d, position, citation, seen)
    task_iris: dict[str, str] = {}  # path → IRI of the latest task so numbered (a parent comes first)
    for task in notice.tasks:
        _task_statements(out, d, task, seen, task_iris)
    for article in notice.articles:
        _article_statements(out, d, article, seen)
    for provision in notice.provisions:
        _provision_statements(out, d, provision)
    return out


def citation_triples(d: URIRef, position: int, citation: Citation) -> Iterator[Triple]:
    out: list[Statement] = []
    _citation_statements(out, _iri(d), position, citation, set())
    return _rdflib(out)


def _citation_statements(out: list[Statement], d: str, position: int, citation: Citation, seen: set[tuple]) -> None:
    add = out.append
    c = ntriples.iri(iri.citation_value(d[1:-1], position))
    add(statement(d, plo.hasCitation, c))
    add(statement(c, rdf.type, plo.Citation))
    add(statement(c, plo.position, _integer(position)))
    add(statement(c, plo.citationKind, _plain(citation.kind)))
    if citation.title:
        add(statement(c, plo.citedTitle, _zh(citation.title)))
    if citation.number is not None:
        add(statement(c, plo.citedNumber, ntriples.literal(citation.number.canonical)))
    if citation.kind == "draft":
        return
    issuers, level, region = _cited_facts(citation)
    for agency in issuers:
        add(statement(c, plo.citedIssuer, _agency_of(agency, d)))
        _agency_statements(out, agency, seen, d)
    if level is not None:
        add(statement(c, plo.citedLevel, _LEVEL[level]))
    if region is not None:
        add(statement(c, plo.citedJurisdiction, _region(region)))
        _region_statements(out, region, seen)


@lru_cache(maxsize=4096)
def _cited_facts(citation: Citation) -> tuple[tuple[Agency, ...], str | None, Region | None]:
    """cite_mod.cited_facts of a citation that recurs (national policies are cited by many);
    a citation equals another of the same title, number and kind."""
    return cite_mod.cited_facts(citation)


def task_triples(d: URIRef, task: Task, parent: URIRef | None = None) -> Iterator[Triple]:
    """A task's triples; ``parent`` the IRI of the task it is a sub-task of."""
    out: list[Statement] = []
    parents = {task.parent: _iri(parent)} if parent is not None and task.parent else {}
    _task_statements(out, _iri(d), task, set(), parents)
    return _rdflib(out)


def _task_statements(
    out: list[Statement], d: str, task: Task, seen: set[tuple], task_iris: dict[str, str]
) -> None:
    add = out.append
    t = ntriples.iri(iri.task_value(d[1:-1], task.ordinal))
    add(statement(t, rdf.type, plo.Task))
    add(statement(t, eli.is_part_of, d))
    add(statement(t, plo.label, _plain(task.label)))
    add(statement(t, plo.ordinal, _integer(task.ordinal)))
    add(statement(t, dcterms.title, _zh(task.heading)))
    if task.path:
        add(statement(t, plo.path, _plain(task.path)))
        task_iris[task.path] = t
    if task.parent is not None and task.parent in task_iris:
        add(statement(t, plo.subTaskOf, task_iris[task.parent]))
    if task.text:
        add(statement(t, plo.text, _zh(task.text)))
    if task.section:
        add(statement(t, plo.section, _zh_short(task.section)))
    _role_statements(out, t, task.roles, seen, d)
    for agency in task.mentions:
        add(statement(t, plo.mentionsAgency, _agency_of(agency, d)))
        _agency_statements(out, agency, seen, d)


def _role_statements(out: list[Statement], t: str, roles: Iterable, seen: set[tuple], d: str) -> None:
    add = out.append
    involves = plo.involvesAgency
    for role in roles:
        a = _agency_of(role.agency, d)
        add(statement(t, _ROLE[role.role], a))
        add(statement(t, involves, a))
        _agency_statements(out, role.agency, seen, d)


def article_triples(d: URIRef, article: Article) -> Iterator[Triple]:
    out: list[Statement] = []
    _article_statements(out, _iri(d), article, set())
    return _rdflib(out)


def _article_statements(out: list[Statement], d: str, article: Article, seen: set[tuple]) -> None:
    add = out.append
    a = ntriples.iri(iri.article_value(d[1:-1], article.ordinal))
    add(statement(a, rdf.type, plo.Article))
    add(statement(a, eli.is_part_of, d))
    add(statement(a, plo.label, _plain(article.label)))
    add(statement(a, plo.ordinal, _integer(article.ordinal)))
    if article.text:
        add(statement(a, plo.text, _zh(article.text)))
    _role_statements(out, a, article.roles, seen, d)


def provision_triples(d: URIRef, provision: Provision) -> Iterator[Triple]:
    out: list[Statement] = []
    _provision_statements(out, _iri(d), provision)
    return _rdflib(out)


def _provision_statements(out: list[Statement], d: str, provision: Provision) -> None:
    add = out.append
    p = ntriples.iri(iri.provision_value(d[1:-1], provision.ordinal))
    add(statement(p, rdf.type, plo.Provision))
    add(statement(p, eli.is_part_of, d))
    add(statement(p, plo.path, _plain(provision.path)))
    add(statement(p, plo.ordinal, _integer(provision.ordinal)))
    add(statement(p, plo.provisionKind, _plain(provision.kind)))
    if provision.text:
        add(statement(p, plo.text, _zh(provision.text)))


def agency_triples(agency: Agency, doc: URIRef | None = None) -> Iterator[Triple]:
    """An agency's description; ``doc`` is the document a local agency belongs to."""
    out: list[Statement] = []
    _agency_statements(out, agency, set(), _iri(doc) if doc is not None else "<>")
    return _rdflib(out)


def _agency_statements(out: list[Statement], agency: Agency, seen: set[tuple], d: str) -> None:
    key = ("agency", _agency_of(agency, d), agency.name, agency.kind, agency.region, agency.function,
           agency.vertical, agency.government, agency.surface)
    if key in seen:
        return
    seen.add(key)
    own, government, function_link, region_link = _agency_block(key)
    out.extend(own)
    if government and ("government", agency.government, agency.region) not in seen:
        seen.add(("government", agency.government, agency.region))
        out.extend(government)
    if agency.function:
        out.append(function_link)  # type: ignore[arg-type]
        _function_statements(out, agency.function, seen)
    if agency.region is not None:
        out.append(region_link)  # type: ignore[arg-type]
        _region_statements(out, agency.region, seen)


@lru_cache(maxsize=16384)
def _agency_block(
    key: tuple,
) -> tuple[tuple[Statement, ...], tuple[Statement, ...], Statement | None, Statement | None]:
    """An agency's own statements, its government's, and the links to its function and its region."""
    _, a, name, kind, region, function, vertical, government, surface = key
    own: list[Statement] = []
    if kind == "group":
        own.append(statement(a, rdf.type, plo.AgencyGroup))
    else:
        own.append(statement(a, rdf.type, org.Organization))
        if kind == "government":
            own.append(statement(a, rdf.type, plo.Government))
    if vertical:
        own.append(statement(a, rdf.type, plo.VerticalBody))
    own.append(statement(a, skos.prefLabel, _zh_short(name)))
    if surface and surface != name:
        own.append(statement(a, skos.altLabel, _zh_short(surface)))
    gov: list[Statement] = []
    if government and government != name:
        g = _agency(government, False)
        own.append(statement(a, org.subOrganizationOf, g))
        gov.append(statement(g, rdf.type, org.Organization))
        gov.append(statement(g, rdf.type, plo.Government))
        gov.append(statement(g, skos.prefLabel, _zh_short(government)))
        if region is not None:
            gov.append(statement(g, dcterms.spatial, _region(region)))
    function_link = statement(a, plo.function, _function(function)) if function else None
    region_link = statement(a, dcterms.spatial, _region(region)) if region is not None else None
    return tuple(own), tuple(gov), function_link, region_link


def region_triples(region: Region) -> Iterator[Triple]:
    """The region's concept and its chain of broader regions up to the province."""
    out: list[Statement] = []
    _region_statements(out, region, set())
    return _rdflib(out)


def _region_statements(out: list[Statement], region: Region, seen: set[tuple]) -> None:
    current: Region | None = region
    while current is not None and ("region", current) not in seen:
        seen.add(("region", current))  # and so every region above it, described with it
        own, current = _region_block(current)
        out.extend(own)


@lru_cache(maxsize=8192)
def _region_block(region: Region) -> tuple[tuple[Statement, ...], Region | None]:
    """A region's own statements, and the region above it that is described next (None at the top)."""
    r = _region(region)
    own: list[Statement] = [
        statement(r, rdf.type, skos.Concept),
        statement(r, skos.inScheme, plo.RegionScheme),
        statement(r, skos.prefLabel, _zh_short(region.name)),
        statement(r, plo.level, _LEVEL[region.level]),
    ]
    if region.code:
        own.append(statement(r, skos.notation, ntriples.literal(region.code)))
    parent = region_mod.parent(region) if region.level != "national" else None
    if parent is not None and parent.level != "national":
        own.append(statement(r, skos.broader, _region(parent)))
        return tuple(own), parent
    return tuple(own), None


def function_triples(key: str) -> Iterator[Triple]:
    return _rdflib(_function_block(key))


def _function_statements(out: list[Statement], key: str, seen: set[tuple]) -> None:
    if ("function", key) not in seen:
        seen.add(("function", key))
        out.extend(_function_block(key))


@lru_cache(maxsize=1024)
def _function_block(key: str) -> tuple[Statement, ...]:
    f = _function(key)
    labels = _function_labels().get(key)
    out: list[Statement] = [
        statement(f, rdf.type, skos.Concept),
        statement(f, skos.inScheme, plo.FunctionScheme),
        statement(f, skos.notation, ntriples.literal(key)),
    ]
    if labels:
        zh_label, en_label = labels
        out.append(statement(f, skos.prefLabel, _zh(zh_label)))
        if en_label:
            out.append(statement(f, skos.prefLabel, lang_literal(en_label, "en")))
    return tuple(out)


@cache
def _function_labels() -> dict[str, tuple[str, str]]:
    from policykg.loaders import agencies

    return {f["key"]: (f["zh"], f.get("en", "")) for f in agencies.functions()}
