"""Loading: sources and named graphs, bad files, reloads, order independence."""

from __future__ import annotations

import shutil
from pathlib import Path

from policykg.api import PolicyGraph, collect
from tests.conftest import SEED_FILES, SEEDS

P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX plo: <https://w3id.org/policykg/ontology#>
"""


def test_collect_relative_paths(tmp_path: Path):
    (tmp_path / "2015").mkdir()
    shutil.copy(SEEDS / SEED_FILES["000"], tmp_path / "2015" / "厦府办134.txt")
    (tmp_path / "README.md").write_text("not a notice", encoding="utf-8")
    single = SEEDS / SEED_FILES["001"]
    files = collect([tmp_path, single])
    assert [f.source for f in files] == [SEED_FILES["001"], "2015/厦府办134.txt"]


def test_source_is_relative_to_the_folder(tmp_path: Path):
    (tmp_path / "notices" / "2015").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_FILES["000"], tmp_path / "notices" / "2015" / "厦府办134.txt")
    pg = PolicyGraph.open(memory=True)
    report = pg.load([tmp_path / "notices"])
    assert report.ok and report.documents == 1
    rows = pg.query(P + "SELECT ?s WHERE { ?d dcterms:source ?s }")
    assert [r["s"] for r in rows] == ["2015/厦府办134.txt"]


def test_bad_files_are_reported_and_the_rest_loads(tmp_path: Path):
    shutil.copy(SEEDS / SEED_FILES["003"], tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    pg = PolicyGraph.open(memory=True)
    report = pg.load([tmp_path, tmp_path / "missing.txt"])
    assert report.documents == 1
    reasons = {f.source: f.reason for f in report.failures}
    assert set(reasons) == {"empty.txt", "image.txt", "missing.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.txt"]
    assert "cannot read" in reasons["missing.txt"]
    assert pg.query(P + "SELECT ?d WHERE { ?d dcterms:source \"good.txt\" }")


def test_reload_replaces_the_graph(seeds_copy: Path):
    pg = PolicyGraph.open(memory=True)
    target = seeds_copy / SEED_FILES["000"]
    pg.load([target])
    before = len(pg.store)
    report = pg.load([target])
    assert report.documents == 0 and report.unchanged == 1
    assert len(pg.store) == before
    # a changed file replaces its named graph: the old number is gone
    text = target.read_text(encoding="utf-8").replace("厦府办〔2015〕134号", "厦府办〔2015〕135号")
    target.write_text(text, encoding="utf-8")
    report = pg.load([target])
    assert report.documents == 1
    numbers = {r["n"] for r in pg.query(P + "SELECT ?n WHERE { ?d dcterms:source ?s ; eli:id_local ?n }")}
    assert numbers == {"厦府办〔2015〕135号"}


def test_load_order_does_not_matter(tmp_path: Path):
    a = PolicyGraph.open(memory=True)
    for name in sorted(SEED_FILES.values()):
        a.load([SEEDS / name])
    b = PolicyGraph.open(memory=True)
    for name in sorted(SEED_FILES.values(), reverse=True):
        b.load([SEEDS / name])
    c = PolicyGraph.open(memory=True)
    c.load([SEEDS])
    assert a.store.nquads() == b.store.nquads() == c.store.nquads()


def test_remove_drops_a_document_and_its_resolution(seeds_copy: Path):
    pg = PolicyGraph.open(memory=True)
    pg.load([seeds_copy])
    assert pg.remove([SEED_FILES["001"]]) == 1
    assert not pg.query(P + "SELECT ?d WHERE { ?d dcterms:source ?s }", {"s": SEED_FILES["001"]})
    # 焦政文〔2014〕111号 was cited only by 001
    assert not pg.query(P + "SELECT ?d WHERE { ?d eli:id_local \"焦政文〔2014〕111号\" }")
