"""Named queries: headers, parameter binding and resolution, results, limits, timeouts."""

from __future__ import annotations

import re
import time
from datetime import date

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from policykg import queries as Q
from policykg.errors import NotFound, QueryError
from policykg.graph import projections
from policykg.graph.store import Store, bind_values
from tests.conftest_views import (
    GANGYAO,
    MINI,
    QUALITY_LAW,
    XSS,
    doc,
    load_variants,
)

REQUIRED = {"lineage-up", "lineage-down", "siblings", "diffusion", "most-inherited", "agency-workload",
            "agency-copairs", "documents-by", "unresolved-citations"}


def run(store: Store, name: str, **params: str) -> list[dict]:
    return Q.rows(Q.run_named(store, name, params, timeout=30, limit=0))


def col(rows: list[dict], *names: str) -> list[tuple]:
    return [tuple(r.get(n) for n in names) for r in rows]


# -- the query files -----------------------------------------------------------------------

def test_every_required_query_is_there_with_a_description():
    found = {q.name: q for q in Q.list_queries()}
    assert REQUIRED <= set(found)
    for q in found.values():
        assert q.description and q.summary, q.name
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        assert not re.search(r"\b(GRAPH|FROM)\b", body, re.IGNORECASE), f"{q.name} must not use GRAPH clauses"
        assert q.text.lstrip().startswith("#"), q.name


def test_headers_are_machine_readable():
    assert Q.get_query("lineage-up").params == (
        Q.Param("doc", "document", False, "the document: its source (as loaded, or its unique end), "
                "a 发文字号 in any bracket style, a title, or an IRI"),)
    assert [(p.name, p.kind, p.optional) for p in Q.get_query("documents-by").params] == [
        ("in_region", "region", True), ("at_level", "level", True), ("in_year", "integer", True)]
    assert [p.name for p in Q.get_query("diffusion").params] == ["superior"]
    assert Q.get_query("most-inherited").params == ()


def test_parse_header_reads_params_and_description():
    text = "# Line one.\n# Line two.\n# param: x (integer, optional) — a number\n# param: doc — a doc\nSELECT * {}"
    q = Q.parse_header("t", text)
    assert q.description == "Line one.\nLine two."
    assert q.summary == "Line one."
    assert q.params == (Q.Param("x", "integer", True, "a number"), Q.Param("doc", "document", False, "a doc"))
    with pytest.raises(QueryError, match="unknown parameter kind"):
        Q.parse_header("t", "# param: x (colour) — no\nSELECT * {}")


def test_get_query_unknown_name():
    with pytest.raises(NotFound, match="no named query 'nope'.*lineage-up"):
        Q.get_query("nope")
    assert Q.is_named("lineage-up") and not Q.is_named("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_query_parses_and_runs_on_an_empty_store(name):
    q = Q.get_query(name)
    store = Store(None)
    bindings = {p.name: URIRef(doc("x")) if p.kind in ("document", "region", "iri") else Literal(1)
                for p in q.params if not p.optional}
    result = Q.execute(store, q.text, bindings)
    assert isinstance(result, ox.QuerySolutions)
    assert list(result) == []


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_queries_give_the_same_rows_on_another_engine(name, mini_store):
    """Portable SPARQL: rdflib's engine over a union-default-graph dataset agrees with the store."""
    params = {"lineage-up": {"doc": "思政〔2015〕20号"}, "lineage-down": {"doc": "国办发〔2015〕19号"},
              "siblings": {"doc": "厦府办〔2015〕134号"}, "diffusion": {"superior": "国办发〔2015〕19号"},
              "documents-by": {"in_region": "福建省"}}.get(name, {})
    q = Q.get_query(name)
    bindings = Q.bind_params(mini_store, q, params)
    ours = [tuple(sorted((k, str(v)) for k, v in r.items())) for r in Q.rows(Q.execute(mini_store, q.text, bindings))]
    ds = Dataset(default_union=True)
    ds.parse(MINI, format="trig")
    theirs = [tuple(sorted((str(k), str(v.toPython() if isinstance(v, Literal) else v)) for k, v in row.asdict().items()))
              for row in ds.query(bind_values(q.text, bindings) if bindings else q.text)]
    assert ours == theirs and ours


# -- resolving parameters -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "厦府办〔2015〕134号", "厦府办[2015]134号", "厦府办(2015)134号", "厦府办【2015】134号", "厦府办 〔2015〕 134号",
    "厦府办〔２０１５〕１３４号", "厦府办（2015）134号",
    "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
    "《厦门市贯彻实施质量发展纲要2015年行动计划》",
    " 厦门市贯彻实施质量发展纲要２０１５年行动计划 ",
    "https://w3id.org/policykg/id/doc/厦府办〔2015〕134号",
])
def test_resolve_doc(mini_store, text):
    assert Q.resolve_doc(mini_store, text) == doc("厦府办〔2015〕134号")


