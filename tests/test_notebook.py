"""The researcher's notebook runs from top to bottom on the sample corpus, so it never goes stale."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "lineage.ipynb"


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        assert out.output_type != "error", "".join(out.get("traceback", []))
        parts.append(out.get("text", ""))
        parts.extend(str(v) for v in out.get("data", {}).values())
    return "".join(parts)


def cell_with(nb: nbformat.NotebookNode, source: str) -> str:
    return next(text_of(c) for c in nb.cells if c.cell_type == "code" and source in c.source)


def test_notebook_runs_without_errors(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            text_of(cell)


def test_notebook_shows_the_lineage_diffusion_and_agencies(executed):
    assert "5 notices loaded" in cell_with(executed, "pg.load(")
    up = cell_with(executed, 'show("lineage-up"')
    assert "国办发〔2015〕19号" in up and "国务院关于印发质量发展纲要(2011-2020年)的通知" in up
    assert "厦府办〔2015〕134号" in cell_with(executed, 'show("lineage-down"')
    assert "厦府办〔2015〕134号" in cell_with(executed, 'show("diffusion"')
    assert "厦门市质量技术监督局" in cell_with(executed, 'show("agency-workload"')
    assert "厦门出入境检验检疫局 — 厦门市质量技术监督局" in cell_with(executed, "agency_pairs(")


def test_notebook_embeds_the_interactive_view(executed):
    html = cell_with(executed, "views.lineage_view(")
    assert "5 documents, 4 based-on edges" in html
    assert '<iframe sandbox="allow-scripts"' in html and "vis.Network" in html
