"""Facts → RDF triples: pure functions from a :class:`Notice` to the triples of its named graph.

What is written follows CONTRACT.md; the vocabulary is ``ontology/plo.ttl``. Cross-document
facts (eli:cites, eli:based_on, cited-only documents) are not made here but by
:mod:`policykg.graph.resolve`, from the plo:Citation records written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from policykg.graph import iri
from policykg.loaders import citations as cite_mod
from policykg.loaders import regions as region_mod
from policykg.loaders.models import Agency, Citation, Notice, Region, Task
from policykg.ontology.plo import ELI, LEVELS, PLO, ROLES

Triple = tuple[URIRef, URIRef, URIRef | Literal]

LEVEL_CONCEPTS = LEVELS
ROLE_PROPERTIES = ROLES


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


# Per task and per citation: the terms looked up once (a namespace attribute is a slow lookup),
# and the IRIs and literals that recur from task to task made once.
_TYPE, _IS_PART_OF, _TITLE = RDF.type, ELI.is_part_of, DCTERMS.title
_TASK, _LABEL, _ORDINAL, _TEXT, _SECTION = PLO.Task, PLO.label, PLO.ordinal, PLO.text, PLO.section
_INVOLVES, _MENTIONS = PLO.involvesAgency, PLO.mentionsAgency
_HAS_CITATION, _CITATION, _POSITION, _KIND = PLO.hasCitation, PLO.Citation, PLO.position, PLO.citationKind
_CITED_TITLE, _CITED_NUMBER, _CITED_ISSUER = PLO.citedTitle, PLO.citedNumber, PLO.citedIssuer
_CITED_LEVEL, _CITED_JURISDICTION = PLO.citedLevel, PLO.citedJurisdiction


@lru_cache(maxsize=16384)
def _agency_iri(name: str, group: bool) -> URIRef:
    return iri.agency(name, group)


@lru_cache(maxsize=4096)
def _integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=4096)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=4096)
def _zh_short(text: str) -> Literal:
    """zh() of a label that recurs (a section heading, an agency's name)."""
    return zh(text)


def doc_iri(notice: Notice) -> URIRef:
    """The IRI of a loaded notice: by its own 发文字号, else its title, else its file's hash."""
    if notice.number is not None:
        return iri.doc_by_number(notice.number.canonical)
    if notice.title:
        return iri.doc_by_title(cite_mod.title_key(notice.title))
    return iri.doc_by_file(notice.sha256)


def graph_iri(notice: Notice) -> URIRef:
    return iri.source_graph(notice.source)


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


def notice_triples(notice: Notice) -> Iterator[Triple]:
    """Every triple extracted from one notice (its named graph's content).

    An agency, region or function described once is not described again further down (its
    triples would only repeat); the blocks themselves are built once per process."""
    seen: set[tuple] = set()
    d = doc_iri(notice)
    yield d, RDF.type, ELI.LegalResource
    if notice.number is not None:
        n = notice.number
        yield d, ELI.id_local, Literal(n.canonical)
        yield d, PLO.issuerCode, Literal(n.code)
        yield d, PLO.numberSerial, Literal(n.serial)
        if n.year is not None:
            yield d, PLO.numberYear, _integer(n.year)
        if n.surface:
            yield d, PLO.numberAsWritten, Literal(n.surface)
    if notice.title:
        yield d, DCTERMS.title, zh(notice.title)
    if notice.promulgates and notice.promulgates != notice.title:
        yield d, DCTERMS.alternative, zh(notice.promulgates)
    if notice.doctype:
        yield d, PLO.documentType, zh(notice.doctype)
    for agency in notice.issuers:
        yield d, ELI.passed_by, iri.agency(agency.name, agency.kind == "group")
        yield from _agency_triples(agency, seen)
    if notice.date is not None:
        yield d, ELI.date_document, Literal(notice.date.isoformat(), datatype=XSD.date)
    if notice.published is not None:
        yield d, ELI.date_publication, Literal(notice.published.isoformat(), datatype=XSD.date)
    if notice.level is not None:
        yield d, PLO.level, LEVEL_CONCEPTS[notice.level]
    if notice.region is not None:
        yield d, ELI.jurisdiction, region_iri(notice.region)
        yield from _region_triples(notice.region, seen)
    yield d, DCTERMS.source, Literal(notice.source)
    yield d, PLO.sha256, Literal(notice.sha256)
    if notice.encoding:
        yield d, PLO.encoding, Literal(notice.encoding)
    yield d, PLO.taskCount, _integer(len(notice.tasks))
    for position, citation in enumerate(notice.citations, start=1):
        yield from _citation_triples(d, position, citation, seen)
    for task in notice.tasks:
        yield from _task_triples(d, task, seen)


def citation_triples(d: URIRef, position: int, citation: Citation) -> Iterator[Triple]:
    return _citation_triples(d, position, citation, set())


def _citation_triples(d: URIRef, position: int, citation: Citation, seen: set[tuple]) -> Iterator[Triple]:
    c = iri.citation(d, position)
    yield d, _HAS_CITATION, c
    yield c, _TYPE, _CITATION
    yield c, _POSITION, _integer(position)
    yield c, _KIND, _plain(citation.kind)
    if citation.title:
        yield c, _CITED_TITLE, zh(citation.title)
    if citation.number is not None:
        yield c, _CITED_NUMBER, Literal(citation.number.canonical)
    if citation.kind == "draft":
        return
    issuers, level, region = cite_mod.cited_facts(citation)
    for agency in issuers:
        yield c, _CITED_ISSUER, _agency_iri(agency.name, agency.kind == "group")
        yield from _agency_triples(agency, seen)
    if level is not None:
        yield c, _CITED_LEVEL, LEVEL_CONCEPTS[level]
    if region is not None:
        yield c, _CITED_JURISDICTION, region_iri(region)
        yield from _region_triples(region, seen)


def task_triples(d: URIRef, task: Task) -> Iterator[Triple]:
    return _task_triples(d, task, set())


def _task_triples(d: URIRef, task: Task, seen: set[tuple]) -> Iterator[Triple]:
    t = iri.task(d, task.ordinal)
    yield t, _TYPE, _TASK
    yield t, _IS_PART_OF, d
    yield t, _LABEL, _plain(task.label)
    yield t, _ORDINAL, _integer(task.ordinal)
    yield t, _TITLE, zh(task.heading)
    if task.text:
        yield t, _TEXT, zh(task.text)
    if task.section:
        yield t, _SECTION, _zh_short(task.section)
    for role in task.roles:
        a = _agency_iri(role.agency.name, role.agency.kind == "group")
        yield t, ROLE_PROPERTIES[role.role], a
        yield t, _INVOLVES, a
        yield from _agency_triples(role.agency, seen)
    for agency in task.mentions:
        yield t, _MENTIONS, _agency_iri(agency.name, agency.kind == "group")
        yield from _agency_triples(agency, seen)


def agency_triples(agency: Agency) -> Iterator[Triple]:
    return _agency_triples(agency, set())


def _agency_triples(agency: Agency, seen: set[tuple]) -> Iterator[Triple]:
    key = ("agency", agency.name, agency.kind, agency.region, agency.function, agency.vertical,
           agency.government, agency.surface)
    if key in seen:
        return
    seen.add(key)
    own, government, function_link, region_link = _agency_block(key)
    yield from own
    if government and ("government", agency.government, agency.region) not in seen:
        seen.add(("government", agency.government, agency.region))
        yield from government
    if agency.function:
        yield function_link  # type: ignore[misc]
        yield from _function_triples(agency.function, seen)
    if agency.region is not None:
        yield region_link  # type: ignore[misc]
        yield from _region_triples(agency.region, seen)


@lru_cache(maxsize=16384)
def _agency_block(
    key: tuple,
) -> tuple[tuple[Triple, ...], tuple[Triple, ...], Triple | None, Triple | None]:
    """An agency's own triples, its government's, and the links to its function and its region."""
    _, name, kind, region, function, vertical, government, surface = key
    a = _agency_iri(name, kind == "group")
    own: list[Triple] = []
    if kind == "group":
        own.append((a, RDF.type, PLO.AgencyGroup))
    else:
        own.append((a, RDF.type, ORG.Organization))
        if kind == "government":
            own.append((a, RDF.type, PLO.Government))
    if vertical:
        own.append((a, RDF.type, PLO.VerticalBody))
    own.append((a, SKOS.prefLabel, zh(name)))
    if surface and surface != name:
        own.append((a, SKOS.altLabel, zh(surface)))
    gov: list[Triple] = []
    if government and government != name:
        g = _agency_iri(government, False)
        own.append((a, ORG.subOrganizationOf, g))
        gov.append((g, RDF.type, ORG.Organization))
        gov.append((g, RDF.type, PLO.Government))
        gov.append((g, SKOS.prefLabel, zh(government)))
        if region is not None:
            gov.append((g, DCTERMS.spatial, region_iri(region)))
    function_link = (a, PLO.function, iri.function(function)) if function else None
    region_link = (a, DCTERMS.spatial, region_iri(region)) if region is not None else None
    return tuple(own), tuple(gov), function_link, region_link


def region_iri(region: Region) -> URIRef:
    return iri.region(region.code, region.name)


def region_triples(region: Region) -> Iterator[Triple]:
    """The region's concept and its chain of broader regions up to the province."""
    return _region_triples(region, set())


def _region_triples(region: Region, seen: set[tuple]) -> Iterator[Triple]:
    current: Region | None = region
    while current is not None and ("region", current) not in seen:
        seen.add(("region", current))  # and so every region above it, described with it
        own, current = _region_block(current)
        yield from own


@lru_cache(maxsize=8192)
def _region_block(region: Region) -> tuple[tuple[Triple, ...], Region | None]:
    """A region's own triples, and the region above it that is described next (None at the top)."""
    r = region_iri(region)
    own: list[Triple] = [
        (r, RDF.type, SKOS.Concept),
        (r, SKOS.inScheme, PLO.RegionScheme),
        (r, SKOS.prefLabel, zh(region.name)),
        (r, PLO.level, LEVEL_CONCEPTS[region.level]),
    ]
    if region.code:
        own.append((r, SKOS.notation, Literal(region.code)))
    parent = region_mod.parent(region) if region.level != "national" else None
    if parent is not None and parent.level != "national":
        own.append((r, SKOS.broader, region_iri(parent)))
        return tuple(own), parent
    return tuple(own), None


def function_triples(key: str) -> Iterator[Triple]:
    return iter(_function_block(key))


def _function_triples(key: str, seen: set[tuple]) -> Iterator[Triple]:
    if ("function", key) not in seen:
        seen.add(("function", key))
        yield from _function_block(key)


@lru_cache(maxsize=1024)
def _function_block(key: str) -> tuple[Triple, ...]:
    f = iri.function(key)
    labels = _function_labels().get(key)
    out: list[Triple] = [
        (f, RDF.type, SKOS.Concept),
        (f, SKOS.inScheme, PLO.FunctionScheme),
        (f, SKOS.notation, Literal(key)),
    ]
    if labels:
        zh_label, en_label = labels
        out.append((f, SKOS.prefLabel, zh(zh_label)))
        if en_label:
            out.append((f, SKOS.prefLabel, Literal(en_label, lang="en")))
    return tuple(out)


@cache
def _function_labels() -> dict[str, tuple[str, str]]:
    from policykg.loaders import agencies

    return {f["key"]: (f["zh"], f.get("en", "")) for f in agencies.functions()}
