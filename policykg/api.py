"""The Python API. The CLI is a thin layer over :class:`PolicyGraph`.

>>> pg = PolicyGraph.open("policykg-store")          # doctest: +SKIP
>>> report = pg.load(["samples/seeds"])               # doctest: +SKIP
>>> pg.lineage("厦府办〔2015〕134号")                  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from policykg.errors import NotFound, PolicyKGError
from policykg.graph import iri, resolve, triples
from policykg.graph.store import Store, to_ox
from policykg.loaders.extract import extract_notice
from policykg.loaders.read import read_bytes
from policykg.ontology.plo import ELI, PLO

DEFAULT_STORE = "policykg-store"
DESCRIBED = {  # property → key of a document's description
    str(ELI.id_local): "number",
    str(DCTERMS.title): "title",
    str(ELI.date_document): "date",
    str(PLO.level): "level",
    str(DCTERMS.source): "source",
}
NOTICE_SUFFIXES = {".txt", ".text", ".htm", ".html", ".shtml", ".xhtml"}
PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX plo: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


ROLE_KEYS = {
    "leadAgency": "lead",
    "responsibleAgency": "responsible",
    "participatingAgency": "participating",
    "coordinatingAgency": "coordinating",
}


def store_path(path: str | os.PathLike | None) -> Path:
    """The store location: the given path, else $POLICYKG_STORE, else ./policykg-store."""
    return Path(path or os.environ.get("POLICYKG_STORE") or DEFAULT_STORE)


@dataclass(frozen=True)
class SourceFile:
    """A file to load and the source path it is recorded under (CONTRACT: dcterms:source)."""

    path: Path
    source: str


@dataclass(frozen=True)
class Extracted:
    """One file's named graph, ready to write."""

    source: str
    sha256: str
    graph: str
    lines: tuple[str, ...]  # N-Triples statements of the document's graph, serialized in the worker
    entity_lines: tuple[str, ...]  # descriptions of shared agencies, regions, functions
    number: str | None
    title: str | None


@dataclass(frozen=True)
class Unchanged:
    """A file already loaded with the same content (skipped)."""

    source: str


@dataclass(frozen=True)
class Failure:
    source: str
    reason: str


@dataclass
class LoadReport:
    documents: int = 0
    triples: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def collect(paths: Iterable[str | os.PathLike]) -> list[SourceFile]:
    """Expand files and folders into source files, sorted by source path.

    A folder contributes every notice file below it (by suffix: .txt .htm .html …), each
    recorded relative to that folder; a file given by itself is always taken, under its name.
    """
    found: dict[str, SourceFile] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in NOTICE_SUFFIXES and not f.name.startswith("."):
                    rel = f.relative_to(p).as_posix()
                    found.setdefault(rel, SourceFile(f, rel))
        elif p.exists():
            found.setdefault(p.name, SourceFile(p, p.name))
        else:
            found.setdefault(p.name, SourceFile(p, p.name))  # reported as missing when loaded
    return [found[k] for k in sorted(found)]


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # reported by extract_file


class _EntityLines:
    """The shared-entity statements of a load, each written once: a statement already written
    in this load is not written again (the store keeps it), up to ``memory`` remembered."""

    def __init__(self, memory: int = 400_000) -> None:
        self.memory = memory
        self.written: set[str] = set()
        self.pending: dict[str, None] = {}

    def add(self, lines: Iterable[str]) -> None:
        written, pending = self.written, self.pending
        for line in lines:
            if line not in written:
                pending[line] = None

    def take(self) -> list[str]:
        """The statements to write with this batch (then remembered as written)."""
        lines = list(self.pending)
        self.pending = {}
        if len(self.written) + len(lines) > self.memory:
            self.written = set()
        self.written.update(lines)
        return lines


