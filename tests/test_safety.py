"""A safe query path: federated queries refused unless allowed, timeouts reported as timeouts,
malformed or unknown document IRIs as clear errors, and the server installed with the package.

``recording_service`` (tests/recording.py) is a plain HTTP server on 127.0.0.1 that answers any
request with one SPARQL result row and records what it got: a refused query must leave it untouched.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from policykg import queries as Q
from policykg.cli import main
from policykg.errors import NotFound, QueryError
from policykg.graph.remote import RemoteStore
from policykg.graph.sparql_text import federated_keywords
from policykg.graph.store import Store
from tests.conftest import SEEDS
from tests.recording import Recording, recording_server


@pytest.fixture()
def recording_service() -> Iterator[Recording]:
    with recording_server() as recording:
        yield recording


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = str(tmp_path_factory.mktemp("safety") / "store")
    result = run("load", str(SEEDS), "--store", store)
    assert result.exit_code == 0, result.output
    return store


# -- finding SERVICE and LOAD in query text -------------------------------------------------

@pytest.mark.parametrize("sparql, expected", [
    ("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", ["SERVICE"]),
    ("select*{service<http://127.0.0.1:1/>{?s ?p ?o}}", ["SERVICE"]),
    ("SELECT * { ?s ?p ?o .SERVICE SILENT <http://127.0.0.1:1/> {} }", ["SERVICE"]),
    ("SELECT * { ?s ?p ?o FILTER(1<2)SERVICE<http://127.0.0.1:1/>{?a ?b ?c} }", ["SERVICE"]),
    ("SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", ["SERVICE"]),  # escapes decoded first
    ("SELECT * { VALUES ?u { <http://127.0.0.1:1/> } SERVICE ?u { ?s ?p ?o } }", ["SERVICE"]),
    ("LOAD <http://127.0.0.1:1/data.ttl> INTO GRAPH <urn:g>", ["LOAD"]),
    # not the keyword: inside strings, IRIs and comments, variables, prefixes, prefixed names
    ('SELECT * { ?s ?p "SERVICE <http://127.0.0.1:1/> {}" } # SERVICE <http://127.0.0.1:1/>', []),
    ("SELECT * { ?s ?p '''LOAD\nSERVICE''' }", []),
    ("PREFIX service: <http://x/SERVICE/> SELECT ?service { ?service service:load ex:SERVICE }", []),
    ("SELECT * { ?s ?p ?o }", []),
])
def test_federated_keywords(sparql: str, expected: list[str]) -> None:
    assert federated_keywords(sparql) == expected


# -- policykg query on the embedded store ---------------------------------------------------

def test_query_refuses_service_unless_allowed(loaded_store: str, recording_service: Recording) -> None:
    sparql = f"SELECT ?x WHERE {{ SERVICE <{recording_service.url}> {{ ?x ?p ?o }} }}"
    refused = run("query", sparql, "--store", loaded_store)
    assert refused.exit_code == 1
    assert "federated queries are refused" in refused.output and "--allow-federated" in refused.output
    assert recording_service.seen == []  # nothing was sent
    with pytest.raises(QueryError, match="federated queries are refused"):
        Q.execute(Store(None), sparql, timeout=5)
    assert recording_service.seen == []
    allowed = run("query", sparql, "--allow-federated", "--format", "csv", "--store", loaded_store)
    assert allowed.exit_code == 0, allowed.output
    assert allowed.output.split() == ["x", "from-service"]
    assert len(recording_service.seen) == 1


def test_query_help_names_the_risk() -> None:
    text = run("query", "--help").output
    assert "--allow-federated" in text and "RISK" in text


# -- documents given as IRIs ----------------------------------------------------------------

@pytest.mark.parametrize("args", [["lineage", "{doc}"], ["tasks", "{doc}"], ["agencies", "--doc", "{doc}"],
                                  ["query", "lineage-up", "-p", "doc={doc}"]])
def test_malformed_iri_is_a_clear_error(loaded_store: str, args: list[str]) -> None:
    result = run(*[a.format(doc="http://x/a>}") for a in args], "--store", loaded_store)
    assert result.exit_code == 1
    assert "Error: 'http://x/a>}' is not a valid document IRI" in result.output
    assert isinstance(result.exception, SystemExit)  # no traceback


@pytest.mark.parametrize("args", [["lineage", "{doc}"], ["lineage", "--down", "{doc}"], ["tasks", "{doc}"],
                                  ["agencies", "--doc", "{doc}"], ["query", "lineage-up", "-p", "doc={doc}"]])
def test_iri_not_in_the_store_matches_no_document(loaded_store: str, args: list[str]) -> None:
    missing = "https://w3id.org/policykg/id/doc/无此文〔2099〕1号"
    result = run(*[a.format(doc=missing) for a in args], "--store", loaded_store)
    assert result.exit_code == 1
    assert f"no document matches '{missing}'" in result.output


def test_iri_in_the_store_still_resolves(loaded_store: str) -> None:
    iri = "https://w3id.org/policykg/id/doc/厦府办〔2015〕134号"
    result = run("lineage", iri, "--store", loaded_store)
    assert result.exit_code == 0, result.output
    assert "国办发〔2015〕19号" in result.output
    with Store(loaded_store) as store:
        assert Q.resolve_doc(store, iri) == iri
        assert Q.resolve_doc(store, "https://w3id.org/policykg/id/doc/无此文") is None
        with pytest.raises(NotFound, match="no document matches"):
            Q.bind_param(store, Q.Param("doc", "document"), "https://w3id.org/policykg/id/doc/无此文")


# -- --endpoint: a server's timeout is a timeout ----------------------------------------------

@pytest.mark.parametrize("status, body", [
    (503, b"the query timed out: no complete answer within 2 s"),
    (504, b"Gateway Timeout"),
    (500, b"Query evaluation timeout"),
    (200, b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled'),
])
def test_endpoint_reports_a_server_timeout(recording_service: Recording, status: int, body: bytes) -> None:
    recording_service.status, recording_service.body = status, body
    with pytest.raises(QueryError, match="timed out on the server"):
        RemoteStore(recording_service.url).select("SELECT ?n WHERE { ?a ?b ?c }")
    result = run("query", "SELECT ?n WHERE { ?a ?b ?c }", "--endpoint", recording_service.url)
    assert result.exit_code == 1
    assert "timed out" in result.output


def test_other_server_errors_are_not_called_timeouts(recording_service: Recording) -> None:
    recording_service.status, recording_service.body = 400, b"Parser error at line 1"
    with pytest.raises(QueryError) as caught:
        RemoteStore(recording_service.url).select("SELECT ?n WHERE { ?a ?b ?c }")
    assert "timed out" not in str(caught.value) and "Parser error" in str(caught.value)


# -- installation -------------------------------------------------------------------------------

def test_the_server_is_a_dependency() -> None:
    """`pip install policykg` gives `serve`: oxigraph is required without an extra."""
    requires = importlib.metadata.requires("policykg") or []
    plain = [r for r in requires if "extra ==" not in r]
    assert any(re.match(r"oxigraph\b", r) for r in plain), requires
