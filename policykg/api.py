"""The Python API. The CLI is a thin layer over :class:`PolicyGraph`.

>>> pg = PolicyGraph.open("policykg-store")          # doctest: +SKIP
>>> report = pg.load(["samples/seeds"])               # doctest: +SKIP
>>> pg.lineage("厦府办〔2015〕134号")                  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from policykg import sources
from policykg.errors import NotFound, PolicyKGError, StoreError
from policykg.graph import iri, resolve, triples
from policykg.graph import ntriples as nt
from policykg.graph import pending as owed
from policykg.graph.store import Store, to_ox
from policykg.loaders import formats, tables
from policykg.loaders.extract import extract_notice
from policykg.loaders.models import Conflict, Notice
from policykg.loaders.read import BadBytes, read_bytes
from policykg.ontology.plo import ELI, PLO

DEFAULT_STORE = "policykg-store"
DESCRIBED = {  # property → key of a document's description
    str(ELI.id_local): "number",
    str(DCTERMS.title): "title",
    str(ELI.date_document): "date",
    str(PLO.level): "level",
    str(DCTERMS.source): "source",
}
# what a folder contributes: notices (text, pages, PDF, .docx), tables, and .doc/.wps (to say
# how to convert them); any other file is counted in LoadReport.skipped
NOTICE_SUFFIXES = formats.TEXT_SUFFIXES | formats.DOCUMENT_SUFFIXES | set(formats.UNSUPPORTED) | tables.TABLE_SUFFIXES
FOLDER_DOCS = {"readme", "license", "licence", "changelog", "copying", "authors", "manifest"}
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
    "guidingAgency": "guiding",
}


def store_path(path: str | os.PathLike | None) -> Path:
    """The store location: the given path, else $POLICYKG_STORE, else ./policykg-store."""
    return Path(path or os.environ.get("POLICYKG_STORE") or DEFAULT_STORE)


def require_store(path: Path) -> Path:
    """``path`` when a store is there; else :class:`StoreError` ``no store at …: load notices first``."""
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"no store at {path}: load notices first (policykg load FILES --store {path})")
    return path


@dataclass(frozen=True)
class SourceFile:
    """A file to load and the source path it is recorded under (CONTRACT: dcterms:source)."""

    path: Path
    source: str
    origin: str = ""  # where it is read from: its absolute path (plo:loadedFrom)
    # why it cannot be loaded: under a name of its own (see policykg.sources), or at all (a FIFO,
    # a dangling link, an unreadable folder)
    clash: str | None = None


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
    conflicts: tuple[Conflict, ...] = ()  # stated facts (page metadata) that overrode the text's
    local_agencies: int = 0  # agencies of unstated jurisdiction, kept as nodes of this document
    bad_bytes: BadBytes | None = None  # bytes that could not be decoded (read as U+FFFD)
    document: str = ""  # the document's IRI


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
    # (source, conflict) for each stated fact that disagreed with the text, in load order
    conflicts: list[tuple[str, Conflict]] = field(default_factory=list)
    # source → number of agencies whose jurisdiction the notice does not tell (市工业和信息化局
    # of an unnamed city), each kept as a node of its document; documents without any are left out
    local_agencies: dict[str, int] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # files in folders not loaded, by suffix
    duplicates: list[tables.Duplicate] = field(default_factory=list)  # table rows repeating another
    removed: int = 0  # rows gone from a reloaded table (their graphs dropped)
    citations: int = 0  # relations written from citation tables
    unused_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table → columns not read
    damaged: dict[str, BadBytes] = field(default_factory=dict)  # source → its undecodable bytes (loaded)
    # files stating a document another file states too (mirrors, re-crawls: ``of`` names the
    # other, row 0); each is loaded, and queries give each of their facts once
    duplicate_files: list[tables.Duplicate] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def collect(paths: Iterable[str | os.PathLike]) -> list[SourceFile]:
    """Expand files and folders into source files, sorted by source path.

    A folder contributes every notice file below it (by suffix: .txt .htm .html …), each
    recorded relative to that folder; a file given by itself is always taken, under its name.
    Two different files never share a name: see :mod:`policykg.sources` for how clashes are told
    apart (``shandong/1.txt``, ``fujian/1.txt``) and when they are errors (``clash``).
    """
    found: list[sources.Candidate] = []
    problems: dict[Path, str] = {}  # entries that cannot be read as files, and why
    for p in map(Path, paths):
        if p.is_dir():
            for f, problem in sources.folder_files(p, loadable):
                found.append(sources.candidate(f, p))
                if problem:
                    problems[f] = problem
        else:  # a missing file is reported when loaded
            found.append(sources.candidate(p))
            if (problem := sources.special(p)) is not None:
                problems[p] = problem
    return [SourceFile(c.path, source, sources.origin(c.path), clash or problems.get(c.path))
            for c, source, clash in sources.name(found)]


def loadable(path: Path) -> bool:
    """Whether a file found in a folder is loaded: by its suffix (NOTICE_SUFFIXES), unless
    hidden or the folder's own documentation (README.md, LICENSE.txt, manifest.jsonl …): a file
    given by itself is always loaded."""
    return (path.suffix.lower() in NOTICE_SUFFIXES and not path.name.startswith(".")
            and path.stem.lower() not in FOLDER_DOCS)


def skipped_files(paths: Iterable[str | os.PathLike]) -> Counter[str]:
    """The files in the given folders that a load does not read, counted by suffix
    (``(none)`` for a name without one); hidden files count too."""
    out: Counter[str] = Counter()
    for p in map(Path, paths):
        if p.is_dir():
            for f in p.rglob("*"):
                if f.is_file() and not loadable(f):
                    out[f.suffix.lower() or "(none)"] += 1
    return out


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


def extract_file(sf: SourceFile | tables.Row) -> Extracted | Failure:
    """Read and extract one file (or table row) into its triples; never raises for a bad file."""
    if isinstance(sf, tables.Row):
        from policykg.tableload import extract_row

        return extract_row(sf)
    problem = sources.special(sf.path)
    if problem is not None:  # never opened: a FIFO or a device would be read forever
        return Failure(sf.source, problem)
    try:
        data = sf.path.read_bytes()
    except OSError as exc:
        return Failure(sf.source, f"cannot read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = read_bytes(data, sf.source)
        notice = extract_notice(text.text, source=sf.source, sha256=sha, encoding=text.encoding,
                                given=text.metadata)
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
        conflicts=notice.conflicts,
        local_agencies=local_agency_count(notice),
        bad_bytes=text.bad_bytes,
        document=str(triples.doc_iri(notice)),
    )


DEFAULT_FILE_TIMEOUT = 60.0  # seconds a file may take to extract before it is skipped


class _Overtime(BaseException):
    """A file's time budget ran out (a BaseException: extract_file catches every Exception)."""


