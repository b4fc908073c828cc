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


def test_a_file_keeps_the_name_it_was_first_loaded_under(provinces: Path):
    pg = PolicyGraph.open(memory=True)
    assert pg.load([provinces / "shandong"]).ok
    report = pg.load([provinces / "shandong", provinces / "fujian"])  # both: fujian's is told apart
    assert report.ok and report.unchanged == 1 and report.documents == 1
    assert sources_of(pg) == {"1.txt": "兰政办发〔2021〕7号", "fujian/1.txt": "宁政〔2019〕12号"}


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


# --- every document addressable by its source ------------------------------------------------

ROW_SOURCE = "corpus.jsonl#sd_central_46"
# A notice held as a table row (its source FILE#ID), implementing the Shandong notice.
ROW_TEXT = """兰陵县农业农村局关于落实蔬菜产业提升行动方案的通知
兰农发〔2021〕3号
各镇农业综合服务中心：
为贯彻落实《兰陵县蔬菜产业提升行动方案》（兰政办发〔2021〕7号），现就有关事项通知如下。
兰陵县农业农村局
2021年4月1日
"""
UNTITLED = "值班&<i>安排.txt"  # no number, no title; characters that must be escaped in HTML
UNTITLED_TEXT = "各有关单位：\n请做好春节期间值班工作，确保安全。\n\n2020年1月10日\n"


def add_row(pg: PolicyGraph, source: str, text: str) -> None:
    """Write a table row's named graph as a table loader does: extracted from its text, under FILE#ID."""
    import hashlib

    from policykg.graph import triples
    from policykg.loaders.extract import extract_notice

    notice = extract_notice(text, source=source, sha256=hashlib.sha256(text.encode()).hexdigest())
    lines, entity_lines = triples.notice_lines(notice)
    pg.store.replace_graphs_nt({str(triples.graph_iri(notice)): lines}, {str(iri.ENTITIES_GRAPH): entity_lines})
    pg.resolve()


