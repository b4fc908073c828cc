"""Loading: sources and named graphs, bad files, reloads, order independence."""

from __future__ import annotations

import shutil
from pathlib import Path

from policykg.api import PolicyGraph, collect
from tests.conftest import SEED_FILES, SEEDS, assert_conforms

P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX plo: <https://w3id.org/policykg/ontology#>
"""


def test_collect_relative_paths(tmp_path: Path):
    (tmp_path / "2015").mkdir()
    shutil.copy(SEEDS / SEED_FILES["000"], tmp_path / "2015" / "厦府办134.txt")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff not a notice")
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
    assert_conforms(pg)


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
    assert_conforms(pg)


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
    assert_conforms(pg)


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
    assert pg.remove([SEED_FILES["001"]]) == [SEED_FILES["001"]]
    assert pg.remove(["厦府办[2015]134号"]) == [SEED_FILES["000"]]
    assert not pg.query(P + "SELECT ?d WHERE { ?d dcterms:source ?s }", {"s": SEED_FILES["001"]})
    # 焦政文〔2014〕111号 was cited only by 001
    assert not pg.query(P + "SELECT ?d WHERE { ?d eli:id_local \"焦政文〔2014〕111号\" }")
    assert_conforms(pg)


def _facts(pg: PolicyGraph) -> set[tuple]:
    rows = pg.query(P + """SELECT ?t ?n ?date ?lvl WHERE { ?d dcterms:source ?s ; dcterms:title ?t ; plo:level ?lvl
        OPTIONAL { ?d eli:id_local ?n } OPTIONAL { ?d eli:date_document ?date } }""")
    return {(r["t"], r.get("n"), str(r.get("date")), r["lvl"]) for r in rows}


def test_encodings_and_a_saved_web_page_give_the_same_facts(tmp_path: Path):
    text = (SEEDS / SEED_FILES["000"]).read_text(encoding="utf-8")
    reference = PolicyGraph.open(memory=True)
    reference.load([SEEDS / SEED_FILES["000"]])
    expected = _facts(reference)
    assert expected and next(iter(expected))[1] == "厦府办〔2015〕134号"
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    variants = {
        "gb18030.txt": text.encode("gb18030"),
        "utf8-bom.txt": "\ufeff".encode() + text.encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),
        "page.html": (
            '<!DOCTYPE html><html><head><meta charset="gbk"><title>厦门市人民政府</title>'
            "<script>var x = '<p>noise</p>';</script></head><body><div class=\"nav\">首页 | 政务公开</div>"
            f'<div id="zoom">{body}</div><div class="footer">版权所有：厦门市人民政府 闽ICP备05002462号</div>'
            "</body></html>"
        ).encode("gbk"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        pg = PolicyGraph.open(memory=True)
        report = pg.load([tmp_path / name])
        assert report.ok, (name, report.failures)
        assert _facts(pg) == expected, name
        rows = pg.query(P + "SELECT ?x WHERE { ?s ?p ?x FILTER(isLiteral(?x) && (CONTAINS(STR(?x), \"ICP\") "
                        "|| CONTAINS(STR(?x), \"noise\") || CONTAINS(STR(?x), \"政务公开\"))) }")
        assert rows == [], name


def test_parallel_and_serial_loads_give_identical_graphs(tmp_path: Path):
    for name in SEED_FILES.values():
        text = (SEEDS / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / f"copy-{name}").write_text(text.replace("2015", "2016"), encoding="utf-8")
    serial = PolicyGraph.open(memory=True)
    assert serial.load([tmp_path], jobs=1).documents == 10
    parallel = PolicyGraph.open(memory=True)
    report = parallel.load([tmp_path], jobs=2, batch=3)
    assert report.documents == 10 and report.ok
    assert serial.store.nquads() == parallel.store.nquads()


def test_interrupted_load_keeps_what_was_reported_and_resumes(tmp_path: Path):
    store = tmp_path / "store"
    reported: list[str] = []

    def stop_after_three(sf, result) -> None:
        reported.append(sf.source)
        if len(reported) == 3:
            raise KeyboardInterrupt

    pg = PolicyGraph.open(store)
    try:
        pg.load([SEEDS], batch=2, progress=stop_after_three)
    except KeyboardInterrupt:
        pass
    pg.close()
    del pg
    reopened = PolicyGraph.open(store)
    assert set(reported) <= set(reopened.loaded_sources())
    report = reopened.load([SEEDS])
    assert report.ok and report.documents + report.unchanged == 5
    assert report.unchanged >= len(reported)
    fresh = PolicyGraph.open(memory=True)
    fresh.load([SEEDS])
    assert reopened.store.nquads() == fresh.store.nquads()


def test_shared_descriptions_are_stored_once(tmp_path: Path):
    pg = PolicyGraph.open(memory=True)
    pg.load([SEEDS])
    rows = pg.query(P + """SELECT ?g WHERE { GRAPH ?g { ?a <http://www.w3.org/2004/02/skos/core#prefLabel>
        "厦门市质量技术监督局"@zh } }""")
    assert [r["g"] for r in rows] == ["https://w3id.org/policykg/graph/entities"]
    rows = pg.query(P + """SELECT ?g WHERE { GRAPH ?g { ?a <http://www.w3.org/2004/02/skos/core#altLabel>
        "市质监局"@zh ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?x } }""")
    assert rows == []  # the surface form stays in the notice's own graph, apart from the description


def test_removing_or_changing_files_gives_what_a_fresh_load_gives(seeds_copy: Path):
    pg = PolicyGraph.open(memory=True)
    pg.load([seeds_copy])
    pg.remove([SEED_FILES["000"]])
    (seeds_copy / SEED_FILES["000"]).unlink()
    fresh = PolicyGraph.open(memory=True)
    fresh.load([seeds_copy])
    assert pg.store.nquads() == fresh.store.nquads()
    target = seeds_copy / SEED_FILES["003"]
    target.write_text(target.read_text(encoding="utf-8").replace("省质监局", "省科技厅"), encoding="utf-8")
    pg.load([seeds_copy])
    fresh = PolicyGraph.open(memory=True)
    fresh.load([seeds_copy])
    assert pg.store.nquads() == fresh.store.nquads()
    assert_conforms(pg)


def test_unchanged_files_are_not_read_into_the_extractor_again(tmp_path: Path, monkeypatch):
    from policykg import api

    pg = PolicyGraph.open(tmp_path / "store")
    pg.load([SEEDS])
    calls: list[str] = []
    real = api.extract_file
    monkeypatch.setattr(api, "extract_file", lambda sf: calls.append(sf.source) or real(sf))
    seen: list[tuple[str, str]] = []
    report = pg.load([SEEDS], progress=lambda sf, result: seen.append((sf.source, type(result).__name__)))
    assert report.unchanged == 5 and report.documents == 0 and calls == []
    assert sorted(seen) == sorted((name, "Unchanged") for name in SEED_FILES.values())
    report = pg.load([SEEDS], force=True)
    assert report.documents == 5 and len(calls) == 5


def test_shared_statements_are_handed_to_the_store_once_per_load():
    from policykg.api import _EntityLines

    lines = _EntityLines(memory=4)
    lines.add(["a", "b", "a"])
    assert lines.take() == ["a", "b"]
    lines.add(["b", "c"])
    assert lines.take() == ["c"]  # b was written with the batch before
    lines.add(["d", "e"])  # over the memory: forgets what was written, so may write again, never less
    assert lines.take() == ["d", "e"]
    lines.add(["a", "d"])
    assert lines.take() == ["a"]


def test_small_batches_give_the_same_store(tmp_path: Path):
    one = PolicyGraph.open(tmp_path / "one")
    one.load([SEEDS], batch=1)
    many = PolicyGraph.open(memory=True)
    many.load([SEEDS])
    assert one.store.nquads() == many.store.nquads()
