"""The ``policykg`` command: each command opens the store, calls one API function, prints."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from policykg import __version__
from policykg.api import Extracted, Failure, SourceFile, Unchanged, collect
from policykg.cli_common import Target, errors_as_click, format_option, open_graph, store_option
from policykg.cli_server import COMMANDS as SERVER_COMMANDS
from policykg.cli_views import COMMANDS as VIEW_COMMANDS
from policykg.files import atomic_write
from policykg.graph.store import RDF_FORMATS, RESULT_FORMATS, python_value
from policykg.output import ROW_FORMATS, format_rows

TASK_COLUMNS = ["ordinal", "label", "heading", "lead", "responsible", "participating", "coordinating", "guiding",
                "mentions", "source"]
TASK_TREE_COLUMNS = ["ordinal", "path", "parent", "depth", *TASK_COLUMNS[1:]]
AGENCY_COLUMNS = ["agency", "region", "function", "kind", "tasks", "lead", "responsible", "participating",
                  "coordinating", "guiding"]
DOC_COLUMNS = ["number", "title", "issuers", "date", "level", "region", "source"]










@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
def main() -> None:
    """policykg: Chinese policy notices → a knowledge graph of policy lineage and agencies."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction [default: all cores].")
@click.option("--force", is_flag=True, help="Reload files even when their content is already loaded, and let a "
              "file replace a source loaded from another place.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--file-timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="S",
              help="Skip (and report) a file whose extraction takes longer than S seconds; 0: no limit.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
              help="Read a table column as a field (text, title, number, issuer, date, published, url, "
                   "level, region, validity, scope, id; for citation tables a, relation, b, a_title, "
                   "b_title; '-' to ignore it). Repeatable.")
@click.option("--bulk", is_flag=True,
              help="With --endpoint on an Oxigraph server: push each batch as one N-Quads POST to its "
                   "/store without a transaction (several times faster; a push that fails part way may "
                   "leave part of its batch: reload with --force). Without it, any SPARQL 1.1 server: Graph Store PUT per "
                   "document or SPARQL Update.")
