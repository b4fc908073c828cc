"""A policykg store on any SPARQL 1.1 server, with the same interface as :class:`~policykg.graph.store.Store`.

Only standard protocols are used, so Oxigraph, Fuseki, Virtuoso, GraphDB and QLever serve alike:

- queries: the SPARQL 1.1 Protocol as every server answers it, ``GET ?query=`` while the URL
  stays under :data:`MAX_GET_URL`, else a form-encoded ``POST`` (Virtuoso never answers a
  ``POST`` of ``application/sparql-query``); SELECT and ASK ask for SPARQL results JSON,
  CONSTRUCT and DESCRIBE for N-Triples. Answers are read by pyoxigraph, so
  :meth:`RemoteStore.query` returns the same result objects as the embedded store; Virtuoso's
  blank nodes (``nodeID://b10``) become plain blank nodes;
- result caps: a server may cut answers at a row cap (Virtuoso's ``ResultSetMaxRows``, flagged
  by ``X-SPARQL-MaxRows``; once seen, an answer of exactly that size is distrusted too). policykg
  never uses a possibly cut answer: its own reads of graphs, and any SELECT without an order or
  slice of its own, are read again in pages (``ORDER BY`` in a sub-query, then
  ``LIMIT``/``OFFSET``) and checked against a ``COUNT``; any other capped answer is refused;
- reads of graphs (listing, export, counts) are kept to policykg's own graphs, those under
  ``https://w3id.org/policykg/graph/``: a server's system graphs (Virtuoso's virtrdf, DAV …)
  never leak in; graphs are listed with ``GRAPH ?g {}`` and, where that finds none (Virtuoso),
  with ``GRAPH ?g { ?s ?p ?o }``;
- writes: the SPARQL 1.1 Graph Store Protocol, one named graph per source file, replaced with
  ``PUT ?graph=<iri>`` (or, where no Graph Store endpoint is known, one form-encoded SPARQL
  Update ``DROP SILENT GRAPH … ; INSERT DATA { GRAPH … }``); removal with ``DROP SILENT GRAPH``;
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

Endpoint layouts, derived from the query URL:

- Oxigraph, ``http://host:7878`` or ``…/query``: update ``/update``, Graph Store ``/store``;
- Fuseki, ``…/DATASET/sparql`` or ``…/DATASET/query``: ``…/DATASET/update``, ``…/DATASET/data``;
- GraphDB and RDF4J, ``…/repositories/REPO``: ``…/statements``, ``…/rdf-graphs/service``;
- Virtuoso, ``/sparql`` (``/sparql-auth``): the same URL, ``/sparql-graph-crud`` (``-auth``);
- anything else: updates to the same URL, graphs replaced by SPARQL Update.

Naming the update or Graph Store URL (``update_url``/``gsp_url``, ``--update-url``/``--gsp-url``,
$POLICYKG_ENDPOINT_UPDATE_URL/$POLICYKG_ENDPOINT_GSP_URL; ``none``: no Graph Store) takes all
three URLs as given, for servers at a root URL (QLever ``http://host:7001``, rdflib-endpoint).

Credentials come from ``$POLICYKG_ENDPOINT_USER``/``$POLICYKG_ENDPOINT_PASSWORD`` or from the
netrc file (``$NETRC`` or ``~/.netrc``), never from the command line: a URL with ``user:pass@``
is refused. They are sent only when the server asks (HTTP Basic or Digest, as it challenges):
a Basic header sent unasked would defeat Virtuoso's Digest-protected ``/sparql-auth``.
"""

from __future__ import annotations

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
from policykg.graph import iri
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
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.3"
FORM = "application/x-www-form-urlencoded"
MAX_GET_URL = 4000  # longer queries are POSTed as a form (servers and proxies cap URLs near 8 KB)
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
PARTIAL_STATE = "S1TAT"  # Virtuoso's SQL state for results cut short by its query time limit
GRAPH_PREFIX = iri.BASE + "graph/"
_OWN_GRAPH = f'FILTER (STRSTARTS(STR(?g), "{GRAPH_PREFIX}"))'
UPDATE_URL_ENV = "POLICYKG_ENDPOINT_UPDATE_URL"
GSP_URL_ENV = "POLICYKG_ENDPOINT_GSP_URL"
NO_GSP = "none"
_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE)
_ORDER_OR_SLICE = re.compile(r"\b(?:ORDER\s+BY|LIMIT|OFFSET)\b", re.IGNORECASE)
CAP_HELP = (
    "{url} cut an answer at its row cap of {cap} rows (X-SPARQL-MaxRows); policykg does not use a "
    "possibly incomplete answer. Raise the cap (Virtuoso: ResultSetMaxRows in the [SPARQL] section of "
    "virtuoso.ini) or ask for fewer rows (LIMIT)."
)
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


