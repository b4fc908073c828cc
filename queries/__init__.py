"""Named SPARQL queries, one ``.rq`` file each, with their parameters bound as RDF terms.

Each file starts with a comment header: what the query answers, then one line per parameter::

    # param: doc (document) — the document: a 发文字号 in any bracket style, a title, or an IRI
    # param: in_year (integer, optional) — the year of the document's date

The kind in parentheses says how a value given as text becomes an RDF term (``document``,
``region``, ``level``, ``integer``, ``string``, ``iri``); ``optional`` parameters may be left
out, and the query then does not filter on them. The files are plain SPARQL 1.1 without GRAPH
clauses, so they run on any engine whose default graph is the union of the named graphs.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from policykg.errors import NotFound, PolicyKGError, QueryError
from policykg.graph.store import Store, python_value
from policykg.loaders.citations import title_key

PARAM_KINDS = ("document", "region", "level", "integer", "string", "iri")
DEFAULT_LIMIT = 100

PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
PLO = "https://w3id.org/policykg/ontology#"
LEVEL_NAMES: dict[str, str] = {
    "national": "National", "国家": "National", "中央": "National", "国家级": "National",
    "provincial": "Provincial", "province": "Provincial", "省": "Provincial", "省级": "Provincial",
    "municipal": "Municipal", "city": "Municipal", "市": "Municipal", "市级": "Municipal", "地市": "Municipal",
    "county": "County", "district": "County", "县": "County", "县级": "County", "区县": "County",
}

_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\((?P<kind>[a-z]+)(?P<optional>\s*,\s*optional)?\))?\s*[—–-]+\s*(?P<description>.*)$"
)


@dataclass(frozen=True)
class Param:
    """A query parameter: the SPARQL variable it binds, how text becomes a term, and what it means."""

    name: str
    kind: str = "string"
    optional: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its file name without ``.rq``, header description, parameters and text."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str

    @property
    def summary(self) -> str:
        """The first sentence of the description."""
        text = " ".join(self.description.split("\n\n", 1)[0].split())
        match = re.match(r"(.+?[.。])(\s|$)", text)
        return match.group(1) if match else text


def parse_header(name: str, text: str) -> NamedQuery:
    """Read a query file's leading comment block into a :class:`NamedQuery`."""
    lines: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        if match:
            kind = match["kind"] or ("document" if match["name"] == "doc" else "string")
            if kind not in PARAM_KINDS:
                raise QueryError(f"query {name}: unknown parameter kind {kind!r}")
            params.append(Param(match["name"], kind, bool(match["optional"]), match["description"].strip()))
        else:
            lines.append(line[1:].strip())
    description = "\n".join(lines).strip()
    return NamedQuery(name, description, tuple(params), text)


