"""CONTRACT.md, Documents and Provenance: every triple pattern, checked with SPARQL written from
the contract alone, on the bundled sample corpus."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import Literal

from tests.conftest import SEED_FILES, SEEDS, assert_conforms

P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def doc_of(pg, seed: str) -> str:
    rows = pg.query(P + "SELECT ?d WHERE { ?d a eli:LegalResource ; dcterms:source ?s }", {"s": SEED_FILES[seed]})
    assert len(rows) == 1, rows
    return rows[0]["d"]


def one(pg, sparql: str, **params):
    rows = pg.query(P + sparql, params)
    return rows


EXPECTED = {
    # seed: (id_local or None, issuer prefLabel, date or None, level, region, broader region)
    "000": ("厦府办〔2015〕134号", "厦门市人民政府办公厅", "2015-07-15", "Municipal", "厦门市", "福建省"),
    "001": ("焦政〔2017〕12号", "焦作市人民政府", "2017-05-03", "Municipal", "焦作市", "河南省"),
    "002": (None, None, None, "Municipal", "湛江市", "广东省"),
    "003": (None, "辽宁省人民政府办公厅", None, "Provincial", "辽宁省", None),
    "004": (None, None, "2015-02-15", "National", None, None),
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_document_facts(sample_graph, seed):
    number, issuer, date, level, region, broader = EXPECTED[seed]
    pg = sample_graph
    d = doc_of(pg, seed)
    rows = pg.query(P + "SELECT ?n WHERE { ?d eli:id_local ?n }", {"d": _iri(d)})
    assert [r["n"] for r in rows] == ([number] if number else [])
    if issuer:
        rows = pg.query(P + "SELECT ?l WHERE { ?d eli:passed_by ?a . ?a a org:Organization ; skos:prefLabel ?l }",
                        {"d": _iri(d)})
        assert issuer in {r["l"] for r in rows}
    if date:
        rows = pg.query(P + "SELECT ?date WHERE { ?d eli:date_document ?date FILTER(datatype(?date) = xsd:date) }",
                        {"d": _iri(d)})
        assert [str(r["date"]) for r in rows] == [date]
    rows = pg.query(P + "SELECT ?lvl WHERE { ?d plo:level ?lvl }", {"d": _iri(d)})
    assert [r["lvl"].rsplit("#", 1)[1] for r in rows] == [level]
    if region:
        rows = pg.query(P + """SELECT ?b WHERE { ?d eli:jurisdiction ?r . ?r a skos:Concept ;
                                 skos:prefLabel ?label . OPTIONAL { ?r skos:broader ?p . ?p skos:prefLabel ?b } }""",
                        {"d": _iri(d), "label": Literal(region, lang="zh")})
        assert len(rows) == 1
        assert rows[0].get("b") == broader


def test_titles_have_no_guillemets(sample_graph):
    rows = sample_graph.query(P + "SELECT ?d ?t WHERE { ?d a eli:LegalResource ; dcterms:title ?t }")
    assert rows
    for r in rows:
        assert not r["t"].startswith("《") and not r["t"].endswith("》"), r


def test_seed_titles(sample_graph):
    titles = {
        "000": "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
        "001": "焦作市人民政府关于深入开展质量强市建设的实施意见",
        "002": "湛江市开展质量提升行动的方案",
        "003": "辽宁省人民政府办公厅关于印发辽宁省贯彻实施质量发展纲要2012年行动计划阶段性工作方案的通知",
    }
    for seed, title in titles.items():
        rows = sample_graph.query(P + "SELECT ?t WHERE { ?d dcterms:title ?t }", {"d": _iri(doc_of(sample_graph, seed))})
        assert [r["t"] for r in rows] == [title]


def test_based_on_and_cites(sample_graph):
    pg = sample_graph
    d000 = doc_of(pg, "000")
    rows = pg.query(P + "SELECT ?n WHERE { ?d eli:based_on ?e . ?e eli:id_local ?n }", {"d": _iri(d000)})
    assert {r["n"] for r in rows} == {"国发〔2012〕9号", "国办发〔2015〕19号", "闽政办〔2015〕74号", "厦府〔2015〕114号"}
    d001 = doc_of(pg, "001")
    rows = pg.query(P + "SELECT ?n WHERE { ?d eli:based_on ?e . ?e eli:id_local ?n }", {"d": _iri(d001)})
    assert {r["n"] for r in rows} == {"豫政〔2015〕29号", "豫政办〔2016〕193号", "焦政文〔2014〕111号"}
    # 国发〔2012〕9号 is only mentioned in 001, not its basis
    rows = pg.query(P + "SELECT ?e WHERE { ?d eli:cites ?e . ?e eli:id_local \"国发〔2012〕9号\" "
                    "FILTER NOT EXISTS { ?d eli:based_on ?e } }", {"d": _iri(d001)})
    assert len(rows) == 1
    d003 = doc_of(pg, "003")
    rows = pg.query(P + "SELECT ?n WHERE { ?d eli:based_on ?e . ?e eli:id_local ?n }", {"d": _iri(d003)})
    assert {r["n"] for r in rows} == {"国办发〔2012〕27号"}


def test_every_based_on_is_also_cites(sample_graph):
    rows = sample_graph.query(P + "SELECT ?d ?e WHERE { ?d eli:based_on ?e FILTER NOT EXISTS { ?d eli:cites ?e } }")
    assert rows == []
    assert sample_graph.query(P + "SELECT ?d WHERE { ?d eli:based_on ?e }")


def test_drafts_are_neither_cited_nor_basis(sample_graph):
    rows = sample_graph.query(P + """SELECT ?e WHERE { ?d eli:cites ?e . ?e dcterms:title ?t
                                     FILTER(CONTAINS(?t, "电梯安全管理办法")) }""")
    assert rows == []


def test_number_and_title_are_one_node(sample_graph):
    """000 cites 《质量发展纲要(2011-2020年)》 by title; 001 cites 国发〔2012〕9号 with the title of
    the notice that promulgated it: one node."""
    pg = sample_graph
    rows = pg.query(P + """SELECT DISTINCT ?e WHERE { ?d eli:cites ?e .
        { ?e eli:id_local "国发〔2012〕9号" } UNION { ?e dcterms:title|dcterms:alternative ?t FILTER(CONTAINS(?t, "质量发展纲要(2011-2020年)")) } }""")
    assert len(rows) == 1
    e = rows[0]["e"]
    citing = pg.query(P + "SELECT ?src WHERE { ?d eli:cites ?e ; dcterms:source ?src }", {"e": _iri(e)})
    assert {r["src"] for r in citing} == {SEED_FILES["000"], SEED_FILES["001"], SEED_FILES["004"]}


def test_cited_document_nodes_carry_inferred_facts(sample_graph):
    rows = sample_graph.query(P + """SELECT ?l ?lvl WHERE { ?e eli:id_local "闽政办〔2015〕74号" ;
        a eli:LegalResource ; eli:passed_by ?a ; plo:level ?lvl . ?a skos:prefLabel ?l }""")
    assert {(r["l"], r["lvl"].rsplit("#", 1)[1]) for r in rows} == {("福建省人民政府办公厅", "Provincial")}
    rows = sample_graph.query(P + """SELECT ?l WHERE { ?e eli:id_local "国办发〔2015〕19号" ; eli:passed_by ?a .
        ?a skos:prefLabel ?l }""")
    assert {r["l"] for r in rows} == {"国务院办公厅"}
    # not loaded: no dcterms:source
    rows = sample_graph.query(P + "SELECT ?s WHERE { ?e eli:id_local \"国办发〔2015〕19号\" ; dcterms:source ?s }")
    assert rows == []


def test_lineage_is_plain_sparql(sample_graph):
    rows = sample_graph.query(P + """SELECT DISTINCT ?n WHERE { ?d dcterms:source ?s ; eli:based_on+ ?a .
        ?a eli:id_local ?n }""", {"s": SEED_FILES["000"]})
    assert {"国办发〔2015〕19号", "国发〔2012〕9号"} <= {r["n"] for r in rows}


def test_provenance_source_and_sha256(sample_graph):
    for name in SEED_FILES.values():
        sha = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
        rows = sample_graph.query(P + "SELECT ?sha WHERE { ?d dcterms:source ?s ; plo:sha256 ?sha }", {"s": name})
        assert [r["sha"] for r in rows] == [sha]


def test_one_named_graph_per_file(sample_graph):
    rows = sample_graph.query(P + "SELECT ?g ?s WHERE { GRAPH ?g { ?d dcterms:source ?s } }")
    assert len(rows) == 5
    assert len({r["g"] for r in rows}) == 5


def test_no_blank_nodes(sample_graph):
    rows = sample_graph.query(P + "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) } LIMIT 1")
    assert rows == []


def test_cited_only_documents_have_no_source(sample_graph):
    rows = sample_graph.query(P + """SELECT ?e WHERE { ?e a eli:LegalResource FILTER NOT EXISTS { ?e dcterms:source ?s }
        FILTER NOT EXISTS { ?d eli:cites ?e } }""")
    assert rows == []


def _iri(value: str):
    from rdflib import URIRef

    return URIRef(value)


def test_sample_graph_conforms_to_the_shapes(sample_graph):
    assert_conforms(sample_graph)
