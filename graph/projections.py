"""networkx projections of the store: lineage, agency co-responsibility, task–agency, corpus.

Each is built from a few SELECTs over the citation and responsibility edges (never from every
triple). Node ids are IRIs; node and edge attributes are strings and integers only, so the
GraphML and GEXF exports open in Gephi and Cytoscape as they are.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph as ox

from policykg.errors import PolicyKGError
from policykg.graph.store import Store

LEVELS = ("national", "provincial", "municipal", "county")
ROLES = ("lead", "responsible", "participating", "coordinating", "guiding")
GRAPH_KINDS = ("corpus", "lineage", "agencies", "tasks")
EXPORT_FORMATS = ("graphml", "gexf")

PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
# Shared entities (regions, agencies, functions) are described again in every source graph that
# mentions them, and the union default graph keeps each copy: attributes are read one at a time,
# DISTINCT, so copies never multiply.
_DOCUMENTS = PREFIXES + "SELECT DISTINCT ?s WHERE { ?s a eli:LegalResource }"
_DOCUMENT_ATTRIBUTES = {
    "number": "SELECT DISTINCT ?s ?v WHERE { ?s eli:id_local ?v }",
    "title": "SELECT DISTINCT ?s ?v WHERE { ?s dcterms:title ?v }",
    "level": 'SELECT DISTINCT ?s ?v WHERE { ?s plo:level ?l BIND (LCASE(STRAFTER(STR(?l), "#")) AS ?v) }',
    "region": """SELECT ?s ?v WHERE { { SELECT DISTINCT ?s ?j WHERE { ?s eli:jurisdiction ?j } }
                                     { SELECT DISTINCT ?j ?v WHERE { ?j skos:prefLabel ?v } } }""",
    "date": "SELECT DISTINCT ?s ?v WHERE { ?s eli:date_document ?v }",
    "source": "SELECT DISTINCT ?s ?v WHERE { ?s dcterms:source ?v }",
}
_ISSUERS = PREFIXES + "SELECT DISTINCT ?d ?a WHERE { ?d eli:passed_by ?a }"
_BASED_ON = PREFIXES + "SELECT DISTINCT ?d ?s WHERE { ?d eli:based_on ?s FILTER (?d != ?s) }"
_CITES = PREFIXES + "SELECT DISTINCT ?d ?s WHERE { ?d eli:cites ?s FILTER (?d != ?s) }"
_AGENCIES = PREFIXES + """
SELECT DISTINCT ?s ?type WHERE { ?s a ?type VALUES ?type { org:Organization plo:AgencyGroup plo:Government } }"""
_AGENCY_ATTRIBUTES = {
    "label": "SELECT DISTINCT ?s ?v WHERE { ?s skos:prefLabel ?v }",
    "region": """SELECT ?s ?v WHERE { { SELECT DISTINCT ?s ?j WHERE { ?s dcterms:spatial ?j } }
                                     { SELECT DISTINCT ?j ?v WHERE { ?j skos:prefLabel ?v } } }""",
    "function": """SELECT ?s ?v WHERE { { SELECT DISTINCT ?s ?f WHERE { ?s plo:function ?f } }
        { SELECT DISTINCT ?f ?v WHERE { ?f skos:prefLabel ?v FILTER (LANGMATCHES(LANG(?v), "zh")) } } }""",
    "function_key": """SELECT ?s ?v WHERE { { SELECT DISTINCT ?s ?f WHERE { ?s plo:function ?f } }
                                           { SELECT DISTINCT ?f ?v WHERE { ?f skos:notation ?v } } }""",
}
_ROLES = PREFIXES + """
SELECT DISTINCT ?t ?a ?role WHERE {
  ?t plo:involvesAgency ?a .
  OPTIONAL {
    VALUES (?p ?role) { (plo:leadAgency "lead") (plo:responsibleAgency "responsible")
                        (plo:participatingAgency "participating") (plo:coordinatingAgency "coordinating")
                        (plo:guidingAgency "guiding") }
    ?t ?p ?a
  }
}"""
_TASKS = PREFIXES + """
SELECT ?t (MIN(?doc) AS ?document) (MIN(?lab) AS ?label) (MIN(?o) AS ?ordinal) (MIN(?h) AS ?title)
WHERE {
  ?t a plo:Task ; eli:is_part_of ?doc .
  OPTIONAL { ?t plo:label ?lab }
  OPTIONAL { ?t plo:ordinal ?o }
  OPTIONAL { ?t dcterms:title ?h }
}
GROUP BY ?t"""


_INTEGER_TYPES = {"http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def _rows(store: Store, sparql: str) -> list[dict[str, str | int]]:
    """A SELECT's rows with each term as its lexical value (integers as int), unbound absent.

    Lighter than :meth:`Store.select` (no rdflib terms): the projections read large results."""
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row: dict[str, str | int] = {}
        for name in names:
            term = solution[name]
            if term is None:
                continue
            if isinstance(term, ox.Literal) and term.datatype.value in _INTEGER_TYPES:
                row[name] = int(term.value)
            else:
                row[name] = term.value
        rows.append(row)
    return rows


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes fit for GraphML/GEXF: None dropped, dates as ISO strings, the rest str or int."""
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, bool):
            v = int(v)
        elif isinstance(v, date):
            v = v.isoformat()
        elif not isinstance(v, (int, str)):
            v = str(v)
        out[k] = v
    return out


