"""The command line: exit codes and output, over a store on disk."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.cli import main
from tests.conftest import SEED_FILES, SEEDS


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory) -> str:
    store = str(tmp_path_factory.mktemp("cli") / "store")
    result = CliRunner().invoke(main, ["load", str(SEEDS), "--store", store])
    assert result.exit_code == 0, result.output
    return store


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_load_summary(tmp_path: Path):
    store = str(tmp_path / "s")
    result = run("load", str(SEEDS), "--store", store)
    assert result.exit_code == 0, result.output
    assert "documents loaded: 5" in result.output
    assert "failures: 0" in result.output
    again = run("load", str(SEEDS), "--store", store)
    assert "unchanged (skipped): 5" in again.output


def test_load_reports_bad_files_and_exits_1(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_FILES["000"], folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    result = run("load", str(folder), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "documents loaded: 1" in result.output
    assert "failures: 1" in result.output
    assert "b.txt: " in result.output


def test_store_from_environment(tmp_path: Path):
    store = str(tmp_path / "envstore")
    result = run("load", str(SEEDS / SEED_FILES["003"]), env={"POLICYKG_STORE": store})
    assert result.exit_code == 0, result.output
    assert Path(store).is_dir()
    docs = run("docs", "--format", "csv", env={"POLICYKG_STORE": store})
    assert "辽宁省人民政府办公厅" in docs.output


def test_docs_table(loaded_store):
    result = run("docs", "--store", loaded_store)
    assert result.exit_code == 0
    assert "厦府办〔2015〕134号" in result.output
    assert "焦政〔2017〕12号" in result.output
    rows = list(csv.DictReader(io.StringIO(run("docs", "--store", loaded_store, "--format", "csv").output)))
    assert len(rows) == 5
    by_number = {r["number"]: r for r in rows}
    assert by_number["厦府办〔2015〕134号"]["date"] == "2015-07-15"
    assert by_number["厦府办〔2015〕134号"]["region"] == "厦门市"
    assert by_number["厦府办〔2015〕134号"]["level"] == "municipal"


def test_lineage_up(loaded_store):
    for doc in ("厦府办〔2015〕134号", "厦府办[2015]134号", "厦府办（2015）134号"):
        result = run("lineage", doc, "--store", loaded_store)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0].startswith("厦府办〔2015〕134号")
        assert any("国办发〔2015〕19号" in line for line in lines[1:])
        assert any("质量发展纲要" in line for line in lines[1:])


def test_lineage_down(loaded_store):
    result = run("lineage", "国发〔2012〕9号", "--down", "--store", loaded_store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["number"] for r in rows if r["depth"] == 1} == {"厦府办〔2015〕134号"}


def test_lineage_unknown_document(loaded_store):
    result = run("lineage", "京政发〔1999〕1号", "--store", loaded_store)
    assert result.exit_code == 1
    assert "Error: no document" in result.output


def test_query_formats(loaded_store):
    q = "SELECT ?n WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } ORDER BY ?n"
    result = run("query", q, "--store", loaded_store, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["n"]
    values = [b["n"]["value"] for b in data["results"]["bindings"]]
    assert "厦府办〔2015〕134号" in values and values == sorted(values)
    assert data["results"]["bindings"][0]["n"]["type"] == "literal"
    csv_out = run("query", q, "--store", loaded_store, "--format", "csv").output
    assert csv_out.splitlines()[0] == "n"
    tsv_out = run("query", q, "--store", loaded_store, "--format", "tsv").output
    assert tsv_out.splitlines()[0] == "?n"
    assert '"厦府办〔2015〕134号"' in tsv_out


def test_query_from_file_and_invalid_query(loaded_store, tmp_path: Path):
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert run("query", "-f", str(f), "--store", loaded_store).output.strip() == "true"
    bad = run("query", "SELEC nothing", "--store", loaded_store)
    assert bad.exit_code == 1 and "Error:" in bad.output


def test_query_is_read_only(loaded_store):
    result = run("query", "DROP ALL", "--store", loaded_store)
    assert result.exit_code == 1
    assert run("docs", "--store", loaded_store, "--format", "csv").output.count("\n") == 6


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle", "nt", "jsonld"])
def test_export(loaded_store, tmp_path: Path, fmt: str):
    out = tmp_path / f"export.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--store", loaded_store)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "厦府办〔2015〕134号" in text
    if fmt == "nquads":
        assert "<https://w3id.org/policykg/graph/source/" in text


def test_every_command_has_help():
    for name, command in main.commands.items():
        assert command.help, name
        assert run(name, "--help").exit_code == 0


def test_tasks_command(loaded_store):
    result = run("tasks", "厦府办〔2015〕134号", "--store", loaded_store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 18
    second = rows[1]
    assert (second["label"], second["heading"]) == ("(二)", "大力提高劳动者技能")
    assert set(second["responsible"]) == {"厦门市教育局", "厦门市人力资源和社会保障局", "厦门市质量技术监督局", "厦门出入境检验检疫局"}


def test_tasks_command_shows_the_tree(loaded_store):
    result = run("tasks", "焦政〔2017〕12号", "--store", loaded_store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].split()[:2] == ["1", "(一)"] and lines[3].split()[:2] == ["2", "1."]
    assert lines[3].index("1.") == lines[2].index("(一)") + 2  # a sub-task is indented under its task
    assert lines[-1] == "17 tasks: 4 top-level, 13 leaf"
    rows = json.loads(run("tasks", "焦政〔2017〕12号", "--store", loaded_store, "--format", "json").output)
    assert [(r["path"], r["parent"], r["depth"]) for r in rows[:3]] == [
        ("二、(一)", None, 0),
        ("二、(一)1.", "二、(一)", 1),
        ("二、(一)2.", "二、(一)", 1),
    ]
    header = run("tasks", "焦政〔2017〕12号", "--store", loaded_store, "--format", "csv").output.splitlines()[0]
    assert header.startswith("ordinal,path,parent,depth,label,heading")


def test_agencies_command(loaded_store):
    result = run("agencies", "--region", "辽宁省", "--role", "coordinating", "--store", loaded_store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert "辽宁省食品安全委员会办公室" in {r["agency"] for r in rows}
    assert all(r["coordinating"] > 0 for r in rows)
    per_doc = json.loads(run("agencies", "--doc", "厦府办〔2015〕134号", "--store", loaded_store, "--format", "json").output)
    assert per_doc and all(r["region"] in ("厦门市", None) or r["region"] == "福建省" for r in per_doc)
    assert {r["agency"] for r in per_doc} >= {"厦门市质量技术监督局", "厦门出入境检验检疫局"}


def test_remove_command(tmp_path: Path):
    store = str(tmp_path / "s")
    run("load", str(SEEDS), "--store", store)
    result = run("remove", "焦政〔2017〕12号", SEED_FILES["003"], "--store", store)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"removed: {SEED_FILES['001']}", f"removed: {SEED_FILES['003']}"]
    rows = list(csv.DictReader(io.StringIO(run("docs", "--store", store, "--format", "csv").output)))
    assert len(rows) == 3
    missing = run("remove", "国办发〔2015〕19号", "--store", store)
    assert missing.exit_code == 1 and "known only from citations" in missing.output


def test_export_shards(loaded_store, tmp_path: Path):
    out = tmp_path / "shards"
    result = run("export", "--format", "nquads", "--shard-size", "800", "-o", str(out), "--store", loaded_store)
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*.nq"))
    assert len(parts) >= 3 and [p.name for p in parts][0] == "part-00000.nq"
    whole = run("export", "--format", "nquads", "--store", loaded_store).output
    lines = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines() if line]
    assert sorted(lines) == sorted(line for line in whole.splitlines() if line)
    assert run("export", "--format", "trig", "--shard-size", "10", "-o", str(out), "--store", loaded_store).exit_code == 2