def _checked_url(url: str) -> str:
    """A URL named by the user, checked like a query URL (http(s), no credentials in it)."""
    endpoint_urls(url)
    return url


def query_form(sparql: str) -> str:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) after its prologue."""
    rest = _PROLOGUE.sub("", sparql, count=1)
    word = re.match(r"\s*([A-Za-z]+)", rest)
    return word.group(1).upper() if word else ""


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
        update_url = update_url or os.environ.get(UPDATE_URL_ENV) or None
        gsp_url = gsp_url or os.environ.get(GSP_URL_ENV) or None
        urls = endpoint_urls(endpoint_url)
        if update_url or gsp_url:  # URLs named by the user are taken as they are (root-URL servers)
            urls = Endpoints(_checked_url(endpoint_url), _checked_url(update_url or endpoint_url),
                             None if gsp_url in (None, NO_GSP) else _checked_url(gsp_url))  # type: ignore[arg-type]
        self.url = urls.query
        self.update_url = urls.update
        self.gsp_url = urls.gsp if gsp else None
        if bulk and not self.gsp_url:
            raise StoreError("bulk loading needs a Graph Store endpoint (Oxigraph's /store); give gsp_url")
        self.bulk = bulk
        self.timeout = timeout
        self._union: dict[str, str] | None = None  # extra query parameters once the union is confirmed
        self._cap: int | None = None  # the server's row cap, once an answer has shown it
        handlers: list[urllib.request.BaseHandler] = []
        cred = credentials(self.url, auth)
        if cred is not None:  # answered to the server's challenge, Basic or Digest, never sent unasked
            user, password = cred
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for u in {self.url, self.update_url, self.gsp_url} - {None}:
                manager.add_password(None, u, user, password)
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
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

    def _query_request(self, sparql: str, params: Mapping[str, str] | None, accept: str) -> Any:
        """Send a query as the SPARQL Protocol allows every server to answer it: ``GET`` while the
        URL stays short, else a form-encoded ``POST`` (never ``application/sparql-query``, which
        Virtuoso leaves unanswered). A context manager over the response."""
        form = {**(params or {}), "query": sparql}
        if len(self.url) + len(urllib.parse.quote(sparql, safe="")) < MAX_GET_URL:
            return self._open("GET", self.url, params=form, accept=accept, error=QueryError)
        body = "&".join(urllib.parse.quote(k, safe="-_") + "=" + urllib.parse.quote(v, safe="")
                        for k, v in form.items()).encode("ascii")
        return self._open("POST", self.url, data=body, content_type=FORM, accept=accept, error=QueryError)

    def _raw_query(self, sparql: str, params: Mapping[str, str] | None = None) -> Any:
        """Run a query as is and parse the answer into a pyoxigraph result object; an answer the
        server may have cut at its row cap is refused (:data:`CAP_HELP`)."""
        rdf = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        with self._query_request(sparql, params, RDF_ACCEPT if rdf else RESULTS_ACCEPT) as response:
            media = response.headers.get("Content-Type", "application/sparql-results+json")
            cap = self._cap_of(response)
            body = response.read()
        result = _parse_answer(body, media)
        if cap is not None and not isinstance(result, ox.QueryBoolean):
            count = sum(1 for _ in result)
            if count >= cap:
                return self._paged_query(sparql, params, cap)
            result = _parse_answer(body, media)
        return result

    def _paged_query(self, sparql: str, params: Mapping[str, str] | None, cap: int) -> ox.QuerySolutions:
        """A SELECT the server cut at its cap, read again in pages when its own rows have no order
        or limit to keep (a plain ``SELECT … WHERE { … } [GROUP BY …]``); else refused."""
        prologue = _PROLOGUE.match(sparql).group(0)  # type: ignore[union-attr]
        body = sparql[len(prologue):]
        if query_form(sparql) != "SELECT" or _ORDER_OR_SLICE.search(body):
            raise QueryError(CAP_HELP.format(url=self.url, cap=cap))
        variables = [v.value for v in self._select_head(sparql, params)]
        rows = self._paged(prologue, body, variables, params, QueryError)
        return ox.parse_query_results(_results_json(variables, rows), format=ox.QueryResultsFormat.JSON)

    def _select_head(self, sparql: str, params: Mapping[str, str] | None) -> list[ox.Variable]:
        """The variables of a SELECT, from an answer limited to one row."""
        with self._query_request(f"{sparql}\nLIMIT 1", params, "application/sparql-results+json") as response:
            media = response.headers.get("Content-Type", "application/sparql-results+json")
            result = _parse_answer(response.read(), media)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"{self.url} answered a SELECT query with {media}")
        return list(result.variables)

    def _cap_of(self, response: Any) -> int | None:
        """The server's row cap when this answer may have been cut by it (Virtuoso flags it with
        ``X-SPARQL-MaxRows``); remembered, so later answers of exactly that size are distrusted.
        An answer the server says it cut short for time (Virtuoso's "anytime" partial results,
        ``X-SQL-State: S1TAT``) is refused."""
        if (response.headers.get("X-SQL-State") or "").strip() == PARTIAL_STATE:
            message = (response.headers.get("X-SQL-Message") or "").strip()
            raise QueryError(f"{self.url} gave a partial answer, cut short by its time limit"
                             + (f" ({message})" if message else "") + "; policykg does not use it")
        header = response.headers.get(MAX_ROWS_HEADER)
        if header and header.strip().isdigit():
            self._cap = int(header)
        return self._cap

    def _select_rows(self, sparql: str, params: Mapping[str, str] | None = None
                     ) -> tuple[list[dict[str, Any]], int | None]:
        """A SELECT's rows (pyoxigraph terms by variable) and the cap when the answer reached it."""
        with self._query_request(sparql, params, "application/sparql-results+json") as response:
            media = response.headers.get("Content-Type", "application/sparql-results+json")
            cap = self._cap_of(response)
            body = response.read()
        rows = _json_rows(body, media, self.url)
        return rows, (cap if cap is not None and len(rows) >= cap else None)

    def _select_all(self, variables: list[str], where: str, *, distinct: bool = False) -> Iterator[dict[str, Any]]:
        """Every row of ``SELECT [DISTINCT] ?variables WHERE { where }``, however the server caps
        its answers: a capped answer is read again in pages (``ORDER BY`` in a sub-query, which
        Virtuoso sorts without its sorted-TOP limit, then ``LIMIT``/``OFFSET``), and the rows read
        are checked against a ``COUNT``. A read that cannot be made complete raises StoreError."""
        names = " ".join(f"?{v}" for v in variables)
        head = f"SELECT {'DISTINCT ' if distinct else ''}{names} WHERE {{ {where} }}"
        if self._cap is None:
            rows, capped = self._select_rows(head)
            if capped is None:
                yield from rows
                return
        yield from self._paged("", head, variables, None, StoreError)

    def _paged(self, prologue: str, head: str, variables: list[str], params: Mapping[str, str] | None,
               error: type[Exception]) -> list[dict[str, Any]]:
        """The rows of the SELECT ``head`` read in pages below the server's cap, checked against
        its ``COUNT`` (a mismatch raises ``error``: policykg never works on part of an answer)."""
        names = " ".join(f"?{v}" for v in variables)
        size = max(1, (self._cap or 2) - 1)
        total = self._select_rows(f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {{ {head} }} }}", params)[0]
        expected = int(total[0]["n"].value) if total else 0
        read: list[dict[str, Any]] = []
        while True:
            page, capped = self._select_rows(
                f"{prologue}SELECT {names} WHERE {{ {{ {head}\nORDER BY {names} }} }} LIMIT {size} OFFSET {len(read)}",
                params)
            if capped is not None:
                raise error(CAP_HELP.format(url=self.url, cap=capped))
            read.extend(page)
            if len(page) < size:
                break
        if len(read) != expected:
            raise error(f"{self.url} gave {len(read)} rows in pages where it counts {expected}: the "
                        "store changed while it was read, or the server cuts answers")
        return read

    def _update(self, sparql: str) -> None:
        """A SPARQL Update, form-encoded (``update=``), which every server reads."""
        body = "update=" + urllib.parse.quote(sparql, safe="")
        with self._open("POST", self.update_url, data=body.encode("ascii"), content_type=FORM) as response:
            response.read()

    def _ensure_union(self) -> dict[str, str]:
        """The extra query parameters that make the default graph the union (checked once)."""
        if self._union is not None:
            return self._union
        probe = list(self._raw_query(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\") && !isBlank(?s) && !isBlank(?o)) }} LIMIT 1"))
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
        """The IRIs of policykg's named graphs (those under ``…/graph/``), sorted; a server's own
        graphs (Virtuoso's virtrdf, DAV …) are left out. ``GRAPH ?g {}`` is asked first (fast on
        most servers); Virtuoso answers it with no graphs, so a scan of the quads follows."""
        names: set[str] = set()
        for where in ("GRAPH ?g { }", "GRAPH ?g { ?s ?p ?o }"):
            names = {row["g"].value for row in self._select_all(["g"], f"{where} {_OWN_GRAPH}", distinct=True)
                     if isinstance(row.get("g"), ox.NamedNode)}
            if names:
                break
        return sorted(names)

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of all of policykg's named graphs, as pyoxigraph quads."""
        if graph_iri is None:
            for g in self.graphs():
                yield from self.quads(g)
            return
        g = ox.NamedNode(graph_iri)
        for row in self._select_all(["s", "p", "o"], f"GRAPH {g} {{ ?s ?p ?o }}"):
            yield ox.Quad(row["s"], row["p"], row["o"], g)

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
            items = (ox.Triple(row["s"], row["p"], row["o"]) for row in self._select_all(
                ["s", "p", "o"], f"GRAPH ?g {{ ?s ?p ?o }} {_OWN_GRAPH}", distinct=True))
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
        rows, _ = self._select_rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_GRAPH} }}")
        return int(rows[0]["n"].value) if rows else 0