def test_resolve_doc_by_title_only_and_misses(mini_store):
    assert Q.resolve_doc(mini_store, "质量发展纲要(2011-2020年)") == GANGYAO
    assert Q.resolve_doc(mini_store, "质量发展纲要（2011－2020年）") == GANGYAO
    assert Q.resolve_doc(mini_store, "厦府办〔2015〕999号") is None
    assert Q.resolve_doc(mini_store, "质量发展纲要") is None  # exact match only
    assert Q.resolve_doc(mini_store, "") is None


def test_resolve_region_and_level(mini_store):
    region = "https://w3id.org/policykg/id/region/"
    assert Q.resolve_region(mini_store, "厦门市") == region + "350200"
    assert Q.resolve_region(mini_store, "350203") == region + "350203"
    assert Q.resolve_region(mini_store, "火星市") is None
    assert Q.level_iri("省") == Q.PLO + "Provincial"
    assert Q.level_iri("County") == Q.PLO + "County"
    assert Q.level_iri("plo:National") == Q.PLO + "National"
    with pytest.raises(QueryError, match="unknown level"):
        Q.level_iri("galactic")


def test_parameter_errors(mini_store):
    with pytest.raises(QueryError, match="needs the parameter 'doc'"):
        Q.run_named(mini_store, "lineage-up", {})
    with pytest.raises(QueryError, match="no parameter 'document'"):
        Q.run_named(mini_store, "lineage-up", {"doc": "厦府办〔2015〕134号", "document": "x"})
    with pytest.raises(NotFound, match="no document matches"):
        Q.run_named(mini_store, "lineage-up", {"doc": "国发〔2099〕1号"})
    with pytest.raises(QueryError, match="must be an integer"):
        Q.run_named(mini_store, "documents-by", {"in_year": "二〇一五"})
    with pytest.raises(NotFound, match="no region"):
        Q.run_named(mini_store, "documents-by", {"in_region": "火星市"})


