"""policykg serve: the read-only SPARQL endpoint over a store written by policykg."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg import queries as named
from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.errors import QueryError, StoreError
from policykg.graph import iri
from policykg.graph.remote import RemoteStore
from policykg.serve import INSTALL_HINT, Server, find_oxigraph, free_port, server_command
from tests.conftest import SEED_FILES, SEEDS
from tests.recording import Recording, recording_server


@pytest.fixture()
def recording_service() -> Iterator[Recording]:
    with recording_server() as recording:
        yield recording


def _oxigraph() -> str:
    try:
        return find_oxigraph()
    except StoreError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds loaded by `policykg load` in its own process, so the store is closed after."""
    store = tmp_path_factory.mktemp("served") / "store"
    done = subprocess.run([sys.executable, "-m", "policykg", "load", "--store", str(store), str(SEEDS)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="module")
def read_only_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _oxigraph()
    log = (tmp_path_factory.mktemp("log") / "server.log").open("wb")
    with Server(seed_store, port=0, log=log) as server:
        yield server


def _post(url: str, body: str, media: str) -> int:
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={"Content-Type": media})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    cmd = server_command("store", port=7999, timeout=12.4, executable="/bin/oxigraph")
    assert cmd == ["/bin/oxigraph", "serve-read-only", "--location", "store", "--bind", "127.0.0.1:7999",
                   "--union-default-graph", "--timeout-s", "12"]
    writable = server_command(None, host="::1", writable=True, timeout=None, executable="ox")
    assert writable == ["ox", "serve", "--bind", "[::1]:7878", "--union-default-graph"]
    with pytest.raises(StoreError, match="read-only server needs a store"):
        server_command(None, executable="ox")


def test_missing_binary_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(StoreError, match="pip install"):
        find_oxigraph()
    assert "pip install oxigraph" in INSTALL_HINT


def test_missing_store_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Server(tmp_path / "nothing-here", port=0)


@pytest.mark.server
def test_answers_queries_like_the_embedded_store(read_only_server: Server, sample_graph: PolicyGraph) -> None:
    remote = PolicyGraph(RemoteStore(read_only_server.query_url))
    assert remote.store.nquads() == sample_graph.store.nquads()
    assert remote.documents() == sample_graph.documents()
    assert remote.lineage("厦府办〔2015〕134号") == sample_graph.lineage("厦府办〔2015〕134号")
    rows = named.rows(named.run_named(remote.store, "diffusion", {"superior": "国发〔2012〕9号"}))
    assert rows == named.rows(named.run_named(sample_graph.store, "diffusion", {"superior": "国发〔2012〕9号"}))
    assert remote.store._union == {}  # the server's default graph is the union


@pytest.mark.server
def test_refuses_updates(read_only_server: Server) -> None:
    base = read_only_server.url
    assert _post(base + "/update", "DROP ALL", "application/sparql-update") == 403
    graph = urllib.request.quote(str(iri.source_graph(SEED_FILES["000"])), safe="")
    assert _post(base + f"/store?graph={graph}", "<http://x/a> <http://x/b> <http://x/c> .",
                 "application/n-triples") == 403
    store = RemoteStore(read_only_server.query_url)
    with pytest.raises(StoreError, match="403"):
        store.remove_graphs([str(iri.source_graph(SEED_FILES["000"]))])
    with pytest.raises(StoreError, match="403"):
        PolicyGraph(store).load([SEEDS], force=True)
    assert len(store) > 2500  # nothing was dropped
    assert _post(read_only_server.query_url, "ASK { ?s ?p ?o }", "application/sparql-query") == 200


@pytest.mark.server
def test_query_timeout(seed_store: Path, tmp_path: Path) -> None:
    _oxigraph()
    with Server(seed_store, port=0, timeout=1, log=(tmp_path / "log").open("wb")) as server:
        store = RemoteStore(server.query_url, timeout=60)
        started = time.monotonic()
        with pytest.raises(QueryError, match="cancelled|timeout|timed out"):
            store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert time.monotonic() - started < 20


