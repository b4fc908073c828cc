"""Sharded N-Quads export for bulk loaders (Oxigraph ``load``, QLever, Virtuoso ``ld_dir``,
GraphDB ``importrdf``, Neptune): ``DIR/part-00000.nq``, ``part-00001.nq`` …

Each file is plain UTF-8 N-Quads with at most ``shard_size`` quads, whole named graphs kept
together unless one graph alone is larger than a shard. Graphs come in sorted order and the
lines of each graph sorted, so the same store gives the same files. Every file is written to a
temporary name and renamed into place; part files of an earlier, larger export are removed
once the new ones are all written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from policykg.errors import StoreError
from policykg.files import atomic_open
from policykg.graph.store import to_ox

PATTERN = "part-{:05d}.nq"


def _graph_lines(store: Any, graph: str | None) -> list[str]:
    """The sorted N-Quads lines of one named graph (``None``: the default graph)."""
    if hasattr(store, "ox"):  # the embedded store: read pyoxigraph quads directly
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        quads: Iterator[Any] = store.ox.quads_for_pattern(None, None, None, name)
    elif graph is None:
        return []
    elif hasattr(store, "quads"):
        quads = store.quads(graph)
    else:
        g = ox.NamedNode(graph)
        quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in store.triples_in(graph))
    return sorted(f"{q} .\n" for q in quads)


class _ShardWriter:
    """Writes numbered part files atomically (:func:`policykg.files.atomic_open`), one at a time."""

    def __init__(self, out_dir: Path, shard_size: int) -> None:
        self.out_dir, self.shard_size = out_dir, shard_size
        self.written: list[Path] = []
        self._file: contextlib.ExitStack | None = None
        self._fh: IO[bytes] | None = None
        self.count = 0

    def open_next(self) -> None:
        self.close()
        self._file = contextlib.ExitStack()
        self._fh = self._file.enter_context(atomic_open(self.out_dir / PATTERN.format(len(self.written))))
        self.count = 0

    def write(self, lines: list[str]) -> None:
        for line in lines:
            if self._fh is None or self.count >= self.shard_size:
                self.open_next()
            assert self._fh is not None
            self._fh.write(line.encode("utf-8"))
            self.count += 1

    def close(self) -> None:
        if self._file is None:
            return
        self._file.close()
        self.written.append(self.out_dir / PATTERN.format(len(self.written)))
        self._file = self._fh = None

    def abort(self) -> None:
        if self._file is not None:
            self._file.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)  # the part is not kept
            self._file = self._fh = None


def export_shards(store: Any, out_dir: str | os.PathLike, shard_size: int) -> list[Path]:
    """Write the store as N-Quads files of at most ``shard_size`` quads each under ``out_dir``
    (``part-00000.nq`` …), whole named graphs kept together where they fit; returns the paths.

    ``store`` is a :class:`~policykg.graph.store.Store` or a
    :class:`~policykg.graph.remote.RemoteStore` (anything with ``graphs()`` and ``triples_in()``).
    """
    if shard_size < 1:
        raise StoreError("the shard size must be at least 1 quad")
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise StoreError(f"{target} exists and is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    writer = _ShardWriter(target, shard_size)
    try:
        for graph in [None, *store.graphs()]:
            lines = _graph_lines(store, graph)
            if not lines:
                continue
            if writer.count and writer.count + len(lines) > shard_size:
                writer.open_next()  # start the graph in a fresh shard rather than split it
            writer.write(lines)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    keep = {p.name for p in writer.written}
    for old in target.glob("part-*.nq"):
        if old.name not in keep:
            old.unlink()
    return writer.written