HOSTILE = ['"} ; DROP ALL ; #', "x' } } DELETE WHERE { ?s ?p ?o } #", "} ; DROP", '"""\n}', "<http://x> } #"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_stay_literal_values(mini_store, value):
    before = mini_store.nquads()
    with pytest.raises(NotFound):
        Q.run_named(mini_store, "lineage-up", {"doc": value})
    with pytest.raises(NotFound):
        Q.run_named(mini_store, "documents-by", {"in_region": value})
    rows = Q.rows(Q.execute(mini_store, Q.get_query("lineage-up").text, {"doc": Literal(value)}))
    assert rows == []
    assert mini_store.nquads() == before


def test_a_title_with_quotes_and_braces_is_found_and_bound(hostile_store):
    store, bad = hostile_store
    before = store.nquads()
    assert Q.resolve_doc(store, '关于"质量"}{ ; DROP ALL ; 的通知') == bad
    assert Q.resolve_doc(store, XSS) == bad
    rows = run(store, "lineage-up", doc='关于"质量"}{ ; DROP ALL ; 的通知')
    assert col(rows, "depth", "number")[0] == (1, "思政〔2015〕20号")
    assert store.nquads() == before


# -- results on the hand-written store ------------------------------------------------------

def test_lineage_up(mini_store):
    rows = run(mini_store, "lineage-up", doc="思政[2015]20号")
    assert col(rows, "ancestor", "depth") == [
        (doc("厦府办〔2015〕134号"), 1), (GANGYAO, 2), (doc("厦府〔2015〕114号"), 2),
        (doc("国办发〔2015〕19号"), 2), (doc("闽政办〔2015〕74号"), 2)]
    assert rows[0] == {"ancestor": doc("厦府办〔2015〕134号"), "depth": 1, "number": "厦府办〔2015〕134号",
                       "title": "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知",
                       "level": "municipal", "region": "厦门市", "date": date(2015, 7, 15),
                       "source": "2015/厦府办134.txt"}


def test_lineage_down_shortest_depth(mini_store):
    rows = run(mini_store, "lineage-down", doc="质量发展纲要(2011-2020年)")
    assert col(rows, "number", "depth", "level") == [
        ("厦府办〔2015〕134号", 1, "municipal"), ("国办发〔2015〕19号", 1, "national"),
        ("闽政办〔2015〕74号", 1, "provincial"), ("思政〔2015〕20号", 2, "county"), ("榕政办〔2015〕88号", 2, "municipal")]
    assert run(mini_store, "lineage-down", doc="思政〔2015〕20号") == []


def test_siblings(mini_store):
    rows = run(mini_store, "siblings", doc="榕政办〔2015〕88号")
    assert col(rows, "number", "superior_number") == [("厦府办〔2015〕134号", "闽政办〔2015〕74号")]
    rows = run(mini_store, "siblings", doc="厦府办〔2015〕134号")
    assert col(rows, "number", "superior") == [
        ("国办发〔2015〕19号", GANGYAO), ("闽政办〔2015〕74号", GANGYAO),
        ("闽政办〔2015〕74号", doc("国办发〔2015〕19号")), ("榕政办〔2015〕88号", doc("闽政办〔2015〕74号"))]


def test_diffusion_lag_in_days(mini_store):
    rows = run(mini_store, "diffusion", superior="国办发〔2015〕19号")
    assert col(rows, "number", "depth", "level", "region", "lag_days") == [
        ("闽政办〔2015〕74号", 1, "provincial", "福建省", 54), ("厦府办〔2015〕134号", 1, "municipal", "厦门市", 110),
        ("榕政办〔2015〕88号", 2, "municipal", "福州市", 136), ("思政〔2015〕20号", 2, "county", "思明区", 158)]
    for r in rows:
        assert r["lag_days"] == (r["date"] - date(2015, 3, 27)).days
    # the superior has no date: the lag is unknown, the rows are still there
    rows = run(mini_store, "diffusion", superior="质量发展纲要(2011-2020年)")
    assert len(rows) == 5 and all("lag_days" not in r for r in rows)


@pytest.mark.parametrize(("d0", "d1"), [("2015-03-27", "2015-05-20"), ("2011-12-31", "2012-03-01"),
                                        ("2016-02-28", "2016-03-01"), ("1999-12-31", "2000-03-01"),
                                        ("2012-02-29", "2017-05-12"), ("2017-05-12", "2012-02-29")])
def test_diffusion_day_count_across_months_and_leap_years(d0, d1):
    store = Store(None)
    x, y = URIRef(doc("X〔2000〕1号")), URIRef(doc("Y〔2000〕2号"))
    eli = "http://data.europa.eu/eli/ontology#"
    dt = "http://www.w3.org/2001/XMLSchema#date"
    store.replace_graphs({"urn:g": [(y, URIRef(eli + "based_on"), x),
                                    (x, URIRef(eli + "date_document"), Literal(d0, datatype=URIRef(dt))),
                                    (y, URIRef(eli + "date_document"), Literal(d1, datatype=URIRef(dt)))]})
    rows = run(store, "diffusion", superior=str(x))
    assert rows[0]["lag_days"] == (date.fromisoformat(d1) - date.fromisoformat(d0)).days


def test_most_inherited(mini_store):
    rows = run(mini_store, "most-inherited")
    assert col(rows, "superior", "implementers", "descendants", "levels", "regions") == [
        (GANGYAO, 3, 5, 3, 2), (doc("国办发〔2015〕19号"), 2, 4, 2, 2), (doc("闽政办〔2015〕74号"), 2, 3, 1, 2),
        (doc("厦府〔2015〕114号"), 1, 2, 1, 1), (doc("厦府办〔2015〕134号"), 1, 1, 1, 1), (doc("豫政〔2015〕29号"), 1, 1, 1, 1)]
    lineage = projections.lineage_graph(mini_store)
    assert [(s, n) for s, n in projections.superior_in_degree(lineage)] == col(rows, "superior", "implementers")


def test_agency_workload(mini_store):
    rows = run(mini_store, "agency-workload")
    assert col(rows, "label", "lead", "responsible", "participating", "coordinating", "tasks", "documents")[:3] == [
        ("厦门市质量技术监督局", 2, 0, 1, 0, 3, 1), ("厦门市发展和改革委员会", 0, 1, 1, 0, 2, 1),
        ("厦门市经济和信息化局", 0, 1, 0, 1, 2, 1)]
    assert rows[0]["function"] == "质量监督" and rows[0]["region"] == "厦门市"
    assert len(rows) == 10
    siming = run(mini_store, "agency-workload", in_region="思明区")
    assert col(siming, "label", "lead") == [("厦门市思明区市场监督管理局", 1)]
    xiamen = run(mini_store, "agency-workload", in_region="厦门市")  # includes the district's agency
    assert len(xiamen) == 6


def test_agency_copairs_agree_with_the_projection(mini_store):
    rows = run(mini_store, "agency-copairs")
    assert col(rows, "label_a", "label_b", "shared_tasks")[:2] == [
        ("厦门市发展和改革委员会", "厦门市质量技术监督局", 2), ("厦门市经济和信息化局", "厦门市质量技术监督局", 2)]
    pairs = projections.agency_pairs(projections.agency_graph(mini_store))
    assert sorted(col(rows, "agency_a", "agency_b", "shared_tasks")) == sorted(pairs)


def test_documents_by(mini_store):
    fujian_2015 = run(mini_store, "documents-by", in_region="福建省", in_year="2015")
    assert col(fujian_2015, "number", "level", "region", "source") == [
        ("闽政办〔2015〕74号", "provincial", "福建省", "fujian/闽政办74.txt"),
        ("厦府办〔2015〕134号", "municipal", "厦门市", "2015/厦府办134.txt"),
        ("榕政办〔2015〕88号", "municipal", "福州市", "2015/榕政办88.txt"),
        ("思政〔2015〕20号", "county", "思明区", "2015/思政20.txt")]
    assert col(run(mini_store, "documents-by", at_level="县"), "number") == [("思政〔2015〕20号",)]
    assert col(run(mini_store, "documents-by", in_year="2017"), "number") == [("焦政〔2017〕12号",)]
    municipal = run(mini_store, "documents-by", at_level="municipal", in_region="350000")
    assert {r["number"] for r in municipal} == {"厦府办〔2015〕134号", "榕政办〔2015〕88号", "厦府〔2015〕114号"}
    assert len(run(mini_store, "documents-by")) == 10


def test_unresolved_citations(mini_store):
    rows = run(mini_store, "unresolved-citations")
    assert col(rows, "document", "basis_of", "cited_by", "cited_in") == [
        (GANGYAO, 3, 3, "厦府办〔2015〕134号"), (doc("厦府〔2015〕114号"), 1, 1, "厦府办〔2015〕134号"),
        (doc("豫政〔2015〕29号"), 1, 1, "焦政〔2017〕12号"), (QUALITY_LAW, 0, 1, "厦府办〔2015〕134号")]
    assert rows[2]["issuer"] == "河南省人民政府"


# -- limits and timeouts -------------------------------------------------------------------

def test_limits(mini_store):
    assert Q.has_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert Q.has_limit("SELECT * WHERE { ?s ?p ?o }\nORDER BY ?s\nlimit 5 offset 2")
    assert not Q.has_limit("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } }")
    assert not Q.has_limit("# LIMIT 5\nSELECT * WHERE { ?s ?p ?o }")
    assert Q.with_limit("SELECT * WHERE { ?s ?p ?o }", 7).endswith("LIMIT 7\n")
    assert Q.with_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 2", 7).endswith("LIMIT 2")
    assert Q.with_limit("SELECT * WHERE { ?s ?p ?o }", 0) == Q.with_limit("SELECT * WHERE { ?s ?p ?o }", None)
    with pytest.raises(QueryError, match="zero"):
        Q.with_limit("SELECT * WHERE { ?s ?p ?o }", -1)
    assert len(Q.rows(Q.run_named(mini_store, "documents-by", {}, limit=3))) == 3
    assert len(Q.rows(Q.run_named(mini_store, "documents-by", {}))) == 10  # default limit 100
    assert len(Q.rows(Q.execute(mini_store, "SELECT * WHERE { ?s ?p ?o } LIMIT 2", limit=50))) == 2


def test_execute_returns_result_objects_for_every_form(mini_store):
    sel = Q.execute(mini_store, "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> }", timeout=10)
    assert isinstance(sel, ox.QuerySolutions) and [v.value for v in sel.variables] == ["s"]
    assert b'"head"' in sel.serialize(format=ox.QueryResultsFormat.JSON)
    ask = Q.execute(mini_store, "ASK { ?s ?p ?o }", timeout=10)
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    built = Q.execute(mini_store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://data.europa.eu/eli/ontology#based_on> ?o "
                                  "BIND (<http://data.europa.eu/eli/ontology#based_on> AS ?p) }", timeout=10)
    assert isinstance(built, ox.QueryTriples) and len(list(built)) == 10
    with pytest.raises(QueryError, match="invalid SPARQL"):
        Q.execute(mini_store, "SELECT WHERE {", timeout=10)


def test_timeout_abandons_a_long_query():
    store = Store(None)
    p = URIRef("urn:p")
    store.replace_graphs({"urn:g": [(URIRef(f"urn:n{i}"), p, URIRef(f"urn:n{i + 1}")) for i in range(2500)]})
    slow = "SELECT (COUNT(*) AS ?c) WHERE { ?a <urn:p>* ?b . ?b <urn:p>* ?c }"
    start = time.monotonic()
    with pytest.raises(QueryError, match=r"timed out after 0\.5 s"):
        Q.execute(store, slow, timeout=0.5)
    assert time.monotonic() - start < 3
    with pytest.raises(QueryError, match="positive"):
        Q.execute(store, slow, timeout=0)


# -- results on the sample corpus (samples/seeds) and variants ---------------------------------

@pytest.fixture(scope="module")
def variants_graph(tmp_path_factory):
    return load_variants(tmp_path_factory.mktemp("variants") / "store")


def test_seeds_lineage_up(sample_graph):
    rows = run(sample_graph.store, "lineage-up", doc="厦府办[2015]134号")
    assert col(rows, "number", "depth", "level", "region") == [
        ("厦府〔2015〕114号", 1, "municipal", "厦门市"), ("国办发〔2015〕19号", 1, "national", "中华人民共和国"),
        ("国发〔2012〕9号", 1, "national", "中华人民共和国"), ("闽政办〔2015〕74号", 1, "provincial", "福建省")]
    # the 质量发展纲要 node: cited by title, one node with 国发〔2012〕9号
    assert rows[2]["title"] == "国务院关于印发质量发展纲要(2011-2020年)的通知"
    assert Q.resolve_doc(sample_graph.store, "《质量发展纲要(2011-2020年)》") == rows[2]["ancestor"]
    rows = run(sample_graph.store, "lineage-up", doc="焦政〔2017〕12号")
    assert col(rows, "number", "depth") == [("焦政文〔2014〕111号", 1), ("豫政〔2015〕29号", 1), ("豫政办〔2016〕193号", 1)]


def test_variants_lineage_up_and_down(variants_graph):
    rows = run(variants_graph.store, "lineage-up", doc="思政办(2015)88号")
    assert col(rows, "number", "depth") == [
        ("厦府办〔2015〕134号", 1), ("厦府〔2015〕114号", 2), ("国办发〔2015〕19号", 2), ("国发〔2012〕9号", 2),
        ("闽政办〔2015〕74号", 2)]
    rows = run(variants_graph.store, "lineage-down", doc="质量发展纲要(2011-2020年)")
    assert col(rows, "number", "depth", "level", "region") == [
        ("厦府办〔2015〕134号", 1, "municipal", "厦门市"), ("思政办〔2015〕88号", 2, "county", "思明区"),
        ("湖政办〔2015〕45号", 2, "county", "湖里区")]


def test_seeds_lineage_down(sample_graph):
    rows = run(sample_graph.store, "lineage-down", doc="国发〔2012〕9号")
    assert col(rows, "number", "depth", "date") == [("厦府办〔2015〕134号", 1, date(2015, 7, 15))]


def test_seeds_and_variants_siblings(sample_graph, variants_graph):
    assert run(sample_graph.store, "siblings", doc="厦府办〔2015〕134号") == []
    rows = run(variants_graph.store, "siblings", doc="思政办〔2015〕88号")
    assert col(rows, "number", "level", "superior_number") == [("湖政办〔2015〕45号", "county", "厦府办〔2015〕134号")]
    rows = run(variants_graph.store, "siblings", doc="湖政办〔2015〕45号")
    assert col(rows, "number", "superior_number") == [("思政办〔2015〕88号", "厦府办〔2015〕134号"),
                                                      ("厦府办〔2015〕134号", "闽政办〔2015〕74号")]


def test_seeds_and_variants_diffusion(sample_graph, variants_graph):
    rows = run(sample_graph.store, "diffusion", superior="国办发〔2015〕19号")
    assert col(rows, "number", "depth", "lag_days") == [("厦府办〔2015〕134号", 1, None)]  # 国办发 not loaded: no date
    rows = run(variants_graph.store, "diffusion", superior="厦府办〔2015〕134号")
    assert col(rows, "number", "level", "region", "date", "lag_days") == [
        ("湖政办〔2015〕45号", "county", "湖里区", date(2015, 8, 20), 36),
        ("思政办〔2015〕88号", "county", "思明区", date(2015, 9, 1), 48)]


def test_seeds_most_inherited(sample_graph, variants_graph):
    rows = run(sample_graph.store, "most-inherited")
    assert len(rows) == 10 and {(r["implementers"], r["descendants"]) for r in rows} == {(1, 1)}
    assert {r.get("number") for r in rows} == {
        None, "厦府〔2015〕114号", "国办发〔2012〕27号", "国办发〔2015〕19号", "国发〔2012〕9号", "焦政文〔2014〕111号",
        "豫政〔2015〕29号", "豫政办〔2016〕193号", "闽政办〔2015〕74号"}
    rows = run(variants_graph.store, "most-inherited")
    assert col(rows, "number", "implementers", "descendants", "levels")[:2] == [
        ("闽政办〔2015〕74号", 2, 3, 2), ("厦府办〔2015〕134号", 2, 2, 1)]


def test_seeds_agency_workload(sample_graph):
    rows = run(sample_graph.store, "agency-workload", in_region="厦门市")
    assert col(rows, "label", "function", "lead", "responsible", "tasks", "documents")[:2] == [
        ("厦门市质量技术监督局", "质量监督", 0, 15, 15, 1), ("厦门出入境检验检疫局", "质量监督", 0, 14, 14, 1)]
    rows = run(sample_graph.store, "agency-workload")
    assert col(rows, "label", "lead", "participating", "tasks")[:2] == [
        ("湛江市市场监督管理局", 16, 12, 28), ("辽宁省质量技术监督局", 13, 0, 22)]


def test_seeds_agency_copairs(sample_graph):
    rows = run(sample_graph.store, "agency-copairs")
    assert col(rows, "label_a", "label_b", "shared_tasks")[:3] == [
        ("厦门出入境检验检疫局", "厦门市质量技术监督局", 14), ("湛江市工业和信息化局", "湛江市市场监督管理局", 14),
        ("辽宁省经济和信息化委员会", "辽宁省质量技术监督局", 12)]
    pairs = projections.agency_pairs(projections.agency_graph(sample_graph.store))
    assert sorted(col(rows, "agency_a", "agency_b", "shared_tasks")) == sorted(pairs)


def test_seeds_documents_by(sample_graph):
    rows = run(sample_graph.store, "documents-by", in_year="2015")
    assert col(rows, "title", "date", "source") == [
        ("2015年质量管理工作要点", date(2015, 2, 15), "004_8acc31f584f50ad2.txt"),
        ("厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知", date(2015, 7, 15),
         "000_08e496a476ab88e2.txt")]
    rows = run(sample_graph.store, "documents-by", at_level="municipal", in_region="河南省")
    assert col(rows, "number", "source") == [("焦政文〔2014〕111号", None), ("焦政〔2017〕12号", "001_2de2f1255edc3fc5.txt")]


def test_seeds_unresolved_citations(sample_graph):
    rows = run(sample_graph.store, "unresolved-citations")
    assert col(rows, "number", "basis_of", "cited_by")[0] == ("国发〔2012〕9号", 1, 3)
    basis = {r.get("number") or r["title"] for r in rows if r["basis_of"]}
    assert basis == {"国发〔2012〕9号", "中共中央、国务院关于开展质量提升行动的指导意见",
                     "中共广东省委、广东省人民政府印发<关于开展质量提升行动的方案>的通知", "厦府〔2015〕114号",
                     "国办发〔2012〕27号", "国办发〔2015〕19号", "焦政文〔2014〕111号", "豫政〔2015〕29号",
                     "豫政办〔2016〕193号", "闽政办〔2015〕74号"}
    assert all(r.get("number") is None for r in rows if not r["basis_of"])  # mentions by title only