@errors_as_click
def load(paths: tuple[str, ...], store: Target, jobs: int | None, force: bool, quiet: bool,
         maps: tuple[str, ...], bulk: bool, file_timeout: float) -> None:
    """Load notice files and folders (plain text, Markdown, saved web pages in any encoding,
    PDF with a text layer, Word .docx) and tables of notices (.jsonl .csv .tsv .xlsx: one
    document per row, columns found by name) and citation tables (a_id, relation, b_id).

    A bad file or table row is reported with its reason and skipped; the rest loads. Files and
    rows already loaded with the same content are skipped, so running the same command again
    after an interruption completes the load. Exit code 1 when any file or row failed.
    """
    from policykg.loaders.tables import parse_map, row_count

    columns = parse_map(maps)
    files = collect(paths)
    show = not quiet and sys.stderr.isatty()
    started = time.monotonic()
    done = 0

    def rate(_: Any) -> str:
        elapsed = time.monotonic() - started
        return f"{done / elapsed:.0f} docs/s" if elapsed > 0 and done else ""

    with click.progressbar(length=sum(row_count(f.path) if f.clash is None else 1 for f in files) if show else len(files), label="Loading", file=sys.stderr, show_pos=True,
                           show_eta=True, hidden=not show, item_show_func=rate) as bar:

        def progress(sf: SourceFile, result: Extracted | Failure | Unchanged) -> None:
            nonlocal done
            done += 1
            bar.update(1, sf)

        with open_graph(store, bulk=bulk, create=True) as pg:
            report = pg.load(paths, force=force, jobs=jobs or os.cpu_count() or 1, progress=progress,
                             columns=columns, file_timeout=file_timeout or None)
    elapsed = time.monotonic() - started
    click.echo(f"documents loaded: {report.documents}")
    if report.unchanged:
        click.echo(f"unchanged (skipped): {report.unchanged}")
    if report.citations:
        click.echo(f"relations from citation tables: {report.citations}")
    if report.removed:
        click.echo(f"rows no longer in their table (removed): {report.removed}")
    if report.duplicates:
        click.echo(f"duplicate rows (same content as an earlier row, loaded once): {len(report.duplicates)}")
        for dup in report.duplicates[:20]:
            click.echo(f"  {dup.source} (row {dup.row}) = {dup.of}", err=True)
        if len(report.duplicates) > 20:
            click.echo(f"  … and {len(report.duplicates) - 20} more", err=True)
    if report.duplicate_files:
        click.echo(f"duplicate files (a document another file states too, each fact counted once): "
                   f"{len(report.duplicate_files)}")
        for dup in report.duplicate_files[:20]:
            click.echo(f"  {dup.source} = {dup.of}", err=True)
        if len(report.duplicate_files) > 20:
            click.echo(f"  … and {len(report.duplicate_files) - 20} more", err=True)
    for table, unused in report.unused_columns.items():
        click.echo(f"columns not read in {table}: {', '.join(unused)} (read one with --map COLUMN=FIELD)")
    if report.skipped:
        counts = ", ".join(f"{n} {suffix}" for suffix, n in sorted(report.skipped.items(), key=lambda x: (-x[1], x[0])))
        click.echo(f"skipped (not a notice or table): {counts}")
    if report.damaged:
        click.echo(f"warning: files with bytes that could not be decoded (read as U+FFFD, loaded): "
                   f"{len(report.damaged)}")
        for source, bad in sorted(report.damaged.items()):
            click.echo(f"  {source}: {bad.count} bad bytes, the first at byte {bad.first}", err=True)
    click.echo(f"triples written: {report.triples}")
    click.echo(f"failures: {len(report.failures)}")
    if report.conflicts:
        click.echo(f"conflicts (the page's stated field kept): {len(report.conflicts)}")
        for source, c in report.conflicts:
            click.echo(f'  {source}: {c.field}: stated "{c.stated}", text "{c.found}"')
    if report.local_agencies:
        click.echo(f"agencies of unstated jurisdiction (one node per document): "
                   f"{sum(report.local_agencies.values())} in {len(report.local_agencies)} documents")
        for source, n in sorted(report.local_agencies.items()):
            click.echo(f"  {source}: {n}", err=True)
    click.echo(f"time: {elapsed:.1f} s", err=True)
    for failure in report.failures:
        click.echo(f"  {failure.source}: {failure.reason}", err=True)
    if report.failures:
        sys.exit(1)


@main.command()
@click.argument("items", nargs=-1, required=True)
@store_option
@errors_as_click
def remove(items: tuple[str, ...], store: Target) -> None:
    """Drop loaded documents, each given as its source (as loaded, or its unique end; a table's
    path drops all its rows, FILE#ID one row) or as a document (发文字号, title or IRI)."""
    with open_graph(store) as pg:
        removed = pg.remove(items)
    for source in removed:
        click.echo(f"removed: {source}")


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the SPARQL query from a file ('-' for stdin).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of a named query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True,
              help="table, or the W3C SPARQL 1.1 results formats csv, tsv, json.")
@click.option("--timeout", type=float, default=None, help="Give up after this many seconds.")
@click.option("--limit", type=int, default=None, help="At most this many rows (named queries default to 100).")
@click.option("--allow-federated", is_flag=True,
              help="Run queries with SERVICE clauses. RISK: the query engine (or the --endpoint server) "
                   "then sends requests to the URLs the query names, local services included.")
