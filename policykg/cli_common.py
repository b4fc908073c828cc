"""What every command shares: the store option, output format option, error handling."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from policykg.api import PolicyGraph, require_store, store_path
from policykg.errors import PolicyKGError
from policykg.graph.store import Store
from policykg.output import ROW_FORMATS


@dataclass(frozen=True)
class Target:
    """Where a command works: a store directory, or a SPARQL 1.1 endpoint."""

    path: str | None = None
    endpoint: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None


def local_store_option(fn: Callable) -> Callable:
    """``--store DIR`` (else $POLICYKG_STORE, else ./policykg-store)."""
    return click.option(
        "--store", "store", type=click.Path(file_okay=False), default=None,
        help="Store directory [default: $POLICYKG_STORE or ./policykg-store].",
    )(fn)


def store_option(fn: Callable) -> Callable:
    """``--store DIR`` or ``--endpoint URL``, passed to the command as one :class:`Target`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, store: str | None = None, endpoint: str | None = None, update_url: str | None = None,
                gsp_url: str | None = None, **kwargs: Any) -> Any:
        if store and endpoint:
            raise click.UsageError("give --store or --endpoint, not both")
        if (update_url or gsp_url) and not endpoint:
            raise click.UsageError("--update-url and --gsp-url go with --endpoint")
        return fn(*args, store=Target(store, endpoint, update_url, gsp_url), **kwargs)

    wrapper = click.option(
        "--gsp-url", default=None, metavar="URL",
        help="With --endpoint: the server's Graph Store Protocol URL, or `none` to write with SPARQL "
             "Update [default: derived from the query URL; $POLICYKG_ENDPOINT_GSP_URL].",
    )(wrapper)
    wrapper = click.option(
        "--update-url", default=None, metavar="URL",
        help="With --endpoint: the server's SPARQL Update URL; naming it (or --gsp-url) makes --endpoint "
             "the exact query URL, for servers at a root URL (QLever, rdflib-endpoint) "
             "[default: derived from the query URL; $POLICYKG_ENDPOINT_UPDATE_URL].",
    )(wrapper)

    wrapper = click.option(
        "--endpoint", default=None, metavar="URL",
        help="Work against a SPARQL 1.1 server instead (its query URL); credentials come from "
             "$POLICYKG_ENDPOINT_USER/$POLICYKG_ENDPOINT_PASSWORD or ~/.netrc.",
    )(wrapper)
    return local_store_option(wrapper)


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


def open_graph(target: Target, *, bulk: bool = False, create: bool = False, read_only: bool = False) -> PolicyGraph:
    """The graph at the target. A missing local store is created with ``create`` (``load``), else
    it is an error: ``no store at X: load notices first``. ``read_only`` (the reading commands):
    the store is opened without its write lock, so it is never modified and can be read while a
    load runs (as of the last committed batch). ``bulk``: push to an endpoint with Oxigraph's
    non-transactional bulk load (see RemoteStore)."""
    if target.endpoint:
        from policykg.graph.remote import RemoteStore

        return PolicyGraph(RemoteStore(target.endpoint, update_url=target.update_url, gsp_url=target.gsp_url,
                                       bulk=bulk))
    if bulk:
        raise click.UsageError("--bulk works with --endpoint (an Oxigraph server); a local store always bulk-loads new documents")
    return PolicyGraph.open(store_path(target.path), create=create, read_only=read_only)


def open_existing(target: Target) -> Any:
    """An existing store (read-only) or the endpoint; an error when there is no store."""
    if target.endpoint:
        from policykg.graph.remote import RemoteStore

        return RemoteStore(target.endpoint, update_url=target.update_url, gsp_url=target.gsp_url)
    return Store(require_store(store_path(target.path)), read_only=True)
