"""CLI command ``serve``: a SPARQL 1.1 endpoint over the store."""

from __future__ import annotations

import click

from policykg.api import store_path
from policykg.cli_common import errors_as_click
from policykg.cli_common import local_store_option as store_option
from policykg.serve import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT, Server
from policykg.serve import serve as run_server


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on (0.0.0.0 exposes the endpoint to the network).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=1),
              help="Query timeout in seconds: a query not answered in time gets HTTP 503 and is stopped "
                   "(the query engine is restarted).")
@click.option("--allow-federated", is_flag=True,
              help="Let queries use SERVICE (and updates LOAD). RISK: the server then sends requests "
                   "to any URL a client names, including services on its own machine and network, and "
                   "hands back their answers. Refused with HTTP 400 by default.")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes (default: read-only, updates get HTTP 403).")
@store_option
@errors_as_click
def serve(host: str, port: int, timeout: float, allow_federated: bool, writable: bool, store: str | None) -> None:
    """Serve the store as a SPARQL 1.1 Protocol endpoint (the `oxigraph` query engine) until Ctrl-C.

    Queries go to http://HOST:PORT/query; the default graph is the union of all named graphs,
    so policykg's queries (and `--endpoint` commands) run unchanged. Federated queries
    (SERVICE) are refused unless --allow-federated; every query is held to --timeout.
    """

    def ready(server: Server) -> None:
        mode = "read-write" if writable else "read-only"
        if allow_federated:
            mode += ", federated queries allowed"
        click.echo(f"SPARQL endpoint ({mode}): {server.query_url}", err=True)
        click.echo("Stop with Ctrl-C.", err=True)

    code = run_server(store_path(store), host=host, port=port, timeout=timeout, writable=writable,
                      allow_federated=allow_federated, on_ready=ready)
    if code not in (0, -15):
        raise click.ClickException(f"the oxigraph server exited with code {code}")


COMMANDS = [serve]