def extract_file(sf: SourceFile) -> Extracted | Failure:
    """Read and extract one file into its triples; never raises for a bad file."""
    try:
        data = sf.path.read_bytes()
    except OSError as exc:
        return Failure(sf.source, f"cannot read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = read_bytes(data, sf.source)
        notice = extract_notice(text.text, source=sf.source, sha256=sha, encoding=text.encoding)
        lines, entity_lines = triples.notice_lines(notice)
    except PolicyKGError as exc:
        return Failure(sf.source, str(exc))
    except Exception as exc:  # an extractor bug must not abort a corpus load
        return Failure(sf.source, f"extraction failed: {type(exc).__name__}: {exc}")
    return Extracted(
        source=sf.source,
        sha256=sha,
        graph=str(triples.graph_iri(notice)),
        lines=lines,
        entity_lines=entity_lines,
        number=notice.number.canonical if notice.number else None,
        title=notice.title,
    )


def extract_all(files: Sequence[SourceFile], jobs: int = 1) -> Iterator[tuple[SourceFile, Extracted | Failure]]:
    """Extract files in order, in ``jobs`` worker processes when that pays off.

    At most a few batches are in flight at once, so memory stays flat however many files
    there are.
    """
    if jobs <= 1 or len(files) < 4 * jobs:
        for sf in files:
            yield sf, extract_file(sf)
        return
    window = jobs * 16
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        queue: deque[tuple[SourceFile, Future]] = deque()
        it = iter(files)
        for sf in it:
            queue.append((sf, pool.submit(extract_file, sf)))
            if len(queue) >= window:
                break
        while queue:
            sf, future = queue.popleft()
            for nxt in it:
                queue.append((nxt, pool.submit(extract_file, nxt)))
                break
            yield sf, future.result()


class PolicyGraph:
    """A policy-lineage graph in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, memory: bool = False,
             read_only: bool = False) -> PolicyGraph:
        """Open (or create) the store at ``path`` ($POLICYKG_STORE, ./policykg-store);
        ``memory=True`` gives a throw-away in-memory store."""
        if memory:
            return cls(Store(None))
        return cls(Store(store_path(path), read_only=read_only))

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> PolicyGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading -------------------------------------------------------------------------
    def loaded_sources(self) -> dict[str, str]:
        """source path → sha256 of every loaded file."""
        rows = self.store.select(PREFIXES + "SELECT ?src ?sha WHERE { ?d dcterms:source ?src ; plo:sha256 ?sha }")
        return {r["src"]: r["sha"] for r in rows}

    def load(self, paths: Iterable[str | os.PathLike], *, force: bool = False, jobs: int = 1,
             batch: int = 256,
             progress: Callable[[SourceFile, Extracted | Failure | Unchanged], None] | None = None) -> LoadReport:
        """Load files and folders. A bad file is reported in the result and skipped; the rest
        loads. A file whose source path and content are already loaded is skipped unless
        ``force``; a changed file replaces its named graph. ``jobs`` > 1 extracts in that many
        worker processes; writes go to the store in batches of ``batch`` documents, each batch
        one transaction, so an interrupted load keeps every batch written before it.
        Resolution is brought up to date at the end, for what changed only when that is a
        small part of the store."""
        files = collect(paths)
        if force:
            known: dict[str, str] = {}
        elif len(files) > 1000:
            known = self.loaded_sources()
        else:  # the few files given, looked up by their source paths
            values = " ".join(str(to_ox(Literal(f.source))) for f in files)
            known = {r["src"]: r["sha"] for r in self.store.select(PREFIXES + f"""SELECT ?src ?sha WHERE {{
  VALUES ?src {{ {values} }} ?d dcterms:source ?src ; plo:sha256 ?sha }}""")} if files else {}
        report = LoadReport()
        todo: list[SourceFile] = []
        for sf in files:
            if known.get(sf.source) is not None and known[sf.source] == _sha256(sf.path):
                report.unchanged += 1  # already loaded as it is: not read again
                if progress:
                    progress(sf, Unchanged(sf.source))
            else:
                todo.append(sf)
        pending: dict[str, tuple[str, ...]] = {}
        entities = _EntityLines()
        written: list[tuple[SourceFile, Extracted]] = []
        replaced = False
        # what the graphs about to be replaced hold, when resolution is to follow the change only
        before = resolve.Snapshot() if todo and resolve.incremental(self.store, len(todo)) else None
        graphs: list[str] = []

        def flush() -> None:
            if pending:
                if before is not None:
                    before.update(resolve.snapshot(self.store, pending))
                graphs.extend(pending)
                report.triples += self.store.replace_graphs_nt(pending, {str(iri.ENTITIES_GRAPH): entities.take()})
                report.documents += len(pending)
                pending.clear()
                for sf, done in written:
                    if progress:  # a document is reported once its batch is committed
                        progress(sf, done)
                written.clear()

        for sf, result in extract_all(todo, jobs):
            if isinstance(result, Failure):
                report.failures.append(result)
                if progress:
                    progress(sf, result)
                continue
            replaced = replaced or result.source in known
            pending[result.graph] = result.lines
            entities.add(result.entity_lines)
            written.append((sf, result))
            if len(pending) >= batch:
                flush()
        flush()
        if graphs:
            resolve.update(self.store, before, graphs)
        if replaced:  # a changed file may have named agencies no other file names
            resolve.collect_entities(self.store, None if before is None else before.entities)
        self.store.flush()
        return report

    def remove(self, items: Iterable[str]) -> list[str]:
        """Drop loaded documents, each given by its source path or as a document (发文字号,
        title, IRI); returns the source paths removed. Resolution is brought up to date."""
        items = list(items)
        values = " ".join(str(to_ox(Literal(item))) for item in items)
        known = {r["src"] for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?src WHERE {{
  VALUES ?src {{ {values} }} ?d dcterms:source ?src }}""")} if items else set()
        sources: list[str] = []
        for item in items:
            if item in known:
                sources.append(item)
                continue
            doc = self.find_document(item)
            rows = self.store.select(PREFIXES + "SELECT ?s WHERE { ?d dcterms:source ?s }", {"d": URIRef(doc)})
            if not rows:
                raise NotFound(f"{item!r} is not a loaded file (it is known only from citations)")
            sources.extend(r["s"] for r in rows)
        graphs = [str(iri.source_graph(s)) for s in sources]
        before = resolve.snapshot(self.store, graphs) if resolve.incremental(self.store, len(graphs)) else None
        self.store.remove_graphs(graphs)
        resolve.update(self.store, before, graphs)
        resolve.collect_entities(self.store, None if before is None else before.entities)
        return sorted(set(sources))

    def resolve(self) -> int:
        """Recompute the derived graph (cross-document identity and citations)."""
        return resolve.recompute(self.store)

    # -- querying ------------------------------------------------------------------------
    def query(self, sparql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT query; ``params`` are bound as RDF terms (str → literal, URIRef → IRI)."""
        bindings = {k: v if isinstance(v, (URIRef, Literal)) else Literal(v) for k, v in (params or {}).items()}
        return self.store.select(sparql, bindings)

    def find_document(self, text: str) -> str:
        """The IRI of a document given as IRI, 发文字号 (any bracket style) or title."""
        from policykg.queries import resolve_doc

        found = resolve_doc(self.store, text)
        if found is None:
            raise NotFound(f"no document matches {text!r} (by IRI, 发文字号 or title)")
        return found

    def describe(self, docs: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Number, title, issuers, date, level, region and source of each document IRI.

        Each question is a small query of its own over the given IRIs (one query with many
        OPTIONALs, or a VALUES list of properties, makes the engine scan far more)."""
        out: dict[str, dict[str, Any]] = {d: {"iri": d, "issuers": []} for d in docs}
        if not docs:
            return out
        values = f"VALUES ?d {{ {_iris(docs)} }}"
        for prop, key in DESCRIBED.items():  # one query per property: a VALUES ?p join scans
            rows = self.store.select(f"SELECT DISTINCT ?d ?v WHERE {{ {values} ?d <{prop}> ?v }}")
            for r in sorted(rows, key=lambda r: (r["d"], str(r["v"]))):
                value = r["v"].rsplit("#", 1)[1].lower() if key == "level" else r["v"]
                out[r["d"]].setdefault(key, value)
        for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?d ?issuer WHERE {{ {values}
  ?d eli:passed_by ?a . ?a skos:prefLabel ?issuer }}"""):
            out[r["d"]]["issuers"].append(r["issuer"])
        for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?d ?region WHERE {{ {values}
  ?d eli:jurisdiction ?r . ?r skos:prefLabel ?region }}"""):
            out[r["d"]].setdefault("region", r["region"])
        for info in out.values():
            info["issuers"] = sorted(set(info["issuers"]))
        return out

    def documents(self, *, loaded_only: bool = True) -> list[dict[str, Any]]:
        """One row per document: number, title, issuer, date, level, region (loaded files by default)."""
        pattern = "?d a eli:LegalResource ; dcterms:source ?s ." if loaded_only else "?d a eli:LegalResource ."
        docs = [r["d"] for r in self.store.select(PREFIXES + f"SELECT DISTINCT ?d WHERE {{ {pattern} }}")]
        info = self.describe(docs)
        rows = [info[d] for d in docs]
        return sorted(rows, key=lambda r: (str(r.get("date") or ""), r.get("number") or "", r["iri"]))

    def lineage(self, doc: str, *, down: bool = False, max_depth: int = 50) -> list[dict[str, Any]]:
        """The chain of superiors (eli:based_on, transitively) of a document, or with ``down``
        its implementing documents. Rows: depth, parent (the document one step nearer to
        ``doc``), and the document's description; the document itself is depth 0."""
        start = self.find_document(doc)
        edge = "?x eli:based_on ?y" if not down else "?y eli:based_on ?x"
        seen = {start: (0, None)}
        frontier = [start]
        depth = 0
        while frontier and depth < max_depth:
            depth += 1
            values = _iris(frontier)
            rows = self.store.select(PREFIXES + f"SELECT ?x ?y WHERE {{ VALUES ?x {{ {values} }} {edge} }}")
            nxt = []
            for r in sorted(rows, key=lambda r: (r["x"], r["y"])):
                if r["y"] not in seen:
                    seen[r["y"]] = (depth, r["x"])
                    nxt.append(r["y"])
            frontier = nxt
        info = self.describe(list(seen))
        out = []
        for d, (dep, parent) in seen.items():
            out.append({"depth": dep, "parent": parent, **info[d]})
        return sorted(out, key=lambda r: (r["depth"], r.get("number") or "", r.get("title") or "", r["iri"]))

    def tasks(self, doc: str) -> list[dict[str, Any]]:
        """The tasks of a document in order, each with its agencies by role and its mentions, its
        ``path`` (二、（一）1.), the ``parent`` task's path (None for a top-level task) and its
        ``depth`` among the tasks (0 for a top-level task)."""
        d = self.find_document(doc)
        rows = self.store.select(PREFIXES + """
SELECT ?t ?ordinal ?label ?heading ?section ?path ?parent ?prop ?name WHERE {
  ?t a plo:Task ; eli:is_part_of ?d ; plo:ordinal ?ordinal ; plo:label ?label ; dcterms:title ?heading .
  OPTIONAL { ?t plo:section ?section }
  OPTIONAL { ?t plo:path ?path }
  OPTIONAL { ?t plo:subTaskOf ?up . ?up plo:path ?parent }
  OPTIONAL { VALUES ?prop { plo:leadAgency plo:responsibleAgency plo:participatingAgency
                            plo:coordinatingAgency plo:mentionsAgency }
             ?t ?prop ?a . ?a skos:prefLabel ?name }
}""", {"d": URIRef(d)})
        tasks: dict[str, dict[str, Any]] = {}
        for r in rows:
            t = tasks.setdefault(r["t"], {
                "ordinal": r["ordinal"], "label": r["label"], "heading": r["heading"],
                "section": r.get("section"), "path": r.get("path", r["label"]), "parent": r.get("parent"),
                **{key: [] for key in ROLE_KEYS.values()}, "mentions": [],
            })
            if "prop" in r:
                key = ROLE_KEYS.get(r["prop"].rsplit("#", 1)[1], "mentions")
                if r["name"] not in t[key]:
                    t[key].append(r["name"])
        out = sorted(tasks.values(), key=lambda t: t["ordinal"])
        depth: dict[str, int] = {}
        for t in out:
            for key in (*ROLE_KEYS.values(), "mentions"):
                t[key].sort()
            t["depth"] = depth.get(t["parent"], -1) + 1 if t["parent"] is not None else 0
            depth[t["path"]] = t["depth"]
        return out

    def agencies(self, *, doc: str | None = None, region: str | None = None,
                 role: str | None = None) -> list[dict[str, Any]]:
        """Agencies with their number of tasks per role, most tasks first.

        ``doc`` limits to one document's tasks; ``region`` to agencies of a region or of the
        regions below it (by name: 厦门市, 福建省); ``role`` (lead, responsible, participating,
        coordinating) to agencies that hold that role at least once."""
        bindings: dict[str, Any] = {}
        doc_pattern = ""
        if doc is not None:
            bindings["d"] = URIRef(self.find_document(doc))
            doc_pattern = "?t eli:is_part_of ?d ."
        region_pattern = ""
        if region is not None:
            bindings["rname"] = Literal(region, lang="zh")
            region_pattern = "?a dcterms:spatial ?ar . ?ar skos:broader* ?rr . ?rr skos:prefLabel ?rname ."
        rows = self.store.select(PREFIXES + f"""
SELECT ?a ?name ?prop (COUNT(DISTINCT ?t) AS ?n) WHERE {{
  VALUES ?prop {{ plo:leadAgency plo:responsibleAgency plo:participatingAgency plo:coordinatingAgency }}
  ?t ?prop ?a . {doc_pattern} {region_pattern}
  ?a skos:prefLabel ?name .
}} GROUP BY ?a ?name ?prop""", bindings)
        info = self.store.select(PREFIXES + """
SELECT ?a ?region ?function ?kind WHERE {
  ?t plo:involvesAgency ?a .
  OPTIONAL { ?a dcterms:spatial ?r . ?r skos:prefLabel ?region }
  OPTIONAL { ?a plo:function ?f . ?f skos:prefLabel ?function FILTER(lang(?function) = "zh") }
  BIND(IF(EXISTS { ?a a plo:AgencyGroup }, "group", "agency") AS ?kind)
}""")
        extra = {r["a"]: r for r in info}
        agencies: dict[str, dict[str, Any]] = {}
        for r in rows:
            a = agencies.setdefault(r["a"], {
                "agency": r["name"], "iri": r["a"], "region": extra.get(r["a"], {}).get("region"),
                "function": extra.get(r["a"], {}).get("function"), "kind": extra.get(r["a"], {}).get("kind"),
                **{key: 0 for key in ROLE_KEYS.values()},
            })
            a[ROLE_KEYS[r["prop"].rsplit("#", 1)[1]]] = r["n"]
        out = list(agencies.values())
        for a in out:
            a["tasks"] = sum(a[k] for k in ROLE_KEYS.values())
        if role is not None:
            if role not in ROLE_KEYS.values():
                raise PolicyKGError(f"unknown role {role!r}; choose from {', '.join(ROLE_KEYS.values())}")
            out = [a for a in out if a[role] > 0]
        return sorted(out, key=lambda a: (-a["tasks"], a["agency"]))

    def export(self, fmt: str, output: Any = None) -> bytes | None:
        """Serialize the store (nquads, trig, turtle, nt, jsonld)."""
        return self.store.dump(fmt, output)


def _iris(docs: Iterable[str]) -> str:
    """IRIs from the store as SPARQL terms, serialized (and validated) by the RDF library."""
    return " ".join(str(to_ox(URIRef(d))) for d in docs)
