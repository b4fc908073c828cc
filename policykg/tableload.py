"""Loading tables (the part of :meth:`PolicyGraph.load <policykg.api.PolicyGraph.load>` that is
about them): the rows of tables of notices as work for the load, and the graphs of citation
tables. Rows are read by :mod:`policykg.loaders.tables`, a citation table's statements made by
:mod:`policykg.graph.citation_tables`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from policykg.api import (
    PREFIXES,
    Extracted,
    Failure,
    LoadReport,
    SourceFile,
    Unchanged,
    _sha256,
    local_agency_count,
)
from policykg.errors import PolicyKGError
from policykg.graph import citation_tables, iri, ntriples, triples
from policykg.graph.store import Store
from policykg.loaders import tables
from policykg.ontology.plo import ELI, PLO

__all__ = ["RowFeed", "extract_row", "load_relations", "sort_tables", "table_parts"]


def extract_row(row: tables.Row) -> Extracted | Failure:
    """Extract one row of a table of notices (see ``tables.row_notice``); the row's id is the
    document's ``dcterms:identifier``, a stated 效力位阶 its ``plo:legalRank``, a date of entry
    into force its ``eli:first_date_entry_in_force``. Never raises for a bad row."""
    try:
        notice = tables.row_notice(row)
        lines, entity_lines = triples.notice_lines(notice)
    except PolicyKGError as exc:
        return Failure(row.source, f"row {row.row}: {exc}")
    except Exception as exc:  # an extractor bug must not abort a corpus load
        return Failure(row.source, f"row {row.row}: extraction failed: {type(exc).__name__}: {exc}")
    d = ntriples.iri(str(triples.doc_iri(notice)))
    extra = [ntriples.statement(d, ntriples.iri(str(DCTERMS.identifier)), ntriples.literal(row.ident))]
    if row.rank:
        extra.append(ntriples.statement(d, ntriples.iri(str(PLO.legalRank)), ntriples.lang_literal(row.rank, "zh")))
    if row.effective:
        extra.append(ntriples.statement(d, ntriples.iri(str(ELI.first_date_entry_in_force)),
                                        ntriples.typed_literal(row.effective.isoformat(), str(XSD.date))))
    return Extracted(
        source=row.source,
        sha256=row.sha256,
        graph=str(triples.graph_iri(notice)),
        lines=(*lines, *extra),
        entity_lines=entity_lines,
        number=notice.number.canonical if notice.number else None,
        title=notice.title,
        conflicts=notice.conflicts,
        local_agencies=local_agency_count(notice),
    )


def sort_tables(files: list[SourceFile], columns: Mapping[str, str] | None,
                report: LoadReport) -> tuple[list[SourceFile], list[SourceFile]]:
    """Table files sorted into tables of notices and citation tables; a table that cannot be
    read, or whose columns name nothing to load, is a failure."""
    notices, relations = [], []
    for sf in files:
        try:
            cols = tables.columns(sf.path, columns)
        except (OSError, PolicyKGError, ValueError) as exc:
            report.failures.append(Failure(sf.source, f"cannot read the table: {exc}"))
            continue
        if cols.unused:
            report.unused_columns[sf.source] = cols.unused
        if cols.kind == "relations":
            relations.append(sf)
        elif not {"text", "title", "number"} & set(cols.fields.values()):
            report.failures.append(Failure(sf.source, (
                f"no column is read as text, title or number (columns: {', '.join(cols.unused) or 'none'});"
                " name them with --map COLUMN=FIELD")))
        else:
            notices.append(sf)
    return notices, relations


def load_relations(store: Store, sf: SourceFile, columns: Mapping[str, str] | None, force: bool,
                   report: LoadReport) -> None:
    """Write one citation table's graph (unless it is loaded with the same content). Its ids
    are looked up among the documents of the tables of notices in the store."""
    sha = _sha256(sf.path)
    graph = str(iri.source_graph(sf.source))
    if sha is None:
        report.failures.append(Failure(sf.source, "cannot read"))
        return
    loaded = store.select(PREFIXES + "SELECT ?sha WHERE { GRAPH ?g { ?g plo:tableSha256 ?sha } }",
                          {"g": URIRef(graph)})
    if not force and loaded and loaded[0]["sha"] == sha:
        report.unchanged += 1
        return
    documents: dict[str, set[str]] = {}
    for r in store.select(PREFIXES + """SELECT DISTINCT ?id ?d WHERE {
  ?d dcterms:identifier ?id ; dcterms:source ?s }"""):
        documents.setdefault(r["id"], set()).add(r["d"])
    try:
        result = citation_tables.table_graph(sf.source, sha, tables.relations(sf.path, sf.source, columns),
                                             documents)
    except (OSError, PolicyKGError) as exc:
        report.failures.append(Failure(sf.source, str(exc)))
        return
    report.triples += store.replace_graphs_nt({result.graph: result.lines})
    report.citations += result.cites + result.similar
    report.failures.extend(Failure(b.source, f"row {b.row}: {b.reason}") for b in result.bad)


def table_parts(store: Store, source: str) -> list[str]:
    """The loaded rows (``source#ID``) of a table of notices, or ``[source]`` for a loaded
    citation table; [] when ``source`` is neither."""
    rows = store.select(PREFIXES + """SELECT DISTINCT ?src WHERE {
  ?d dcterms:source ?src FILTER (STRSTARTS(?src, ?prefix)) }""", {"prefix": Literal(source + "#")})
    if rows:
        return sorted(r["src"] for r in rows)
    graph = URIRef(iri.source_graph(source))
    found = store.select(PREFIXES + "SELECT ?g WHERE { GRAPH ?g { ?g a plo:CitationTable } }", {"g": graph})
    return [source] if found else []


class RowFeed:
    """The rows of tables of notices that are to be (re)loaded, read one at a time: rows
    loaded already with the same content are counted unchanged, bad rows and duplicates go to
    the report. After the feed is drained, :meth:`stale` names the loaded rows the tables no
    longer hold."""

    def __init__(self, files: list[SourceFile], columns: Mapping[str, str] | None, known: dict[str, str],
                 report: LoadReport, progress: Callable[..., None] | None) -> None:
        self.files, self.columns, self.known = files, columns, known
        self.report, self.progress = report, progress
        self.seen: set[str] = set()
        self.unread: set[str] = set()  # tables that failed part way: none of their rows is stale

    def __iter__(self) -> Iterator[tables.Row]:
        report = self.report
        for sf in self.files:
            try:
                for item in tables.rows(sf.path, sf.source, self.columns):
                    if isinstance(item, tables.BadRow):
                        report.failures.append(Failure(item.source, f"row {item.row}: {item.reason}"))
                    elif isinstance(item, tables.Duplicate):
                        report.duplicates.append(item)
                    else:
                        self.seen.add(item.source)
                        if self.known.get(item.source) == item.sha256:
                            report.unchanged += 1
                            if self.progress:
                                self.progress(item, Unchanged(item.source))
                        else:
                            yield item
            except (OSError, PolicyKGError) as exc:
                report.failures.append(Failure(sf.source, f"cannot read the table: {exc}"))
                self.unread.add(sf.source)

    def stale(self) -> list[str]:
        """Loaded rows of these tables that the tables no longer hold."""
        prefixes = tuple(f"{sf.source}#" for sf in self.files if sf.source not in self.unread)
        return sorted(s for s in self.known if s.startswith(prefixes) and s not in self.seen)
