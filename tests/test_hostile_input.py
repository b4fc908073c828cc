"""Hostile and damaged input: huge files, bad bytes, special files, the same notice many times."""

from __future__ import annotations

import time
from pathlib import Path

from policykg.api import SourceFile, extract_file
from policykg.loaders import tasks

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