@pytest.fixture(scope="module")
def addressable(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding shandong/1.txt, fujian/1.txt, an untitled file and a table row."""
    root = tmp_path_factory.mktemp("addressable")
    for folder, text in (("shandong", SHANDONG), ("fujian", FUJIAN)):
        (root / folder).mkdir()
        (root / folder / "1.txt").write_text(text, encoding="utf-8")
    (root / "misc").mkdir()
    (root / "misc" / UNTITLED).write_text(UNTITLED_TEXT, encoding="utf-8")
    store = str(root / "store")
    loaded = run("load", str(root / "shandong"), str(root / "fujian"), str(root / "misc"), "--store", store)
    assert loaded.exit_code == 0, loaded.output
    with PolicyGraph.open(store) as pg:
        add_row(pg, ROW_SOURCE, ROW_TEXT)
    return store


def test_docs_show_the_source_and_the_iri(addressable: str):
    import csv
    import io
    import json

    table = run("docs", "--store", addressable)
    assert table.exit_code == 0, table.output
    header = table.output.splitlines()[0].split()
    assert header == ["number", "title", "issuers", "date", "level", "region", "source"]
    untitled = next(line for line in table.output.splitlines() if UNTITLED in line)
    assert untitled.split() == ["2020-01-10", UNTITLED]  # no number, no title: its source names it
    rows = {r["source"]: r for r in csv.DictReader(io.StringIO(run("docs", "--store", addressable, "--format", "csv").output))}
    assert set(rows) == {"shandong/1.txt", "fujian/1.txt", UNTITLED, ROW_SOURCE}
    assert rows["shandong/1.txt"]["number"] == "兰政办发〔2021〕7号"
    assert rows[ROW_SOURCE]["number"] == "兰农发〔2021〕3号"
    assert "iri" not in rows["fujian/1.txt"]
    docs = json.loads(run("docs", "--store", addressable, "--format", "json").output)
    by_source = {d["source"]: d for d in docs}
    assert by_source["fujian/1.txt"]["iri"] == str(iri.doc_by_number("宁政〔2019〕12号"))
    assert by_source[UNTITLED]["iri"].startswith(str(iri.BASE) + "id/doc/f-")
    assert by_source[UNTITLED]["number"] is None and by_source[UNTITLED]["title"] is None


@pytest.mark.parametrize("given", ["shandong/1.txt", "兰政办发[2021]7号", "兰陵县蔬菜产业提升行动方案"])
def test_lineage_down_by_source_number_or_title(addressable: str, given: str):
    import json

    rows = json.loads(run("lineage", given, "--down", "--format", "json", "--store", addressable).output)
    assert [(r["depth"], r["source"]) for r in rows] == [(0, "shandong/1.txt"), (1, ROW_SOURCE)]
    assert rows[1]["parent"] == rows[0]["iri"]


@pytest.mark.parametrize("given", [ROW_SOURCE, "sd_central_46"])
def test_lineage_of_a_table_row_by_its_source_or_row_id(addressable: str, given: str):
    result = run("lineage", given, "--store", addressable)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("兰农发〔2021〕3号") and lines[0].endswith(f"[{ROW_SOURCE}]")
    assert "兰政办发〔2021〕7号" in lines[1] and lines[1].endswith("[shandong/1.txt]")


def test_a_document_without_number_and_title_is_labelled_by_its_source(addressable: str):
    result = run("lineage", UNTITLED, "--store", addressable)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{UNTITLED}  2020-01-10"]


def test_the_end_of_a_source_must_be_unique(addressable: str):
    result = run("lineage", "1.txt", "--store", addressable)
    assert result.exit_code == 1
    assert result.output.startswith("Error: '1.txt' is the end of several sources (fujian/1.txt, shandong/1.txt)")
    missing = run("lineage", "hubei/1.txt", "--store", addressable)
    assert missing.exit_code == 1
    assert "no document matches 'hubei/1.txt' (by IRI, source, 发文字号 or title)" in missing.output
    # a part of a name is not the end of a source
    assert run("lineage", "1.txt"[1:], "--store", addressable).exit_code == 1


def test_tasks_and_agencies_by_source(addressable: str):
    import json

    rows = json.loads(run("tasks", "shandong/1.txt", "--format", "json", "--store", addressable).output)
    assert all(r["source"] == "shandong/1.txt" for r in rows)
    assert all(r["document"] == str(iri.doc_by_number("兰政办发〔2021〕7号")) for r in rows)
    assert all(r["iri"].startswith(r["document"] + "/task/") for r in rows)
    header = run("tasks", ROW_SOURCE, "--store", addressable).output.splitlines()[0].split()
    assert header[-1] == "source"
    agencies = run("agencies", "--doc", "sd_central_46", "--format", "json", "--store", addressable)
    assert agencies.exit_code == 0, agencies.output
    assert all("iri" in a for a in json.loads(agencies.output))


def test_named_query_document_parameters_take_sources(addressable: str):
    import json

    for given in ("sd_central_46", ROW_SOURCE):
        result = run("query", "lineage-up", "-p", f"doc={given}", "--format", "json", "--store", addressable)
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)["results"]["bindings"]
        assert [r["number"]["value"] for r in rows] == ["兰政办发〔2021〕7号"]
    down = run("query", "lineage-down", "-p", "doc=shandong/1.txt", "--format", "json", "--store", addressable)
    rows = json.loads(down.output)["results"]["bindings"]
    assert [(r["number"]["value"], r["source"]["value"]) for r in rows] == [("兰农发〔2021〕3号", ROW_SOURCE)]
    ambiguous = run("query", "lineage-up", "-p", "doc=1.txt", "--store", addressable)
    assert ambiguous.exit_code == 1 and "end of several sources" in ambiguous.output


def test_render_lineage_by_source_labels_and_escapes(addressable: str, tmp_path: Path):
    out = tmp_path / "view.html"
    result = run("render", "lineage", UNTITLED, "-o", str(out), "--store", addressable)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert UNTITLED not in page and "值班&amp;&lt;i&gt;安排.txt" in page  # the file name is text, never markup
    import json
    import re

    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    assert [n["label"] for n in nodes] == [UNTITLED]
    result = run("render", "lineage", "sd_central_46", "-o", str(out), "--store", addressable)
    assert result.exit_code == 0, result.output
    result = run("render", "corpus", "-o", str(out), "--store", addressable)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    documents = {n["label"] for n in nodes if n.get("kind") == "document"}
    assert UNTITLED in documents and "" not in documents and UNTITLED not in page


def test_remove_by_source_or_its_unique_end(addressable: str, tmp_path: Path):
    store = tmp_path / "store"
    shutil.copytree(addressable, store)
    removed = run("remove", "fujian/1.txt", "--store", str(store))
    assert removed.exit_code == 0, removed.output
    assert removed.output.splitlines() == ["removed: fujian/1.txt"]
    removed = run("remove", "1.txt", "sd_central_46", "--store", str(store))  # unique ends now
    assert removed.output.splitlines() == ["removed: corpus.jsonl#sd_central_46", "removed: shandong/1.txt"]
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("docs", "--store", str(store), "--format", "csv").output)))
    assert [r["source"] for r in rows] == [UNTITLED]


def test_load_command_refuses_without_force_and_replaces_with_it(provinces: Path):
    store = str(provinces / "store")
    assert run("load", str(provinces / "shandong"), "--store", store).exit_code == 0
    refused = run("load", str(provinces / "fujian"), "--store", store)
    assert refused.exit_code == 1
    assert "documents loaded: 0" in refused.output and "failures: 1" in refused.output
    assert f"  1.txt: already loaded from {(provinces / 'shandong' / '1.txt').as_posix()}" in refused.output
    forced = run("load", str(provinces / "fujian"), "--force", "--store", store)
    assert forced.exit_code == 0 and "documents loaded: 1" in forced.output
    assert "宁政〔2019〕12号" in run("docs", "--store", store).output
    both = run("load", str(provinces / "shandong"), str(provinces / "fujian"), "--store", store)
    assert both.exit_code == 0, both.output  # shandong's is told apart now: shandong/1.txt
    rows = run("docs", "--format", "csv", "--store", store).output.splitlines()
    assert sorted(r.rsplit(",", 1)[1] for r in rows[1:]) == ["1.txt", "shandong/1.txt"]
