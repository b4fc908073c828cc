"""Interactive network views (pyvis / vis-network), each one self-contained HTML page.

* :func:`lineage_view` — a document's superiors and implementers, top-down by level
  (national → provincial → municipal → county), coloured by level.
* :func:`agencies_view` — the co-responsibility network, node size by task count, colour by function.
* :func:`corpus_view` — everything, with select and filter menus.

Pages work offline from a ``file://`` URL: vis-network, tom-select and pyvis' bindings are
inlined from the pyvis package and a Content-Security-Policy forbids any request. Text from the
documents is escaped wherever it reaches the page; tooltips are plain text. Graphs of more than
:data:`BIG` nodes get positions computed here and physics off, so they open at once.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from policykg.errors import NotFound
from policykg.files import atomic_write_text
from policykg.graph import projections
from policykg.graph.store import Store

BIG = 1000
LEVEL_ORDER = ("national", "provincial", "municipal", "county")
LEVEL_NAMES = {"national": "national 国家", "provincial": "provincial 省", "municipal": "municipal 市",
               "county": "county 县", "unknown": "level unknown"}
LEVEL_COLORS = {"national": "#c0392b", "provincial": "#e67e22", "municipal": "#27ae60",
                "county": "#2e86c1", "unknown": "#95a5a6"}
AGENCY_COLOR = "#8e44ad"
GROUP_COLOR = "#c8c8c8"
TASK_COLOR = "#b7950b"
FUNCTION_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                    "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173")
OTHER_FUNCTION = "#d5d5d5"
RELATION_STYLE = {  # edge colour, dashed
    "based_on": ("#555555", False), "cites": ("#bbbbbb", True), "passed_by": ("#b39ddb", False),
    "part_of": ("#d4c26a", False), "lead": ("#7d3c98", False), "responsible": ("#a569bd", False),
    "participating": ("#c39bd3", True), "coordinating": ("#d2b4de", True),
    "guiding": ("#e8daef", True), "involved": ("#d7bde2", True),
}
# node properties that are drawing details, not worth filtering on
HIDDEN_PROPERTIES = ["id", "x", "y", "color", "size", "shape", "title", "label", "font", "borderWidth",
                     "physics", "fixed", "hidden", "savedLabel", "hiddenLabel", "value", "mass", "from", "to",
                     "arrows", "dashes", "width", "smooth"]


@dataclass(frozen=True, repr=False)
class View:
    """A rendered page, with the number of nodes and edges it draws."""

    html: str
    nodes: int
    edges: int

    def __repr__(self) -> str:
        return f"View(nodes={self.nodes}, edges={self.edges}, {len(self.html.encode('utf-8')) // 1024} KiB of HTML)"

    def save(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        return atomic_write_text(path, self.html)

    def _repr_html_(self) -> str:
        """Inline display in Jupyter: the page in a sandboxed iframe."""
        return (f'<iframe sandbox="allow-scripts" style="width:100%;height:620px;border:1px solid #ddd" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>')


# -- page rendering -------------------------------------------------------------------------

@cache
def _assets() -> dict[str, str]:
    """The JavaScript and CSS inlined into every page, read from the installed pyvis."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    read = lambda rel: (lib / rel).read_text(encoding="utf-8")  # noqa: E731
    return {
        "vis_js": read("vis-9.1.2/vis-network.min.js"),
        "vis_css": read("vis-9.1.2/vis-network.css"),
        "tom_js": read("tom-select/tom-select.complete.min.js"),
        "tom_css": read("tom-select/tom-select.css"),
        "utils_js": read("bindings/utils.js"),
    }


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "assets")),
        autoescape=True, undefined=jinja2.StrictUndefined,
    )
    # |tojson still escapes < > & ' (so no text can close the <script>); keep CJK as is
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env.get_template("view.html.j2")


def render(net: Network, *, summary: str = "", legend: list[dict[str, Any]] | None = None,
           select_options: list[dict[str, str]] | None = None) -> View:
    """Render a pyvis :class:`Network` whose ``nodes``/``edges``/``options`` are filled."""
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    page = _template().render(
        heading=heading, summary=summary, legend=legend or [], nodes=nodes, edges=edges,
        options=net.options if isinstance(net.options, dict) else {}, bgcolor=net.bgcolor,
        select_menu=net.select_menu, filter_menu=net.filter_menu,
        select_options=select_options or [], hidden_properties=HIDDEN_PROPERTIES, assets=_assets(),
    )
    return View(page, len(nodes), len(edges))


