"""Every document addressable: unique source names, where each source came from, lookup by source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policykg.api import PolicyGraph, collect
from policykg.graph import iri
from policykg.sources import Candidate, graph_source, name, origin
from tests.conftest import SEED_FILES, SEEDS, assert_conforms

P = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX plo: <https://w3id.org/policykg/ontology#>
"""

# Two notices of invented places, one per province folder, both saved as 1.txt.
SHANDONG = """临沂市兰陵县人民政府办公室关于印发兰陵县蔬菜产业提升行动方案的通知
兰政办发〔2021〕7号
各镇人民政府，县政府各部门：
现将《兰陵县蔬菜产业提升行动方案》印发给你们，请认真贯彻执行。
兰陵县人民政府办公室
2021年3月2日
"""
FUJIAN = """宁德市人民政府关于加快茶产业发展的实施意见
宁政〔2019〕12号
各县（市、区）人民政府，市直各单位：
为加快茶产业发展，提出如下意见。
宁德市人民政府
2019年5月6日
"""


def sources_of(pg: PolicyGraph) -> dict[str, str | None]:
    """source → 发文字号 of every loaded document."""
    rows = pg.query(P + "SELECT ?s ?n WHERE { ?d dcterms:source ?s OPTIONAL { ?d eli:id_local ?n } }")
    return {r["s"]: r.get("n") for r in rows}


def loaded_from(pg: PolicyGraph) -> dict[str, str]:
    """source → plo:loadedFrom, read from inside each source graph."""
    rows = pg.query(P + "SELECT ?g ?o WHERE { GRAPH ?g { ?g plo:loadedFrom ?o } }")
    return {graph_source(r["g"]): r["o"] for r in rows}


@pytest.fixture
def provinces(tmp_path: Path) -> Path:
    for folder, text in (("shandong", SHANDONG), ("fujian", FUJIAN)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "1.txt").write_text(text, encoding="utf-8")
    return tmp_path


def cand(root: str, rel: str) -> Candidate:
    return Candidate(Path(root) / rel, root, rel)


@pytest.mark.parametrize(("found", "expected"), [
    # no clash: names as CONTRACT gives them
    ([cand("/data/shandong", "1.txt"), cand("/data/fujian", "2.txt")], ["1.txt", "2.txt"]),
    # the shortest part of the folder path that tells them apart
    ([cand("/data/shandong", "1.txt"), cand("/data/fujian", "1.txt")], ["fujian/1.txt", "shandong/1.txt"]),
    ([cand("/a/x", "2015/1.txt"), cand("/b/x", "2015/1.txt"), cand("/b/x", "2.txt")],
     ["2.txt", "a/x/2015/1.txt", "b/x/2015/1.txt"]),
    ([cand("/x", "1.txt"), cand("/y/x", "1.txt")], ["x/1.txt", "y/x/1.txt"]),
    # only the clashing names get longer
    ([cand("/p/sd", "1.txt"), cand("/p/fj", "1.txt"), cand("/p/fj", "9.txt")], ["9.txt", "fj/1.txt", "sd/1.txt"]),
])
def test_names_tell_clashing_files_apart(found: list[Candidate], expected: list[str]):
    named = name(found)
    assert [source for _, source, _ in named] == expected
    assert all(reason is None for _, _, reason in named)


def test_a_name_that_still_clashes_is_an_error_for_those_files_only():
    named = name([cand("/p/shandong", "1.txt"), cand("/p/fujian", "1.txt"), cand("/q/other", "shandong/1.txt"),
                  cand("/q/other", "2.txt")])
    reasons = {(source, str(c.path)): reason for c, source, reason in named}
    assert reasons[("2.txt", "/q/other/2.txt")] is None
    assert reasons[("fujian/1.txt", "/p/fujian/1.txt")] is None
    clashing = {k: r for k, r in reasons.items() if r}
    assert set(clashing) == {("shandong/1.txt", "/p/shandong/1.txt"), ("shandong/1.txt", "/q/other/shandong/1.txt")}
    assert "/q/other/shandong/1.txt" in clashing[("shandong/1.txt", "/p/shandong/1.txt")]
    assert "would both be recorded as 'shandong/1.txt'" in clashing[("shandong/1.txt", "/p/shandong/1.txt")]


def test_a_file_reached_twice_is_loaded_once(tmp_path: Path):
    (tmp_path / "notices" / "2015").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_FILES["000"], tmp_path / "notices" / "2015" / "a.txt")
    files = collect([tmp_path / "notices", tmp_path / "notices" / "2015" / "a.txt", tmp_path / "notices" / "2015"])
    assert [(f.source, f.origin, f.clash) for f in files] == [
        ("2015/a.txt", (tmp_path / "notices" / "2015" / "a.txt").as_posix(), None)]


def test_graph_source_inverts_the_graph_iri():
    for source in ("shandong/1.txt", "2015/厦府办134.txt", "a b%20c/〔x〕#1.txt", "corpus.jsonl#sd_central_46"):
        assert graph_source(str(iri.source_graph(source))) == source
    assert graph_source("https://example.org/g") is None


