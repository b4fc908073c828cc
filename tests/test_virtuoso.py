"""policykg on OpenLink Virtuoso 7 (Debian's ``virtuoso-opensource``).

The fixture installs the package when it is missing (as root, waiting for the package lock;
else the tests skip with the reason), writes a small ``virtuoso.ini`` into a temporary folder
(ports on 127.0.0.1, ``ResultSetMaxRows`` set below the size of the seed graphs so that every
read meets the server's row cap), starts ``virtuoso-t +foreground``, lets the anonymous SPARQL
user write (``GRANT SPARQL_UPDATE TO "SPARQL"`` through ``isql``), and stops it afterwards.
Every command and every named query is run against it and against the embedded store.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from policykg import queries as named
from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.errors import QueryError, StoreError
from policykg.graph import iri
from policykg.graph.remote import RemoteStore
from policykg.serve import free_port
from tests.conftest import SEED_FILES, SEEDS

pytestmark = pytest.mark.server

APT = ("apt-get -o DPkg::Lock::Timeout=300 update -qq && "
       "apt-get -o DPkg::Lock::Timeout=300 install -y -qq virtuoso-opensource")
MAX_ROWS = 500  # below the size of most seed graphs (283 to 851 statements; 3,444 in all)
INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 5000
MaxDirtyBuffers = 3000
ThreadsPerQuery = 1
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


def install_virtuoso() -> tuple[str, str]:
    """The paths of ``virtuoso-t`` and ``isql-vt``, installing Debian's package when missing and
    root; else skip with the reason, which ``-ra`` prints."""
    def found() -> tuple[str, str] | None:
        server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
        return (server, isql) if server and isql else None

    paths = found()
    if paths is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(APT, shell=True, check=False, env=env, stdout=subprocess.DEVNULL)
        paths = found()
    if paths is None:
        pytest.skip(f"Virtuoso (virtuoso-t, isql-vt) could not be installed (as root: `{APT}`)")
    return paths


@dataclass
class Virtuoso:
    """A running ``virtuoso-t`` on 127.0.0.1."""

    process: subprocess.Popen
    base: str
    folder: Path

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_virtuoso(folder: Path, max_rows: int = MAX_ROWS) -> Virtuoso:
    server, isql = install_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port,
                                                    max_rows=max_rows))
    log = (folder / "server.out").open("wb")
    process = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    v = Virtuoso(process, f"http://127.0.0.1:{http_port}", folder)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            pytest.fail("virtuoso-t exited: " + (folder / "server.out").read_text(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(v.sparql + "?query=ASK%7B%7D", timeout=5) as response:
                response.read()
            break
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                v.stop()
                pytest.fail("virtuoso-t did not answer within 120 s")
            time.sleep(0.5)
    granted = subprocess.run([isql, str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                             capture_output=True, text=True, timeout=60)
    if granted.returncode != 0:
        v.stop()
        pytest.fail(f"isql could not grant updates: {granted.stdout}{granted.stderr}")
    return v


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    v = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield v
    v.stop()


@pytest.fixture(scope="module")
def loaded(virtuoso: Virtuoso) -> PolicyGraph:
    """The seeds loaded into Virtuoso through ``policykg load --endpoint``."""
    out = CliRunner().invoke(main, ["load", "--endpoint", virtuoso.sparql, "-q", str(SEEDS)])
    assert out.exit_code == 0, out.output
    assert "documents loaded: 5" in out.output
    return PolicyGraph(RemoteStore(virtuoso.sparql))


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("local") / "store")
    out = CliRunner().invoke(main, ["load", "--store", path, "-q", str(SEEDS)])
    assert out.exit_code == 0, out.output
    return path


def test_same_graphs_and_quads(loaded: PolicyGraph, sample_graph: PolicyGraph) -> None:
    remote, local = loaded.store, sample_graph.store
    assert remote._cap is None or remote._cap == MAX_ROWS
    assert remote.graphs() == local.graphs()  # no virtrdf, DAV … graphs
    assert len(remote) == len(local) > MAX_ROWS
    assert remote.nquads() == local.nquads()  # every graph read in full despite the cap
    assert remote._cap == MAX_ROWS


def test_capped_answers_read_in_pages_or_refused(loaded: PolicyGraph, sample_graph: PolicyGraph) -> None:
    """An answer past the cap is read again in pages when it has no order or slice of its own;
    else it is refused, never used cut."""
    query = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o "
             "FILTER (STRSTARTS(STR(?s), \"https://w3id.org/policykg/\")) }")
    remote, local = loaded.store.select(query), sample_graph.store.select(query)
    assert len(remote) > MAX_ROWS
    assert sorted(map(str, remote)) == sorted(map(str, local))
    grouped = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
    assert loaded.store.select(grouped)
    with pytest.raises(QueryError, match="row cap of 500"):
        loaded.store.select(query + " ORDER BY ?s")
    assert len(loaded.store.select(query + " LIMIT 10")) == 10


def _params() -> list[tuple[str, dict[str, str]]]:
    cases = [("lineage-up", {"doc": "厦府办〔2015〕134号"}), ("lineage-down", {"doc": "国发〔2012〕9号"}),
             ("diffusion", {"superior": "国办发〔2015〕19号"}), ("agency-workload", {}),
             ("agency-workload", {"in_region": "厦门市"}), ("documents-by", {"in_region": "福建省"}),
             ("most-inherited", {}), ("unresolved-citations", {}), ("agency-copairs", {}), ("siblings", {"doc": "厦府办〔2015〕134号"}),
             ("documents-by", {"in_region": "厦门市"}), ("documents-by", {"in_region": "350000"}),
             ("documents-by", {"at_level": "municipal"}), ("documents-by", {"in_year": "2015"}),
             ("documents-by", {}), ("lineage-down", {"doc": "国办发〔2015〕19号"})]
    return cases


@pytest.mark.parametrize("name, params", _params())
def test_named_queries_equal(loaded: PolicyGraph, sample_graph: PolicyGraph, name: str,
                             params: dict[str, str]) -> None:
    query = named.get_query(name)
    if any(p.name not in params and not p.optional for p in query.params):
        params = {**params, **{p.name: "国办发〔2015〕19号" for p in query.params if not p.optional}}
    local = named.rows(named.run_named(sample_graph.store, name, params, limit=0))
    if len(local) >= MAX_ROWS:  # more than the server gives in one answer: refused, not cut
        with pytest.raises(QueryError, match="row cap"):
            named.run_named(loaded.store, name, params, limit=0)
    else:
        assert named.rows(named.run_named(loaded.store, name, params, limit=0)) == local
    # every query orders its rows totally, so a LIMIT keeps the same rows on both engines
    remote = named.rows(named.run_named(loaded.store, name, params, limit=7))
    assert remote == local[:7]
    assert remote or name == "siblings", f"{name} found nothing in the seeds"  # no two seeds share a basis


def test_every_named_query_tested() -> None:
    assert {q.name for q in named.list_queries()} == {name for name, _ in _params()}


@pytest.mark.parametrize("args", [
    ["docs", "--format", "json"],
    ["docs", "--format", "json", "--all"],
    ["lineage", "厦府办[2015]134号", "--format", "json"],
    ["lineage", "国办发〔2015〕19号", "--down", "--format", "json"],
    ["tasks", "厦府办〔2015〕134号", "--format", "json"],
    ["agencies", "--format", "json", "--limit", "0"],
    ["agencies", "--format", "json", "--region", "厦门市", "--limit", "0"],
    ["query", "most-inherited", "--format", "json"],
])
def test_commands_equal(loaded: PolicyGraph, local_store: str, args: list[str]) -> None:
    runner = CliRunner()
    if args[0] == "docs" and "--all" in args and "--all" not in runner.invoke(main, ["docs", "--help"]).output:
        args = [a for a in args if a != "--all"]
    remote = runner.invoke(main, [*args, "--endpoint", loaded.store.url])
    local = runner.invoke(main, [*args, "--store", local_store])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output
    assert json.loads(remote.output)


@pytest.mark.parametrize("fmt", ["nquads", "nt", "trig"])
def test_export_equal(loaded: PolicyGraph, local_store: str, fmt: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for where, target in (("remote", ["--endpoint", loaded.store.url]), ("local", ["--store", local_store])):
        out = runner.invoke(main, ["export", "--format", fmt, "-o", str(tmp_path / f"{where}.{fmt}"), *target])
        assert out.exit_code == 0, out.output
    dataset = fmt != "nt"
    remote, local = ox.Store(), ox.Store()
    rdf_format = {"nquads": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}[fmt]
    remote.load(path=str(tmp_path / f"remote.{fmt}"), format=rdf_format)
    local.load(path=str(tmp_path / f"local.{fmt}"), format=rdf_format)
    assert len(remote) == len(local) > MAX_ROWS
    if dataset:
        assert set(remote) == set(local)


@pytest.mark.parametrize("kind", ["corpus", "agencies", "lineage", "tasks"])
def test_projections_equal(loaded: PolicyGraph, sample_graph: PolicyGraph, kind: str) -> None:
    import networkx as nx

    from policykg.graph import projections

    remote, local = projections.build(loaded.store, kind), projections.build(sample_graph.store, kind)
    assert dict(remote.nodes(data=True)) == dict(local.nodes(data=True))
    assert nx.utils.edges_equal(remote.edges(data=True), local.edges(data=True))
    assert remote.number_of_nodes() > 0


def test_sharded_export_equal(loaded: PolicyGraph, local_store: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for where, target in (("remote", ["--endpoint", loaded.store.url]), ("local", ["--store", local_store])):
        out = runner.invoke(main, ["export", "--format", "nquads", "--shard-size", "400",
                                   "-o", str(tmp_path / where), *target])
        assert out.exit_code == 0, out.output
    remote = sorted((tmp_path / "remote").iterdir())
    assert remote and [p.name for p in remote] == [p.name for p in sorted((tmp_path / "local").iterdir())]
    assert [p.read_bytes() for p in remote] == [p.read_bytes() for p in sorted((tmp_path / "local").iterdir())]


def test_construct_answered_as_rdf(loaded: PolicyGraph, sample_graph: PolicyGraph) -> None:
    construct = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                 "CONSTRUCT { ?d eli:based_on ?e } WHERE { ?d eli:based_on ?e }")
    remote = loaded.store.query(construct)
    assert isinstance(remote, ox.QueryTriples)
    expected = {str(t) for t in sample_graph.store.query(construct)}
    assert {str(t) for t in remote} == expected and expected


def test_reload_remove_lose_nothing_past_the_cap(tmp_path: Path, sample_graph: PolicyGraph) -> None:
    """A forced reload and a remove over a capped server give what the embedded store gives."""
    v = start_virtuoso(tmp_path / "virtuoso")
    try:
        runner = CliRunner()
        store = RemoteStore(v.sparql)
        for force in ([], ["--force"]):
            out = runner.invoke(main, ["load", "--endpoint", v.sparql, "-q", *force, str(SEEDS)])
            assert out.exit_code == 0, out.output
            assert store.nquads() == sample_graph.store.nquads()
        entities = str(iri.ENTITIES_GRAPH)
        assert sum(1 for _ in store.triples_in(entities)) > MAX_ROWS
        out = runner.invoke(main, ["remove", "--endpoint", v.sparql, SEED_FILES["000"]])
        assert out.exit_code == 0, out.output
        local = PolicyGraph.open(tmp_path / "local", create=True)
        local.load([SEEDS])
        assert local.remove([SEED_FILES["000"]]) == [SEED_FILES["000"]]
        assert str(iri.source_graph(SEED_FILES["000"])) not in store.graphs()
        assert store.graphs() == local.store.graphs()
        assert store.nquads() == local.store.nquads()
        assert len(store) == len(local.store) > MAX_ROWS
    finally:
        v.stop()


def test_blank_nodes_read_back(virtuoso: Virtuoso) -> None:
    store = RemoteStore(virtuoso.sparql)
    graph = iri.BASE + "graph/test-blank"
    node = BNode()
    store.replace_graphs({graph: [(URIRef("http://example.org/s"), URIRef("http://example.org/p"), node),
                                  (node, URIRef("http://example.org/q"), Literal("空白", lang="zh"))]})
    try:
        quads = list(store.quads(graph))
        assert len(quads) == 2
        blanks = {q.object for q in quads if isinstance(q.object, ox.BlankNode)}
        assert len(blanks) == 1 and {q.subject for q in quads} & blanks  # one node, joined
        text = store.dump("nquads", graph=graph).decode()
        assert "nodeID" not in text and "空白" in text
    finally:
        store.remove_graphs([graph])
    assert graph not in store.graphs()


def test_digest_authentication(virtuoso: Virtuoso, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    monkeypatch.delenv("POLICYKG_ENDPOINT_USER", raising=False)
    with pytest.raises(QueryError, match="401"):
        RemoteStore(virtuoso.base + "/sparql-auth").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    store = RemoteStore(virtuoso.base + "/sparql-auth", auth=("dba", "dba"))
    assert store.gsp_url == virtuoso.base + "/sparql-graph-crud-auth"
    graph = iri.BASE + "graph/test-digest"
    triple = (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("摘要认证"))
    assert store.replace_graphs({graph: [triple]}) == 1
    assert list(store.triples_in(graph)) == [triple]
    store.remove_graphs([graph])
    assert graph not in store.graphs()


def test_named_urls_for_root_servers(virtuoso: Virtuoso, monkeypatch: pytest.MonkeyPatch) -> None:
    """Update and Graph Store URLs named by the user are used as given (``none``: no Graph Store)."""
    store = RemoteStore(virtuoso.sparql, update_url=virtuoso.sparql, gsp_url="none")
    assert (store.update_url, store.gsp_url) == (virtuoso.sparql, None)
    graph = iri.BASE + "graph/test-update"
    triple = (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("更新"))
    assert store.replace_graphs({graph: [triple]}) == 1
    assert list(store.triples_in(graph)) == [triple]
    store.remove_graphs([graph])
    monkeypatch.setenv("POLICYKG_ENDPOINT_GSP_URL", "http://127.0.0.1:1/elsewhere")
    assert RemoteStore("http://127.0.0.1:7001").url == "http://127.0.0.1:7001"
    with pytest.raises(StoreError):
        RemoteStore("http://127.0.0.1:7001", update_url="ftp://x/update")


def test_cli_named_urls(loaded: PolicyGraph, sample_graph: PolicyGraph, virtuoso: Virtuoso) -> None:
    """`--update-url`/`--gsp-url` on the command line: a forced reload through SPARQL Update only
    (form-encoded INSERT DATA, no Graph Store) gives the same store."""
    runner = CliRunner()
    out = runner.invoke(main, ["load", "--endpoint", virtuoso.sparql, "--update-url", virtuoso.sparql,
                               "--gsp-url", "none", "--force", "-q", str(SEEDS)])
    assert out.exit_code == 0, out.output
    assert "documents loaded: 5" in out.output
    assert loaded.store.nquads() == sample_graph.store.nquads()
    refused = runner.invoke(main, ["docs", "--store", "unused", "--update-url", virtuoso.sparql])
    assert refused.exit_code == 2 and "go with --endpoint" in refused.output


@pytest.mark.corpus
def test_corpus_notices_same_on_virtuoso(corpus_dir: Path, tmp_path: Path) -> None:
    """80 real notices (16k statements, 32 times the cap): the same quads, and every named query
    gives the same rows, in the same order, as on the embedded store."""
    folder = tmp_path / "notices"
    folder.mkdir()
    lines = (corpus_dir / "notices.jsonl").read_text(encoding="utf-8").splitlines()[:80]
    (folder / "notices.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = PolicyGraph.open(tmp_path / "local", create=True)
    assert local.load([folder]).ok
    v = start_virtuoso(tmp_path / "virtuoso")
    try:
        out = CliRunner().invoke(main, ["load", "--endpoint", v.sparql, "-q", str(folder)])
        assert out.exit_code == 0, out.output
        remote = RemoteStore(v.sparql)
        assert len(remote) == len(local.store) > 20 * MAX_ROWS
        assert remote.nquads() == local.store.nquads()
        superiors = [r["n"] for r in local.store.select(
            "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT DISTINCT ?n WHERE "
            "{ ?d eli:based_on ?e . ?e eli:id_local ?n } ORDER BY ?n LIMIT 4")]
        assert superiors
        cases = [(q.name, {}) for q in named.list_queries() if all(p.optional for p in q.params)]
        cases += [(name, {param: n}) for n in superiors
                  for name, param in (("lineage-down", "doc"), ("diffusion", "superior"), ("siblings", "doc"))]
        for name, params in cases:
            expected = named.rows(named.run_named(local.store, name, params, limit=MAX_ROWS - 1))
            assert named.rows(named.run_named(remote, name, params, limit=MAX_ROWS - 1)) == expected, name
    finally:
        v.stop()