def extract_timed(sf: SourceFile | tables.Row, budget: float | None = DEFAULT_FILE_TIMEOUT) -> Extracted | Failure:
    """:func:`extract_file` within ``budget`` seconds, else a :class:`Failure` ``took longer than
    … s: skipped``. The budget is a timer signal (SIGALRM) in the process that extracts (a worker,
    or the loader itself with one job): the extraction is interrupted where it stands and the
    worker goes on with the next file. Without a budget (None or 0), off the main thread, or
    where the platform has no timer signal, the file is extracted without a limit."""
    if not budget or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return extract_file(sf)

    def overtime(signum: int, frame: Any) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, overtime)
    try:
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            return extract_file(sf)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Overtime:
        return Failure(sf.source, f"took longer than {budget:g} s: skipped")
    finally:
        signal.signal(signal.SIGALRM, previous)


def local_agency_count(notice: Notice) -> int:
    """How many agencies (not groups) of a notice have a jurisdiction it does not tell, and so
    are nodes of the document alone (``Agency.local``)."""
    found = {a.name for a in notice.issuers if a.local and a.kind != "group"}
    for task in notice.tasks:
        found.update(r.agency.name for r in task.roles if r.agency.local and r.agency.kind != "group")
        found.update(a.name for a in task.mentions if a.local and a.kind != "group")
    return len(found)


