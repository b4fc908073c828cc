"""Facts → RDF triples: pure functions from a :class:`Notice` to the triples of its named graph.

What is written follows CONTRACT.md; the vocabulary is ``ontology/plo.ttl``. Cross-document
facts (eli:cites, eli:based_on, cited-only documents) are not made here but by
:mod:`policykg.graph.resolve`, from the plo:Citation records written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

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


def doc_iri(notice: Notice) -> URIRef:
    """The IRI of a loaded notice: by its own 发文字号, else its title, else its file's hash."""
    if notice.number is not None:
        return iri.doc_by_number(notice.number.canonical)
    if notice.title:
        return iri.doc_by_title(cite_mod.title_key(notice.title))
    return iri.doc_by_file(notice.sha256)


def graph_iri(notice: Notice) -> URIRef:
    return iri.source_graph(notice.source)


def notice_triples(notice: Notice) -> Iterator[Triple]:
    """Every triple extracted from one notice (its named graph's content)."""
    d = doc_iri(notice)
    yield d, RDF.type, ELI.LegalResource
    if notice.number is not None:
        n = notice.number
        yield d, ELI.id_local, Literal(n.canonical)
        yield d, PLO.issuerCode, Literal(n.code)
        yield d, PLO.numberSerial, Literal(n.serial)
        if n.year is not None:
            yield d, PLO.numberYear, Literal(n.year, datatype=XSD.integer)
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
        yield from agency_triples(agency)
    if notice.date is not None:
        yield d, ELI.date_document, Literal(notice.date.isoformat(), datatype=XSD.date)
    if notice.published is not None:
        yield d, ELI.date_publication, Literal(notice.published.isoformat(), datatype=XSD.date)
    if notice.level is not None:
        yield d, PLO.level, LEVEL_CONCEPTS[notice.level]
    if notice.region is not None:
        yield d, ELI.jurisdiction, region_iri(notice.region)
        yield from region_triples(notice.region)
    yield d, DCTERMS.source, Literal(notice.source)
    yield d, PLO.sha256, Literal(notice.sha256)
    if notice.encoding:
        yield d, PLO.encoding, Literal(notice.encoding)
    yield d, PLO.taskCount, Literal(len(notice.tasks), datatype=XSD.integer)
    for position, citation in enumerate(notice.citations, start=1):
        yield from citation_triples(d, position, citation)
    for task in notice.tasks:
        yield from task_triples(d, task)


def citation_triples(d: URIRef, position: int, citation: Citation) -> Iterator[Triple]:
    c = iri.citation(d, position)
    yield d, PLO.hasCitation, c
    yield c, RDF.type, PLO.Citation
    yield c, PLO.position, Literal(position, datatype=XSD.integer)
    yield c, PLO.citationKind, Literal(citation.kind)
    if citation.title:
        yield c, PLO.citedTitle, zh(citation.title)
    if citation.number is not None:
        yield c, PLO.citedNumber, Literal(citation.number.canonical)
    if citation.kind == "draft":
        return
    issuers, level, region = cite_mod.cited_facts(citation)
    for agency in issuers:
        yield c, PLO.citedIssuer, iri.agency(agency.name, agency.kind == "group")
        yield from agency_triples(agency)
    if level is not None:
        yield c, PLO.citedLevel, LEVEL_CONCEPTS[level]
    if region is not None:
        yield c, PLO.citedJurisdiction, region_iri(region)
        yield from region_triples(region)


def task_triples(d: URIRef, task: Task) -> Iterator[Triple]:
    t = iri.task(d, task.ordinal)
    yield t, RDF.type, PLO.Task
    yield t, ELI.is_part_of, d
    yield t, PLO.label, Literal(task.label)
    yield t, PLO.ordinal, Literal(task.ordinal, datatype=XSD.integer)
    yield t, DCTERMS.title, zh(task.heading)
    if task.text:
        yield t, PLO.text, zh(task.text)
    if task.section:
        yield t, PLO.section, zh(task.section)
    for role in task.roles:
        a = iri.agency(role.agency.name, role.agency.kind == "group")
        yield t, ROLE_PROPERTIES[role.role], a
        yield t, PLO.involvesAgency, a
        yield from agency_triples(role.agency)
    for agency in task.mentions:
        yield t, PLO.mentionsAgency, iri.agency(agency.name, agency.kind == "group")
        yield from agency_triples(agency)


def agency_triples(agency: Agency) -> Iterator[Triple]:
    a = iri.agency(agency.name, agency.kind == "group")
    if agency.kind == "group":
        yield a, RDF.type, PLO.AgencyGroup
    else:
        yield a, RDF.type, ORG.Organization
        if agency.kind == "government":
            yield a, RDF.type, PLO.Government
    if agency.vertical:
        yield a, RDF.type, PLO.VerticalBody
    yield a, SKOS.prefLabel, zh(agency.name)
    if agency.surface and agency.surface != agency.name:
        yield a, SKOS.altLabel, zh(agency.surface)
    if agency.government and agency.government != agency.name:
        g = iri.agency(agency.government)
        yield a, ORG.subOrganizationOf, g
        yield g, RDF.type, ORG.Organization
        yield g, RDF.type, PLO.Government
        yield g, SKOS.prefLabel, zh(agency.government)
        if agency.region is not None:
            yield g, DCTERMS.spatial, region_iri(agency.region)
    if agency.function:
        yield a, PLO.function, iri.function(agency.function)
        yield from function_triples(agency.function)
    if agency.region is not None:
        yield a, DCTERMS.spatial, region_iri(agency.region)
        yield from region_triples(agency.region)


def region_iri(region: Region) -> URIRef:
    return iri.region(region.code, region.name)


def region_triples(region: Region) -> Iterator[Triple]:
    """The region's concept and its chain of broader regions up to the province."""
    current: Region | None = region
    while current is not None:
        r = region_iri(current)
        yield r, RDF.type, SKOS.Concept
        yield r, SKOS.inScheme, PLO.RegionScheme
        yield r, SKOS.prefLabel, zh(current.name)
        yield r, PLO.level, LEVEL_CONCEPTS[current.level]
        if current.code:
            yield r, SKOS.notation, Literal(current.code)
        parent = region_mod.parent(current) if current.level != "national" else None
        if parent is not None and parent.level != "national":
            yield r, SKOS.broader, region_iri(parent)
        current = parent if parent is not None and parent.level != "national" else None


def function_triples(key: str) -> Iterator[Triple]:
    f = iri.function(key)
    labels = _function_labels().get(key)
    yield f, RDF.type, SKOS.Concept
    yield f, SKOS.inScheme, PLO.FunctionScheme
    yield f, SKOS.notation, Literal(key)
    if labels:
        zh_label, en_label = labels
        yield f, SKOS.prefLabel, zh(zh_label)
        if en_label:
            yield f, SKOS.prefLabel, Literal(en_label, lang="en")


@cache
def _function_labels() -> dict[str, tuple[str, str]]:
    from policykg.loaders import agencies

    return {f["key"]: (f["zh"], f.get("en", "")) for f in agencies.functions()}