def _serve_command(store: Path, port: int) -> list[str]:
    from policykg.cli import main

    if "serve" in main.commands:
        return [sys.executable, "-m", "policykg", "serve", "--store", str(store), "--port", str(port)]
    return [sys.executable, "-c", "from policykg.cli_server import serve; serve(prog_name='policykg serve')",
            "--store", str(store), "--port", str(port)]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.server
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_until_stopped(seed_store: Path, stop_signal: signal.Signals) -> None:
    _oxigraph()
    port = free_port()
    proc = subprocess.Popen(_serve_command(seed_store, port), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/query"
        announced = []
        assert proc.stderr is not None
        for line in iter(proc.stderr.readline, b""):  # the command says where it listens once ready
            announced.append(line.decode())
            if "SPARQL endpoint" in announced[-1]:
                break
        assert any(f"SPARQL endpoint (read-only): {url}" in line for line in announced), announced
        rows = RemoteStore(url).select(
            "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?s WHERE { ?d dcterms:source ?s } ORDER BY ?s")
        assert [r["s"] for r in rows] == sorted(SEED_FILES.values())
        proc.send_signal(stop_signal)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err.decode()
        assert not _port_open(port)  # the oxigraph process went with it
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_missing_store(tmp_path: Path) -> None:
    done = subprocess.run(_serve_command(tmp_path / "absent", free_port()), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "Error: no store at" in done.stderr


# -- federated queries --------------------------------------------------------------------------

def _refused(url: str, request: urllib.request.Request) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.server
def test_federated_queries_refused(read_only_server: Server, recording_service: Recording) -> None:
    service = f"SELECT ?x WHERE {{ SERVICE <{recording_service.url}> {{ ?x ?p ?o }} }}"
    escaped = service.replace("SERVICE", "\\u0053ERVICE")
    url = read_only_server.query_url
    requests = [
        urllib.request.Request(url, data=service.encode(), method="POST",
                               headers={"Content-Type": "application/sparql-query"}),
        urllib.request.Request(url + "?query=" + urllib.parse.quote(service)),
        urllib.request.Request(url, data=urllib.parse.urlencode({"query": escaped}).encode(), method="POST",
                               headers={"Content-Type": "application/x-www-form-urlencoded"}),
    ]
    for request in requests:
        status, text = _refused(url, request)
        assert status == 400
        assert "federated queries are refused" in text and "--allow-federated" in text
    with pytest.raises(QueryError, match="400.*federated queries are refused"):
        RemoteStore(url).select(service)
    assert recording_service.seen == []  # the local service got no request
    assert _post(url, "ASK { ?s ?p ?o }", "application/sparql-query") == 200


@pytest.mark.server
def test_federated_queries_allowed_when_asked(seed_store: Path, recording_service: Recording,
                                              tmp_path: Path) -> None:
    _oxigraph()
    with Server(seed_store, port=0, allow_federated=True, log=(tmp_path / "log").open("wb")) as server:
        rows = RemoteStore(server.query_url).select(
            f"SELECT ?x WHERE {{ SERVICE <{recording_service.url}> {{ ?x ?p ?o }} }}")
    assert rows == [{"x": "from-service"}]
    assert len(recording_service.seen) == 1


@pytest.mark.server
def test_load_refused_on_a_writable_server(recording_service: Recording, tmp_path: Path) -> None:
    _oxigraph()
    with Server(None, port=0, writable=True, log=(tmp_path / "log").open("wb")) as server:
        status, text = _refused(server.url, urllib.request.Request(
            server.url + "/update", data=f"LOAD <{recording_service.url}> INTO GRAPH <urn:g>".encode(),
            method="POST", headers={"Content-Type": "application/sparql-update"}))
        assert status == 400 and "LOAD" in text
        assert _post(server.url + "/update", "INSERT DATA { <http://x/a> <http://x/b> 'c' }",
                     "application/sparql-update") == 204
    assert recording_service.seen == []


# -- timeouts -------------------------------------------------------------------------------------

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?a"


@pytest.mark.server
@pytest.mark.parametrize("sparql", [CARTESIAN, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"])
def test_timeout_is_an_http_error_and_the_work_stops(seed_store: Path, tmp_path: Path, sparql: str) -> None:
    """Oxigraph's own timeout lets an ORDER BY over a cartesian product run on (and answers a
    cancelled COUNT with 200 and an error appended): the front answers 503 and stops it."""
    _oxigraph()
    with Server(seed_store, port=0, timeout=2, log=(tmp_path / "log").open("wb")) as server:
        assert len(RemoteStore(server.query_url)) > 2500
        started = time.monotonic()
        status, text = _refused(server.query_url, urllib.request.Request(
            server.query_url, data=sparql.encode(), method="POST",
            headers={"Content-Type": "application/sparql-query"}))
        assert status == 503 and "timed out" in text
        assert time.monotonic() - started < 10
        engine = server.engine.process
        assert engine is not None
        if sparql == CARTESIAN:  # the runaway query went with the engine process
            assert server.restarts == 1
            with pytest.raises(subprocess.TimeoutExpired):
                engine.wait(1)  # the new engine process keeps running
        assert _post(server.query_url, "ASK { ?s ?p ?o }", "application/sparql-query") == 200
        rows = RemoteStore(server.query_url).select(
            "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?s WHERE { ?d dcterms:source ?s } ORDER BY ?s")
        assert [r["s"] for r in rows] == sorted(SEED_FILES.values())


@pytest.mark.server
def test_endpoint_option_reports_the_timeout(seed_store: Path, tmp_path: Path) -> None:
    _oxigraph()
    with Server(seed_store, port=0, timeout=2, log=(tmp_path / "log").open("wb")) as server:
        result = CliRunner().invoke(main, ["query", CARTESIAN, "--endpoint", server.query_url])
        assert result.exit_code == 1
        assert "Error: the query timed out on the server" in result.output
        assert "HTTP 503" in result.output


def test_serve_help_names_the_options() -> None:
    text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--allow-federated" in text and "RISK" in text and "--timeout" in text
