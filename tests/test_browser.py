"""The views in a real browser: headless Chromium (Debian's package) driven by Playwright.

Each page is opened from a file:// URL with every request routed: any URL that is not file://
fails the test. Screenshots go to test-artifacts/ (git-ignored); with POLICYKG_DOCS_IMG=1 the
sample-corpus ones are also copied to docs/img/ for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from policykg.graph import views as V
from tests.conftest_views import XSS, doc, load_variants

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMG = ROOT / "docs" / "img"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APT = ("apt-get -o DPkg::Lock::Timeout=300 update -qq && "
       "apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium fonts-wqy-microhei")


def install_chromium() -> None:
    """Debian's chromium (and a CJK font for the labels), when missing and root (waiting for
    the package lock); else skip with the reason, which ``-ra`` prints."""
    if CHROMIUM.exists():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(APT, shell=True, check=False, env=env, stdout=subprocess.DEVNULL)
        if CHROMIUM.exists():
            return
    pytest.skip(f"headless Chromium could not be installed at {CHROMIUM} (as root: `make browser`, or `{APT}`)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    install_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="policykg-chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1280, "height": 800}, device_scale_factor=1,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Opened:
    page: object
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], f"requests left the machine: {self.outside}"
        assert self.dialogs == [], f"a script ran: {self.dialogs}"


def open_page(browser, path: Path) -> Opened:
    page = browser.new_page()
    opened = Opened(page)

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            opened.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length >= 0")
    page.wait_for_timeout(400)
    return opened


def screenshot(page, name: str, docs: bool = False) -> Path:
    """Save a screenshot under test-artifacts/; ``docs`` ones also to docs/img/ with POLICYKG_DOCS_IMG=1."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(shot))
    if docs and os.environ.get("POLICYKG_DOCS_IMG"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS_IMG / f"{name}.png")
    return shot


def drawn(page) -> dict:
    return page.evaluate("""() => ({
        nodes: network.body.data.nodes.length,
        edges: network.body.data.edges.length,
        positioned: Object.keys(network.getPositions()).length,
        visible: network.body.data.nodes.get({filter: n => !n.hidden}).length,
    })""")


def test_the_request_guard_catches_outside_requests(browser, tmp_path):
    """The guard itself: a page without our policy that loads a remote image is caught."""
    page_file = tmp_path / "remote.html"
    page_file.write_text('<script>var network = {body: {data: {nodes: []}}};</script>'
                         '<img src="http://example.invalid/x.png">', encoding="utf-8")
    opened = open_page(browser, page_file)
    assert opened.outside == ["http://example.invalid/x.png"]
    opened.page.close()


@pytest.mark.parametrize("name", ["lineage", "agencies", "corpus"])
def test_view_opens_offline_and_draws_every_node(browser, mini_store, tmp_path, name):
    view = {"lineage": lambda: V.lineage_view(mini_store, "厦府办〔2015〕134号"),
            "agencies": lambda: V.agencies_view(mini_store), "corpus": lambda: V.corpus_view(mini_store)}[name]()
    opened = open_page(browser, view.save(tmp_path / f"{name}.html"))
    counts = drawn(opened.page)
    assert counts == {"nodes": view.nodes, "edges": view.edges, "positioned": view.nodes, "visible": view.nodes}
    assert view.nodes == {"lineage": 6, "agencies": 10, "corpus": 34}[name]
    assert opened.page.locator("#legend").is_visible()
    screenshot(opened.page, f"mini-{name}")
    opened.clean()
    opened.page.close()


def test_filter_and_select_menus_work(browser, mini_store, tmp_path):
    opened = open_page(browser, V.corpus_view(mini_store).save(tmp_path / "corpus.html"))
    page = opened.page
    page.evaluate("""() => { itemControl.setValue("node"); propControl.setValue("level");
                             valueControl.setValue(["national"]); }""")
    page.click("#apply-filter")
    page.wait_for_timeout(200)
    assert drawn(page)["visible"] == 2  # 国办发〔2015〕19号 and 质量发展纲要
    page.click("#reset-filter")
    page.wait_for_timeout(200)
    assert drawn(page)["visible"] == 34
    target = doc("思政〔2015〕20号")
    page.evaluate("id => selectNode([id])", target)
    greyed = page.evaluate("() => nodes.get({filter: n => n.color === 'rgba(200,200,200,0.5)'}).length")
    assert 0 < greyed < 34
    opened.clean()
    page.close()


def test_hostile_titles_render_as_text(browser, hostile_store, tmp_path):
    store, bad = hostile_store
    opened = open_page(browser, V.lineage_view(store, bad).save(tmp_path / "hostile.html"))
    page = opened.page
    x, y = page.evaluate("""id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                                    const r = document.getElementById('mynetwork').getBoundingClientRect();
                                    return [p.x + r.left, p.y + r.top]; }""", bad)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = page.inner_text("div.vis-tooltip")
    assert tip.splitlines()[0] == XSS
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.title() == f"Lineage of {XSS}"
    screenshot(page, "hostile-lineage")
    opened.clean()
    page.close()

    opened = open_page(browser, V.corpus_view(store).save(tmp_path / "hostile-corpus.html"))
    page = opened.page
    page.click("#select-menu .ts-control")
    page.keyboard.type("img")
    page.wait_for_selector("#select-menu .ts-dropdown .option", timeout=5000)
    assert XSS in page.inner_text("#select-menu .ts-dropdown")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    opened.clean()
    page.close()


@pytest.fixture(scope="module")
def variants_graph(tmp_path_factory):
    return load_variants(tmp_path_factory.mktemp("variants") / "store")


@pytest.mark.parametrize("name", ["lineage", "agencies", "corpus"])
def test_sample_corpus_views(browser, variants_graph, tmp_path, name):
    """The README's views: the sample corpus and the two district notices (docs/img/<name>.png)."""
    from policykg.graph import projections

    store = variants_graph.store
    view = {"lineage": lambda: V.lineage_view(store, "厦府办〔2015〕134号"), "agencies": lambda: V.agencies_view(store),
            "corpus": lambda: V.corpus_view(store)}[name]()
    expected = {"lineage": 7, "agencies": projections.agency_graph(store).number_of_nodes(),
                "corpus": projections.corpus_graph(store).number_of_nodes()}[name]
    opened = open_page(browser, view.save(tmp_path / f"{name}.html"))
    counts = drawn(opened.page)
    assert counts["nodes"] == counts["positioned"] == counts["visible"] == view.nodes == expected
    if name == "lineage":  # four levels, top-down
        ys = opened.page.evaluate("() => Object.values(network.getPositions()).map(p => p.y)")
        assert len(set(ys)) >= 4
    screenshot(opened.page, name, docs=True)
    opened.clean()
    opened.page.close()