def _doc_label(row: dict[str, Any]) -> str:
    """发文字号, else title, else the source file, else the IRI's last segment."""
    return row.get("number") or row.get("title") or row.get("source") or row["d"].rsplit("/", 1)[-1]


def _attributes(store: Store, queries: dict[str, str], subjects: set[str]) -> dict[str, dict[str, Any]]:
    """subject → {attribute: value} for the given subjects, the smallest value where several."""
    out: dict[str, dict[str, Any]] = {s: {} for s in subjects}
    for name, query in queries.items():
        for row in _rows(store, PREFIXES + query):
            attrs = out.get(row["s"])
            if attrs is not None and (name not in attrs or row["v"] < attrs[name]):
                attrs[name] = row["v"]
    return out


def _documents(store: Store, agencies: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Attributes of every document node (``issuer``: the issuing agencies' labels)."""
    issuers: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, _ISSUERS):
        issuers[row["d"]].append(row["a"])
    agencies = _agencies(store) if agencies is None else agencies
    found = _attributes(store, _DOCUMENT_ATTRIBUTES, {row["s"] for row in _rows(store, _DOCUMENTS)})
    docs = {}
    for iri, row in found.items():
        names = sorted({agencies.get(a, {}).get("label", a) for a in issuers.get(iri, [])})
        docs[iri] = _clean({
            "kind": "document",
            "label": _doc_label({"d": iri, **row}),
            "number": row.get("number"),
            "title": row.get("title"),
            "level": row.get("level"),
            "region": row.get("region"),
            "date": row.get("date"),
            "issuer": "、".join(names) or None,
            "source": row.get("source"),
            "loaded": "source" in row,
        })
    return docs


def _agencies(store: Store) -> dict[str, dict[str, Any]]:
    """Attributes of every agency and agency group."""
    types: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _AGENCIES):
        types[row["s"]].add(row["type"].rsplit("#", 1)[-1])
    found = _attributes(store, _AGENCY_ATTRIBUTES, set(types))
    out = {}
    for iri, row in found.items():
        kind = "group" if "AgencyGroup" in types[iri] else "government" if "Government" in types[iri] else "agency"
        out[iri] = _clean({
            "kind": kind,
            "label": row.get("label") or iri.rsplit("/", 1)[-1],
            "region": row.get("region"),
            "function": row.get("function"),
            "function_key": row.get("function_key"),
        })
    return out


def _roles(store: Store) -> list[tuple[str, str, str]]:
    """(task, agency, role) for every responsibility edge; role is "" when only plo:involvesAgency."""
    return sorted((r["t"], r["a"], r.get("role", "")) for r in _rows(store, _ROLES))


def lineage_graph(store: Store) -> nx.DiGraph:
    """Documents and their eli:based_on edges (document → superior), every document a node."""
    g = nx.DiGraph(name="lineage")
    for iri, attrs in sorted(_documents(store).items()):
        g.add_node(iri, **attrs)
    for row in _rows(store, _BASED_ON):
        g.add_edge(row["d"], row["s"], relation="based_on")
    return g