def _blank_label(value: str) -> str:
    """A blank node label pyoxigraph accepts for a server's blank node name (``nodeID://b10``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", value.removeprefix("nodeID://")) or "b"


def _fix_term(term: dict[str, Any]) -> dict[str, Any]:
    """A JSON results term with Virtuoso's blank nodes (``nodeID://…``, as IRIs or bnodes) made
    plain blank nodes."""
    kind, value = term.get("type"), term.get("value", "")
    if kind == "bnode" or (kind == "uri" and value.startswith("nodeID://")):
        return {"type": "bnode", "value": _blank_label(value)}
    return term


def _fixed_json(body: bytes) -> bytes:
    data = json.loads(body)
    results = data.get("results")
    if isinstance(results, dict):
        results["bindings"] = [{k: _fix_term(v) for k, v in b.items()} for b in results.get("bindings", [])]
    return json.dumps(data).encode("utf-8")


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _results_json(variables: list[str], rows: list[dict[str, Any]]) -> bytes:
    """SELECT rows (pyoxigraph terms) as SPARQL results JSON."""
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": [
        {k: _json_term(v) for k, v in row.items()} for row in rows]}}).encode("utf-8")


def _json_rows(body: bytes, media: str, url: str) -> list[dict[str, Any]]:
    """The rows of a SELECT answer as dicts of pyoxigraph terms (unbound variables absent)."""
    result = _parse_answer(body, media)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{url} answered a SELECT query with {media}")
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in result]


def _parse_answer(body: bytes, media: str) -> Any:
    """A query answer (results or RDF, by media type) as a pyoxigraph result object."""
    mime = media.split(";")[0].strip().lower()
    try:
        if mime in ("application/sparql-results+json", "application/json", "text/json"):
            body = _fixed_json(body)
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
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        tail = body[-300:].decode("utf-8", errors="replace").strip()  # a server's error after a 200
        if _TIMED_OUT.search(tail):
            raise QueryError(f"the query timed out on the server: {tail[-200:]}") from exc
        raise QueryError(f"unreadable answer ({media}): {exc}; it ends with: {tail}") from exc
    raise QueryError(f"unexpected answer of type {media!r}")
