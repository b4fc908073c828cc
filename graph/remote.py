"""A policykg store on any SPARQL 1.1 server, with the same interface as :class:`~policykg.graph.store.Store`.

Only standard protocols are used, so Oxigraph, Fuseki, Virtuoso, GraphDB and QLever serve alike:

- queries: the SPARQL 1.1 Protocol (``POST`` with ``application/sparql-query``), results read
  by ``pyoxigraph.parse_query_results`` so :meth:`RemoteStore.query` returns the same result
  objects as the embedded store;
- writes: the SPARQL 1.1 Graph Store Protocol, one named graph per source file, replaced with
  ``PUT ?graph=<iri>`` (or, where no Graph Store endpoint is known, one SPARQL Update
  ``DROP SILENT GRAPH … ; INSERT DATA { GRAPH … }``); removal with ``DROP SILENT GRAPH``;
- ``bulk=True``: Oxigraph's fast path, one ``POST /store?no_transaction`` of N-Quads per batch
  (after dropping the graphs it replaces). Not atomic; for first loads of large corpora.

**The default graph must be the union of the named graphs**, because policykg's queries (and
the named queries in ``queries/*.rq``) are written without ``GRAPH`` clauses. This is checked
once, when the store first holds data: a triple of some named graph is asked for without a
``GRAPH`` clause. Virtuoso, GraphDB and QLever answer from all graphs by default; Oxigraph does
with ``--union-default-graph`` (or, as detected here, its ``union-default-graph`` URL parameter);
Fuseki with ``tdb2:unionDefaultGraph true`` in its dataset configuration. When the check fails,
:class:`StoreError` says how to configure the server. Listing every graph in
``default-graph-uri`` parameters would work without configuration but not at scale (100k graphs
per request), and wrapping patterns in ``GRAPH ?g`` would break joins across files (a task in
one file, the resolution in ``graph/derived``).

Endpoint layouts, derived from the query URL (override with ``update_url``/``gsp_url``):

- Oxigraph, ``http://host:7878`` or ``…/query``: update ``/update``, Graph Store ``/store``;
- Fuseki, ``…/DATASET/sparql`` or ``…/DATASET/query``: ``…/DATASET/update``, ``…/DATASET/data``;
- GraphDB and RDF4J, ``…/repositories/REPO``: ``…/statements``, ``…/rdf-graphs/service``;
- Virtuoso, ``/sparql`` (``/sparql-auth``): the same URL, ``/sparql-graph-crud`` (``-auth``);
- anything else (QLever …): updates to the same URL, graphs replaced by SPARQL Update.

Credentials come from ``$POLICYKG_ENDPOINT_USER``/``$POLICYKG_ENDPOINT_PASSWORD`` or from the
netrc file (``$NETRC`` or ``~/.netrc``), never from the command line: a URL with ``user:pass@``
is refused. They are sent as HTTP Basic (and Digest when the server asks for it).
"""

from __future__ import annotations

import base64
import io
import json
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import Node

from policykg.errors import QueryError, StoreError
from policykg.graph.store import (
    DATASET_FORMATS,
    RDF_FORMATS,
    Triple,
    bind_values,
    from_ox,
    ntriples,
    python_value,
)

USER_ENV = "POLICYKG_ENDPOINT_USER"
PASSWORD_ENV = "POLICYKG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 300.0
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.5, "
          "application/sparql-results+xml;q=0.4, application/rdf+xml;q=0.3")
