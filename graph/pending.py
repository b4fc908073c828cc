"""Work a command owes the store, recorded in the store itself so that a killed command's work is
finished by the next command that writes.

A load writes its documents in batches and brings resolution (the derived graph) and the shared
entities up to date at the end; a remove drops graphs and then does the same. Before each batch
and before a remove, an entry is added to the named graph ``graph/pending``: the graphs about to
change, what resolution needs to know of them as they were (:class:`resolve.Snapshot`, or none:
resolve afresh), and for a remove the items asked for and the sources they name. The command
drops the graph once its work is done. :func:`finish`, called first by every command that writes,
does what the entries of an interrupted command still owe: drops the graphs a remove named,
resolves, collects unreferenced entities, and clears the entries; it returns them, so a remove
run again recognises its own interrupted removal. A finished remove also leaves its items in a
small file in the store's folder (:func:`remember_removal`), for a remove killed after its work
was done and before it could say so.

``POLICYKG_CRASH_AT=POINT`` kills the process at a named point (:func:`crash_point`), for the
crash tests: ``batch:N`` after the N-th batch is written, ``resolve`` before the final resolution,
``remove`` after a remove has dropped its graphs.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policykg.files import atomic_write_text
from policykg.graph import iri, resolve
from policykg.graph import ntriples as nt

PENDING_GRAPH = iri.BASE + "graph/pending"
REMOVED_FILE = "policykg-last-remove.json"  # in the store's folder (the engine leaves other names alone)
_OWES = iri.BASE + "graph/pending#owes"


def crash_point(name: str) -> None:
    """Kill this process (SIGKILL, as ``kill -9`` does) when $POLICYKG_CRASH_AT is ``name``."""
    if os.environ.get("POLICYKG_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def record(store: Any, graphs: Iterable[str], before: resolve.Snapshot | None, *, op: str = "load",
           items: dict[str, list[str]] | None = None) -> None:
    """Add an entry: resolution is owed for ``graphs`` (``before``: their snapshot taken before they
    change; None when resolution is to be done afresh). ``op="remove"`` entries name graphs to
    drop, and ``items`` maps each item asked for to the sources it named."""
    entry = {"op": op, "graphs": sorted(set(graphs)), "before": None if before is None else before.to_dict()}
    if items is not None:
        entry["items"] = items
    line = nt.statement(nt.iri(PENDING_GRAPH), nt.iri(_OWES), nt.literal(json.dumps(entry, ensure_ascii=False)))
    store.replace_graphs_nt({}, {PENDING_GRAPH: [line]})


def entries(store: Any) -> list[dict[str, Any]]:
    """The entries recorded and not yet finished."""
    rows = store.select(f"SELECT ?e WHERE {{ GRAPH <{PENDING_GRAPH}> {{ ?s <{_OWES}> ?e }} }}")
    return [json.loads(r["e"]) for r in rows]


def clear(store: Any) -> None:
    """The work is done: drop the entries."""
    store.remove_graphs([PENDING_GRAPH])


def finish(store: Any) -> list[dict[str, Any]]:
    """Do what the recorded entries owe (see the module's docstring); returns them."""
    owed = entries(store)
    if not owed:
        return []
    removed = [g for e in owed if e["op"] == "remove" for g in e["graphs"]]
    if removed:
        store.remove_graphs(removed)  # again: missing graphs are ignored
    graphs = sorted({g for e in owed for g in e["graphs"]})
    before: resolve.Snapshot | None = resolve.Snapshot()
    for e in owed:
        if e["before"] is None:
            before = None
        elif before is not None:
            before.update(resolve.Snapshot.from_dict(e["before"]))
    if before is None:
        resolve.recompute(store)
    else:
        resolve.update(store, before, graphs)
    resolve.collect_entities(store, None if before is None else before.entities)
    clear(store)
    return owed


def remember_removal(store: Any, items: dict[str, list[str]]) -> None:
    """Keep the items of a finished remove (and the sources they named) beside the store's data,
    so that the same remove, run again because it was killed between finishing and exiting, says
    what it removed instead of "no document matches". The next load forgets them."""
    path = _removal_file(store)
    if path is not None:
        atomic_write_text(path, json.dumps(items, ensure_ascii=False))


def last_removal(store: Any) -> dict[str, list[str]]:
    """The items of the last finished remove (see :func:`remember_removal`)."""
    path = _removal_file(store)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}


def forget_removal(store: Any) -> None:
    path = _removal_file(store)
    if path is not None:
        path.unlink(missing_ok=True)


def _removal_file(store: Any) -> Path | None:
    folder = getattr(store, "path", None)
    return None if folder is None else Path(folder) / REMOVED_FILE


def removed_items(owed: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Item → sources of the removals among finished entries."""
    out: dict[str, list[str]] = {}
    for e in owed:
        for item, sources in (e.get("items") or {}).items():
            out.setdefault(item, []).extend(sources)
    return out
