"""Crash safety: a load or remove killed at any moment and run again gives what an uninterrupted
run gives; workers end with their parent; a remove leaves what a fresh load of the rest gives;
files are written whole, with the user's umask; the store folder does not grow a log per command.
(issue 13, "Crash safety"; the thorough kill campaign is ``bench/crash``.)"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.api import PolicyGraph
from policykg.cli import main
from policykg.graph import pending, resolve

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("crash_harness", ROOT / "bench" / "crash_harness.py")
harness = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
sys.modules["crash_harness"] = harness
spec.loader.exec_module(harness)  # type: ignore[union-attr]

linux = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds loaded into a store (closed: commands open it)."""
    store = tmp_path_factory.mktemp("seed-store") / "store"
    with PolicyGraph.open(store) as pg:
        pg.load([ROOT / "samples" / "seeds"])
    return store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds and 25 generated notices (agencies with functions, governments, citations)."""
    return harness.make_corpus(tmp_path_factory.mktemp("crash") / "corpus", 25)


def _nquads(pg: PolicyGraph, folder: Path, as_folder: Path) -> list[str]:
    # a fresh load reads the same files from another folder: its plo:loadedFrom paths differ
    return [line.replace(str(folder), str(as_folder)) for line in pg.store.nquads().splitlines()]


@pytest.mark.parametrize("share", [0.1, 0.5])  # resolved incrementally, and afresh
def test_remove_equals_fresh_load_of_the_rest(corpus: Path, tmp_path: Path, share: float) -> None:
    files = sorted(str(f.relative_to(corpus)) for f in corpus.rglob("*.txt"))
    gone = sorted(random.Random(0).sample(files, max(2, int(len(files) * share))))
    rest = tmp_path / "rest"
    for name in files:
        if name not in gone:
            (rest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus / name, rest / name)
    with PolicyGraph.open(memory=True) as pg:
        pg.load([corpus])
        assert sorted(pg.remove(gone)) == gone
        after_remove = pg.store.nquads().splitlines()
    with PolicyGraph.open(memory=True) as pg:
        pg.load([rest])
        fresh = _nquads(pg, rest, corpus)
    assert sorted(after_remove) == sorted(fresh)  # nothing excluded: entities, derived, sources


def test_agency_named_by_a_removed_notice_only_loses_its_function(tmp_path: Path) -> None:
    """An agency named by one notice and the government of an agency in another keeps, once the
    first is removed, only what the second says of it (the leak of issue 13: leftover
    plo:function statements)."""
    a = tmp_path / "a.txt"
    a.write_text("湘潭市人民政府关于加强应急管理的通知\n潭政发〔2031〕7号\n各县市区人民政府：\n"
                 "一、加强组织领导\n由湘潭市人民政府负责统筹。\n湘潭市人民政府\n2031年3月1日\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("湘潭市应急管理局关于做好防汛工作的通知\n潭应急发〔2031〕2号\n各县市区应急管理局：\n"
                 "一、压实责任\n由湘潭市应急管理局牵头，湘潭市水利局配合。\n湘潭市应急管理局\n2031年4月2日\n",
                 encoding="utf-8")
    with PolicyGraph.open(memory=True) as pg:
        pg.load([a, b])
        pg.remove(["a.txt"])
        left = sorted(pg.store.nquads().splitlines())
    with PolicyGraph.open(memory=True) as pg:
        pg.load([b])
        assert sorted(pg.store.nquads().splitlines()) == left


def test_full_collection_keeps_a_fresh_load(corpus: Path) -> None:
    with PolicyGraph.open(memory=True) as pg:
        pg.load([corpus])
        before = pg.store.nquads()
        assert resolve.collect_entities(pg.store, None) == 0
        assert pg.store.nquads() == before


def test_owed_resolution_is_recorded_and_finished(corpus: Path, tmp_path: Path) -> None:
    """An entry in graph/pending is finished by the next load, though every file is unchanged."""
    with PolicyGraph.open(tmp_path / "store") as pg:
        pg.load([corpus])
        want = pg.store.nquads()
        derived = resolve.DERIVED
        pg.store.remove_graphs([derived])  # as a load killed before its resolution leaves it
        pending.record(pg.store, [], None)
        assert pending.entries(pg.store) == [{"op": "load", "graphs": [], "before": None}]
        report = pg.load([corpus])
        assert report.documents == 0 and report.unchanged == 30
        assert pg.store.nquads() == want
        assert pending.entries(pg.store) == []


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@linux
def test_killed_commands_run_again_give_the_uninterrupted_store(corpus: Path, tmp_path: Path) -> None:
    """load, load --force and remove, each killed at its named points and at a random moment."""
    scenarios = harness.scenarios(corpus, tmp_path, jobs=1)
    rng = random.Random(int(os.environ.get("POLICYKG_CRASH_SEED", "13")))
    failures = []
    for scenario in scenarios:
        want = harness.expected(scenario, tmp_path)
        kills: list[dict] = [{"point": harness.POINTS[scenario.name][0]}, {"delay": rng.uniform(0.5, 2.5)}]
        for kill in kills:
            outcome = harness.trial(scenario, want, tmp_path, **kill)
            if not outcome.same or outcome.leftovers:
                failures.append(outcome)
    assert not failures, failures


@linux
def test_remove_killed_after_dropping_is_finished_and_reported(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    harness.policykg("load", str(corpus), "--store", str(store), "-j", "1", "-q")
    killed, _ = harness.run_killed(("remove", "004_8acc31f584f50ad2.txt", "--store", str(store)), None, "remove")
    assert killed
    again = harness.policykg("remove", "004_8acc31f584f50ad2.txt", "--store", str(store))
    assert again.stdout == "removed: 004_8acc31f584f50ad2.txt\n"
    # a later remove of something else no longer has it: it is not loaded
    other = harness.policykg("remove", "000_08e496a476ab88e2.txt", "--store", str(store))
    assert other.returncode == 0
    gone = harness.policykg("remove", "004_8acc31f584f50ad2.txt", "--store", str(store), check=False)
    assert gone.returncode == 1 and "no document matches" in gone.stderr


@linux
def test_workers_end_with_a_killed_loader(corpus: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "load", str(corpus), "--store", str(tmp_path / "s"),
                             "-j", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(harness.session_processes(proc.pid)) < 3 and time.monotonic() < deadline:  # loader + 2 workers
        time.sleep(0.05)
    assert len(harness.session_processes(proc.pid)) >= 3, "the workers did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while harness.session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = harness.session_processes(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "extraction workers outlived their loader"


def test_files_are_written_with_the_umask(seed_store: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        _cli("export", "--store", str(seed_store), "-o", str(tmp_path / "all.nq"))
        _cli("export", "--store", str(seed_store), "-o", str(tmp_path / "parts"), "--shard-size", "500")
    finally:
        os.umask(old)
    assert (tmp_path / "all.nq").stat().st_mode & 0o777 == 0o644
    parts = sorted((tmp_path / "parts").iterdir())
    assert parts and all(p.stat().st_mode & 0o777 == 0o644 for p in parts)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_to_a_folder_is_a_clear_error(seed_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--store", str(seed_store), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path} is a folder: give a file name, or --shard-size N" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@linux
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_interrupted_export_leaves_no_temporary_file(tmp_path: Path,
                                                     sig: signal.Signals) -> None:
    """The export is stopped while it writes (a pipe nobody reads makes it wait there)."""
    out = tmp_path / "out"
    out.mkdir()
    script = ("import sys, time\nfrom policykg.files import atomic_write\n"
              "def write(f):\n    f.write(b'x' * 1000)\n    print('writing', flush=True)\n    time.sleep(60)\n"
              f"atomic_write({str(out / 'all.nq')!r}, write)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"writing\n"
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert list(out.iterdir()) == []


@linux
def test_store_folder_keeps_one_old_log(seed_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    for _ in range(4):
        PolicyGraph.open(store).close()
    assert len(list(store.glob("LOG.old.*"))) <= 1
