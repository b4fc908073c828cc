"""graph.remote: policykg over a SPARQL 1.1 server.

Unit tests run against a small fake HTTP server (credentials, errors, the union check). The
``server`` tests start a real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1, load the seed
notices through :class:`RemoteStore`, and check every answer against the embedded store loaded
with the same files, with policykg's own API and with SPARQLWrapper as an independent client.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from policykg import queries as named
from policykg.api import PolicyGraph
from policykg.errors import QueryError, StoreError
from policykg.graph import iri
from policykg.graph.remote import Endpoints, RemoteStore, credentials, endpoint_urls
from policykg.graph.shards import export_shards
from policykg.serve import Server, find_oxigraph
from tests.conftest import DATA, SEED_FILES, SEEDS

REMOTE_DATA = DATA / "remote"


# -- endpoint layouts and credentials -------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:7878", Endpoints("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                        "http://127.0.0.1:7878/store")),
    ("http://127.0.0.1:7878/query", Endpoints("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                              "http://127.0.0.1:7878/store")),
    ("http://h:3030/policy/sparql", Endpoints("http://h:3030/policy/sparql", "http://h:3030/policy/update",
                                              "http://h:3030/policy/data")),
    ("http://h:3030/policy/query", Endpoints("http://h:3030/policy/query", "http://h:3030/policy/update",
                                             "http://h:3030/policy/data")),
    ("http://h:7200/repositories/pkg", Endpoints("http://h:7200/repositories/pkg",
                                                 "http://h:7200/repositories/pkg/statements",
                                                 "http://h:7200/repositories/pkg/rdf-graphs/service")),
    ("http://h:8890/sparql", Endpoints("http://h:8890/sparql", "http://h:8890/sparql",
                                       "http://h:8890/sparql-graph-crud")),
    ("https://h/sparql-auth", Endpoints("https://h/sparql-auth", "https://h/sparql-auth",
                                        "https://h/sparql-graph-crud-auth")),
    ("http://h:7001/api", Endpoints("http://h:7001/api", "http://h:7001/api", None)),
])
def test_endpoint_layouts(url: str, expected: Endpoints) -> None:
    assert endpoint_urls(url) == expected


@pytest.mark.parametrize("url", ["ftp://h/sparql", "h:7878/query", "http://user:secret@h:7878/query",
                                 "http://user@h:7878/query"])
def test_bad_endpoint_urls_refused(url: str) -> None:
    with pytest.raises(StoreError):
        RemoteStore(url)


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    monkeypatch.delenv("POLICYKG_ENDPOINT_USER", raising=False)
    assert credentials("http://h/sparql") is None
    monkeypatch.setenv("POLICYKG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("POLICYKG_ENDPOINT_PASSWORD", "s3cret")
    assert credentials("http://h/sparql") == ("reader", "s3cret")
    assert credentials("http://h/sparql", ("a", "b")) == ("a", "b")


def test_credentials_from_netrc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("POLICYKG_ENDPOINT_USER", raising=False)
    rc = tmp_path / "netrc"
    rc.write_text("machine sparql.example.org login alice password wonder\n"
                  "machine other.example.org login bob password builder\n")
    rc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(rc))
    assert credentials("https://sparql.example.org/ds/sparql") == ("alice", "wonder")
    assert credentials("https://other.example.org:8443/sparql") == ("bob", "builder")
    assert credentials("https://unknown.example.org/sparql") is None


# -- a fake SPARQL server --------------------------------------------------------------------

class FakeSparql(BaseHTTPRequestHandler):
    """Answers SELECT with one row, ASK with ``ask``; records requests; may demand a password."""

    ask = False
    status = 200
    message = ""
    password: str | None = None
    max_rows: int | None = None
    partial = False
    seen: list[tuple[str, str, dict[str, str], bytes]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.seen.append(("GET", self.path, dict(self.headers), b""))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("query", [""])[0]
        self._answer(query)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(("POST", self.path, dict(self.headers), body))
        form = urllib.parse.parse_qs(body.decode())
        self._answer((form.get("query") or form.get("update") or [""])[0])

    def _answer(self, text: str) -> None:
        if self.password is not None:
            expected = "Basic " + base64.b64encode(f"alice:{self.password}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="fake"')
                self.send_header("Content-Length", "12")
                self.end_headers()
                self.wfile.write(b"who are you?")
                return
        if self.status != 200:
            self._send(self.status, "text/plain; charset=utf-8", self.message.encode())
            return
        if text.startswith("ASK"):
            answer = {"head": {}, "boolean": self.ask}
        else:
            answer = {"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": [{
                "s": {"type": "uri", "value": "http://x/s"}, "p": {"type": "uri", "value": "http://x/p"},
                "o": {"type": "literal", "value": "厦府办〔2015〕134号"}}]}}
        self._send(200, "application/sparql-results+json", json.dumps(answer).encode())

    def _send(self, code: int, media: str, data: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", media)
        if self.max_rows is not None:
            self.send_header("X-SPARQL-MaxRows", str(self.max_rows))
        if self.partial:
            self.send_header("X-SQL-State", "S1TAT")
            self.send_header("X-SQL-Message", "RC...: Returning incomplete results, query interrupted by result timeout")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def fake() -> Iterator[tuple[str, type[FakeSparql]]]:
    handler = type("Handler", (FakeSparql,), {"seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ds/sparql", handler
    httpd.shutdown()
    httpd.server_close()


def test_query_protocol_and_results(fake: tuple[str, type[FakeSparql]]) -> None:
    url, handler = fake
    handler.ask = True
    store = RemoteStore(url, auth=None)
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"o": Literal("厦府办〔2015〕134号")})
    assert rows == [{"s": "http://x/s", "p": "http://x/p", "o": "厦府办〔2015〕134号"}]
    method, path, headers, _ = handler.seen[-1]
    assert method == "GET" and path.startswith("/ds/sparql?query=")  # never application/sparql-query
    assert "application/sparql-results+json" in headers["Accept"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["query"][0]
    assert 'VALUES (?o) { ("厦府办〔2015〕134号") }' in query  # bound as a term, not pasted
    assert isinstance(store.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
    long = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (?o != \"" + "长" * 2000 + "\") }"
    assert store.select(long)
    method, path, headers, body = handler.seen[-1]
    assert (method, path) == ("POST", "/ds/sparql")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(body.decode())["query"] == [long]


def test_basic_credentials_sent(fake: tuple[str, type[FakeSparql]], monkeypatch: pytest.MonkeyPatch) -> None:
    url, handler = fake
    handler.ask, handler.password = True, "wonder"
    monkeypatch.setenv("POLICYKG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("POLICYKG_ENDPOINT_PASSWORD", "wonder")
    assert RemoteStore(url).select("SELECT * WHERE { ?s ?p ?o }")
    first, second = handler.seen[-2:]  # the server's challenge is answered; nothing is sent unasked
    assert "Authorization" not in first[2] and second[2]["Authorization"].startswith("Basic ")
    monkeypatch.setenv("POLICYKG_ENDPOINT_PASSWORD", "wrong")
    with pytest.raises(QueryError, match="401.*who are you"):
        RemoteStore(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_server_message_reported(fake: tuple[str, type[FakeSparql]]) -> None:
    url, handler = fake
    handler.status, handler.message = 400, "Parse error: line 1, column 7: unexpected SELEC"
    with pytest.raises(QueryError, match="400.*unexpected SELEC"):
        RemoteStore(url).query("SELEC ?x")
    with pytest.raises(StoreError, match="400.*unexpected SELEC"):
        RemoteStore(url).remove_graphs(["https://w3id.org/policykg/graph/derived"])


def test_capped_answer_never_used(fake: tuple[str, type[FakeSparql]]) -> None:
    """An answer flagged with X-SPARQL-MaxRows and as long as the cap is refused when it has an
    order of its own (it cannot be read again in pages)."""
    url, handler = fake
    handler.ask, handler.max_rows = True, 1
    with pytest.raises(QueryError, match="row cap of 1"):
        RemoteStore(url).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s")
    handler.max_rows = 2  # below the cap: the answer is whole
    assert len(RemoteStore(url).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s")) == 1
    handler.partial = True  # Virtuoso's partial answer after its time limit
    with pytest.raises(QueryError, match="partial answer.*incomplete results"):
        RemoteStore(url).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


def test_virtuoso_blank_nodes_and_query_forms() -> None:
    from policykg.graph.remote import _parse_answer, query_form

    answer = json.dumps({"head": {"vars": ["s", "o"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": "nodeID://b10007"}, "o": {"type": "bnode", "value": "nodeID://b10008"}},
        {"s": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}})
    rows = list(_parse_answer(answer.encode(), "application/sparql-results+json; charset=UTF-8"))
    assert rows[0]["s"] == ox.BlankNode("b10007") and rows[0]["o"] == ox.BlankNode("b10008")
    assert rows[1]["s"] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert query_form("# a comment\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
                      "BASE <http://x/>\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("PREFIX : <http://x/#select>\nASK {}") == "ASK"


def test_missing_union_default_graph_explained(fake: tuple[str, type[FakeSparql]]) -> None:
    url, handler = fake
    handler.ask = False  # the probe triple is in a named graph but not in the default graph
    with pytest.raises(StoreError, match="union.*unionDefaultGraph"):
        RemoteStore(url).select("SELECT ?s WHERE { ?s ?p ?o }")


def test_unreachable_endpoint() -> None:
    from policykg.serve import free_port

    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(StoreError, match="cannot reach"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


# -- a real Oxigraph server ------------------------------------------------------------------

def _start(tmp: Path, **options: object) -> Server:
    try:
        find_oxigraph()
    except StoreError as exc:
        pytest.skip(str(exc))
    log = (tmp / "server.log").open("wb")
    return Server(tmp / "oxigraph", port=0, writable=True, log=log, **options).start()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve --location TMP --bind 127.0.0.1:PORT --union-default-graph`` for the module."""
    server = _start(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture()
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    server = _start(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def remote_graph(oxigraph_server: Server) -> PolicyGraph:
    pg = PolicyGraph(RemoteStore(oxigraph_server.query_url))
    report = pg.load([SEEDS])
    assert report.ok, report.failures
    assert report.documents == 5
    return pg


def _sparqlwrapper_rows(url: str, query: str) -> list[dict[str, str]]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    data = client.query().convert()
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.mark.server
def test_same_quads_as_embedded(remote_graph: PolicyGraph, sample_graph: PolicyGraph) -> None:
    remote, local = remote_graph.store, sample_graph.store
    assert remote.graphs() == local.graphs()
    assert len(remote) == len(local) > 2500
    assert remote.nquads() == local.nquads()
    graph = str(iri.source_graph(SEED_FILES["000"]))
    assert sorted(remote.triples_in(graph)) == sorted(local.triples_in(graph))


@pytest.mark.server
def test_documents_and_lineage_equal(remote_graph: PolicyGraph, sample_graph: PolicyGraph) -> None:
    assert remote_graph.documents() == sample_graph.documents()
    assert remote_graph.documents(loaded_only=False) == sample_graph.documents(loaded_only=False)
    up = remote_graph.lineage("厦府办[2015]134号")
    assert up == sample_graph.lineage("厦府办〔2015〕134号")
    assert {r.get("number") for r in up} >= {"厦府办〔2015〕134号", "国办发〔2015〕19号", "闽政办〔2015〕74号"}
    down = remote_graph.lineage("国办发〔2015〕19号", down=True)
    assert down == sample_graph.lineage("国办发〔2015〕19号", down=True)
    assert [r.get("number") for r in down] == ["国办发〔2015〕19号", "厦府办〔2015〕134号"]


@pytest.mark.server
@pytest.mark.parametrize("name, params", [
    ("lineage-up", {"doc": "厦府办〔2015〕134号"}),
    ("lineage-down", {"doc": "国发〔2012〕9号"}),
    ("diffusion", {"superior": "国办发〔2015〕19号"}),
    ("agency-workload", {}),
    ("agency-workload", {"in_region": "厦门市"}),
    ("documents-by", {"in_region": "福建省"}),
    ("most-inherited", {}),
    ("unresolved-citations", {}),
    ("agency-copairs", {}),
])
def test_named_queries_equal(remote_graph: PolicyGraph, sample_graph: PolicyGraph, name: str,
                             params: dict[str, str]) -> None:
    remote = named.rows(named.run_named(remote_graph.store, name, params, limit=0))
    local = named.rows(named.run_named(sample_graph.store, name, params, limit=0))
    assert remote == local
    assert remote, f"{name} found nothing in the seeds"


@pytest.mark.server
def test_result_objects_like_embedded(remote_graph: PolicyGraph, sample_graph: PolicyGraph) -> None:
    ask = "PREFIX eli: <http://data.europa.eu/eli/ontology#> ASK { ?d eli:id_local \"国办发〔2015〕19号\" }"
    assert isinstance(remote_graph.store.query(ask), ox.QueryBoolean)
    assert bool(remote_graph.store.query(ask)) is True
    construct = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                 "CONSTRUCT { ?d eli:based_on ?e } WHERE { ?d eli:based_on ?e }")
    remote = remote_graph.store.query(construct)
    assert isinstance(remote, ox.QueryTriples)
    assert {str(t) for t in remote} == {str(t) for t in sample_graph.store.query(construct)}
    select = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert remote_graph.store.select(select) == sample_graph.store.select(select)
    timed = named.execute(remote_graph.store, select, timeout=30)
    assert isinstance(timed, ox.QuerySolutions)


@pytest.mark.server
def test_sparqlwrapper_sees_the_same(remote_graph: PolicyGraph, sample_graph: PolicyGraph,
                                     oxigraph_server: Server) -> None:
    for name in ("documents.rq", "based-on-closure.rq"):
        query = (REMOTE_DATA / name).read_text(encoding="utf-8")
        independent = _sparqlwrapper_rows(oxigraph_server.query_url, query)
        local = [{k: str(v) for k, v in row.items()} for row in sample_graph.store.select(query)]
        assert independent == local
        assert independent
    closure = _sparqlwrapper_rows(oxigraph_server.query_url,
                                  (REMOTE_DATA / "based-on-closure.rq").read_text(encoding="utf-8"))
    xiamen = remote_graph.find_document("厦府办〔2015〕134号")
    assert len([r for r in closure if r["d"] == xiamen]) == 4


@pytest.mark.server
def test_reload_skips_unchanged(remote_graph: PolicyGraph) -> None:
    report = PolicyGraph(RemoteStore(remote_graph.store.url)).load([SEEDS])
    assert (report.documents, report.unchanged, report.ok) == (0, 5, True)


@pytest.mark.server
def test_dump_formats(remote_graph: PolicyGraph, sample_graph: PolicyGraph) -> None:
    quads = ox.Store()
    quads.load(remote_graph.store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    assert len(quads) == len(sample_graph.store)
    trig = ox.Store()
    trig.load(remote_graph.store.dump("trig"), format=ox.RdfFormat.TRIG)
    assert len(trig) == len(sample_graph.store)
    union = remote_graph.store.dump("nt").decode().splitlines()
    assert len(union) == len(set(union)) == len(sample_graph.store.dump("nt").decode().splitlines())


@pytest.mark.server
def test_put_replaces_one_graph(fresh_server: Server, sample_graph: PolicyGraph) -> None:
    store = RemoteStore(fresh_server.query_url)
    pg = PolicyGraph(store)
    pg.load([SEEDS])
    graph = str(iri.source_graph(SEED_FILES["000"]))
    other = str(iri.source_graph(SEED_FILES["001"]))
    before_other = sorted(store.triples_in(other))
    doc = URIRef(pg.find_document("厦府办〔2015〕134号"))
    title = URIRef("http://purl.org/dc/terms/title")
    replacement = [(doc, title, Literal("替换后的标题", lang="zh")),
                   (doc, URIRef("https://w3id.org/policykg/ontology#sha256"), Literal("0" * 64))]
    assert store.replace_graphs({graph: replacement + replacement}) == 2
    assert sorted(store.triples_in(graph)) == sorted(replacement)
    assert sorted(store.triples_in(other)) == before_other
    with urllib.request.urlopen(urllib.request.Request(  # the Graph Store Protocol sees it too
            fresh_server.url + "/store?graph=" + urllib.request.quote(graph, safe=""),
            headers={"Accept": "application/n-triples"})) as response:
        assert "替换后的标题" in response.read().decode()
    report = pg.load([SEEDS])  # the changed hash is noticed: the file is loaded again
    assert report.documents == 1
    assert store.nquads() == sample_graph.store.nquads()
    assert pg.remove([SEED_FILES["000"]]) == [SEED_FILES["000"]]
    assert graph not in store.graphs()
    assert len(pg.documents()) == 4


@pytest.mark.server
@pytest.mark.parametrize("options", [{"bulk": True}, {"gsp": False}])
def test_other_write_paths(fresh_server: Server, sample_graph: PolicyGraph, options: dict[str, bool]) -> None:
    pg = PolicyGraph(RemoteStore(fresh_server.query_url, **options))
    assert pg.load([SEEDS]).documents == 5
    assert pg.store.nquads() == sample_graph.store.nquads()
    assert pg.load([SEEDS], force=True).documents == 5  # replacing, not adding
    assert pg.store.nquads() == sample_graph.store.nquads()


@pytest.mark.server
def test_union_asked_per_query_when_not_configured(tmp_path: Path, sample_graph: PolicyGraph) -> None:
    server = _start(tmp_path, union_default_graph=False)
    try:
        store = RemoteStore(server.query_url)
        pg = PolicyGraph(store)
        pg.load([SEEDS])
        assert store._union == {"union-default-graph": ""}
        assert pg.lineage("厦府办〔2015〕134号") == sample_graph.lineage("厦府办〔2015〕134号")
    finally:
        server.stop()


@pytest.mark.server
def test_shards_from_remote_equal_local(remote_graph: PolicyGraph, sample_graph: PolicyGraph, tmp_path: Path) -> None:
    local = export_shards(sample_graph.store, tmp_path / "local", 700)
    remote = export_shards(remote_graph.store, tmp_path / "remote", 700)
    assert [p.name for p in local] == [p.name for p in remote]
    assert [p.read_bytes() for p in local] == [p.read_bytes() for p in remote]


@pytest.mark.server
def test_cli_endpoint_option(oxigraph_server: Server, remote_graph: PolicyGraph, sample_graph: PolicyGraph,
                             tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policykg.cli import main

    runner = CliRunner()
    if "--endpoint" not in runner.invoke(main, ["load", "--help"]).output:
        pytest.skip("`policykg load --endpoint` is not wired yet")
    fresh = _start(tmp_path)
    try:
        env = {"POLICYKG_STORE": str(tmp_path / "unused")}
        loaded = runner.invoke(main, ["load", "--endpoint", fresh.query_url, str(SEEDS)], env=env)
        assert loaded.exit_code == 0, loaded.output
        assert "documents loaded: 5" in loaded.output
        assert RemoteStore(fresh.query_url).nquads() == sample_graph.store.nquads()
        local_store = str(tmp_path / "local")
        assert runner.invoke(main, ["load", "--store", local_store, str(SEEDS)]).exit_code == 0
        for args in (["docs", "--format", "json"], ["lineage", "厦府办〔2015〕134号", "--format", "json"],
                     ["query", "lineage-up", "-p", "doc=厦府办〔2015〕134号", "--format", "json"]):
            remote = runner.invoke(main, [*args, "--endpoint", fresh.query_url], env=env)
            local = runner.invoke(main, [*args, "--store", local_store])
            assert remote.exit_code == 0, remote.output
            assert local.exit_code == 0, local.output
            assert remote.output == local.output
    finally:
        fresh.stop()


@pytest.mark.server
def test_cli_bulk_push_to_oxigraph(sample_graph: PolicyGraph, tmp_path: Path) -> None:
    """`load --endpoint URL --bulk`: Oxigraph's no_transaction path gives the same store."""
    from click.testing import CliRunner

    from policykg.cli import main

    runner = CliRunner()
    fresh = _start(tmp_path)
    try:
        env = {"POLICYKG_STORE": str(tmp_path / "unused")}
        loaded = runner.invoke(main, ["load", "--endpoint", fresh.query_url, "--bulk", "-q", str(SEEDS)], env=env)
        assert loaded.exit_code == 0, loaded.output
        assert "documents loaded: 5" in loaded.output
        assert RemoteStore(fresh.query_url).nquads() == sample_graph.store.nquads()
    finally:
        fresh.stop()
    refused = runner.invoke(main, ["load", "--store", str(tmp_path / "local"), "--bulk", str(SEEDS)])
    assert refused.exit_code == 2 and "--bulk works with --endpoint" in refused.output


# -- sharded N-Quads export ------------------------------------------------------------------

def _lines(paths: list[Path]) -> list[str]:
    return [line for p in paths for line in p.read_text(encoding="utf-8").splitlines()]


def test_shards_hold_the_store_graph_by_graph(sample_graph: PolicyGraph, tmp_path: Path) -> None:
    store = sample_graph.store
    paths = export_shards(store, tmp_path / "shards", 700)
    assert [p.name for p in paths] == [f"part-{i:05d}.nq" for i in range(len(paths))]
    assert len(paths) >= len(store) // 700
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 700 for p in paths)
    assert sorted(_lines(paths)) == store.nquads().splitlines()
    where: dict[str, set[str]] = {}
    for p in paths:
        for quad in ox.parse(path=str(p), format=ox.RdfFormat.N_QUADS):
            where.setdefault(quad.graph_name.value, set()).add(p.name)
    sizes = {g: sum(1 for _ in store.triples_in(g)) for g in store.graphs()}
    assert set(where) == set(sizes)
    for graph, files in where.items():
        if sizes[graph] <= 700:
            assert len(files) == 1, graph  # a graph that fits a shard is not split
    assert not list((tmp_path / "shards").glob(".*"))  # no temporary files left


def test_shards_replace_an_earlier_export(sample_graph: PolicyGraph, tmp_path: Path) -> None:
    small = export_shards(sample_graph.store, tmp_path, 300)
    large = export_shards(sample_graph.store, tmp_path, 100_000)
    assert len(small) > 1 and len(large) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-00000.nq"]
    assert large[0].read_text(encoding="utf-8").count("\n") == len(sample_graph.store)
    with pytest.raises(StoreError):
        export_shards(sample_graph.store, tmp_path, 0)


@pytest.mark.server
def test_shards_load_into_oxigraph_as_they_are(sample_graph: PolicyGraph, tmp_path: Path) -> None:
    import subprocess

    try:
        oxigraph = find_oxigraph()
    except StoreError as exc:
        pytest.skip(str(exc))
    paths = export_shards(sample_graph.store, tmp_path / "shards", 500)
    target = tmp_path / "bulk"
    done = subprocess.run([oxigraph, "load", "--location", str(target), "--file", *map(str, paths)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = ox.Store(str(target))
    assert len(loaded) == len(sample_graph.store)