def extract_all(files: Iterable[SourceFile | tables.Row], jobs: int = 1,
                budget: float | None = DEFAULT_FILE_TIMEOUT) -> Iterator[tuple[SourceFile | tables.Row, Extracted | Failure]]:
    """Extract files (and table rows), in ``jobs`` worker processes when that pays off, each
    within ``budget`` seconds (:func:`extract_timed`).

    At most a few batches are in flight at once, so memory stays flat however many files
    there are. Results come as they finish: a slow file holds back no other. Metadata-only
    table rows need no extraction: they are done in this process.
    """
    if jobs <= 1 or (isinstance(files, Sequence) and len(files) < 4 * jobs):
        for sf in files:
            yield sf, extract_timed(sf, budget)
        return
    window = jobs * 16
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        queue: deque[tuple[SourceFile, Future]] = deque()
        it = iter(files)

        def submit() -> Iterator[tuple[SourceFile | tables.Row, Extracted | Failure]]:
            """Queue the next item for the workers; yield the metadata-only rows before it."""
            for nxt in it:
                if isinstance(nxt, tables.Row) and nxt.text is None:
                    yield nxt, extract_file(nxt)
                    continue
                queue.append((nxt, pool.submit(extract_timed, nxt, budget)))
                return

        while len(queue) < window:
            before = len(queue)
            yield from submit()
            if len(queue) == before:
                break
        while queue:
            wait([future for _, future in queue], return_when=FIRST_COMPLETED)
            for item in [item for item in queue if item[1].done()]:
                queue.remove(item)
                yield from submit()
                yield item[0], item[1].result()


def _exit_with_parent(parent: int) -> None:
    """In a worker: end when the process that started it is gone (a killed load), at once on
    Linux (the kernel's parent-death signal), else within a second (a thread watching)."""
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:  # gone already, before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, name="policykg-parent-watch", daemon=True).start()