def _network(heading: str, *, directed: bool, menus: bool = False) -> Network:
    return Network(height="100%", width="100%", directed=directed, heading=heading,
                   select_menu=menus, filter_menu=menus, cdn_resources="in_line")


def _options(*, physics: bool, directed: bool, hierarchical: bool = False) -> dict[str, Any]:
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": physics, "iterations": 300, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "hideEdgesOnDrag": not hierarchical, "multiselect": True},
        "edges": {"arrows": {"to": {"enabled": directed, "scaleFactor": 0.6}},
                  "smooth": {"enabled": hierarchical, "type": "cubicBezier", "forceDirection": "vertical",
                             "roundness": 0.4},
                  "color": {"inherit": False}},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
    }


def tooltip(lines: Iterable[tuple[str, Any]]) -> str:
    """A plain-text tooltip, one ``name: value`` per line (vis-network shows it as text)."""
    return "\n".join(f"{name}: {value}" if name else str(value) for name, value in lines if value not in (None, ""))


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _doc_label(attrs: dict[str, Any]) -> str:
    number, title = attrs.get("number"), attrs.get("title")
    if number and title:
        return f"{number}\n{_short(title)}"
    return number or _short(title or attrs.get("label", ""), 24)


def _doc_tooltip(attrs: dict[str, Any]) -> str:
    level = attrs.get("level")
    return tooltip([
        ("", attrs.get("title")),
        ("发文字号", attrs.get("number")),
        ("issued by", attrs.get("issuer")),
        ("date", attrs.get("date")),
        ("level", LEVEL_NAMES.get(level, level) if level else None),
        ("region", attrs.get("region")),
        ("source", attrs.get("source") or "not loaded (known from citations)"),
    ])


def _legend_levels(levels: Iterable[str]) -> dict[str, Any]:
    present = set(levels)
    items = [{"label": LEVEL_NAMES[lv], "color": LEVEL_COLORS[lv], "shape": "dot"}
             for lv in (*LEVEL_ORDER, "unknown") if lv in present]
    return {"title": "Documents by level", "items": items}


# -- layouts ----------------------------------------------------------------------------------

def _spread(rows: list[list[str]], y0: float, x_gap: float, y_gap: float) -> dict[str, tuple[float, float]]:
    pos = {}
    for r, row in enumerate(rows):
        for i, node in enumerate(row):
            pos[node] = ((i - (len(row) - 1) / 2) * x_gap, y0 + r * y_gap)
    return pos


def banded_layout(g: nx.Graph, band: Callable[[str], Any], order: Callable[[str], Any], *,
                  x_gap: float = 60.0, y_gap: float = 60.0, band_gap: float = 240.0) -> dict[str, tuple[float, float]]:
    """Positions for a large graph in linear time: one band of rows per ``band(node)`` value,
    nodes sorted by ``order(node)`` within it and wrapped into rows of about √n nodes."""
    bands: dict[Any, list[str]] = defaultdict(list)
    for n in g:
        bands[band(n)].append(n)
    width = max(8, int(math.sqrt(g.number_of_nodes()) * 1.6))
    pos: dict[str, tuple[float, float]] = {}
    y = 0.0
    for key in sorted(bands, key=str):
        members = sorted(bands[key], key=order)
        rows = [members[i:i + width] for i in range(0, len(members), width)]
        pos.update(_spread(rows, y, x_gap, y_gap))
        y += len(rows) * y_gap + band_gap
    return pos


