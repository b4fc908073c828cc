"""Hostile and damaged input: huge files, bad bytes, special files, the same notice many times."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.api import SourceFile, extract_file
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
