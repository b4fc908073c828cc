"""CLI commands for the query layer and the network views: ``queries`` and ``render``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from policykg.cli_common import Target, errors_as_click, open_existing, store_option


def output_option(fn: Callable) -> Callable:
    return click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
                        help="The HTML file to write (opens offline, from file://).")(fn)






@click.command("queries")
@click.argument("name", required=False)
@errors_as_click
def queries_cmd(name: str | None) -> None:
    """List the named queries with their parameters, or print the SPARQL of query NAME.

    Run one with `policykg query NAME --param KEY=VALUE`. The files are plain SPARQL 1.1 without
    GRAPH clauses: they run on any endpoint whose default graph is the union of all graphs.
    """
    from policykg import queries

    if name:
        click.echo(queries.get_query(name).text, nl=False)
        return
    blocks = []
    for q in queries.list_queries():
        usage = " ".join(f"[-p {p.name}=…]" if p.optional else f"-p {p.name}=…" for p in q.params)
        lines = [f"{q.name}  {usage}".rstrip(), f"    {q.summary}"]
        lines += [f"    {p.name} ({p.kind}{', optional' if p.optional else ''}): {p.description}" for p in q.params]
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))


@click.group("render")
def render() -> None:
    """Write an interactive network view: one self-contained HTML page that opens offline."""


def _written(view: Any, output: str) -> None:
    path = view.save(Path(output))
    click.echo(f"wrote {path}: {view.nodes} nodes, {view.edges} edges", err=True)


@render.command("lineage")
@click.argument("doc")
@output_option
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="Steps up and down from DOC [default: all].")
@store_option
@errors_as_click
def render_lineage(doc: str, output: str, depth: int | None, store: Target) -> None:
    """The lineage of DOC (its source, a 发文字号 in any bracket style, a title or an IRI): its superiors
    above and the documents implementing it below, by level."""
    from policykg.graph import views

    _written(views.lineage_view(open_existing(store), doc, depth=depth), output)


@render.command("agencies")
@output_option
@click.option("--min-tasks", type=click.IntRange(min=1), default=1, show_default=True,
              help="Leave out agencies named in fewer tasks.")
@store_option
@errors_as_click
def render_agencies(output: str, min_tasks: int, store: Target) -> None:
    """The co-responsibility network of agencies (size: tasks, colour: function)."""
    from policykg.graph import views

    _written(views.agencies_view(open_existing(store), min_tasks=min_tasks), output)


@render.command("corpus")
@output_option
@click.option("--tasks/--no-tasks", default=True, show_default=True, help="Draw the tasks too.")
@store_option
@errors_as_click
def render_corpus(output: str, tasks: bool, store: Target) -> None:
    """Everything: documents, agencies and tasks, with select and filter menus."""
    from policykg.graph import views

    _written(views.corpus_view(open_existing(store), tasks=tasks), output)


COMMANDS = [queries_cmd, render]