def spring_positions(g: nx.Graph, weight: str | None = None) -> dict[str, tuple[float, float]]:
    """A force-directed layout computed once (seeded, so the same graph gives the same page):
    each connected component laid out on its own, sized by its node count, and the components
    packed in rows, largest first."""
    undirected = g.to_undirected(as_view=True)
    boxes: list[tuple[float, dict[str, tuple[float, float]]]] = []
    for nodes in sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c))):
        sub = undirected.subgraph(nodes)
        radius = 70.0 * math.sqrt(len(nodes)) + 30.0
        if len(nodes) == 1:
            pos = {next(iter(nodes)): (0.0, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=7, weight=weight, k=2.0 / math.sqrt(len(nodes)), iterations=80)
            pos = {n: (float(x) * radius, float(y) * radius) for n, (x, y) in raw.items()}
        boxes.append((radius, pos))
    total = sum((2 * r + 60) ** 2 for r, _ in boxes)
    row_width = max(math.sqrt(total) * 1.4, max((2 * r + 60 for r, _ in boxes), default=0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for radius, pos in boxes:
        size = 2 * radius + 60
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in pos.items():
            out[n] = (x + size / 2 + px, y + size / 2 + py)
        x += size
        row_height = max(row_height, size)
    return out


def lineage_layout(sub: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Top-down by level: one band per level (national on top), a document below the
    superiors of its own level within a band, each row ordered by its superiors' positions."""
    level_of = {n: sub.nodes[n].get("level", "unknown") for n in sub}
    band_index = {lv: i for i, lv in enumerate((*LEVEL_ORDER, "unknown"))}
    same = nx.DiGraph((a, b) for a, b in sub.edges if level_of[a] == level_of[b])
    same.add_nodes_from(sub)
    depth = projections.lineage_depth(same)  # chain of same-level superiors above
    rows: dict[tuple[int, int], list[str]] = defaultdict(list)
    for n in sub:
        rows[(band_index.get(level_of[n], len(LEVEL_ORDER)), depth[n])].append(n)
    pos: dict[str, tuple[float, float]] = {}
    x_gap, y_gap, band_gap = 230.0, 110.0, 190.0
    y, last_band = 0.0, None
    for key in sorted(rows):
        if last_band is not None:
            y += band_gap if key[0] != last_band else y_gap
        last_band = key[0]

        def anchor(n: str) -> tuple[float, str, str]:
            xs = [pos[s][0] for s in sub.successors(n) if s in pos]
            xs += [pos[p][0] for p in sub.predecessors(n) if p in pos]
            mean = sum(xs) / len(xs) if xs else 0.0
            return mean, str(sub.nodes[n].get("date", "")), str(sub.nodes[n].get("label", n))

        row = sorted(rows[key], key=anchor)
        pos.update(_spread([row], y, x_gap, 0))
    return pos


# -- views ------------------------------------------------------------------------------------

def _node(n: str, pos: dict[str, tuple[float, float]], **attrs: Any) -> dict[str, Any]:
    node = {"id": n, **{k: v for k, v in attrs.items() if v is not None}}
    if n in pos:
        node["x"], node["y"] = round(pos[n][0], 1), round(pos[n][1], 1)
    return node


def _doc_node(n: str, attrs: dict[str, Any], pos: dict[str, tuple[float, float]], size: float = 16) -> dict[str, Any]:
    level = attrs.get("level", "unknown")
    return _node(n, pos, label=_doc_label(attrs), title=_doc_tooltip(attrs), shape="dot", size=size,
                 color=LEVEL_COLORS.get(level, LEVEL_COLORS["unknown"]), kind="document", level=level,
                 region=attrs.get("region"), number=attrs.get("number"), date=attrs.get("date"),
                 issuer=attrs.get("issuer"), loaded="yes" if attrs.get("loaded") else "no")


def lineage_view(store: Store, doc: str, *, depth: int | None = None) -> View:
    """The lineage of one document (given as 发文字号, title or IRI): its superiors and its
    implementers, transitively (or ``depth`` steps each way), laid out top-down by level."""
    from policykg.queries import NOT_FOUND, resolve_doc

    found = resolve_doc(store, doc)
    graph = projections.lineage_graph(store)
    if found is None or found not in graph:
        raise NotFound(NOT_FOUND.format(doc))
    sub = projections.ancestors_and_descendants(graph, found, depth)
    pos = lineage_layout(sub) if sub.number_of_nodes() <= BIG else banded_layout(
        sub, lambda n: sub.nodes[n].get("level", "unknown"), lambda n: str(sub.nodes[n].get("date", "")))
    focus = sub.nodes[found]
    net = _network(f"Lineage of {focus.get('label', found)}", directed=True)
    for n in sorted(sub):
        node = _doc_node(n, sub.nodes[n], pos, size=26 if n == found else 16)
        if n == found:
            node["borderWidth"] = 4
            node["font"] = {"size": 16, "bold": True}
        net.nodes.append(node)
    row_of = {y: i for i, y in enumerate(sorted({y for _, y in pos.values()}))}
    for i, (a, b) in enumerate(sorted(sub.edges)):
        edge = {"from": a, "to": b, "title": "based on (为贯彻落实/根据…)", "relation": "based_on",
                "color": RELATION_STYLE["based_on"][0], "width": 1.5}
        span = abs(row_of[pos[a][1]] - row_of[pos[b][1]]) if a in pos and b in pos else 1
        if span > 1 or (a in pos and b in pos and pos[a][1] == pos[b][1]):
            # an edge skipping rows bends out, so it does not run over the documents between
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if i % 2 else "curvedCCW",
                              "roundness": round(min(0.2 + 0.15 * span, 0.8), 2)}
        net.edges.append(edge)
    net.options = _options(physics=False, directed=True, hierarchical=True)
    ups = len(nx.descendants(sub, found))
    downs = len(nx.ancestors(sub, found))
    summary = (f"{focus.get('title') or focus.get('label')} — {ups} superior(s) above, {downs} implementing "
               f"document(s) below. Arrows point from a document to the superior it implements.")
    legend = [_legend_levels(sub.nodes[n].get("level", "unknown") for n in sub),
              {"title": "Edges", "items": [{"label": "based on (implements)", "color": RELATION_STYLE["based_on"][0],
                                            "shape": "line"}]}]
    return render(net, summary=summary, legend=legend)


def function_colors(functions: Iterable[str | None]) -> dict[str, str]:
    """A colour per agency function, the most frequent first; the rest share a neutral colour."""
    counts = Counter(f for f in functions if f)
    ranked = sorted(counts, key=lambda f: (-counts[f], f))
    return {f: FUNCTION_PALETTE[i] if i < len(FUNCTION_PALETTE) else OTHER_FUNCTION for i, f in enumerate(ranked)}


def _agency_tooltip(attrs: dict[str, Any]) -> str:
    roles = " / ".join(f"{r} {attrs.get(f'tasks_{r}', 0)}" for r in projections.ROLES)
    return tooltip([("", attrs.get("label")), ("region", attrs.get("region")),
                    ("function", attrs.get("function")), ("tasks", attrs.get("tasks")), ("roles", roles)])


def agencies_view(store: Store, *, min_tasks: int = 1) -> View:
    """The co-responsibility network: agencies sharing tasks, node size by task count, colour by
    function; agencies with fewer than ``min_tasks`` tasks are left out."""
    graph = projections.agency_graph(store)
    graph = graph.subgraph([n for n, d in graph.nodes(data=True) if d.get("tasks", 0) >= min_tasks]).copy()
    colors = function_colors(d.get("function") for _, d in graph.nodes(data=True))
    if graph.number_of_nodes() <= BIG:
        pos = spring_positions(graph)
    else:
        pos = banded_layout(graph, lambda n: graph.nodes[n].get("function", "~"),
                            lambda n: (-graph.nodes[n].get("tasks", 0), graph.nodes[n].get("label", n)))
    net = _network("Agencies: co-responsibility network", directed=False)
    for n in sorted(graph):
        d = graph.nodes[n]
        color = GROUP_COLOR if d.get("kind") == "group" else colors.get(d.get("function", ""), OTHER_FUNCTION)
        net.nodes.append(_node(n, pos, label=d.get("label"), title=_agency_tooltip(d),
                               shape="diamond" if d.get("kind") == "group" else "dot",
                               size=round(8 + 6 * math.sqrt(d.get("tasks", 0)), 1), color=color,
                               kind=d.get("kind"), region=d.get("region"), function=d.get("function"),
                               tasks=d.get("tasks")))
    for a, b, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        w = d.get("weight", 1)
        net.edges.append({"from": a, "to": b, "title": f"{w} shared task(s)", "weight": w,
                          "width": round(1 + math.log2(w), 2), "color": "#aab7b8"})
    net.options = _options(physics=False, directed=False)
    tasks = sum(d.get("tasks", 0) for _, d in graph.nodes(data=True))
    summary = (f"{graph.number_of_nodes()} agencies, {graph.number_of_edges()} co-responsibility links; "
               f"node size: tasks involved in ({tasks} agency–task links); edge width: shared tasks.")
    items = [{"label": f, "color": c, "shape": "dot"} for f, c in colors.items() if c != OTHER_FUNCTION]
    if any(c == OTHER_FUNCTION for c in colors.values()) or any("function" not in d for _, d in graph.nodes(data=True)):
        items.append({"label": "other / function unknown", "color": OTHER_FUNCTION, "shape": "dot"})
    if any(d.get("kind") == "group" for _, d in graph.nodes(data=True)):
        items.append({"label": "agency group (有关部门…)", "color": GROUP_COLOR, "shape": "diamond"})
    return render(net, summary=summary, legend=[{"title": "Agencies by function", "items": items}])


def corpus_view(store: Store, *, tasks: bool = True) -> View:
    """Everything: documents (by level), agencies and (with ``tasks``) tasks, with select and
    filter menus; large corpora get a banded layout by kind and level with physics off."""
    graph = projections.corpus_graph(store)
    if not tasks:
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if d.get("kind") != "task"]).copy()
    return corpus_view_of(graph)


def _kind(d: dict[str, Any]) -> str:
    kind = d.get("kind", "agency")
    return "agency" if kind == "government" else kind


def corpus_view_of(graph: nx.DiGraph, heading: str = "Corpus: documents, agencies and tasks") -> View:
    """The corpus view of a corpus projection (see :func:`projections.corpus_graph`)."""
    if graph.number_of_nodes() <= BIG:
        pos = spring_positions(graph)
    else:
        band_rank = {"document": 0, "agency": 1, "group": 1, "task": 2}
        level_rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}

        def band(n: str) -> tuple[int, int]:
            d = graph.nodes[n]
            return band_rank.get(_kind(d), 3), level_rank.get(d.get("level", ""), 4)

        pos = banded_layout(graph, band, lambda n: (str(graph.nodes[n].get("region", "")), n))
    net = _network(heading, directed=True, menus=True)
    degree = dict(graph.in_degree())
    select_options = []
    for n, d in graph.nodes(data=True):
        kind = _kind(d)
        if kind == "document":
            node = _doc_node(n, d, pos, size=round(10 + 3 * math.sqrt(degree.get(n, 0)), 1))
        elif kind == "task":
            node = _node(n, pos, label=d.get("label"), title=tooltip([("task", d.get("label")), ("", d.get("title"))]),
                         shape="square", size=6, color=TASK_COLOR, kind="task")
        else:
            node = _node(n, pos, label=d.get("label"), title=tooltip([("", d.get("label")), ("region", d.get("region")),
                                                                      ("function", d.get("function"))]),
                         shape="diamond", size=11, color=GROUP_COLOR if kind == "group" else AGENCY_COLOR,
                         kind=kind, region=d.get("region"), function=d.get("function"))
        net.nodes.append(node)
        if kind != "task":
            select_options.append({"id": n, "text": f"{d.get('label', n)} · {kind}"})
    for a, b, d in graph.edges(data=True):
        rel = d.get("relation", "cites")
        color, dashed = RELATION_STYLE.get(rel, ("#cccccc", True))
        net.edges.append({"from": a, "to": b, "relation": rel, "title": rel, "color": color, "dashes": dashed})
    big = graph.number_of_nodes() > BIG
    net.options = _options(physics=False, directed=True)
    if big:
        net.options["edges"]["smooth"] = False
        net.options["interaction"]["hideEdgesOnZoom"] = True
    kinds = Counter(_kind(d) for _, d in graph.nodes(data=True))
    summary = (f"{kinds.get('document', 0)} documents, {kinds.get('agency', 0) + kinds.get('group', 0)} agencies, "
               f"{kinds.get('task', 0)} tasks, {graph.number_of_edges()} edges. Select a node to highlight its "
               f"neighbourhood; filter by kind, level, region, function or relation.")
    legend = [_legend_levels(d.get("level", "unknown") for _, d in graph.nodes(data=True) if _kind(d) == "document"),
              {"title": "Other nodes", "items": [{"label": "agency", "color": AGENCY_COLOR, "shape": "diamond"},
                                                 {"label": "agency group", "color": GROUP_COLOR, "shape": "diamond"},
                                                 {"label": "task", "color": TASK_COLOR, "shape": "square"}]},
              {"title": "Edges", "items": [{"label": rel.replace("_", " "), "color": c,
                                            "shape": "line dashed" if dashed else "line"}
                                           for rel, (c, dashed) in RELATION_STYLE.items()]}]
    select_options.sort(key=lambda o: o["text"])
    return render(net, summary=summary, legend=legend, select_options=select_options)