class PolicyGraph:
    """A policy-lineage graph in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, memory: bool = False,
             read_only: bool = False, create: bool = True) -> PolicyGraph:
        """Open (or create) the store at ``path`` ($POLICYKG_STORE, ./policykg-store);
        ``memory=True`` gives a throw-away in-memory store. With ``create=False`` (or
        ``read_only``) a missing store is a :class:`StoreError` instead of a new empty store."""
        if memory:
            return cls(Store(None))
        location = store_path(path)
        if not create or read_only:
            require_store(location)
        return cls(Store(location, read_only=read_only))

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
        # each source with the hash its own graph states (one document may have several sources)
        rows = self.store.select(PREFIXES + "SELECT ?src ?sha WHERE { GRAPH ?g { ?d dcterms:source ?src ; plo:sha256 ?sha } }")
        return {r["src"]: r["sha"] for r in rows}

    def load(self, paths: Iterable[str | os.PathLike], *, force: bool = False, jobs: int = 1,
             batch: int = 256,
             progress: Callable[[SourceFile, Extracted | Failure | Unchanged], None] | None = None,
             columns: Mapping[str, str] | None = None,
             file_timeout: float | None = DEFAULT_FILE_TIMEOUT) -> LoadReport:
        """Load files and folders. A bad file is reported in the result and skipped; the rest
        loads. A file whose source path and content are already loaded is skipped unless
        ``force``; a changed file replaces its named graph. ``jobs`` > 1 extracts in that many
        worker processes; writes go to the store in batches of ``batch`` documents, each batch
        one transaction, so an interrupted load keeps every batch written before it. The
        resolution each batch owes is recorded with it (:mod:`policykg.graph.pending`), and every
        command that writes first finishes what an interrupted one owes: killed at any moment and
        run again, a load gives the store an uninterrupted load gives.
        Resolution is brought up to date at the end, for what changed only when that is a
        small part of the store.
        A file whose extraction takes longer than ``file_timeout`` seconds (None or 0: no limit)
        is reported as a failure and skipped; documents already extracted are written meanwhile.

        Tables (.jsonl .csv .tsv .xlsx) load one document per row, each row its own source
        ``FILE#ID`` (see :mod:`policykg.loaders.tables`); ``columns`` maps further column names
        to fields (``--map``). Citation tables load after the rest, one graph each
        (:mod:`policykg.tableload`)."""
        from policykg import tableload

        owed.finish(self.store)  # what an interrupted command left undone comes first
        owed.forget_removal(self.store)
        paths = list(paths)
        report = LoadReport(skipped=skipped_files(paths))
        files = []
        for sf in collect(paths):
            if sf.clash is None:
                files.append(sf)
            else:  # two files, one name: neither is loaded
                report.failures.append(Failure(sf.source, sf.clash))
                if progress:
                    progress(sf, report.failures[-1])
        files, origin_of = self._recorded_origins(files)
        table_files = [f for f in files if f.path.suffix.lower() in tables.TABLE_SUFFIXES]
        files = [f for f in files if f.path.suffix.lower() not in tables.TABLE_SUFFIXES]
        if force:
            known: dict[str, str] = {}
        elif len(files) > 1000:
            known = self.loaded_sources()
        else:  # the few files given, looked up by their source paths
            values = " ".join(str(to_ox(Literal(f.source))) for f in files)
            known = {r["src"]: r["sha"] for r in self.store.select(PREFIXES + f"""SELECT ?src ?sha WHERE {{
  VALUES ?src {{ {values} }} GRAPH ?g {{ ?d dcterms:source ?src ; plo:sha256 ?sha }} }}""")} if files else {}
        notice_tables, relation_tables = tableload.sort_tables(table_files, columns, report)
        row_known = self.loaded_sources() if notice_tables and not force else {}
        table_rows = tableload.RowFeed(notice_tables, columns, row_known, report, progress)
        todo: list[SourceFile] = []
        for sf in files:
            if known.get(sf.source) is not None and known[sf.source] == _sha256(sf.path):
                report.unchanged += 1  # already loaded as it is: not read again
                if progress:
                    progress(sf, Unchanged(sf.source))
            elif sf.source in known and origin_of.get(sf.source, sf.origin) != sf.origin:
                report.failures.append(Failure(sf.source, (
                    f"already loaded from {origin_of[sf.source]}, a different file than {sf.origin}: "
                    "give --force to replace it")))
                if progress:
                    progress(sf, report.failures[-1])
            else:
                todo.append(sf)
        origins = {sf.source: sf.origin for sf in (*todo, *table_files)}
        pending: dict[str, tuple[str, ...]] = {}
        entities = _EntityLines()
        written: list[tuple[SourceFile, Extracted]] = []
        replaced = False
        # what the graphs about to be replaced hold, when resolution is to follow the change only
        # (a table's rows to reload are known only as they are read: the snapshot is taken per
        # batch, and resolve.update resolves afresh when the change turns out large)
        before = (resolve.Snapshot() if (todo or notice_tables) and resolve.incremental(self.store, len(todo))
                  else None)
        graphs: list[str] = []
        pending_lines = 0
        batches = 0

        def flush() -> None:
            nonlocal batches
            if pending:
                now = resolve.snapshot(self.store, pending) if before is not None else None
                owed.record(self.store, pending, now)  # resolution owed, recorded first
                if before is not None and now is not None:
                    before.update(now)
                graphs.extend(pending)
                report.triples += self.store.replace_graphs_nt(pending, {str(iri.ENTITIES_GRAPH): entities.take()})
                report.documents += len(pending)
                pending.clear()
                batches += 1
                owed.crash_point(f"batch:{batches}")
                for sf, done in written:
                    if progress:  # a document is reported once its batch is committed
                        progress(sf, done)
                written.clear()

        same_document: dict[str, list[str]] = {}  # document IRI → the files of this load stating it
        work = itertools.chain(todo, table_rows) if notice_tables else todo  # (a list: few files stay in-process)
        for sf, result in extract_all(work, jobs, file_timeout):
            if isinstance(result, Failure):
                report.failures.append(result)
                if progress:
                    progress(sf, result)
                continue
            report.conflicts.extend((result.source, c) for c in result.conflicts)
            # forced: the source may be loaded already (its old graph named agencies no other names)
            replaced = replaced or force or result.source in known or result.source in row_known
            if result.local_agencies:
                report.local_agencies[result.source] = result.local_agencies
            if result.bad_bytes:
                report.damaged[result.source] = result.bad_bytes
            if result.document and isinstance(sf, SourceFile):
                same_document.setdefault(result.document, []).append(result.source)
            origin = origins.get(result.source) or origins.get(result.source.split("#", 1)[0])  # FILE#ROW
            pending[result.graph] = (*result.lines, *_loaded_from(result.graph, origin))
            entities.add(result.entity_lines)
            written.append((sf, result))
            pending_lines += len(result.lines)
            if len(pending) >= batch and (len(pending) >= 16 * batch or pending_lines >= 100 * batch):
                flush()  # short documents (table rows) go in larger batches: fewer, larger writes
                pending_lines = 0
        flush()
        report.duplicate_files = self._duplicate_files(same_document)
        stale = [str(iri.source_graph(s)) for s in table_rows.stale()]
        if stale:  # rows gone from a reloaded table
            now = resolve.snapshot(self.store, stale) if before is not None else None
            owed.record(self.store, stale, now, op="remove")
            if before is not None and now is not None:
                before.update(now)
            self.store.remove_graphs(stale)
            graphs.extend(stale)
            report.removed += len(stale)
            replaced = True
        for sf in relation_tables:
            tableload.load_relations(self.store, sf, columns, force, report)
        owed.crash_point("resolve")
        if graphs:
            resolve.update(self.store, before, graphs)
        if replaced:  # a changed file may have named agencies no other file names
            resolve.collect_entities(self.store, None if before is None else before.entities)
        owed.clear(self.store)
        self.store.flush()
        return report

    def _duplicate_files(self, loaded: dict[str, list[str]]) -> list[tables.Duplicate]:
        """The files of a load (``loaded``: document IRI → sources) whose document another
        loaded file states too, each with that file (one loaded earlier, else the first of
        this load by source)."""
        out: list[tables.Duplicate] = []
        docs = list(loaded)
        for i in range(0, len(docs), 500):
            chunk = docs[i : i + 500]
            rows = self.store.select(PREFIXES + f"""SELECT DISTINCT ?d ?src WHERE {{
  VALUES ?d {{ {_iris(chunk)} }} ?d dcterms:source ?src }}""")
            sources: dict[str, set[str]] = {d: set(loaded[d]) for d in chunk}
            for r in rows:
                sources[r["d"]].add(r["src"])
            for d in chunk:  # the other file: one loaded before, else the first of this load
                first = min(sources[d] - set(loaded[d]), default=min(loaded[d]))
                out.extend(tables.Duplicate(src, 0, first) for src in sorted(loaded[d]) if src != first)
        return sorted(out, key=lambda dup: dup.source)

    def _recorded_origins(self, files: list[SourceFile]) -> tuple[list[SourceFile], dict[str, str]]:
        """The files, each under the source name the store already has for its origin (so a file
        keeps the name it was first loaded with), and source → origin of every recorded source
        among them."""
        if not files:
            return files, {}
        if len(files) > 1000:
            rows = self.store.select(PREFIXES + "SELECT ?g ?o WHERE { ?g plo:loadedFrom ?o }")
        else:
            graphs = _iris(str(iri.source_graph(f.source)) for f in files)
            origins = " ".join(str(to_ox(Literal(f.origin))) for f in files)
            rows = self.store.select(PREFIXES + f"""SELECT ?g ?o WHERE {{
  {{ VALUES ?g {{ {graphs} }} ?g plo:loadedFrom ?o }} UNION {{ VALUES ?o {{ {origins} }} ?g plo:loadedFrom ?o }} }}""")
        origin_of: dict[str, str] = {}
        names: dict[str, set[str]] = {}
        for r in rows:
            source = sources.graph_source(r["g"])
            if source is not None:
                origin_of[source] = r["o"]
                names.setdefault(r["o"], set()).add(source)
        taken = {f.source for f in files}
        out = []
        for f in files:
            recorded = names.get(f.origin, set())
            if f.source not in recorded and len(recorded) == 1 and (name := next(iter(recorded))) not in taken:
                taken.add(name)
                f = SourceFile(f.path, name, f.origin, f.clash)
            out.append(f)
        out.sort(key=lambda f: f.source)
        return out, origin_of

    def remove(self, items: Iterable[str]) -> list[str]:
        """Drop loaded documents, each given by its source path (or its unique end) or as a
        document (发文字号, title, IRI); returns the source paths removed. Resolution is brought
        up to date. The removal is recorded before it starts: if it is interrupted, the next
        command that writes completes it, and the same remove run again reports it done."""
        resumed = {**owed.last_removal(self.store), **owed.removed_items(owed.finish(self.store))}
        items = list(items)
        values = " ".join(str(to_ox(Literal(item))) for item in items)
        known = {r["src"] for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?src WHERE {{
  VALUES ?src {{ {values} }} ?d dcterms:source ?src }}""")} if items else set()
        found: list[str] = []
        by_item: dict[str, list[str]] = {}
        for item in items:
            start = len(found)
            if item in known:
                found.append(item)
            elif item in resumed and not self._names_loaded(item):  # removed by an interrupted run
                found.extend(resumed[item])
            else:
                self._find_sources(item, found)
            by_item[item] = found[start:]
        graphs = [str(iri.source_graph(s)) for s in found]
        before = resolve.snapshot(self.store, graphs) if resolve.incremental(self.store, len(graphs)) else None
        owed.record(self.store, graphs, before, op="remove", items=by_item)
        self.store.remove_graphs(graphs)
        owed.crash_point("remove")
        resolve.update(self.store, before, graphs)
        resolve.collect_entities(self.store, None if before is None else before.entities)
        owed.remember_removal(self.store, by_item)
        owed.clear(self.store)
        return sorted(set(found))

    def _names_loaded(self, item: str) -> bool:
        """Whether ``item`` names a loaded file or document."""
        try:
            self._find_sources(item, [])
        except NotFound:
            return False
        return True

    def _find_sources(self, item: str, found: list[str]) -> None:
        """Add the sources ``item`` names (not a loaded source path itself) to ``found``."""
        from policykg import tableload
        from policykg.queries import resolve_source

        table = tableload.table_parts(self.store, item)
        if table:  # a table: its rows, or a citation table's graph
            found.extend(table)
            return
        doc = self.find_document(item)
        named = [source for source, d in resolve_source(self.store, item) if d == doc]
        if named:  # the end of a source: that file only
            found.extend(named)
            return
        rows = self.store.select(PREFIXES + "SELECT ?s WHERE { ?d dcterms:source ?s }", {"d": URIRef(doc)})
        if not rows:
            raise NotFound(f"{item!r} is not a loaded file (it is known only from citations)")
        found.extend(r["s"] for r in rows)

    def resolve(self) -> int:
        """Recompute the derived graph (cross-document identity and citations)."""
        owed.finish(self.store)
        return resolve.recompute(self.store)

    # -- querying ------------------------------------------------------------------------
    def query(self, sparql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT query; ``params`` are bound as RDF terms (str → literal, URIRef → IRI)."""
        bindings = {k: v if isinstance(v, (URIRef, Literal)) else Literal(v) for k, v in (params or {}).items()}
        return self.store.select(sparql, bindings)

    def find_document(self, text: str) -> str:
        """The IRI of a document given as IRI, source (``shandong/1.txt``, ``corpus.jsonl#id``, or
        its unique end: ``1.txt``), 发文字号 (any bracket style) or title (see
        :func:`policykg.queries.resolve_doc`)."""
        from policykg.queries import NOT_FOUND, resolve_doc

        found = resolve_doc(self.store, text)
        if found is None:
            raise NotFound(NOT_FOUND.format(text))
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

    def lineage(self, doc: str, *, down: bool = False, max_depth: int = 50,
                cites: bool = False) -> list[dict[str, Any]]:
        """The chain of superiors (eli:based_on, transitively) of a document, or with ``down``
        its implementing documents. Rows: depth, parent (the document one step nearer to
        ``doc``), and the document's description; the document itself is depth 0. With
        ``cites`` every citation (eli:cites) is followed, not only stated bases."""
        start = self.find_document(doc)
        prop = "eli:cites" if cites else "eli:based_on"
        edge = f"?x {prop} ?y" if not down else f"?y {prop} ?x"
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
        IRI, and the document's IRI (``document``) and source; ``path`` (二、（一）1.), the
        ``parent`` task's path (None for a top-level task) and its ``depth`` among the tasks (0 for
        a top-level task)."""
        d = self.find_document(doc)
        source = min((r["s"] for r in self.store.select(PREFIXES + "SELECT ?s WHERE { ?d dcterms:source ?s }",
                                                         {"d": URIRef(d)})), default=None)
        # The same notice loaded from several files states each fact once per file in the union
        # of graphs: each query below joins at most two patterns and keeps DISTINCT rows, so
        # copies add rows linearly and never multiply them (one join over all properties grew
        # as copies to the fifth power).
        found = [r["t"] for r in self.store.select(PREFIXES + """SELECT DISTINCT ?t WHERE {
  ?t eli:is_part_of ?d FILTER EXISTS { ?t a plo:Task } }""", {"d": URIRef(d)})]
        if not found:
            return []
        values = f"VALUES ?t {{ {_iris(found)} }}"
        facts: dict[str, dict[str, Any]] = {t: {} for t in found}
        for key, prop in (("ordinal", "plo:ordinal"), ("label", "plo:label"), ("heading", "dcterms:title"),
                          ("section", "plo:section"), ("path", "plo:path")):
            for r in self.store.select(PREFIXES + f"SELECT DISTINCT ?t ?v WHERE {{ {values} ?t {prop} ?v }}"):
                facts[r["t"]].setdefault(key, r["v"])
        for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?t ?v WHERE {{ {values}
  ?t plo:subTaskOf ?up . ?up plo:path ?v }}"""):
            facts[r["t"]].setdefault("parent", r["v"])
        tasks: dict[str, dict[str, Any]] = {}
        for t, f in facts.items():
            if {"ordinal", "label", "heading"} <= f.keys():
                tasks[t] = {
                    "ordinal": f["ordinal"], "label": f["label"], "heading": f["heading"],
                    "section": f.get("section"), "path": f.get("path", f["label"]), "parent": f.get("parent"),
                    **{key: [] for key in ROLE_KEYS.values()}, "mentions": [],
                    "iri": t, "document": d, "source": source,
                }
        for r in self.store.select(PREFIXES + f"""SELECT DISTINCT ?t ?prop ?name WHERE {{ {values}
  VALUES ?prop {{ plo:leadAgency plo:responsibleAgency plo:participatingAgency plo:coordinatingAgency
                  plo:guidingAgency plo:mentionsAgency }}
  ?t ?prop ?a . ?a skos:prefLabel ?name }}"""):
            if r["t"] in tasks:
                t = tasks[r["t"]]
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
  VALUES ?prop {{ plo:leadAgency plo:responsibleAgency plo:participatingAgency plo:coordinatingAgency
                  plo:guidingAgency }}
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


def _loaded_from(graph: str, origin: str | None) -> tuple[str, ...]:
    """The provenance statement of a source graph: ``<graph> plo:loadedFrom "/path/of/the/file"``."""
    if not origin:
        return ()
    return (nt.statement(nt.iri(graph), nt.iri(str(PLO.loadedFrom)), nt.literal(origin)),)


def _iris(docs: Iterable[str]) -> str:
    """IRIs from the store as SPARQL terms, serialized (and validated) by the RDF library."""
    return " ".join(str(to_ox(URIRef(d))) for d in docs)
