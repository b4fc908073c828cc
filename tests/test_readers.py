"""Reading commands open the store read-only: they never modify it, they work while another
process holds it for writing, and a damaged store is a clear error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.cli import main
from policykg.graph.store import Store
from tests.conftest import SEEDS

READING = [
    ["docs"],
    ["lineage", "厦府办〔2015〕134号"],
    ["tasks", "焦政〔2017〕12号"],
    ["agencies", "--limit", "3"],
    ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
]


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def loaded(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["load", str(SEEDS), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return store


@pytest.mark.parametrize("args", READING, ids=lambda a: a[0])
def test_reading_commands_leave_the_store_as_it_was(loaded: Path, args: list[str]) -> None:
    before = _digest(loaded)
    result = CliRunner().invoke(main, [*args, "--store", str(loaded)])
    assert result.exit_code == 0, result.output
    assert _digest(loaded) == before


@pytest.mark.parametrize("args", READING, ids=lambda a: a[0])
def test_reading_while_the_store_is_open_for_writing(loaded: Path, args: list[str]) -> None:
    writer = Store(loaded)  # holds the store's write lock, as a running load does
    try:
        result = CliRunner().invoke(main, [*args, "--store", str(loaded)])
        assert result.exit_code == 0, result.output
        assert result.output.strip()
    finally:
        writer.close()


def test_a_damaged_store_is_a_clear_error_and_is_not_modified(loaded: Path) -> None:
    (loaded / "CURRENT").unlink()
    before = _digest(loaded)
    for _ in range(2):
        result = CliRunner().invoke(main, ["docs", "--store", str(loaded)])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert str(loaded) in result.output
    assert _digest(loaded) == before
