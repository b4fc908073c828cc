"""A citation table → the statements of its named graph.

Each row names two documents by the ids of a legal database (``Z1``, ``D29191``). An id that a
loaded table of notices holds (``dcterms:identifier``) is that row's document, merged with
notices loaded from text by 发文字号 and title like any loaded document. An id no loaded table
holds is a document known only from the citation table: with a title (``a_title``/``b_title``)
in its first row it is the node of that title (the one a citation by title resolves to), else a node of its id;
either way it is ``a eli:LegalResource`` with ``dcterms:identifier`` the id.

引用 (A cites B) and 被引用 (B cites A) give ``eli:cites``; 相似于 gives ``plo:similarTo`` in both
directions. The table's node (its graph's IRI) is a ``plo:CitationTable`` with its file
(``plo:tableSource``) and the SHA-256 of its bytes (``plo:tableSha256``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF
from rdflib.namespace import DCTERMS

from policykg.graph import iri, ntriples
from policykg.graph.ntriples import Terms, lang_literal, statement
from policykg.loaders.citations import title_key
from policykg.loaders.tables import BadRow, Relation
from policykg.ontology.plo import ELI, PLO

rdf, eli, plo, dcterms = map(Terms, (RDF, ELI, PLO, DCTERMS))
MIN_TITLE_KEY = 5  # as graph.resolve: shorter titles are too generic to name a document


@dataclass
class TableGraph:
    """The statements of one citation table's graph, and the rows that were not used."""

    graph: str
    lines: list[str] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    cites: int = 0
    similar: int = 0
    outside: int = 0  # ids no loaded table holds


def table_graph(source: str, sha256: str, relations: Iterable[Relation | BadRow],
                documents: Mapping[str, set[str]]) -> TableGraph:
    """The graph of the citation table ``source``. ``documents`` maps each id a loaded table
    holds to its document IRIs (an id held by two documents is ambiguous: its rows are bad)."""
    g = iri.source_graph(source)
    out = TableGraph(str(g))
    table = ntriples.iri(str(g))
    lines: dict[str, None] = {}
    lines[statement(table, rdf.type, plo.CitationTable)] = None
    lines[statement(table, plo.tableSource, ntriples.literal(source))] = None
    lines[statement(table, plo.tableSha256, ntriples.literal(sha256))] = None
    outside: dict[str, str] = {}  # id → node
    for rel in relations:
        if isinstance(rel, BadRow):
            out.bad.append(rel)
            continue
        nodes = []
        for ident, title in ((rel.a, rel.a_title), (rel.b, rel.b_title)):
            found = documents.get(ident)
            if found is not None and len(found) > 1:
                out.bad.append(BadRow(source, rel.row, f"id {ident!r} names {len(found)} loaded documents"))
                break
            if found:
                nodes.append(ntriples.iri(next(iter(found))))
                continue
            node = outside.get(ident)
            if node is None:
                node = outside[ident] = _outside_node(ident, title)
                lines[statement(node, rdf.type, eli.LegalResource)] = None
                lines[statement(node, dcterms.identifier, ntriples.literal(ident))] = None
            nodes.append(node)
            if title:
                lines[statement(node, dcterms.title, lang_literal(title, "zh"))] = None
        else:
            a, b = nodes
            if a == b:
                continue
            if rel.kind == "similar":
                lines[statement(a, plo.similarTo, b)] = None
                lines[statement(b, plo.similarTo, a)] = None
                out.similar += 1
            else:
                citing, cited = (a, b) if rel.kind == "cites" else (b, a)
                lines[statement(citing, eli.cites, cited)] = None
                out.cites += 1
    out.lines = list(lines)
    out.outside = len(outside)
    return out


def _outside_node(ident: str, title: str | None) -> str:
    if title and len(title_key(title)) >= MIN_TITLE_KEY:
        return ntriples.iri(str(iri.doc_by_title(title_key(title))))
    return ntriples.iri(str(iri.doc_by_identifier(ident)))