@store_option
@errors_as_click
def query(query: str | None, query_file: Any, params: tuple[str, ...], fmt: str,
          timeout: float | None, limit: int | None, allow_federated: bool, store: Target) -> None:
    """Run a read-only SPARQL query, or a named query (see `policykg queries`)."""
    from policykg import queries as named

    if query_file is not None:
        text = query_file.read()
    elif query:
        text = query
    else:
        raise click.UsageError("give a SPARQL query, a named query, or -f FILE")
    bound: dict[str, str] = {}
    for p in params:
        if "=" not in p:
            raise click.BadParameter(f"{p!r} is not NAME=VALUE", param_hint="--param")
        k, v = p.split("=", 1)
        bound[k.strip()] = v
    if bound and (query_file is not None or not named.is_named(text)):
        raise click.UsageError("--param applies to named queries only")
    with open_graph(store, read_only=True) as pg:
        if query_file is None and named.is_named(text):
            result = named.run_named(pg.store, text, bound, timeout=timeout, limit=limit)
        else:
            result = named.execute(pg.store, text, timeout=timeout, limit=limit, allow_federated=allow_federated)
        write_result(result, fmt)


def write_result(result: Any, fmt: str) -> None:
    """Print a pyoxigraph query result: W3C formats for csv/tsv/json, an aligned table otherwise."""
    out = sys.stdout.buffer
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names = [v.value for v in result.variables]
            rows = [{n: python_value(sol[n]) for n in names} for sol in result]
            click.echo(format_rows(rows, names, "table"), nl=False)
        else:
            out.write(result.serialize(format=RESULT_FORMATS[fmt]))
    elif isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            click.echo("true" if bool(result) else "false")
        else:
            out.write(result.serialize(format=RESULT_FORMATS[fmt]))
    else:  # CONSTRUCT / DESCRIBE
        out.write(result.serialize(format=ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.N_TRIPLES))


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS) + ["graphml", "gexf"]),
              default="nquads", show_default=True, help="RDF formats keep or merge named graphs; "
              "graphml/gexf export the lineage and agency networks for Gephi and Cytoscape.")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="File to write (default stdout); a folder with --shard-size.")
@click.option("--shard-size", type=click.IntRange(min=1), default=None,
              help="N-Quads only: write DIR/part-00000.nq … of at most this many quads each, "
                   "named graphs kept whole, for bulk loaders.")
@store_option
@errors_as_click
def export(fmt: str, output: str | None, shard_size: int | None, store: Target) -> None:
    """Export the graph (N-Quads and TriG keep one named graph per source file)."""
    if fmt in ("graphml", "gexf") and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    if shard_size is not None and (fmt != "nquads" or output is None):
        raise click.UsageError("--shard-size goes with --format nquads and -o DIR")
    if shard_size is None and output is not None and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder: give a file name, or --shard-size N to write part "
                               "files into the folder")
    with open_graph(store, read_only=True) as pg:
        if shard_size is not None:
            from policykg.graph.shards import export_shards

            for path in export_shards(pg.store, output, shard_size):
                click.echo(str(path))
        elif fmt in ("graphml", "gexf"):
            from policykg.graph.projections import write_graph

            atomic_write(output, lambda f: write_graph(pg.store, fmt, f))
        elif output is None:
            pg.export(fmt, sys.stdout.buffer)
        else:
            atomic_write(output, lambda f: pg.export(fmt, f))


@main.command()
@format_option
@click.option("--all", "show_all", is_flag=True, help="Include documents known only from citations.")
@store_option
@errors_as_click
def docs(fmt: str, show_all: bool, store: Target) -> None:
    """One row per document: number, title, issuer, date, level, region, source (and its IRI in
    json)."""
    with open_graph(store, read_only=True) as pg:
        rows = pg.documents(loaded_only=not show_all)
    click.echo(format_rows(rows, with_iri(DOC_COLUMNS, fmt), fmt), nl=False)


@main.command()
@click.argument("doc")
@click.option("--down", is_flag=True, help="Follow the documents that implement DOC instead.")
@click.option("--cites", is_flag=True,
              help="Follow every citation (eli:cites, as citation tables give), not only stated bases.")
@format_option
@store_option
@errors_as_click
def lineage(doc: str, down: bool, cites: bool, fmt: str, store: Target) -> None:
    """The chain of superior policies of DOC (its source, a 发文字号 in any bracket style, a title
    or an IRI), or with --down the tree of documents implementing it."""
    with open_graph(store, read_only=True) as pg:
        rows = pg.lineage(doc, down=down, cites=cites)
    if fmt != "table":
        click.echo(format_rows(rows, ["depth", "iri", "parent"] + DOC_COLUMNS, fmt), nl=False)
        return
    click.echo(render_tree(rows))