OXIGRAPH_UNION_PARAM = "union-default-graph"
UNION_HELP = (
    "the SPARQL endpoint {url} does not answer queries from the union of its named graphs, "
    "which policykg's queries need (they have no GRAPH clauses). Configure the server so that "
    "its default graph is the union of all graphs: Oxigraph `oxigraph serve --union-default-graph`; "
    "Fuseki `tdb2:unionDefaultGraph true` in the dataset's assembler; Virtuoso, GraphDB and QLever "
    "do it by default."
)
_MAX_MESSAGE = 2000
_TIMED_OUT = re.compile(r"timed? ?out|timeout|has been cancelled|query (?:was )?cancelled", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one SPARQL service: query, update, and Graph Store (None: use SPARQL Update)."""

    query: str
    update: str
    gsp: str | None


def endpoint_urls(url: str) -> Endpoints:
    """The update and Graph Store URLs that go with the query URL ``url`` (see the module's table)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not an http(s) SPARQL endpoint URL: {url!r}")
    if parts.username or parts.password:
        raise StoreError(f"put no credentials in the endpoint URL; set ${USER_ENV} and ${PASSWORD_ENV} "
                         "or use a netrc file")
    path = parts.path.rstrip("/")

    def at(p: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, p, parts.query, ""))

    if path in ("", "/query"):  # Oxigraph
        return Endpoints(at("/query"), at("/update"), at("/store"))
    head, _, last = path.rpartition("/")
    if path in ("/sparql", "/sparql-auth"):  # Virtuoso
        crud = "/sparql-graph-crud-auth" if last == "sparql-auth" else "/sparql-graph-crud"
        return Endpoints(at(path), at(path), at(crud))
    if last in ("query", "sparql") and head:  # Fuseki: /DATASET/sparql
        return Endpoints(at(path), at(head + "/update"), at(head + "/data"))
    segments = path.split("/")
    if len(segments) >= 3 and segments[-2] == "repositories":  # GraphDB, RDF4J
        return Endpoints(at(path), at(path + "/statements"), at(path + "/rdf-graphs/service"))
    return Endpoints(at(path or "/"), at(path or "/"), None)


def credentials(url: str, auth: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """User and password for ``url``: ``auth`` if given, else the environment
    ($POLICYKG_ENDPOINT_USER, $POLICYKG_ENDPOINT_PASSWORD), else the netrc entry of its host."""
    if auth is not None:
        return auth
    user = os.environ.get(USER_ENV)
    if user:
        return user, os.environ.get(PASSWORD_ENV, "")
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise StoreError(f"cannot read the netrc file {path}: {exc}") from exc
    if entry is None:
        return None
    login, _account, password = entry
    return login, password or ""


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read().decode("utf-8", errors="replace").strip()
    except OSError:
        body = ""
    body = body[:_MAX_MESSAGE]
    return f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")


class RemoteStore:
    """A store on a SPARQL 1.1 server: ``RemoteStore("http://127.0.0.1:7878/query")``.

    The public interface is that of :class:`~policykg.graph.store.Store`, so
    :class:`~policykg.api.PolicyGraph` works over either unchanged. ``timeout`` bounds each HTTP
    request (seconds); the server's own query timeout applies too. ``gsp=False`` replaces graphs
    with SPARQL Update even where a Graph Store endpoint is known.
    """

    path = None  # not on disk, for callers that look

    def __init__(self, endpoint_url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 auth: tuple[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 bulk: bool = False, gsp: bool = True) -> None:
        urls = endpoint_urls(endpoint_url)
        self.url = urls.query
        self.update_url = update_url or urls.update
        self.gsp_url = (gsp_url or urls.gsp) if gsp else None
        if bulk and not self.gsp_url:
            raise StoreError("bulk loading needs a Graph Store endpoint (Oxigraph's /store); give gsp_url")
        self.bulk = bulk
        self.timeout = timeout
        self._union: dict[str, str] | None = None  # extra query parameters once the union is confirmed
        self._auth_header: str | None = None
        handlers: list[urllib.request.BaseHandler] = []
        cred = credentials(self.url, auth)
        if cred is not None:
            user, password = cred
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._auth_header = f"Basic {token}"
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for u in {self.url, self.update_url, self.gsp_url} - {None}:
                manager.add_password(None, u, user, password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # -- HTTP ----------------------------------------------------------------------------
    @contextmanager
    def _open(self, method: str, url: str, *, params: Mapping[str, str] | None = None, data: bytes | None = None,
              content_type: str | None = None, accept: str | None = None,
              error: type[Exception] = StoreError) -> Iterator[Any]:
        """An HTTP exchange; any failure becomes ``error`` with the server's message."""
        if params:
            sep = "&" if urllib.parse.urlsplit(url).query else "?"
            url = url + sep + "&".join(
                urllib.parse.quote(k, safe="-_") + ("=" + urllib.parse.quote(v, safe="") if v else "")
                for k, v in params.items())
        request = urllib.request.Request(url, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        if self._auth_header:
            request.add_header("Authorization", self._auth_header)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            message = _message(exc)
            if exc.code in (503, 504) or _TIMED_OUT.search(message):
                raise QueryError(f"the query timed out on the server ({url}): {message}") from None
            raise error(f"{method} {url}: {message}") from None
        except TimeoutError as exc:
            raise error(f"{method} {url}: timed out: no answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc.reason}") from exc
        except OSError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from exc
        try:
            yield response
        except TimeoutError as exc:
            raise error(f"{method} {url}: timed out: the answer stalled for {self.timeout:g} s") from exc
        finally:
            response.close()

    def _raw_query(self, sparql: str, params: Mapping[str, str] | None = None) -> Any:
        """POST a query as is and parse the answer into a pyoxigraph result object."""
        with self._open("POST", self.url, params=params, data=sparql.encode("utf-8"),
                        content_type="application/sparql-query; charset=utf-8", accept=ACCEPT,
                        error=QueryError) as response:
            media = response.headers.get("Content-Type", "application/sparql-results+json")
            body = response.read()
        return _parse_answer(body, media)

    def _select_stream(self, sparql: str) -> Iterator[ox.QuerySolution]:
        """The solutions of a SELECT with GRAPH clauses (no union needed), parsed as they arrive."""
        with self._open("POST", self.url, data=sparql.encode("utf-8"),
                        content_type="application/sparql-query; charset=utf-8",
                        accept="application/sparql-results+json", error=QueryError) as response:
            media = response.headers.get("Content-Type", "application/sparql-results+json")
            fmt = ox.QueryResultsFormat.from_media_type(media.split(";")[0].strip())
            if fmt is None:
                raise QueryError(f"{self.url} answered a SELECT query with {media}")
            try:
                yield from ox.parse_query_results(response, format=fmt)
            except SyntaxError as exc:
                raise QueryError(f"unreadable answer from {self.url}: {exc}") from exc

    def _update(self, sparql: str) -> None:
        with self._open("POST", self.update_url, data=sparql.encode("utf-8"),
                        content_type="application/sparql-update; charset=utf-8") as response:
            response.read()

    def _ensure_union(self) -> dict[str, str]:
        """The extra query parameters that make the default graph the union (checked once)."""
        if self._union is not None:
            return self._union
        probe = list(self._raw_query(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) } LIMIT 1"))
        if not probe:
            return {}  # nothing stored yet: any answer is the empty one; ask again later
        s, p, o = (probe[0][name] for name in ("s", "p", "o"))
        ask = f"ASK {{ {s} {p} {o} }}"
        if bool(self._raw_query(ask)):
            self._union = {}
            return self._union
        try:
            if bool(self._raw_query(ask, {OXIGRAPH_UNION_PARAM: ""})):
                self._union = {OXIGRAPH_UNION_PARAM: ""}
                return self._union
        except QueryError:
            pass  # a server that rejects the parameter
        raise StoreError(UNION_HELP.format(url=self.url))

    # -- writing -------------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> int:
        """Replace each named graph by the given triples: one Graph Store ``PUT`` per graph (each
        atomic), else one SPARQL Update for all, or with ``bulk`` one N-Quads POST.

        Returns the number of triples written (after de-duplication within each graph).
        """
        return self.replace_graphs_nt({g: ntriples(triples) for g, triples in graphs.items()})

    def replace_graphs_nt(self, graphs: Mapping[str, Iterable[str]],
                          add: Mapping[str, Iterable[str]] | None = None) -> int:
        """Like :meth:`replace_graphs`, with each graph given as N-Triples lines
        (:func:`policykg.graph.store.ntriples`), as parallel loading hands them over. ``add``
        gives lines added to other graphs as they are (Graph Store ``POST``, else INSERT DATA)."""
        count = self._replace_nt(graphs)
        for graph_iri, lines in (add or {}).items():
            unique = sorted(set(lines))
            if not unique:
                continue
            if self.gsp_url:
                with self._open("POST", self.gsp_url, params={"graph": graph_iri},
                                data=("\n".join(unique) + "\n").encode("utf-8"),
                                content_type="application/n-triples") as response:
                    response.read()
            else:
                self._update(f"INSERT DATA {{ GRAPH {ox.NamedNode(graph_iri)} {{\n" + "\n".join(unique) + "\n} }")
        return count

    def _replace_nt(self, graphs: Mapping[str, Iterable[str]]) -> int:
        bodies: dict[str, list[str]] = {}
        for graph_iri, lines in graphs.items():
            ox.NamedNode(graph_iri)  # validates the IRI
            bodies[graph_iri] = sorted(set(lines))
        count = sum(len(lines) for lines in bodies.values())
        empty = [g for g, lines in bodies.items() if not lines]
        full = {g: lines for g, lines in bodies.items() if lines}
        if self.bulk:
            self.remove_graphs(bodies)
            if full:
                quads = "".join(f"{line[:-1]}{ox.NamedNode(g)} .\n" for g, lines in full.items() for line in lines)
                with self._open("POST", self.gsp_url, params={"no_transaction": ""},  # type: ignore[arg-type]
                                data=quads.encode("utf-8"), content_type="application/n-quads") as response:
                    response.read()
        elif self.gsp_url:
            self.remove_graphs(empty)
            for g, lines in full.items():
                with self._open("PUT", self.gsp_url, params={"graph": g},
                                data=("\n".join(lines) + "\n").encode("utf-8"),
                                content_type="application/n-triples") as response:
                    response.read()
        elif bodies:
            parts = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in bodies]
            inserts = [f"GRAPH {ox.NamedNode(g)} {{\n" + "\n".join(lines) + "\n}" for g, lines in full.items()]
            if inserts:
                parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
            self._update(" ;\n".join(parts))
        return count

    def remove_graphs(self, graph_iris: Iterable[str]) -> None:
        """Drop named graphs (missing ones are ignored), in one SPARQL Update."""
        parts = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris]
        if parts:
            self._update(" ;\n".join(parts))

    def flush(self) -> None:
        """Nothing to do: the server persists each request."""

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        rows = self._select_stream("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(sol["g"].value for sol in rows if isinstance(sol["g"], ox.NamedNode))

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of all named graphs, as pyoxigraph quads (streamed)."""
        if graph_iri is not None:
            g = ox.NamedNode(graph_iri)
            for sol in self._select_stream(f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"):
                yield ox.Quad(sol["s"], sol["p"], sol["o"], g)
        else:
            for sol in self._select_stream("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
                yield ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"])

    def triples_in(self, graph_iri: str) -> Iterator[Triple]:
        """The triples of one named graph, as rdflib terms."""
        for q in self.quads(graph_iri):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)  # type: ignore[misc]

    def plan(self, sparql: str) -> str:
        """A named query's text as this server gets it: portable SPARQL 1.1, unchanged."""
        return sparql

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run a SPARQL query over the union of all graphs; returns pyoxigraph's result object
        (:class:`QuerySolutions`, :class:`QueryBoolean` or :class:`QueryTriples`), as the
        embedded store does. ``bindings`` are bound as RDF terms with a VALUES block."""
        if bindings:
            sparql = bind_values(sparql, bindings)
        return self._raw_query(sparql, self._ensure_union())

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of plain Python values (unbound variables absent)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: python_value(sol[n]) for n in names if sol[n] is not None} for sol in result]

    def dump(self, fmt: str, output: IO[bytes] | str | Path | None = None, graph: str | None = None) -> bytes | None:
        """Serialize the named graphs (``nquads``/``trig``/``jsonld`` keep them; ``turtle``/``nt``
        give their union, each triple once; ``graph`` one graph's triples)."""
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose from {', '.join(RDF_FORMATS)}")
        rdf_format = RDF_FORMATS[fmt]
        items: Iterable[Any]
        if graph is not None:
            items = (ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(graph))
        elif fmt in DATASET_FORMATS:
            items = self.quads()
        else:
            items = (ox.Triple(s["s"], s["p"], s["o"]) for s in self._select_stream(
                "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
        if output is None:
            return ox.serialize(items, format=rdf_format)
        if isinstance(output, (str, Path)):
            with open(output, "wb") as fh:
                ox.serialize(items, fh, format=rdf_format)
        else:
            ox.serialize(items, output, format=rdf_format)
        return None

    def nquads(self) -> str:
        """The named graphs as sorted N-Quads (for comparing stores)."""
        buf = io.BytesIO()
        ox.serialize(self.quads(), buf, format=ox.RdfFormat.N_QUADS)
        return "\n".join(sorted(line for line in buf.getvalue().decode("utf-8").splitlines() if line)) + "\n"

    def __len__(self) -> int:
        rows = list(self._select_stream("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0


def _parse_answer(body: bytes, media: str) -> Any:
    """A query answer (results or RDF, by media type) as a pyoxigraph result object."""
    mime = media.split(";")[0].strip().lower()
    try:
        results_format = ox.QueryResultsFormat.from_media_type(mime)
        if results_format is not None:
            result = ox.parse_query_results(body, format=results_format)
            if isinstance(result, ox.QuerySolutions):  # parsing is lazy: check it all now (a server
                for _ in result:  # may report a timeout after a 200 and a partial answer)
                    pass
                result = ox.parse_query_results(body, format=results_format)
            return result
        rdf_format = ox.RdfFormat.from_media_type(mime)
        if rdf_format is not None:
            scratch = ox.Store()
            scratch.load(body, format=rdf_format)
            return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        if mime in ("application/json", "text/json"):  # some servers label results JSON loosely
            json.loads(body)
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        tail = body[-300:].decode("utf-8", errors="replace").strip()  # a server's error after a 200
        if _TIMED_OUT.search(tail):
            raise QueryError(f"the query timed out on the server: {tail[-200:]}") from exc
        raise QueryError(f"unreadable answer ({media}): {exc}; it ends with: {tail}") from exc
    raise QueryError(f"unexpected answer of type {media!r}")
