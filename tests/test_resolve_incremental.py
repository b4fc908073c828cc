"""Incremental resolution: after any load, change or removal the derived graph is what a full
recompute gives, and the store is what a fresh load of the same files gives."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policykg.api import PolicyGraph
from policykg.graph import iri, resolve
from policykg.graph.store import ntriples
from tests.conftest import SEED_FILES, SEEDS
from tests.conftest_views import NOTICES
from tests.test_generate import gen

P = resolve.PREFIXES + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
DERIVED = str(iri.DERIVED_GRAPH)
A_NUMBER = "厦府办〔2015〕134号"  # seed 000, implemented by the two district notices
A = str(iri.doc_by_number(A_NUMBER))
GANGYAO_NOTICE = """国务院关于印发质量发展纲要（2011—2020年）的通知
国发〔2012〕9号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《质量发展纲要（2011—2020年）》印发给你们，请认真贯彻执行。

国务院
2012年2月6日
"""


def derived_lines(pg: PolicyGraph) -> set[str]:
    quads = pg.store.ox.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED))
    return {f"{q.subject} {q.predicate} {q.object} ." for q in quads}


def recomputed_lines(pg: PolicyGraph) -> set[str]:
    return set(ntriples(resolve.derived(*resolve.read_inputs(pg.store))))


def fresh_nquads(folder: Path) -> str:
    pg = PolicyGraph.open(memory=True)
    pg.load([folder])
    return pg.store.nquads()


ENTITIES = f"<{iri.ENTITIES_GRAPH}> ."


def same_as_fresh(nquads: str, fresh: str) -> bool:
    """Every graph as a fresh load gives it; the entities graph describes the same agencies and
    regions, with each statement of a fresh load (a statement about a still referenced entity that
    only a removed file made stays: the store does not know which file made it)."""
    ours, theirs = nquads.splitlines(), fresh.splitlines()
    if [q for q in ours if not q.endswith(ENTITIES)] != [q for q in theirs if not q.endswith(ENTITIES)]:
        return False
    ours_e, theirs_e = {q for q in ours if q.endswith(ENTITIES)}, {q for q in theirs if q.endswith(ENTITIES)}
    return theirs_e <= ours_e and {q.split(" ", 1)[0] for q in ours_e} == {q.split(" ", 1)[0] for q in theirs_e}


def assert_as_fresh(pg: PolicyGraph, folder: Path) -> None:
    assert derived_lines(pg) == recomputed_lines(pg)
    assert same_as_fresh(pg.store.nquads(), fresh_nquads(folder))


def refers_to(pg: PolicyGraph) -> dict[str, str]:
    rows = pg.query(P + f"SELECT ?c ?n WHERE {{ GRAPH <{DERIVED}> {{ ?c plo:refersTo ?n }} }}")
    return {r["c"]: r["n"] for r in rows}


def cited_only(pg: PolicyGraph) -> set[str]:
    rows = pg.query(P + f"SELECT ?n WHERE {{ GRAPH <{DERIVED}> {{ ?n a eli:LegalResource }} }}")
    return {r["n"] for r in rows}


@pytest.fixture()
def incremental_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve every change by components, however large its share of a small store."""
    monkeypatch.setattr(resolve, "FULL_SHARE", 1.0)


def _copy_seeds_and_districts(folder: Path) -> Path:
    folder.mkdir()
    for name in SEED_FILES.values():
        shutil.copy(SEEDS / name, folder / name)
    for path in NOTICES.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture()
def variants(tmp_path: Path) -> Path:
    """The seeds and the two district notices in one flat folder."""
    return _copy_seeds_and_districts(tmp_path / "work")