@main.command()
@click.argument("doc")
@format_option
@store_option
@errors_as_click
def tasks(doc: str, fmt: str, store: Target) -> None:
    """The numbered tasks of DOC (its source, a 发文字号, a title or an IRI) as a tree, with their
    agencies and roles and the counts of top-level and leaf tasks (csv, tsv and json give each
    task's path, parent and depth; json also its IRI and the document's)."""
    with open_graph(store, read_only=True) as pg:
        rows = pg.tasks(doc)
    if fmt != "table":
        columns = with_iri(TASK_TREE_COLUMNS, fmt) + (["document"] if fmt == "json" else [])
        click.echo(format_rows(rows, columns, fmt), nl=False)
        return
    shown = [{**r, "label": "  " * r["depth"] + r["label"]} for r in rows]
    click.echo(format_rows(shown, TASK_COLUMNS, fmt), nl=False)
    parents = {r["parent"] for r in rows}
    top = sum(1 for r in rows if r["parent"] is None)
    leaves = sum(1 for r in rows if r["path"] not in parents)
    click.echo(f"{len(rows)} tasks: {top} top-level, {leaves} leaf")


@main.command()
@click.option("--doc", default=None, help="Only the tasks of this document (source, 发文字号, title or IRI).")
@click.option("--region", default=None, help="Only agencies of this region or below it (e.g. 厦门市, 福建省).")
@click.option("--role", type=click.Choice(["lead", "responsible", "participating", "coordinating", "guiding"]),
              default=None, help="Only agencies holding this role at least once.")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many rows (0: all).")
@format_option
@store_option
@errors_as_click
def agencies(doc: str | None, region: str | None, role: str | None, limit: int, fmt: str,
             store: Target) -> None:
    """Agencies with their number of tasks per role (牵头 lead, 负责 responsible, 参加 participating,
    协调 coordinating, 指导 guiding)."""
    with open_graph(store, read_only=True) as pg:
        rows = pg.agencies(doc=doc, region=region, role=role)
    if limit:
        rows = rows[:limit]
    click.echo(format_rows(rows, with_iri(AGENCY_COLUMNS, fmt), fmt), nl=False)


def with_iri(columns: list[str], fmt: str) -> list[str]:
    """The columns of a row command, with the rows' IRIs in json."""
    return [*columns, "iri"] if fmt == "json" else columns


def render_tree(rows: list[dict[str, Any]]) -> str:
    """An indented tree: each document under the one it was reached from."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for r in rows:
        children.setdefault(r["parent"], []).append(r)
    lines: list[str] = []

    def describe(r: dict[str, Any]) -> str:
        if r.get("number") or r.get("title"):
            parts = [r.get("number") or "(无文号)", f"《{r['title']}》" if r.get("title") else "(无标题)"]
        else:  # labelled by its source (a loaded file always has one), else its IRI
            parts = [r.get("source") or r["iri"]]
        if r.get("issuers"):
            parts.append("、".join(r["issuers"]))
        if r.get("date"):
            parts.append(str(r["date"]))
        if r.get("level"):
            parts.append(r["level"])
        if r.get("source") and parts[0] != r["source"]:
            parts.append(f"[{r['source']}]")
        return "  ".join(parts)

    def walk(r: dict[str, Any], prefix: str, last: bool, root: bool) -> None:
        lines.append(describe(r) if root else f"{prefix}{'└── ' if last else '├── '}{describe(r)}")
        kids = children.get(r["iri"], [])
        for i, kid in enumerate(kids):
            walk(kid, prefix if root else prefix + ("    " if last else "│   "), i == len(kids) - 1, False)

    for top in children.get(None, []):
        walk(top, "", True, True)
    return "\n".join(lines)


for _command in (*VIEW_COMMANDS, *SERVER_COMMANDS):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
