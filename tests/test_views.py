"""Views as HTML: self-contained, escaped, laid out; large graphs get Python positions."""

from __future__ import annotations

import json
import re
import time

import networkx as nx
import pytest

from policykg.errors import NotFound
from policykg.graph import views as V
from tests.conftest_views import GANGYAO, SCRIPT_BREAK, XSS, doc


def data_of(view: V.View, name: str) -> list[dict]:
    """The node or edge list embedded in the page."""
    match = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", view.html)
    assert match, name
    return json.loads(match.group(1))


def options_of(view: V.View) -> dict:
    return json.loads(re.search(r"var options = (.*?);\n", view.html).group(1))


def all_views(store):
    return {"lineage": V.lineage_view(store, "厦府办〔2015〕134号"), "agencies": V.agencies_view(store),
            "corpus": V.corpus_view(store)}


def test_pages_are_self_contained(mini_store):
    for name, view in all_views(mini_store).items():
        page = view.html
        assert "Content-Security-Policy" in page and "default-src 'none'" in page, name
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.IGNORECASE), name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", page), name
        assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page, name
        assert "vis.Network" in page and "TomSelect" in page or name != "corpus"


def test_lineage_view_levels_and_layout(mini_store):
    view = V.lineage_view(mini_store, "厦府办[2015]134号")
    nodes = {n["id"]: n for n in data_of(view, "nodes")}
    assert view.nodes == len(nodes) == 6 and view.edges == 8
    assert {n["level"] for n in nodes.values()} == {"national", "provincial", "municipal", "county"}
    assert {n["color"] for n in nodes.values() if n["level"] == "national"} == {V.LEVEL_COLORS["national"]}
    y = {n["number"] if "number" in n else "纲要": n["y"] for n in nodes.values()}
    # top-down: national above provincial above municipal above county
    assert y["纲要"] < y["国办发〔2015〕19号"] < y["闽政办〔2015〕74号"] < y["厦府〔2015〕114号"] < y["厦府办〔2015〕134号"] < y["思政〔2015〕20号"]
    assert options_of(view)["physics"]["enabled"] is False
    focus = nodes[doc("厦府办〔2015〕134号")]
    assert focus["size"] > nodes[GANGYAO]["size"] and focus["borderWidth"] == 4
    assert focus["title"].splitlines()[:4] == [
        "厦门市人民政府办公厅关于印发厦门市贯彻实施质量发展纲要2015年行动计划的通知", "发文字号: 厦府办〔2015〕134号",
        "issued by: 厦门市人民政府办公厅", "date: 2015-07-15"]
    assert "national 国家" in view.html and "county 县" in view.html  # legend


def test_lineage_view_depth_and_missing(mini_store):
    assert V.lineage_view(mini_store, "闽政办〔2015〕74号", depth=1).nodes == 5
    with pytest.raises(NotFound):
        V.lineage_view(mini_store, "国发〔2099〕1号")


def test_agencies_view(mini_store):
    view = V.agencies_view(mini_store)
    nodes = {n["label"]: n for n in data_of(view, "nodes")}
    assert view.nodes == 10 and view.edges == 9
    assert nodes["厦门市质量技术监督局"]["size"] > nodes["厦门市发展和改革委员会"]["size"] > nodes["工业和信息化部"]["size"]
    assert nodes["厦门市质量技术监督局"]["color"] == nodes["焦作市质量技术监督局"]["color"]  # same function
    assert nodes["厦门市质量技术监督局"]["color"] != nodes["厦门市发展和改革委员会"]["color"]
    assert nodes["厦门市有关部门"]["shape"] == "diamond"
    assert all("x" in n and "y" in n for n in nodes.values())
    assert "质量监督" in view.html.split('id="legend"')[1]
    assert V.agencies_view(mini_store, min_tasks=2).nodes == 3


def test_corpus_view_menus(mini_store):
    view = V.corpus_view(mini_store)
    assert view.nodes == 34 and view.edges == 39
    assert 'id="select-node"' in view.html and 'id="filter-menu"' in view.html
    options = json.loads(re.search(r"options: (\[.*?\]), valueField", view.html).group(1))
    assert len(options) == 28  # documents and agencies, not tasks
    assert {"id": doc("厦府办〔2015〕134号"), "text": "厦府办〔2015〕134号 · document"} in options
    assert V.corpus_view(mini_store, tasks=False).nodes == 28