def test_two_folders_with_the_same_file_names(provinces: Path):
    pg = PolicyGraph.open(memory=True)
    report = pg.load([provinces / "shandong", provinces / "fujian"])
    assert report.ok and report.documents == 2
    assert sources_of(pg) == {"shandong/1.txt": "兰政办发〔2021〕7号", "fujian/1.txt": "宁政〔2019〕12号"}
    assert loaded_from(pg) == {"shandong/1.txt": (provinces / "shandong" / "1.txt").as_posix(),
                               "fujian/1.txt": (provinces / "fujian" / "1.txt").as_posix()}
    assert_conforms(pg)
    # the same folders again: nothing clashes, nothing is read again
    again = pg.load([provinces / "fujian", provinces / "shandong"])
    assert again.ok and again.documents == 0 and again.unchanged == 2
    # one folder alone keeps the name it was loaded with (no second document as "1.txt")
    alone = pg.load([provinces / "shandong"])
    assert alone.ok and alone.unchanged == 1
    (provinces / "shandong" / "1.txt").write_text(SHANDONG.replace("〔2021〕7号", "〔2021〕8号"), encoding="utf-8")
    changed = pg.load([provinces / "shandong"])
    assert changed.ok and changed.documents == 1
    assert sources_of(pg) == {"shandong/1.txt": "兰政办发〔2021〕8号", "fujian/1.txt": "宁政〔2019〕12号"}


def test_a_later_load_from_another_folder_needs_force(provinces: Path):
    pg = PolicyGraph.open(memory=True)
    assert pg.load([provinces / "shandong"]).ok
    assert sources_of(pg) == {"1.txt": "兰政办发〔2021〕7号"}
    refused = pg.load([provinces / "fujian"])
    assert refused.documents == 0 and [f.source for f in refused.failures] == ["1.txt"]
    reason = refused.failures[0].reason
    assert (provinces / "shandong" / "1.txt").as_posix() in reason
    assert (provinces / "fujian" / "1.txt").as_posix() in reason and "--force" in reason
    assert sources_of(pg) == {"1.txt": "兰政办发〔2021〕7号"}  # untouched
    forced = pg.load([provinces / "fujian"], force=True)
    assert forced.ok and forced.documents == 1
    assert sources_of(pg) == {"1.txt": "宁政〔2019〕12号"}
    assert loaded_from(pg) == {"1.txt": (provinces / "fujian" / "1.txt").as_posix()}
    assert_conforms(pg)


def test_the_same_content_from_another_folder_is_not_a_clash(provinces: Path):
    pg = PolicyGraph.open(memory=True)
    pg.load([provinces / "shandong"])
    (provinces / "copy").mkdir()
    shutil.copy(provinces / "shandong" / "1.txt", provinces / "copy" / "1.txt")
    report = pg.load([provinces / "copy"])
    assert report.ok and report.unchanged == 1


def test_the_same_folder_loaded_twice(seeds_copy: Path):
    pg = PolicyGraph.open(memory=True)
    first = pg.load([seeds_copy])
    assert first.ok and first.documents == 5
    second = pg.load([seeds_copy])
    assert second.ok and second.documents == 0 and second.unchanged == 5
    assert set(loaded_from(pg)) == set(SEED_FILES.values())


def test_clashes_in_one_load_are_reported_and_the_rest_loads(provinces: Path):
    (provinces / "other" / "shandong").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_FILES["000"], provinces / "other" / "shandong" / "1.txt")
    shutil.copy(SEEDS / SEED_FILES["001"], provinces / "other" / "2.txt")
    pg = PolicyGraph.open(memory=True)
    report = pg.load([provinces / "shandong", provinces / "fujian", provinces / "other"])
    assert sorted(f.source for f in report.failures) == ["shandong/1.txt", "shandong/1.txt"]
    assert report.documents == 2
    assert set(sources_of(pg)) == {"fujian/1.txt", "2.txt"}


def test_origin_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert origin("a/1.txt") == (tmp_path / "a" / "1.txt").as_posix()


# --- commands on a store that is not there -------------------------------------------------

def run(*args: str, env: dict | None = None):
    from click.testing import CliRunner

    from policykg.cli import main

    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("command", [
    ["docs"], ["docs", "--all"], ["lineage", "厦府办〔2015〕134号"], ["tasks", "x.txt"], ["agencies"],
    ["remove", "x.txt"], ["query", "SELECT * WHERE { ?s ?p ?o }"], ["query", "documents-by"],
    ["export"], ["export", "--format", "graphml", "-o", "OUT"],
    ["render", "lineage", "x.txt", "-o", "OUT"], ["render", "agencies", "-o", "OUT"],
    ["render", "corpus", "-o", "OUT"], ["serve"],
])
def test_commands_other_than_load_need_a_store(tmp_path: Path, command: list[str]):
    missing = tmp_path / "nowhere"
    args = [str(tmp_path / "out.html") if a == "OUT" else a for a in command]
    result = run(*args, "--store", str(missing))
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: no store at {missing}: load notices first"), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert not missing.exists()  # nothing created
    # the same from $POLICYKG_STORE, and an empty folder is no store either
    missing.mkdir()
    result = run(*args, env={"POLICYKG_STORE": str(missing)})
    assert result.exit_code == 1 and f"no store at {missing}: load notices first" in result.output
    assert list(missing.iterdir()) == []


def test_load_creates_the_store(tmp_path: Path):
    store = tmp_path / "new"
    assert run("load", str(SEEDS / SEED_FILES["000"]), "--store", str(store)).exit_code == 0
    assert run("docs", "--store", str(store)).exit_code == 0


def test_the_api_opens_a_missing_store_only_when_asked_to_create_it(tmp_path: Path):
    from policykg.errors import StoreError

    with pytest.raises(StoreError, match="no store at .*: load notices first"):
        PolicyGraph.open(tmp_path / "a", create=False)
    with pytest.raises(StoreError, match="no store at"):
        PolicyGraph.open(tmp_path / "a", read_only=True)
    assert not (tmp_path / "a").exists()
    PolicyGraph.open(tmp_path / "a").close()  # the default creates it, as before
    assert (tmp_path / "a").is_dir()