def agency_graph(store: Store) -> nx.Graph:
    """Agencies named in tasks; an edge joins two agencies of one task, weighted by shared tasks.

    Node attributes: label, region, function, kind, ``tasks`` (distinct tasks) and
    ``tasks_<role>`` for each role."""
    attrs = _agencies(store)
    per_task: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, Counter] = defaultdict(Counter)
    tasks_of: dict[str, set[str]] = defaultdict(set)
    for task, agency, role in _roles(store):
        per_task[task].add(agency)
        tasks_of[agency].add(task)
        if role:
            counts[agency][role] += 1
    g = nx.Graph(name="agencies")
    for agency in sorted(tasks_of):
        node = dict(attrs.get(agency, {"kind": "agency", "label": agency.rsplit("/", 1)[-1]}))
        node["tasks"] = len(tasks_of[agency])
        for role in ROLES:
            node[f"tasks_{role}"] = counts[agency][role]
        g.add_node(agency, **node)
    for task in sorted(per_task):
        for a, b in itertools.combinations(sorted(per_task[task]), 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
            else:
                g.add_edge(a, b, weight=1)
    return g


def task_agency_graph(store: Store) -> nx.Graph:
    """The bipartite graph of tasks (``bipartite=0``) and agencies (``bipartite=1``), an edge per
    responsibility with its ``role`` (several roles of one pair joined by ``+``)."""
    agencies = _agencies(store)
    docs = _documents(store, agencies)
    g = nx.Graph(name="tasks")
    for row in _rows(store, _TASKS):
        doc = docs.get(row["document"], {})
        g.add_node(row["t"], **_clean({
            "kind": "task", "bipartite": 0,
            "label": f"{doc.get('label', '')} {row.get('label', '')}".strip(),
            "title": row.get("title"), "ordinal": row.get("ordinal"),
            "document": row["document"], "number": doc.get("number"),
        }))
    for task, agency, role in _roles(store):
        if agency not in g:
            g.add_node(agency, bipartite=1, **agencies.get(agency, {"kind": "agency", "label": agency}))
        if task not in g:
            g.add_node(task, kind="task", bipartite=0, label=task.rsplit("/", 3)[-3])
        if g.has_edge(task, agency):
            roles = set(g[task][agency]["role"].split("+")) | {role or "involved"}
            g[task][agency]["role"] = "+".join(sorted(roles))
        else:
            g.add_edge(task, agency, role=role or "involved")
    return g


def corpus_graph(store: Store) -> nx.DiGraph:
    """Everything: documents (based_on and cites edges, issuers), tasks (part of their document)
    and agencies (an edge per responsibility, ``relation`` = its role)."""
    g = nx.DiGraph(name="corpus")
    agencies = _agencies(store)
    for iri, attrs in sorted(_documents(store, agencies).items()):
        g.add_node(iri, **attrs)
    for row in _rows(store, _ISSUERS):
        if row["a"] not in g:
            g.add_node(row["a"], **agencies.get(row["a"], {"kind": "agency", "label": row["a"]}))
        g.add_edge(row["d"], row["a"], relation="passed_by")
    for row in _rows(store, _CITES):
        g.add_edge(row["d"], row["s"], relation="cites")
    for row in _rows(store, _BASED_ON):
        g.add_edge(row["d"], row["s"], relation="based_on")
    for row in _rows(store, _TASKS):
        doc = g.nodes[row["document"]] if row["document"] in g else {}
        g.add_node(row["t"], **_clean({
            "kind": "task", "label": f"{doc.get('label', '')} {row.get('label', '')}".strip(),
            "title": row.get("title"), "ordinal": row.get("ordinal"),
        }))
        g.add_edge(row["t"], row["document"], relation="part_of")
    for task, agency, role in _roles(store):
        if agency not in g:
            g.add_node(agency, **agencies.get(agency, {"kind": "agency", "label": agency}))
        if not g.has_edge(task, agency) or role:
            g.add_edge(task, agency, relation=role or "involved")
    return g


def build(store: Store, kind: str = "corpus") -> nx.Graph:
    """The projection named ``kind``: corpus, lineage, agencies or tasks."""
    builders = {"corpus": corpus_graph, "lineage": lineage_graph, "agencies": agency_graph,
                "tasks": task_agency_graph}
    if kind not in builders:
        raise PolicyKGError(f"unknown graph {kind!r}; choose from {', '.join(GRAPH_KINDS)}")
    return builders[kind](store)


# -- measures -----------------------------------------------------------------------------

def superior_in_degree(lineage: nx.DiGraph) -> list[tuple[str, int]]:
    """Superiors by how many documents name them as basis (in-degree), highest first."""
    ranked = [(n, d) for n, d in lineage.in_degree() if d > 0]
    return sorted(ranked, key=lambda x: (-x[1], x[0]))


def superior_pagerank(lineage: nx.DiGraph, alpha: float = 0.85) -> list[tuple[str, float]]:
    """PageRank on document → superior edges: superiors inherited by inherited documents rank
    high. Only documents with at least one implementer are listed, highest first."""
    if lineage.number_of_edges() == 0:
        return []
    ranks = nx.pagerank(lineage, alpha=alpha)
    ranked = [(n, r) for n, r in ranks.items() if lineage.in_degree(n) > 0]
    return sorted(ranked, key=lambda x: (-x[1], x[0]))


def lineage_depth(lineage: nx.DiGraph) -> dict[str, int]:
    """For each document, the length of the longest chain of superiors above it (0: none).

    Documents on a citation cycle share one depth (the cycle is collapsed first)."""
    cond = nx.condensation(lineage)
    depth_of: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(cond))):  # superiors come after implementers
        depth_of[c] = max((depth_of[s] + 1 for s in cond.successors(c)), default=0)
    mapping = cond.graph["mapping"]
    return {n: depth_of[mapping[n]] for n in lineage}


