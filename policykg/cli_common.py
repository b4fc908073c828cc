"""What every command shares: the store option, output format option, error handling."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any

import click

from policykg.api import PolicyGraph, store_path
from policykg.errors import PolicyKGError, StoreError
from policykg.graph.store import Store
from policykg.output import ROW_FORMATS


def store_option(fn: Callable) -> Callable:
    """``--store DIR`` (else $POLICYKG_STORE, else ./policykg-store)."""
    return click.option(
        "--store", "store", type=click.Path(file_okay=False), default=None,
        help="Store directory [default: $POLICYKG_STORE or ./policykg-store].",
    )(fn)


def format_option(fn: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="table",
                        show_default=True, help="Output format.")(fn)


def errors_as_click(fn: Callable) -> Callable:
    """Library errors become ``Error: …`` with exit code 1, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PolicyKGError as exc:
            message = str(exc)
        # raised outside the except block, so the failed call's frames (and the store they hold)
        # are released before the process goes on
        gc.collect()
        raise click.ClickException(message)

    return wrapper


def open_graph(store: str | None) -> PolicyGraph:
    """The graph in the store (created when missing)."""
    return PolicyGraph.open(store_path(store))


def open_existing(store: str | None) -> Store:
    """An existing store, read-only; an error when there is none."""
    path = store_path(store)
    if not path.is_dir():
        raise StoreError(f"no store at {path} (load notices first: policykg load FILES --store {path})")
    return Store(path, read_only=True)