@cache
def _load_all() -> tuple[NamedQuery, ...]:
    files = resources.files(__name__)
    found = [parse_header(f.name[:-3], f.read_text(encoding="utf-8"))
             for f in files.iterdir() if f.name.endswith(".rq")]
    return tuple(sorted(found, key=lambda q: q.name))


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_load_all())


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; raises :class:`NotFound` when there is none."""
    for q in _load_all():
        if q.name == name:
            return q
    names = ", ".join(q.name for q in _load_all())
    raise NotFound(f"no named query {name!r}; the named queries are: {names}")


# -- resolving parameter values -----------------------------------------------------------

def _is_iri(text: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text) is not None


def checked_iri(text: str, what: str = "IRI") -> str:
    """``text`` when it is a valid IRI; else :class:`QueryError` saying what is wrong with it."""
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(f"{text!r} is not a valid {what}: {exc}") from None
    return text


def resolve_source(store: Store, text: str) -> list[tuple[str, str]]:
    """The loaded documents ``text`` names by source, as (source, document IRI) pairs: the
    document whose ``dcterms:source`` is ``text`` exactly; else those whose source ends with
    ``text`` as whole trailing path parts (``1.txt`` names ``shandong/1.txt``, ``2015/a.txt`` names
    ``notices/2015/a.txt``) or as the row id of a table row (``sd_central_46`` names
    ``corpus.jsonl#sd_central_46``). Several pairs mean ``text`` is ambiguous."""
    text = text.strip()
    if not text:
        return []
    rows = store.select(PREFIXES + "SELECT DISTINCT ?d WHERE { ?d dcterms:source ?s }", {"s": Literal(text)})
    if rows:
        return [(text, d) for d in sorted(r["d"] for r in rows)]
    rows = store.select(PREFIXES + """SELECT DISTINCT ?s ?d WHERE { ?d dcterms:source ?s
        FILTER (STRENDS(?s, CONCAT("/", ?x)) || STRENDS(?s, CONCAT("#", ?x))) }""", {"x": Literal(text)})
    return sorted((r["s"], r["d"]) for r in rows)


def resolve_doc(store: Store, text: str) -> str | None:
    """The IRI of the document ``text`` names: an IRI as given when the store has it (a malformed
    IRI is a :class:`QueryError`); else a loaded document's source
    exactly (``dcterms:source``: ``shandong/1.txt``, ``corpus.jsonl#sd_central_46``); else a 发文字号
    in any bracket style (matched on eli:id_local); else a title (dcterms:title or
    dcterms:alternative, matched exactly after normalization by
    :func:`policykg.loaders.citations.title_key`: no 《》, quotes, brackets or spaces, ASCII
    digits); else the end of a source (see :func:`resolve_source`). None when nothing matches;
    :class:`NotFound` when the end of a source matches several documents."""
    from policykg.loaders.docnumber import canonicalize

    text = text.strip()
    if not text:
        return None
    if _is_iri(text):
        term = URIRef(checked_iri(text, "document IRI"))
        in_store = any(store.select(f"SELECT * WHERE {{ {pattern} }} LIMIT 1", {"d": term})
                       for pattern in ("?d ?p ?o", "?s ?p ?d"))
        return text if in_store else None
    exact = store.select(PREFIXES + "SELECT DISTINCT ?d WHERE { ?d dcterms:source ?s }", {"s": Literal(text)})
    if exact:
        return sorted(r["d"] for r in exact)[0]
    number = canonicalize(text)
    if number:
        rows = store.select(PREFIXES + "SELECT DISTINCT ?d WHERE { ?d eli:id_local ?n }", {"n": Literal(number)})
        if rows:
            return sorted(r["d"] for r in rows)[0]
    found = _resolve_title(store, text)
    if found is not None:
        return found
    named = resolve_source(store, text)
    if len({d for _, d in named}) > 1:
        shown = ", ".join(s for s, _ in named[:5]) + (" …" if len(named) > 5 else "")
        raise NotFound(f"{text!r} is the end of several sources ({shown}): give more of the path")
    return named[0][1] if named else None


def _resolve_title(store: Store, text: str) -> str | None:
    key = title_key(text)
    if not key:
        return None
    exact = text.strip("《》")
    rows = store.select(PREFIXES + """SELECT DISTINCT ?d ?main WHERE {
        { ?d dcterms:title ?t BIND (1 AS ?main) } UNION { ?d dcterms:alternative ?t BIND (2 AS ?main) } }""",
                        {"t": Literal(exact, lang="zh")})
    if rows:  # the title as stored: no scan needed
        return sorted((r["main"], r["d"]) for r in rows)[0][1]
    rows = store.select(PREFIXES + """SELECT DISTINCT ?d ?t ?main WHERE {
        { ?d dcterms:title ?t BIND (1 AS ?main) } UNION { ?d dcterms:alternative ?t BIND (2 AS ?main) }
        ?d a eli:LegalResource }""")
    matches = sorted((r["main"], r["d"]) for r in rows if title_key(r["t"]) == key)
    return matches[0][1] if matches else None


NOT_FOUND = "no document matches {!r} (by IRI, source, 发文字号 or title)"


def resolve_region(store: Store, text: str) -> str | None:
    """The IRI of a region given as IRI, GB/T 2260 code (skos:notation) or name (skos:prefLabel)."""
    text = text.strip()
    if _is_iri(text):
        return checked_iri(text, "region IRI")
    key = unicodedata.normalize("NFKC", text)
    for prop, value in (("skos:notation", Literal(key)), ("skos:prefLabel", Literal(key, lang="zh")),
                        ("skos:prefLabel", Literal(key))):
        rows = store.select(PREFIXES + f"SELECT DISTINCT ?r WHERE {{ ?r {prop} ?v . ?r skos:inScheme plo:RegionScheme }}",
                            {"v": value})
        if rows:
            return sorted(r["r"] for r in rows)[0]
    return None


def level_iri(text: str) -> str:
    """The level concept for ``national``/``provincial``/``municipal``/``county`` (or 国家/省/市/县,
    plo:National, or the IRI); raises :class:`QueryError` for anything else."""
    t = text.strip()
    if t.startswith(PLO):
        t = t[len(PLO):]
    elif t.startswith("plo:"):
        t = t[4:]
    name = LEVEL_NAMES.get(t.lower()) or (t if t in LEVEL_NAMES.values() else None)
    if name is None:
        raise QueryError(f"unknown level {text!r}: use national, provincial, municipal or county")
    return PLO + name


def bind_param(store: Store, param: Param, value: str) -> Node:
    """The RDF term for a parameter value given as text."""
    if param.kind == "document":
        found = resolve_doc(store, value)
        if found is None:
            raise NotFound(NOT_FOUND.format(value))
        return URIRef(found)
    if param.kind == "region":
        found = resolve_region(store, value)
        if found is None:
            raise NotFound(f"no region matches {value!r} (by IRI, code or name)")
        return URIRef(found)
    if param.kind == "level":
        return URIRef(level_iri(value))
    if param.kind == "integer":
        try:
            return Literal(int(value.strip()), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter {param.name} must be an integer, not {value!r}") from None
    if param.kind == "iri":
        if not _is_iri(value.strip()):
            raise QueryError(f"parameter {param.name} must be an IRI, not {value!r}")
        return URIRef(checked_iri(value.strip(), f"IRI for parameter {param.name}"))
    return Literal(value)


def bind_params(store: Store, query: NamedQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """Check ``params`` against the query's declared parameters and convert each to an RDF term."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name} has no parameter {unknown[0]!r} (parameters: {accepted})")
    missing = [p.name for p in query.params if not p.optional and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name} needs the parameter {missing[0]!r}")
    return {name: bind_param(store, declared[name], value) for name, value in params.items()}


# -- running ------------------------------------------------------------------------------

def has_limit(sparql: str) -> bool:
    """Whether the query's outermost solution modifiers include a LIMIT."""
    body = "\n".join("" if line.lstrip().startswith("#") else line for line in sparql.splitlines())
    tail = body[body.rfind("}") + 1:]
    return re.search(r"\bLIMIT\s+\d+", tail, re.IGNORECASE) is not None


def with_limit(sparql: str, limit: int | None) -> str:
    """``sparql`` with ``LIMIT limit`` appended, unless it has a LIMIT of its own; None or 0 add none."""
    if limit is not None and limit < 0:
        raise QueryError("the limit must be zero (no limit) or more")
    if not limit or has_limit(sparql):
        return sparql
    return sparql.rstrip() + f"\nLIMIT {int(limit)}\n"


def _evaluate(store: Store, sparql: str, bindings: Mapping[str, Node] | None) -> tuple[str, bytes]:
    """Run the query to the end and serialize what it gives (pyoxigraph's result objects must
    stay in the thread that made them): ``("results", JSON)`` for SELECT/ASK, ``("triples",
    N-Triples)`` for CONSTRUCT/DESCRIBE."""
    result = store.query(sparql, bindings)
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        return "results", result.serialize(format=ox.QueryResultsFormat.JSON)
    return "triples", result.serialize(format=ox.RdfFormat.N_TRIPLES)


def _deliver(kind: str, data: bytes) -> Any:
    """The serialized result as a pyoxigraph result object of the calling thread."""
    if kind == "results":
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    scratch = ox.Store()
    scratch.load(data, format=ox.RdfFormat.N_TRIPLES)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


FEDERATED_REFUSED = ("federated queries are refused: {keyword} would make the query engine send requests "
                     "to the URLs the query names (services on this machine or network included); "
                     "give --allow-federated (allow_federated=True) to run it")


def refuse_federated(sparql: str) -> None:
    """Raise :class:`QueryError` when the query would fetch other URLs (``SERVICE``, ``LOAD``)."""
    from policykg.graph.sparql_text import federated_keywords

    keywords = federated_keywords(sparql)
    if keywords:
        raise QueryError(FEDERATED_REFUSED.format(keyword=keywords[0]))


def execute(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            timeout: float | None = None, limit: int | None = None, allow_federated: bool = False) -> Any:
    """Run a query over the union of all graphs, bounded by ``timeout`` seconds, with
    ``LIMIT limit`` appended when given and the query has no LIMIT of its own. A federated
    query (``SERVICE``) is refused unless ``allow_federated``.

    Returns pyoxigraph's result object: :class:`QuerySolutions` (SELECT), :class:`QueryBoolean`
    (ASK) or :class:`QueryTriples` (CONSTRUCT/DESCRIBE), so every result format can serialize
    it. The store cannot cancel a running query, so with a timeout the query runs to the end in
    a daemon worker thread that is abandoned when the time is up (it finishes in the
    background, or ends with the process) and :class:`QueryError` is raised.
    """
    if not allow_federated:
        refuse_federated(sparql)
    sparql = with_limit(sparql, limit)
    if timeout is None:
        return store.query(sparql, bindings)
    if timeout <= 0:
        raise QueryError("the timeout must be positive")
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = _evaluate(store, sparql, bindings)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="policykg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"timed out after {timeout:g} s")
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, PolicyKGError):
            raise error
        raise QueryError(f"query failed: {error}") from error
    return _deliver(*outcome["result"])


def is_named(text: str) -> bool:
    """Whether ``text`` is the name of a named query (rather than SPARQL)."""
    return any(q.name == text.strip() for q in _load_all())


def run_named(store: Store, name: str, params: Mapping[str, str] | None = None,
              timeout: float | None = None, limit: int | None = None) -> ox.QuerySolutions:
    """Run the named query ``name`` with text parameters (``{"doc": "厦府办[2015]134号"}``),
    each resolved and bound as an RDF term. ``limit`` (default :data:`DEFAULT_LIMIT`; 0 for
    none) is appended when the query has no LIMIT of its own."""
    query = get_query(name)
    bindings = bind_params(store, query, params or {})
    return execute(store, store.plan(query.text), bindings, timeout=timeout,
                   limit=DEFAULT_LIMIT if limit is None else limit)


def rows(solutions: ox.QuerySolutions) -> list[dict[str, Any]]:
    """Solutions as dicts of plain Python values (IRIs and strings as str; unbound absent)."""
    names = [v.value for v in solutions.variables]
    out = []
    for sol in solutions:
        out.append({n: python_value(sol[n]) for n in names if sol[n] is not None})
    return out
