"""SPARQL text: parameters bound in sub-queries too, and the embedded engine's plan hint."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from policykg import queries as Q
from policykg.errors import QueryError
from policykg.graph import sparql_text
from policykg.graph.store import Store, bind_values
from tests.conftest_views import load_variants

SUB = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?x ?n WHERE {
  { SELECT ?doc ?x WHERE { ?x eli:based_on ?doc } }
  { SELECT ?n WHERE { ?n eli:based_on ?other } }
}"""


def _values_at(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"VALUES \(\?doc\)", text)]


def test_bind_values_goes_into_the_outer_group_and_the_subqueries_that_use_the_variable():
    out = bind_values(SUB, {"doc": URIRef("http://example.org/a")})
    assert len(_values_at(out)) == 2
    outer, inner = _values_at(out)
    assert out.index("WHERE {") < outer < out.index("{ SELECT ?doc") < inner < out.index("?x eli:based_on")
    # the second sub-query does not use ?doc: nothing goes there
    assert "VALUES" not in out[out.index("{ SELECT ?n"):]


def test_bind_values_ignores_braces_and_keywords_in_strings_iris_and_comments():
    text = ('PREFIX ex: <http://where.example/ns?x=WHERE#> SELECT ?s WHERE { # WHERE { ?s\n'
            '  ?s ex:p "WHERE { ?s }" . ?s ex:q """a } WHERE {\n?s""" }')
    out = bind_values(text, {"s": Literal('x"} }')})
    assert out.count("VALUES") == 1
    assert out.index("VALUES") == out.index("WHERE {", out.index("SELECT")) + len("WHERE {") + 1
    ox.Store().query(out)  # still a valid query
    # a query without the WHERE keyword binds in its first group
    assert bind_values("ASK { ?s ?p ?o }", {"s": URIRef("http://e/x")}).startswith("ASK { VALUES (?s)")


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p ?o ", "SELECT * WHERE { ?s ?p ?o } }", "SELECT 1"])
def test_bind_values_rejects_broken_queries(text):
    with pytest.raises(QueryError):
        bind_values(text, {"s": URIRef("http://e/x")})


def test_bind_values_rejects_bad_names():
    with pytest.raises(QueryError, match="invalid parameter name"):
        bind_values(SUB, {"doc) { (<x>) } ?y": URIRef("http://e/x")})


def test_lateral_optionals_rewrites_plain_optionals_only():
    text = """SELECT * WHERE {
  ?d a ?t .
  OPTIONAL { ?d <http://e/p> ?x }
  OPTIONAL { ?d <http://e/q>/<http://e/r> ?y }
  OPTIONAL { ?d <http://e/l> ?l BIND (STR(?l) AS ?s) }
  OPTIONAL { ?d <http://e/f> ?f FILTER (LANG(?f) = "zh") }
  OPTIONAL { ?d <http://e/n> ?n
    OPTIONAL { ?n <http://e/m> ?m } }
}"""
    out = sparql_text.lateral_optionals(text)
    assert "  LATERAL { OPTIONAL { ?d <http://e/p> ?x } }" in out
    assert "  LATERAL { OPTIONAL { ?d <http://e/q>/<http://e/r> ?y } }" in out
    assert "  OPTIONAL { ?d <http://e/l> ?l BIND" in out and "LATERAL { OPTIONAL { ?d <http://e/l>" not in out
    assert "  LATERAL { OPTIONAL { ?d <http://e/f> ?f FILTER (LANG(?f) = \"zh\") } }" in out
    assert "  OPTIONAL { ?d <http://e/n> ?n\n" in out  # a multi-line group stays as written
    assert out.count("LATERAL") == 3
    ox.Store().query(out)


def _rows(store: Store, text: str, bindings) -> list[tuple]:
    return [tuple(str(v) if v is not None else None for v in sol) for sol in store.query(text, bindings)]


MINI_PARAMS = {"lineage-up": {"doc": "思政〔2015〕20号"}, "lineage-down": {"doc": "国办发〔2015〕19号"},
               "siblings": {"doc": "厦府办〔2015〕134号"}, "diffusion": {"superior": "国办发〔2015〕19号"},
               "documents-by": {"in_region": "福建省"}}
PARAMS = {"lineage-up": {"doc": "思政办(2015)88号"}, "lineage-down": {"doc": "质量发展纲要(2011-2020年)"},
          "siblings": {"doc": "厦府办〔2015〕134号"}, "diffusion": {"superior": "国办发〔2015〕19号"},
          "documents-by": {"in_region": "福建省"}, "agency-workload": {"in_region": "厦门市"}}


@pytest.fixture(scope="module")
def variants_graph(tmp_path_factory):
    return load_variants(tmp_path_factory.mktemp("variants") / "store")


@pytest.mark.parametrize("name", [q.name for q in Q.list_queries()])
def test_the_planned_text_gives_the_same_rows(name, variants_graph, mini_store):
    """Store.plan changes how the engine evaluates a named query, never its answer."""
    q = Q.get_query(name)
    for store, params in ((variants_graph.store, PARAMS), (mini_store, MINI_PARAMS)):
        bindings = Q.bind_params(store, q, params.get(name, {}))
        plain = _rows(store, q.text, bindings)
        assert _rows(store, store.plan(q.text), bindings) == plain
        if name in ("lineage-up", "lineage-down", "diffusion", "agency-workload"):
            assert plain, (name, store)


@pytest.mark.parametrize(("name", "param", "value"), [("lineage-up", "doc", "思政办(2015)88号"),
                                                      ("lineage-down", "doc", "质量发展纲要(2011-2020年)"),
                                                      ("diffusion", "superior", "国办发〔2015〕19号")])
def test_descendant_queries_are_right_when_bound_outside_only(name, param, value, variants_graph):
    """Portable use: another tool binds the parameter at the top of the query only (as a VALUES
    block or an initial binding); the sub-query projects it, so the rows are the same."""
    store = variants_graph.store
    q = Q.get_query(name)
    bindings = Q.bind_params(store, q, {param: value})
    ours = _rows(store, q.text, bindings)
    body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
    where = body.index("WHERE {") + len("WHERE {")
    outside = body[:where] + f" VALUES ?{param} {{ <{bindings[param]}> }} " + body[where:]
    assert outside.count("VALUES ?" + param) == 1
    assert _rows(store, outside, None) == ours and ours