@pytest.fixture(scope="module")
def universe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, district notices and 150 synthetic notices, flat, to draw files from."""
    out = tmp_path_factory.mktemp("universe")
    gen.generate(out / "generated", 150, seed=21)
    flat = _copy_seeds_and_districts(out / "flat")
    for t in gen.read_manifest(out / "generated"):
        shutil.copy(out / "generated" / t["file"], flat / ("g" + t["file"].replace("/", "-")))
    return flat


# -- targeted cases ---------------------------------------------------------------------------


def test_a_document_loaded_late_takes_over_its_citations(variants: Path, incremental_always: None) -> None:
    pg = PolicyGraph.open(memory=True)
    pg.load([variants / name for name in sorted(p.name for p in variants.iterdir()) if name != SEED_FILES["000"]])
    assert A in cited_only(pg)  # cited by the district notices, not loaded yet
    before = refers_to(pg)
    assert A in before.values()
    pg.load([variants / SEED_FILES["000"]])
    assert A not in cited_only(pg)
    assert {c for c, n in refers_to(pg).items() if n == A} >= {c for c, n in before.items() if n == A}
    assert_as_fresh(pg, variants)


def test_removing_the_only_loaded_document_of_a_cluster_keeps_its_citations(variants: Path, incremental_always: None) -> None:
    pg = PolicyGraph.open(memory=True)
    pg.load([variants])
    assert A not in cited_only(pg)
    citing = {c for c, n in refers_to(pg).items() if n == A and not c.startswith(A + "/")}
    assert citing
    pg.remove([SEED_FILES["000"]])
    (variants / SEED_FILES["000"]).unlink()
    assert A in cited_only(pg)  # now a document known from citations, described by them
    assert pg.query(P + f"SELECT ?n WHERE {{ GRAPH <{DERIVED}> {{ ?a eli:id_local ?n }} }}", {"a": URIRef(A)}) == [
        {"n": A_NUMBER}]
    assert {c for c, n in refers_to(pg).items() if n == A} == citing
    assert_as_fresh(pg, variants)


def test_a_changed_number_splits_a_cluster(variants: Path, incremental_always: None) -> None:
    pg = PolicyGraph.open(memory=True)
    pg.load([variants])
    citing = {c for c, n in refers_to(pg).items() if n == A}
    target = variants / SEED_FILES["000"]
    target.write_text(target.read_text(encoding="utf-8").replace(A_NUMBER, "厦府办〔2015〕999号"), encoding="utf-8")
    pg.load([target])
    moved = str(iri.doc_by_number("厦府办〔2015〕999号"))
    assert moved not in cited_only(pg)
    # the district notices cite 134号: a document now known only from their citations
    assert A in cited_only(pg)
    assert {c for c, n in refers_to(pg).items() if n == A} == citing
    assert_as_fresh(pg, variants)


def test_a_changed_number_joins_two_clusters(variants: Path, incremental_always: None) -> None:
    pg = PolicyGraph.open(memory=True)
    target = variants / SEED_FILES["000"]
    target.write_text(target.read_text(encoding="utf-8").replace(A_NUMBER, "厦府办〔2015〕999号"), encoding="utf-8")
    pg.load([variants])
    assert A in cited_only(pg)
    target.write_text(target.read_text(encoding="utf-8").replace("厦府办〔2015〕999号", A_NUMBER), encoding="utf-8")
    pg.load([target])
    assert A not in cited_only(pg)
    assert not any(n == str(iri.doc_by_number("厦府办〔2015〕999号")) for n in refers_to(pg).values())
    assert_as_fresh(pg, variants)


def test_a_title_only_citation_resolves_once_its_document_is_loaded(variants: Path, incremental_always: None) -> None:
    pg = PolicyGraph.open(memory=True)
    pg.load([variants])
    by_title = pg.query(P + f"""SELECT ?c ?n WHERE {{ ?c plo:citedTitle ?t . FILTER NOT EXISTS {{ ?c plo:citedNumber ?x }}
        FILTER (CONTAINS(?t, "质量发展纲要") && !CONTAINS(?t, "行动计划")) GRAPH <{DERIVED}> {{ ?c plo:refersTo ?n }} }}""")
    assert by_title
    (variants / "国发2012-9.txt").write_text(GANGYAO_NOTICE, encoding="utf-8")
    pg.load([variants / "国发2012-9.txt"])
    gangyao = str(iri.doc_by_number("国发〔2012〕9号"))
    now = refers_to(pg)
    assert {now[r["c"]] for r in by_title} == {gangyao}
    assert gangyao not in cited_only(pg)
    assert_as_fresh(pg, variants)


def test_update_without_a_snapshot_resolves_afresh(variants: Path) -> None:
    pg = PolicyGraph.open(memory=True)
    pg.load([variants])
    expected = derived_lines(pg)
    pg.store.ox.update(f"DELETE WHERE {{ GRAPH <{DERIVED}> {{ ?s ?p ?o }} }}")
    resolve.update(pg.store, None, [str(iri.source_graph(SEED_FILES["000"]))])
    assert derived_lines(pg) == expected


# -- random sequences -------------------------------------------------------------------------


class World:
    """Files drawn from the universe into a work folder, loaded, edited and removed at random."""

    def __init__(self, universe: Path, work: Path, rng: random.Random) -> None:
        self.universe, self.work, self.rng = universe, work, rng
        self.pg = PolicyGraph.open(memory=True)
        self.names = sorted(p.name for p in universe.iterdir())

    def loaded(self) -> list[str]:
        return sorted(p.name for p in self.work.iterdir())

    def add(self) -> str:
        free = [n for n in self.names if not (self.work / n).exists()]
        picked = self.rng.sample(free, min(len(free), self.rng.choice([1, 1, 2, 3])))
        for name in picked:
            shutil.copy(self.universe / name, self.work / name)
        self.pg.load([self.work / name for name in picked])
        return f"add {picked}"

    def edit(self, name: str) -> str:
        data = (self.work / name).read_bytes()
        encoding = "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "gb18030"
            text = data.decode(encoding)
        facts = self.pg.query(P + """SELECT ?n ?w ?t WHERE { ?d dcterms:source ?s OPTIONAL { ?d eli:id_local ?n }
            OPTIONAL { ?d plo:numberAsWritten ?w } OPTIONAL { ?d dcterms:title ?t } }""", {"s": name})
        fact = facts[0] if facts else {}
        numbers = [r["n"] for r in self.pg.query(P + "SELECT DISTINCT ?n WHERE { { ?x eli:id_local ?n } UNION { ?x plo:citedNumber ?n } }")]
        titles = [r["t"] for r in self.pg.query(P + "SELECT DISTINCT ?t WHERE { { ?x dcterms:title ?t } UNION { ?x plo:citedTitle ?t } }")]
        kind = self.rng.choice(["number", "title", "cite"])
        written = fact.get("w") or fact.get("n")
        if kind == "number" and written and written in text and numbers:
            new = self.rng.choice([*numbers, f"厦府办〔2099〕{self.rng.randrange(1000)}号"])
            text = text.replace(written, new)
        elif kind == "title" and fact.get("t") and fact["t"] in text and titles:
            new = self.rng.choice([*titles, fact["t"] + "（修订）"])
            text = text.replace(fact["t"], new)
        else:  # a new basis citation in the body, by title and perhaps number
            cited = f"《{self.rng.choice(titles)}》" if titles else "《质量发展纲要（2011—2020年）》"
            if numbers and self.rng.random() < 0.5:
                cited += f"（{self.rng.choice(numbers)}）"
            lines = text.split("\n")
            at = max(2, len(lines) // 2)
            lines.insert(at, f"为贯彻落实{cited}，结合实际，制定本方案。")
            text = "\n".join(lines)
            kind = "cite"
        (self.work / name).write_bytes(text.encode(encoding, errors="replace"))
        return f"edit {kind} {name}"

    def change(self) -> str:
        names = self.rng.sample(self.loaded(), min(len(self.loaded()), self.rng.choice([1, 1, 2])))
        done = [self.edit(name) for name in names]
        self.pg.load([self.work / name for name in names])
        return "; ".join(done)

    def bulk(self) -> str:
        """Several edits and new files, then the whole folder loaded."""
        done = [self.edit(name) for name in self.rng.sample(self.loaded(), min(3, len(self.loaded())))]
        free = [n for n in self.names if not (self.work / n).exists()]
        for name in self.rng.sample(free, min(2, len(free))):
            shutil.copy(self.universe / name, self.work / name)
            done.append(f"new {name}")
        self.pg.load([self.work])
        return "bulk: " + "; ".join(done)

    def remove(self) -> str:
        name = self.rng.choice(self.loaded())
        self.pg.remove([name])
        (self.work / name).unlink()
        return f"remove {name}"

    def step(self) -> str:
        if len(self.loaded()) < 3:
            return self.add()
        op = self.rng.choices([self.add, self.change, self.bulk, self.remove], weights=[3, 4, 1, 2])[0]
        return op()


def run_world(universe: Path, work: Path, seed: int, steps: int, start: int) -> None:
    rng = random.Random(seed)
    world = World(universe, work, rng)
    first = rng.sample(world.names, start)
    for name in first:
        shutil.copy(universe / name, work / name)
    world.pg.load([work])
    history = [f"load {len(first)} files"]
    for i in range(steps):
        history.append(world.step())
        assert derived_lines(world.pg) == recomputed_lines(world.pg), history
        if i % 6 == 5 or i == steps - 1:
            assert same_as_fresh(world.pg.store.nquads(), fresh_nquads(work)), history


def test_random_sequences_by_components(universe: Path, tmp_path: Path, incremental_always: None) -> None:
    for seed in (1, 2):
        work = tmp_path / f"work{seed}"
        work.mkdir()
        run_world(universe, work, seed, steps=18, start=60)


def test_random_sequences_with_the_default_share(universe: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    run_world(universe, work, 3, steps=12, start=100)