def fan_out_by_level(lineage: nx.DiGraph) -> dict[str, dict[str, Any]]:
    """Per level of superior: how many superiors have implementers, how many implementing
    edges they receive, the mean fan-out, and the levels the implementers belong to."""
    out: dict[str, dict[str, Any]] = {}
    for sup in lineage:
        implementers = list(lineage.predecessors(sup))
        if not implementers:
            continue
        level = lineage.nodes[sup].get("level", "unknown")
        entry = out.setdefault(level, {"superiors": 0, "implementers": 0, "by_level": Counter()})
        entry["superiors"] += 1
        entry["implementers"] += len(implementers)
        for d in implementers:
            entry["by_level"][lineage.nodes[d].get("level", "unknown")] += 1
    for entry in out.values():
        entry["mean"] = entry["implementers"] / entry["superiors"]
        entry["by_level"] = dict(sorted(entry["by_level"].items()))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(LEVELS))))


def agency_pairs(agencies: nx.Graph, top: int | None = None) -> list[tuple[str, str, int]]:
    """Co-responsibility pairs (agency IRIs, shared tasks), most shared first; each pair once,
    the two IRIs in sorted order."""
    pairs = sorted(((*sorted((a, b)), d["weight"]) for a, b, d in agencies.edges(data=True)),
                   key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:top] if top is not None else pairs


def ancestors_and_descendants(lineage: nx.DiGraph, doc: str, depth: int | None = None) -> nx.DiGraph:
    """The subgraph of ``doc``, its superiors and its implementers (transitively, or up to
    ``depth`` steps each way)."""
    if doc not in lineage:
        return lineage.subgraph([]).copy()
    if depth is None:
        keep = {doc} | nx.descendants(lineage, doc) | nx.ancestors(lineage, doc)
    else:
        up = nx.single_source_shortest_path_length(lineage, doc, cutoff=depth)
        down = nx.single_source_shortest_path_length(lineage.reverse(copy=False), doc, cutoff=depth)
        keep = set(up) | set(down)
    return lineage.subgraph(keep).copy()


# -- export -------------------------------------------------------------------------------

def write_graph(store: Store, fmt: str, out: str | Path | IO[bytes], kind: str = "corpus") -> nx.Graph:
    """Write a projection (``kind``: corpus, lineage, agencies, tasks) as GraphML or GEXF to a
    path or binary file; returns the graph written."""
    if fmt not in EXPORT_FORMATS:
        raise PolicyKGError(f"unknown graph format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    g = build(store, kind)
    if fmt == "graphml":
        nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(g, out, encoding="utf-8", prettyprint=True)
    return g


def labels(g: nx.Graph, nodes: Iterable[str]) -> list[str]:
    """The ``label`` attribute of each node (its IRI when it has none)."""
    return [g.nodes[n].get("label", n) for n in nodes]
