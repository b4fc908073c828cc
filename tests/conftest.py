"""Shared fixtures: the bundled sample corpus loaded once per session, paths to test data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policykg.api import PolicyGraph
from policykg.graph.store import Store
from tests.conftest_views import add_hostile_document, load_trig

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("POLICYKG_CORPUS") or ROOT.parent / "shared" / "corpus")

SEED_FILES = {
    "000": "000_08e496a476ab88e2.txt",
    "001": "001_2de2f1255edc3fc5.txt",
    "002": "002_5cb87e2d2ab2f10e.txt",
    "003": "003_908c98fe01b87dba.txt",
    "004": "004_8acc31f584f50ad2.txt",
}


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def sample_graph(tmp_path_factory: pytest.TempPathFactory) -> PolicyGraph:
    """The five seeds loaded into an on-disk store (read it, don't write it)."""
    store = tmp_path_factory.mktemp("sample") / "store"
    pg = PolicyGraph.open(store)
    report = pg.load([SEEDS])
    assert report.ok, report.failures
    assert report.documents == 5
    return pg


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "notices.jsonl").exists():
        pytest.skip("development corpus ../shared/corpus not present")
    return CORPUS


@pytest.fixture()
def mini_store() -> Store:
    """tests/data/views/mini.trig: a hand-written store in the shape the loader writes."""
    return load_trig()


@pytest.fixture()
def hostile_store() -> tuple[Store, str]:
    """mini_store plus a document whose title is an XSS payload."""
    store = load_trig()
    return store, add_hostile_document(store)


def assert_conforms(pg: PolicyGraph) -> None:
    """The graph satisfies ontology/shapes.ttl (pySHACL)."""
    from policykg.ontology.validate import validate

    ok, report = validate(pg.store.ox)
    assert ok, report
