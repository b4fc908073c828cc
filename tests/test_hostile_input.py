"""Hostile and damaged input: huge files, bad bytes, special files, the same notice many times."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.api import Extracted, Failure, PolicyGraph, SourceFile, collect, extract_all, extract_file
from policykg.cli import main
from policykg.errors import ReadError
from policykg.loaders import read, tasks

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"


# ---------------------------------------------------------------- huge files


def test_table_rows_are_matched_without_comparing_every_pair(monkeypatch):
    """3,000 table rows against 3,000 tasks: each row compares a bounded number of headings."""
    calls = 0
    similarity = tasks._similarity

    def counted(*args):
        nonlocal calls
        calls += 1
        return similarity(*args)

    monkeypatch.setattr(tasks, "_similarity", counted)
    headings = [f"推进第{n}项滨海片区智慧园区建设工程" for n in range(3000)]
    rows = [tasks._Row(str(n), h, "", [], (0, 0)) for n, h in enumerate(headings)]
    rows += [tasks._Row("x", "完善雁栖湖第7项水系治理联动机制", "", [], (0, 0))]  # alike to nothing
    matched = tasks._match_rows(headings, rows)
    assert all(matched[n] == n for n in range(3000))  # the same heading: that task
    assert 3000 not in matched
    assert calls <= 2 * tasks.MATCH_WINDOW + 1  # before: 3,001 × 3,000 comparisons


def test_table_rows_match_alike_headings_nearby():
    headings = ["加快推进产业园区基础设施建设", "强化要素保障", "健全工作机制"]
    rows = [tasks._Row("1", "加快产业园区基础设施建设", "", [], (0, 0)),
            tasks._Row("2", "健全工作机制", "", [], (0, 0))]
    assert tasks._match_rows(headings, rows) == {0: 0, 1: 2}


def test_a_file_of_repeated_notices_is_extracted_in_time_proportional_to_its_size(tmp_path):
    """The seeds repeated into a 2 MB file (before: 52-87 s, nearly all in matching)."""
    one = b"".join(p.read_bytes() for p in sorted(SEEDS.glob("*.txt")))
    path = tmp_path / "big.txt"
    path.write_bytes(one * 22)
    started = time.monotonic()
    result = extract_file(SourceFile(path, "big.txt"))
    elapsed = time.monotonic() - started
    assert hasattr(result, "lines"), result
    assert len(result.lines) > 20 * 1000
    assert elapsed < 30, f"{elapsed:.1f} s"


# ---------------------------------------------------------------- bad bytes

NOTICE = """关于推进滨江新区数字经济产业园建设的实施意见
临政办发〔2024〕17号

各区人民政府，市政府各部门：
为加快滨江新区数字经济发展，现提出如下意见。
一、完善园区基础设施（牵头单位：市发展改革委；责任单位：市工业和信息化局、市自然资源和规划局）
二、强化人才保障（牵头单位：市人力资源社会保障局）

