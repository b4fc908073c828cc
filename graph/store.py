"""The embedded quad store: pyoxigraph (RocksDB on disk), one named graph per source file.

rdflib stays the term layer (``graph.triples`` builds rdflib terms); this module converts them to
pyoxigraph terms at the boundary. Replacing a graph is one SPARQL update, so it is atomic: a reader
sees the old graph or the new one, never half of either.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.errors import QueryError, StoreError
from policykg.graph import ntriples as nt
from policykg.graph import sparql_text

Triple = tuple[Node, Node, Node]

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"nquads", "trig", "jsonld"}
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _nt(term: Node) -> str:
    # IRIs recur (predicates, agencies, regions): their N-Triples form is cached
    if isinstance(term, URIRef):
        return nt.iri(str(term))
    return str(to_ox(term))


def ntriples(triples: Iterable[Triple]) -> list[str]:
    """Triples as N-Triples statements (one string each, terms escaped by pyoxigraph)."""
    return [f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in triples]


def from_ox(term: Any) -> Node | None:
    """Convert a pyoxigraph term to an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not a pyoxigraph term: {term!r}")


def python_value(term: Any) -> Any:
    """A plain Python value for a result cell: IRIs and strings as str, numbers and dates typed."""
    node = from_ox(term)
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(node)


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables to rdflib terms with ``VALUES`` blocks (see :func:`sparql_text.bind_values`)."""
    return sparql_text.bind_values(sparql, {name: to_ox(value) for name, value in bindings.items()})


def _prune_logs(path: Path, keep: int = 1) -> None:
    """Remove the engine's old information logs (RocksDB starts a ``LOG`` at each opening and
    keeps the previous ones as ``LOG.old.*``), but the newest ``keep``: a store opened by
    thousands of commands does not collect a file per command."""
    old = sorted(path.glob("LOG.old.*"), key=lambda p: p.name)
    for log in old[:-keep] if keep else old:
        log.unlink(missing_ok=True)


def _open_read_only(path: Path) -> ox.Store:
    """The store at ``path`` without its write lock. A writer working on it at the same moment
    may be replacing the file list just read (RocksDB's MANIFEST), which the engine reports as
    corruption: the open is tried again a few times before that is believed."""
    for attempt in range(5):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            if attempt == 4 or not (path / "CURRENT").exists():
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


class Store:
    """A policykg store. ``Store(None)`` is in memory; ``Store(path)`` persists under ``path``."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._ox = ox.Store()
            elif read_only:
                self._ox = _open_read_only(self.path)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(self.path))
                _prune_logs(self.path)
        except (OSError, RuntimeError) as exc:
            hint = (" (it is damaged, or held open by a program of another version): it was not "
                    "modified; load the notices again into a new store (policykg load FILES --store NEW)")
            raise StoreError(f"cannot open store at {self.path}{hint}: {exc}") from exc

    # -- writing -------------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> int:
        """Replace each named graph by the given triples, all in one transaction.

        Returns the number of triples written (after de-duplication within each graph).
        """
        return self.replace_graphs_nt({g: ntriples(t) for g, t in graphs.items()})

    def replace_graphs_nt(self, graphs: Mapping[str, Iterable[str]],
                          add: Mapping[str, Iterable[str]] | None = None) -> int:
        """Like :meth:`replace_graphs`, with each graph given as N-Triples lines (see
        :func:`ntriples`), so that worker processes can serialize and the writer only joins.
        ``add`` gives lines to add to other graphs (kept as they are) in the same transaction."""
        names = [ox.NamedNode(g) for g in graphs]
        blocks = {str(g): list(dict.fromkeys(lines)) for g, lines in zip(names, graphs.values(), strict=True)}
        extra = {str(ox.NamedNode(g)): list(dict.fromkeys(lines)) for g, lines in (add or {}).items()}
        count = sum(len(lines) for lines in blocks.values())
        try:
            if self.path is not None and names and not any(self._ox.contains_named_graph(g) for g in names):
                # only new graphs: the bulk loader, several times faster on disk. A statement
                # "<s> <p> o ." becomes the quad "<s> <p> o <g> ."
                data = []
                for part in (blocks, extra):
                    for g, lines in part.items():
                        if lines:
                            end = f" {g} .\n"
                            data.append(end.join(line[:-2] for line in lines))
                            data.append(end)
                if data:
                    self._ox.bulk_load("".join(data).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
                return count
            parts = [f"DROP SILENT GRAPH {g}" for g in blocks]
            inserts = [f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for part in (blocks, extra)
                       for g, lines in part.items() if lines]
            if inserts:
                parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
            if parts:
                self._ox.update(" ;\n".join(parts))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot write graphs: {exc}") from exc
        return count

    def remove_graphs(self, graph_iris: Iterable[str]) -> None:
        """Drop named graphs (missing ones are ignored), in one transaction."""
        parts = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris]
        if parts:
            self._ox.update(" ;\n".join(parts))

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._ox.flush()

    def close(self) -> None:
        """Flush and release the store (its directory lock is freed once no result refers to it)."""
        if hasattr(self, "_ox"):
            self.flush()
            del self._ox

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def triples_in(self, graph_iri: str) -> Iterator[Triple]:
        """The triples of one named graph, as rdflib terms."""
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)  # type: ignore[misc]

    def plan(self, sparql: str) -> str:
        """A named query's text as this engine runs it best (see
        :func:`sparql_text.lateral_optionals`); the answer is the same."""
        return sparql_text.lateral_optionals(sparql)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run a SPARQL query over the union of all graphs.

        ``bindings`` maps variable names to rdflib terms; they are bound as RDF terms by the
        engine, never pasted into the query text. Returns pyoxigraph's result object.
        """
        if bindings:
            sparql = bind_values(sparql, bindings)
        try:
            return self._ox.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of plain Python values (unbound variables absent)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            row = {}
            for name in names:
                value = sol[name]
                if value is not None:
                    row[name] = python_value(value)
            rows.append(row)
        return rows

    def dump(self, fmt: str, output: IO[bytes] | str | Path | None = None, graph: str | None = None) -> bytes | None:
        """Serialize the store (``nquads``/``trig``/``jsonld`` keep named graphs; ``turtle``/``nt``
        give the union of all graphs)."""
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose from {', '.join(RDF_FORMATS)}")
        rdf_format = RDF_FORMATS[fmt]
        if graph is not None:
            return self._ox.dump(output, rdf_format, from_graph=ox.NamedNode(graph))
        if fmt in DATASET_FORMATS:
            return self._ox.dump(output, rdf_format)
        # triple formats: the union graph, each triple once
        triples = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        data = triples.serialize(format=rdf_format)
        if output is None:
            return data
        if isinstance(output, (str, Path)):
            Path(output).write_bytes(data)
        else:
            output.write(data)
        return None

    def nquads(self) -> str:
        """The whole store as sorted N-Quads (for comparing stores)."""
        buf = io.BytesIO()
        self._ox.dump(buf, ox.RdfFormat.N_QUADS)
        return "\n".join(sorted(line for line in buf.getvalue().decode("utf-8").splitlines() if line)) + "\n"

    def __len__(self) -> int:
        return len(self._ox)

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need its own API."""
        return self._ox
