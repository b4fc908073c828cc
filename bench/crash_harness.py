"""Kill ``policykg load``, ``load --force`` and ``remove`` at random moments and at named points,
run the same command again, and compare the store with an uninterrupted run (sorted N-Quads).

Used by ``bench/crash`` (many kills, a bigger corpus) and ``tests/test_crash.py`` (a few). A run
is killed with SIGKILL, the parent process only, as ``kill -9`` does; its extraction workers must
then end by themselves: every process of the run's session must be gone within ``WORKERS_GONE``
seconds. Named points are the process's own ``POLICYKG_CRASH_AT`` hook (see
:mod:`policykg.graph.pending`).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
WORKERS_GONE = 10.0  # seconds the processes of a killed run may take to end


@dataclass(frozen=True)
class Scenario:
    """A command run on a copy of ``base`` (a store, or None: empty)."""

    name: str
    args: tuple[str, ...]
    base: Path | None


@dataclass
class Outcome:
    scenario: str
    kill: str  # "t=1.23s" or "at=POINT"
    killed: bool  # the run was still going when killed
    same: bool  # the store after the second run equals the uninterrupted run's
    leftovers: int  # processes of the killed run alive WORKERS_GONE seconds after the kill
    diff: list[str] = field(default_factory=list)


def policykg(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the ``policykg`` command in a subprocess (this interpreter)."""
    run = subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    if check and run.returncode != 0:
        raise RuntimeError(f"policykg {' '.join(args)}: exit {run.returncode}\n{run.stdout}\n{run.stderr}")
    return run


def export(store: Path) -> list[str]:
    """The store's sorted N-Quads (``policykg export --format nquads``)."""
    out = policykg("export", "--format", "nquads", "--store", str(store)).stdout
    return sorted(line for line in out.splitlines() if line)


def make_corpus(folder: Path, count: int, seed: int = 1) -> Path:
    """The seed notices and ``count`` generated ones (bench/generate.py) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    if count:
        gen = folder.parent / f".gen-{folder.name}"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--count", str(count), "--seed",
                        str(seed), "-o", str(gen)], check=True, capture_output=True)
        for f in sorted(gen.rglob("*.txt")):
            target = folder / "gen" / f.relative_to(gen)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
        shutil.rmtree(gen)
    return folder


def changed_copy(corpus: Path, folder: Path, share: float = 0.3, seed: int = 7) -> Path:
    """``corpus`` with a share of its files changed (a paragraph cut, another appended): what a
    ``load --force`` then replaces."""
    rng = random.Random(seed)
    shutil.copytree(corpus, folder)
    for f in sorted(folder.rglob("*.txt")):
        if rng.random() < share:
            data = f.read_bytes()
            cut = data[: len(data) * 3 // 4]
            f.write_bytes(cut + "\n各区人民政府要加强组织领导。\n".encode())
    return folder


def session_processes(sid: int) -> list[int]:
    """The processes (Linux /proc) of a session."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
                out.append(int(entry.name))
    return out


def run_killed(args: tuple[str, ...], delay: float | None, point: str | None) -> tuple[bool, int]:
    """Run ``policykg ARGS``, killing it after ``delay`` seconds (or letting it kill itself at
    ``point``); returns whether it was killed and how many of its processes outlived it."""
    env = {**os.environ, **({"POLICYKG_CRASH_AT": point} if point else {})}
    proc = subprocess.Popen([sys.executable, "-m", "policykg", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        proc.wait(timeout=delay if delay is not None else 600)
        killed = proc.returncode == -signal.SIGKILL
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, as kill -9 PID does
        proc.wait()
        killed = True
    deadline = time.monotonic() + WORKERS_GONE
    while (left := session_processes(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # do not leave them to the next trial
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return killed, len(left)


def prepare(scenario: Scenario, store: Path) -> None:
    if store.exists():
        shutil.rmtree(store)
    if scenario.base is not None:
        shutil.copytree(scenario.base, store)


def command(scenario: Scenario, store: Path) -> tuple[str, ...]:
    return (*scenario.args, "--store", str(store))


def expected(scenario: Scenario, work: Path) -> list[str]:
    """The store an uninterrupted run gives."""
    store = work / f"expected-{scenario.name.replace(' ', '_')}"
    prepare(scenario, store)
    policykg(*command(scenario, store))
    return export(store)


def trial(scenario: Scenario, want: list[str], work: Path, *, delay: float | None = None,
          point: str | None = None) -> Outcome:
    """Kill the command once, run it again to the end, compare with ``want``."""
    store = work / "trial"
    prepare(scenario, store)
    args = command(scenario, store)
    killed, leftovers = run_killed(args, delay, point)
    if killed or scenario.args[0] != "remove":  # a finished remove run again finds nothing to remove
        again = policykg(*args, check=False)
        if again.returncode != 0:
            return Outcome(scenario.name, f"at={point}" if point else f"t={delay:.2f}s", killed, False, leftovers,
                           [f"exit {again.returncode}: {again.stderr.strip()}"])
    got = export(store)
    diff = sorted(set(got) ^ set(want))
    kill = f"at={point}" if point else f"t={delay:.2f}s"
    return Outcome(scenario.name, kill, killed, got == want, leftovers,
                   [("+ " if line in got else "- ") + line for line in diff[:10]])


def scenarios(corpus: Path, work: Path, jobs: int, removed_share: float = 0.3) -> list[Scenario]:
    """load, load --force (over a store of changed files) and remove (a share of the files)."""
    loaded = work / "base-loaded"
    if not loaded.exists():
        policykg("load", str(corpus), "--store", str(loaded), "-j", str(jobs), "-q")
    changed = work / "base-changed"
    if not changed.exists():
        variant = changed_copy(corpus, work / "corpus-changed")
        policykg("load", str(variant), "--store", str(changed), "-j", str(jobs), "-q")
    files = sorted(str(f.relative_to(corpus)) for f in corpus.rglob("*.txt"))
    rng = random.Random(3)
    gone = sorted(rng.sample(files, max(1, int(len(files) * removed_share))))
    return [
        Scenario("load", ("load", str(corpus), "-j", str(jobs), "-q"), None),
        Scenario("load --force", ("load", "--force", str(corpus), "-j", str(jobs), "-q"), changed),
        Scenario("remove", ("remove", *gone), loaded),
    ]


POINTS = {"load": ("resolve", "batch:1", "batch:2"), "load --force": ("batch:1", "resolve", "batch:2"),
          "remove": ("remove",)}


def timed(scenario: Scenario, work: Path) -> float:
    """Seconds an uninterrupted run takes."""
    store = work / "timing"
    prepare(scenario, store)
    started = time.monotonic()
    policykg(*command(scenario, store))
    return time.monotonic() - started