def test_hostile_text_is_escaped_everywhere(hostile_store):
    store, bad = hostile_store
    views = {"lineage": V.lineage_view(store, bad), "agencies": V.agencies_view(store), "corpus": V.corpus_view(store)}
    for name, view in views.items():
        page = view.html
        assert "<img" not in page, name
        for m in re.finditer("onerror=alert", page):  # only ever inside escaped text
            assert page[:m.start()].endswith(("&lt;img src=x ", "\\u003cimg src=x ")), (name, page[m.start() - 30:m.end()])
        assert XSS not in page and SCRIPT_BREAK not in page, name
        assert "alert(2)" not in page or "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)" in page, name
    nodes = {n["id"]: n for n in data_of(views["lineage"], "nodes")}
    assert nodes[bad]["title"].splitlines()[0] == XSS  # the tooltip is the text itself, shown as text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e · document" in views["corpus"].html  # a select option
    labels = {n["label"] for n in data_of(views["agencies"], "nodes")}
    assert SCRIPT_BREAK in labels


def test_large_graphs_get_python_positions_and_no_physics():
    g = nx.DiGraph()
    levels = V.LEVEL_ORDER
    for i in range(3000):
        g.add_node(f"d{i}", kind="document", label=f"文{i}号", level=levels[i % 4], region=f"r{i % 30}")
        if i >= 4:
            g.add_edge(f"d{i}", f"d{i // 4}", relation="based_on")
    for i in range(300):
        g.add_node(f"a{i}", kind="agency", label=f"局{i}")
        g.add_edge(f"d{i}", f"a{i}", relation="passed_by")
    start = time.perf_counter()
    view = V.corpus_view_of(g)
    assert time.perf_counter() - start < 10
    nodes = data_of(view, "nodes")
    assert view.nodes == len(nodes) == 3300
    assert all("x" in n and "y" in n for n in nodes)
    assert options_of(view)["physics"]["enabled"] is False
    by_level = {lv: {n["y"] for n in nodes if n.get("level") == lv} for lv in levels}
    assert max(by_level["national"]) < min(by_level["provincial"])  # bands by level


def test_view_save_and_notebook_display(mini_store, tmp_path):
    view = V.agencies_view(mini_store)
    path = view.save(tmp_path / "sub" / "a.html")
    assert path.read_text(encoding="utf-8") == view.html
    inline = view._repr_html_()
    assert inline.startswith("<iframe") and "<script>" not in inline and "&lt;script&gt;" in inline


# -- the command line --------------------------------------------------------------------------

def test_render_commands(sample_graph, tmp_path):
    from click.testing import CliRunner

    from policykg.cli import main

    store = str(sample_graph.store.path)
    runner = CliRunner()
    for args, nodes in ((["lineage", "厦府办[2015]134号"], 5), (["agencies", "--min-tasks", "10"], None), (["corpus"], None)):
        out = tmp_path / f"{args[0]}.html"
        result = runner.invoke(main, ["render", *args, "-o", str(out), "--store", store])
        assert result.exit_code == 0, result.output
        assert f"wrote {out}: " in result.output
        page = out.read_text(encoding="utf-8")
        assert len(data_of(V.View(page, 0, 0), "nodes")) == (nodes or int(result.output.split(": ")[1].split()[0]))
    result = runner.invoke(main, ["render", "lineage", "国发〔2099〕1号", "-o", str(tmp_path / "x.html"), "--store", store])
    assert result.exit_code == 1 and "Error: no document matches '国发〔2099〕1号'" in result.output
    result = runner.invoke(main, ["render", "corpus", "-o", str(tmp_path / "x.html"), "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "Error: no store at" in result.output


def test_queries_command():
    from click.testing import CliRunner

    from policykg.cli import main

    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "lineage-up  -p doc=…\n    Ancestors of a document:" in result.output
    assert "documents-by  [-p in_region=…] [-p at_level=…] [-p in_year=…]" in result.output
    result = CliRunner().invoke(main, ["queries", "siblings"])
    assert result.output.startswith("# Siblings of a document") and "SELECT ?sibling" in result.output
    result = CliRunner().invoke(main, ["queries", "nope"])
    assert result.exit_code == 1 and "Error: no named query 'nope'" in result.output
