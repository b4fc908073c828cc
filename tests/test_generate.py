"""bench/generate.py: deterministic synthetic notices, and the loader reading back what they say."""

from __future__ import annotations

import collections
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from policykg.api import PolicyGraph
from policykg.loaders import docnumber, regions
from tests.conftest import ROOT


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


gen = _load_generator()
PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """400 notices of seed 3 (generation only: fast)."""
    out = tmp_path_factory.mktemp("generated")
    gen.generate(out, 400, seed=3)
    return out, list(gen.read_manifest(out))


def test_same_seed_same_files(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", 40, seed=11)
    gen.generate(tmp_path / "b", 40, seed=11)
    gen.generate(tmp_path / "c", 40, seed=12)
    gen.generate(tmp_path / "short", 25, seed=11)
    a, b, c, short = (_files(tmp_path / x) for x in ("a", "b", "c", "short"))
    assert len(a) == 41  # 40 notices and the manifest
    assert a == b
    assert {k: v for k, v in a.items() if k != "manifest.jsonl"} != {k: v for k, v in c.items() if k != "manifest.jsonl"}
    # the first notices of a longer run are those of a shorter one
    assert {k: v for k, v in short.items() if k != "manifest.jsonl"} == {k: a[k] for k in short if k != "manifest.jsonl"}
    assert (tmp_path / "a" / "manifest.jsonl").read_text().splitlines()[:25] == \
        (tmp_path / "short" / "manifest.jsonl").read_text().splitlines()


def test_lengths_tasks_and_encodings(corpus: tuple[Path, list[dict]]) -> None:
    out, truth = corpus
    assert len(truth) == 400
    for t in truth:
        data = (out / t["file"]).read_bytes()
        assert len(data) == t["bytes"]
        assert 5 * 1024 <= len(data) <= 40 * 1024, t["file"]
        assert 10 <= len(t["tasks"]) <= 40
        data.decode(t["encoding"])
    encodings = collections.Counter(t["encoding"] for t in truth)
    assert encodings["gb18030"] > 10 and encodings["utf-8"] > 300


def test_chains_levels_and_gazetteer_names(corpus: tuple[Path, list[dict]]) -> None:
    _, truth = corpus
    by_id = {t["id"]: t for t in truth}
    by_code = {r.code: r for r in regions.regions()}
    assert collections.Counter(t["level"] for t in truth).keys() == {"national", "provincial", "municipal", "county"}
    assert max(t["depth"] for t in truth) in (3, 4)  # chains of 4 or 5 documents
    order = ["national", "provincial", "municipal", "county"]
    for t in truth:
        basis = [c for c in t["citations"] if c["kind"] == "basis"]
        if t["depth"] == 0:
            assert not basis
            continue
        assert basis and all(c["doc"] < t["id"] for c in basis)  # superiors come first
        parent = by_id[basis[0]["doc"]]
        assert parent["depth"] == t["depth"] - 1
        assert order.index(parent["level"]) <= order.index(t["level"])
        assert parent["date"] < t["date"]
        if t["level"] == "national":
            continue
        region = by_code[t["region_code"]]
        assert (region.name, region.level) == (t["region"], t["level"])
        if parent["level"] != "national":  # a region directly inside its superior's region
            assert regions.parent(region).code == parent["region_code"]


def test_numbers_in_every_style(corpus: tuple[Path, list[dict]]) -> None:
    out, truth = corpus
    seen = collections.Counter()
    for t in truth:
        if not t["number"]:
            continue
        text = (out / t["file"]).read_bytes().decode(t["encoding"])
        code = t["number"].split("〔")[0]
        written = [m.group(0) for m in re.finditer(re.escape(code) + r" ?[〔\[【(（﹝][0-9０-９]{4}[〕\]】)）﹞][0-9０-９]+号", text)]
        assert written, (t["file"], t["number"])
        for w in written:
            assert docnumber.canonicalize(w) in {c["number"] for c in t["citations"]} | {t["number"]}
            seen[w[len(code):].lstrip(" ")[0]] += 1
            seen["space"] += w[len(code)] == " "
            seen["full-width"] += bool(re.search("[０-９]", w))
    assert set("〔[【(（﹝") <= set(seen)
    assert seen["space"] > 0 and seen["full-width"] > 0


def test_clause_shapes_and_layouts(corpus: tuple[Path, list[dict]]) -> None:
    out, truth = corpus
    texts = [(out / t["file"]).read_bytes().decode(t["encoding"]) for t in truth]
    for shape in ("按职责分工负责", "牵头,", "牵头，", "牵头部门:", "牵头部门：", "列第一位者为牵头单位",
                  "(一)", "（一）", "\n1.", "保障措施", "总体要求", "发布机关", "现印发给你们"):
        assert any(shape in text for text in texts), shape
    assert any(re.search(r"[〇一二三四五六七八九]{4}年[一二三四五六七八九十]+月", text) for text in texts)


# -- what the loader reads back ----------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[PolicyGraph, list[dict]]:
    out = tmp_path_factory.mktemp("generated-load")
    gen.generate(out, 36, seed=5)
    pg = PolicyGraph.open(memory=True)
    report = pg.load([out])
    assert report.ok, report.failures
    return pg, list(gen.read_manifest(out))


def test_documents_read_back(loaded: tuple[PolicyGraph, list[dict]]) -> None:
    pg, truth = loaded
    docs = {r["source"]: r for r in pg.documents()}
    assert len(docs) == len(truth) == 36
    for t in truth:
        got = docs[t["file"]]
        assert got.get("number") == t["number"], t["file"]
        assert got["title"] == t["title"]
        assert got["issuers"] == [t["issuer"]], t["file"]
        assert got["level"] == t["level"]
        assert str(got["date"]) == t["date"]
        assert got["region"] == t["region"]


def test_lineage_read_back(loaded: tuple[PolicyGraph, list[dict]]) -> None:
    pg, truth = loaded
    files = {t["id"]: t["file"] for t in truth}
    rows = pg.store.select(PREFIXES + """SELECT ?src ?sup WHERE {
        ?d dcterms:source ?src ; eli:based_on ?s . ?s dcterms:source ?sup }""")
    got = collections.defaultdict(set)
    for r in rows:
        got[r["src"]].add(r["sup"])
    for t in truth:
        want = {files[c["doc"]] for c in t["citations"] if c["kind"] == "basis"}
        assert got.get(t["file"], set()) == want, t["file"]
    mentions = pg.store.select(PREFIXES + """SELECT ?src ?title WHERE {
        ?d dcterms:source ?src ; eli:cites ?e . FILTER NOT EXISTS { ?d eli:based_on ?e } ?e dcterms:title ?title }""")
    want_mentions = {(t["file"], c["title"]) for t in truth for c in t["citations"] if c["kind"] == "mention"}
    assert {(r["src"], r["title"]) for r in mentions} == want_mentions
    root = next(t for t in truth if t["depth"] == 0)
    down = pg.lineage(root["number"], down=True)
    assert len(down) == sum(1 for t in truth if t["tree"] == root["tree"])


def test_tasks_and_roles_read_back(loaded: tuple[PolicyGraph, list[dict]]) -> None:
    pg, truth = loaded
    labels = collections.defaultdict(dict)
    for r in pg.store.select(PREFIXES + """SELECT ?src ?ord ?label ?heading WHERE {
            ?t a plo:Task ; eli:is_part_of ?d ; plo:ordinal ?ord ; plo:label ?label ; dcterms:title ?heading .
            ?d dcterms:source ?src }"""):
        labels[r["src"]][r["ord"]] = (r["label"], r["heading"])
    roles = collections.defaultdict(set)
    for r in pg.store.select(PREFIXES + """SELECT ?src ?ord ?role ?name WHERE {
            VALUES (?prop ?role) { (plo:leadAgency "lead") (plo:responsibleAgency "responsible")
                                   (plo:participatingAgency "participating") (plo:coordinatingAgency "coordinating") }
            ?t eli:is_part_of ?d ; plo:ordinal ?ord ; ?prop ?a . ?a skos:prefLabel ?name . ?d dcterms:source ?src }"""):
        roles[(r["src"], r["ord"])].add((r["name"], r["role"]))
    agree = total = 0
    wrong = []
    for t in truth:
        want = [(task["label"], task["heading"]) for task in t["tasks"]]
        assert [labels[t["file"]][i] for i in sorted(labels[t["file"]])] == want, t["file"]
        for i, task in enumerate(t["tasks"], 1):
            expected = {tuple(x) for x in task["roles"]}
            total += 1
            if roles.get((t["file"], i), set()) == expected:
                agree += 1
            else:
                wrong.append((t["file"], i, sorted(roles.get((t["file"], i), set()) ^ expected)))
    # Known misreadings (reported, not hidden): a national body with 和 in its name split in two
    # (粮食和物资储备局), 县市场监管局 read as a city's 市场监督管理局, 地区 departments.
    assert agree / total >= 0.97, wrong[:10]