临川市人民政府办公室
2024年3月5日
"""


def _damaged(encoding: str) -> dict[str, tuple[bytes, int, int]]:
    """name → (bytes, bad bytes, offset of the first) of the notice with a few bad bytes."""
    data = NOTICE.encode(encoding)
    cut = len(NOTICE[:60].encode(encoding))  # a character boundary
    last = "园".encode(encoding)
    return {
        "ff": (data[:cut] + b"\xff" + data[cut:], 1, cut),
        "cut": (data + last[:1], 1, len(data)),
        "nul": (data[:cut] + b"\x00" + data[cut:], 1, cut),
    }


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("damage", ["ff", "cut", "nul"])
def test_a_few_bad_bytes_are_read_as_replacement_characters(encoding, damage):
    data, count, first = _damaged(encoding)[damage]
    text = read.read_bytes(data, "notice.txt")
    assert text.bad_bytes == read.BadBytes(count, first)
    assert text.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    assert text.text.count("\ufffd") == 1
    assert "市发展改革委" in text.text


def test_binary_files_stay_rejected():
    with pytest.raises(ReadError, match="binary file"):
        read.read_bytes(random.Random(1).randbytes(20_000), "x.txt")
    with pytest.raises(ReadError, match="cannot decode"):
        read.read_bytes(random.Random(1).randbytes(20_000).replace(b"\x00", b""), "x.txt")
    with pytest.raises(ReadError, match="binary file"):
        read.read_bytes(b"\x89PNG\r\n\x1a\n" + NOTICE.encode(), "x.txt")
    many = bytearray(NOTICE.encode("gbk") * 3)
    many[::40] = b"\xff" * len(many[::40])  # more than a few bad bytes: not this encoding's text
    with pytest.raises(ReadError, match="cannot decode"):
        read.read_bytes(bytes(many), "x.txt")


def test_load_reports_bad_bytes_and_loads_the_document(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    for encoding in ("utf-8", "gbk"):
        for damage, (data, _, _) in _damaged(encoding).items():
            (folder / f"{encoding}-{damage}.txt").write_bytes(data)
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / "store"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "documents loaded: 6" in result.output
    assert "failures: 0" in result.output
    assert "could not be decoded (read as U+FFFD, loaded): 6" in result.output
    first = len(NOTICE[:60].encode("utf-8"))
    assert f"utf-8-ff.txt: 1 bad bytes, the first at byte {first}" in result.output


# ---------------------------------------------------------------- special entries


def _load(tmp_path, *paths):
    return CliRunner().invoke(main, ["load", *map(str, paths), "--store", str(tmp_path / "store"), "-j", "1"])


def test_a_fifo_given_as_an_argument_is_rejected_at_once(tmp_path):
    fifo = tmp_path / "notice.txt"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    started = time.monotonic()
    result = _load(tmp_path, fifo, SEEDS / "000_08e496a476ab88e2.txt")
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    assert "documents loaded: 1" in result.output
    assert "notice.txt: not a regular file (a FIFO): not read" in result.output


def test_a_device_given_as_an_argument_is_rejected():
    result = extract_file(SourceFile(Path("/dev/zero"), "zero"))  # would be read until memory runs out
    assert result == Failure("zero", "not a regular file (a device): not read")


def test_broken_entries_in_a_folder_are_reported_like_other_failures(tmp_path):
    folder = tmp_path / "notices"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_bytes(NOTICE.encode())
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    os.mkfifo(folder / "pipe.txt")
    result = _load(tmp_path, folder)
    assert result.exit_code == 1
    assert "documents loaded: 1" in result.output
    assert "failures: 4" in result.output
    assert f"gone.txt: dangling symbolic link (to {folder / 'missing.txt'}): not read" in result.output
    assert "loop1.txt: symbolic link loop: not read" in result.output
    assert "loop2.txt: symbolic link loop: not read" in result.output
    assert "pipe.txt: not a regular file (a FIFO): not read" in result.output


def test_an_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    """Tests run as root, who reads any folder: the listing of one sub-folder is made to fail."""
    folder = tmp_path / "notices"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "b.txt").write_bytes(NOTICE.encode())
    (folder / "a.txt").write_bytes(NOTICE.encode())
    scandir = os.scandir

    def refusing(path="."):
        if Path(path) == folder / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    report = PolicyGraph.open(memory=True).load([folder])
    assert report.documents == 1
    assert report.failures == [Failure("locked", "cannot read the folder: Permission denied")]


@pytest.mark.parametrize("depth", [5_000, 50_000])
@pytest.mark.parametrize("closed", [True, False])
def test_html_nested_thousands_deep_is_read(tmp_path, depth, closed):
    body = NOTICE.replace("\n", "<br>")
    html = "<html><body>" + "<div><span>" * depth + body + ("</span></div>" * depth if closed else "")
    path = tmp_path / "deep.html"
    path.write_text(html + "</body></html>", encoding="utf-8")
    result = extract_file(SourceFile(path, "deep.html"))
    assert isinstance(result, Extracted), result
    assert result.number == "临政办发〔2024〕17号"


# ---------------------------------------------------------------- a time budget per file


def test_a_file_over_its_time_budget_is_reported_and_skipped(tmp_path, monkeypatch):
    """One job: the budget interrupts the extraction in this process."""
    import policykg.api as api

    extract_notice = api.extract_notice

    def slow_on_b(text, *, source, **kw):
        if source == "b.txt":
            time.sleep(30)
        return extract_notice(text, source=source, **kw)

    monkeypatch.setattr(api, "extract_notice", slow_on_b)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(NOTICE.replace("17号", f"1{ord(name[0])}号").encode())
    started = time.monotonic()
    report = PolicyGraph.open(memory=True).load([tmp_path], file_timeout=1)
    assert time.monotonic() - started < 20
    assert report.failures == [Failure("b.txt", "took longer than 1 s: skipped")]
    assert report.documents == 2


def test_the_cli_takes_a_file_timeout(tmp_path):
    result = CliRunner().invoke(main, ["load", "--help"])
    assert "--file-timeout S" in result.output


def test_a_slow_file_in_the_pool_holds_back_no_other(tmp_path):
    """Two workers: a 40 MB file runs out of its budget in one while the other extracts the
    seeds, whose results come first."""
    folder = tmp_path / "notices"
    folder.mkdir()
    one = b"".join(p.read_bytes() for p in sorted(SEEDS.glob("*.txt")))
    (folder / "0-big.txt").write_bytes(one * 430)
    names = []
    for n in range(12):
        for p in sorted(SEEDS.glob("*.txt"))[:1]:
            (folder / f"{n:02d}-{p.name}").write_bytes(p.read_bytes())
            names.append(f"{n:02d}-{p.name}")
    files = collect([folder])
    results = [(sf.source, result) for sf, result in extract_all(files, jobs=2, budget=6)]
    assert results[-1] == ("0-big.txt", Failure("0-big.txt", "took longer than 6 s: skipped"))
    assert sorted(source for source, r in results if isinstance(r, Extracted)) == names


# ---------------------------------------------------------------- the same notice in many files


def _copies(root: Path, k: int) -> Path:
    """The seeds copied under ``k`` folders (mirrors of one another)."""
    for i in range(k):
        (root / f"mirror{i}").mkdir(parents=True)
        for p in SEEDS.glob("*.txt"):
            shutil.copy(p, root / f"mirror{i}" / p.name)
    return root


def _without_sources(rows):
    return [{k: v for k, v in r.items() if k != "source"} for r in rows]


@pytest.fixture(scope="module")
def one_and_six(tmp_path_factory):
    graphs = []
    for k in (1, 6):
        pg = PolicyGraph.open(memory=True)
        report = pg.load([_copies(tmp_path_factory.mktemp(f"copies{k}"), k)])
        assert report.ok and report.documents == 5 * k
        graphs.append(pg)
    return graphs


def test_commands_give_each_fact_once_however_many_files_state_it(one_and_six):
    one, six = one_and_six
    docs = [d["iri"] for d in one.documents()]
    assert _without_sources(six.documents()) == _without_sources(one.documents())
    assert six.agencies() == one.agencies()
    for doc in docs:
        assert _without_sources(six.tasks(doc)) == _without_sources(one.tasks(doc))
        assert _without_sources(six.lineage(doc)) == _without_sources(one.lineage(doc))
        assert _without_sources(six.lineage(doc, down=True)) == _without_sources(one.lineage(doc, down=True))
    assert sum(len(one.tasks(doc)) for doc in docs) > 100


def test_named_queries_give_each_row_once_however_many_files_state_it(one_and_six):
    from policykg import queries as Q

    params = {"lineage-down": {"doc": "国办发〔2015〕19号"}, "siblings": {"doc": "厦府办〔2015〕134号"},
              "diffusion": {"superior": "国办发〔2015〕19号"}, "documents-by": {"in_region": "福建省"}}
    for q in Q.list_queries():
        if q.name == "lineage-up":
            continue  # no seed is based on a loaded seed
        answers = [[{k: str(v) for k, v in r.items() if k != "source"}
                    for r in Q.rows(Q.execute(pg.store, q.text, Q.bind_params(pg.store, q, params.get(q.name, {}))))]
                   for pg in one_and_six]
        assert answers[0] == answers[1], q.name


MEASURE = """
import resource, sys
from policykg.api import PolicyGraph
pg = PolicyGraph.open(sys.argv[1], read_only=True)
for d in [d["iri"] for d in pg.documents()]:
    pg.tasks(d)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_tasks_of_a_notice_in_16_files_stay_within_flat_memory(tmp_path):
    """Before: one query joined every property of a task once per file (6 files: 2.5 GB, 16:
    killed at 15 GB)."""
    peak = {}
    for k in (1, 16):
        store = tmp_path / f"store{k}"
        assert PolicyGraph.open(store).load([_copies(tmp_path / f"copies{k}", k)]).ok
        run = subprocess.run([sys.executable, "-c", MEASURE, str(store)], capture_output=True, text=True,
                             timeout=300, check=True)
        peak[k] = int(run.stdout.split()[-1])  # KiB
    assert peak[16] < 1.5 * peak[1] + 50_000, peak


def test_load_reports_files_that_repeat_another(tmp_path):
    folder = _copies(tmp_path / "notices", 2)
    result = _load(tmp_path, folder)
    assert result.exit_code == 0, result.output
    assert "duplicate files (a document another file states too, each fact counted once): 5" in result.output
    assert "mirror1/000_08e496a476ab88e2.txt = mirror0/000_08e496a476ab88e2.txt" in result.output
    again = tmp_path / "again"  # a later load of a third copy names the one in the store
    again.mkdir()
    shutil.copy(SEEDS / "001_2de2f1255edc3fc5.txt", again / "copy.txt")
    report = PolicyGraph.open(tmp_path / "store").load([again])
    assert [(d.source, d.of) for d in report.duplicate_files] == [("copy.txt", "mirror0/001_2de2f1255edc3fc5.txt")]
