"""Check a policykg graph against ``shapes.ttl`` (SHACL, run by pySHACL).

The named graphs of a store (one per source file, plus ``graph/derived``) are validated as one
graph: documents, tasks and the citations between them span several named graphs. The ontology
``plo.ttl`` is mixed into that union, so SHACL's own subclass handling counts a plo:Government
as an org:Organization without any inference.

pySHACL evaluates each SPARQL-based constraint once per focus node, handing rdflib the query
text and the focus node as the pre-bound ``$this``. The graph validated here parses each text
once instead of once per focus node, and orders the triple patterns of the parsed query knowing
that ``$this`` is bound (rdflib orders them before it knows, and then scans every task or
citation of the store for each focus node). Both matter: together they make validation
linear in the size of the store.

pySHACL is a test-time dependency (the ``test`` extra); it is imported only when needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.graph import ConjunctiveGraph, Dataset
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from policykg.graph.store import from_ox

__all__ = ["validate", "validation_report", "shapes_graph", "ontology_graph", "merged"]

Inference = Literal["none", "rdfs", "owlrl", "both"]
Data = Graph | Dataset | ox.Store


def _read(name: str) -> Graph:
    with resources.files("policykg.ontology").joinpath(name).open("rb") as fh:
        return Graph().parse(fh, format="turtle")


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``), parsed once. Do not modify it."""
    return _read("shapes.ttl")


@cache
def ontology_graph() -> Graph:
    """The ontology (``plo.ttl``), parsed once. Do not modify it."""
    return _read("plo.ttl")


class _PreparedQueryGraph(Graph):
    """An rdflib graph that parses a SPARQL text once, however many focus nodes ask it."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Any:
    query = prepareQuery(text)
    traverse(query.algebra, visitPost=_order_bgp)
    return query


_THIS = Variable("this")


def _order_bgp(node: Any) -> None:
    """Reorder a basic graph pattern in place: greedily, the pattern with the fewest unbound
    variables first, counting ``$this`` as bound; ties go to patterns joined to what is bound,
    then to the order written."""
    if not (isinstance(node, CompValue) and node.name == "BGP"):
        return
    known = {_THIS}
    rest = list(node.triples)
    ordered = []
    while rest:

        def cost(item: tuple[int, tuple]) -> tuple[int, bool, int]:
            i, triple = item
            unbound = sum(1 for t in triple if isinstance(t, (Variable, BNode)) and t not in known)
            return unbound, not any(t in known for t in triple), i

        i, triple = min(enumerate(rest), key=cost)
        ordered.append(rest.pop(i))
        known.update(t for t in triple if isinstance(t, (Variable, BNode)))
    node["triples"] = ordered


def _triples(data: Data) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(data, ox.Store):
        for q in data:
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)
    elif isinstance(data, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        for s, p, o, _ in data.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from data


def merged(data: Data, *, into: Graph | None = None) -> Graph:
    """Every triple of ``data`` in one new graph: all named graphs of a Dataset or of a
    pyoxigraph Store, or a Graph's triples. ``data`` is not modified."""
    out = Graph() if into is None else into
    for triple in _triples(data):
        out.add(triple)
    return out


def _pyshacl() -> Any:
    try:
        import pyshacl
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "validating a policykg graph needs pySHACL: pip install 'policykg[test]' (or pip install pyshacl)"
        ) from e
    return pyshacl


def validation_report(data: Data, *, inference: Inference = "none") -> tuple[bool, Graph, str]:
    """(conforms, SHACL validation report graph, report text) for the union of ``data``.

    ``data`` (an rdflib Graph or Dataset, or a pyoxigraph Store) is not modified. ``inference``
    is passed to pySHACL; "none" (the default) is right for policykg graphs, which state every
    triple the shapes look for.
    """
    pyshacl = _pyshacl()
    graph = merged(data, into=_PreparedQueryGraph())
    graph += ontology_graph()
    conforms, report, text = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph(),
        inference=inference,
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
        meta_shacl=False,
    )
    return bool(conforms), report, str(text)


def validate(data: Data, *, inference: Inference = "none") -> tuple[bool, str]:
    """(conforms, report text): whether the union of ``data``'s graphs satisfies ``shapes.ttl``."""
    conforms, _, text = validation_report(data, inference=inference)
    return conforms, text
