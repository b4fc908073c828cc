"""Source names: what each loaded file is recorded under (CONTRACT: ``dcterms:source``) and where
it was read from (``plo:loadedFrom``).

* A folder's files are named by their path relative to the folder given, a file given by itself by
  its own name.
* Two different files that would get the same name are each prefixed by the shortest trailing part
  of their folder's path that tells them apart: ``load shandong fujian`` with a ``1.txt`` in each
  gives ``shandong/1.txt`` and ``fujian/1.txt``; ``load a/x b/x`` gives ``a/x/1.txt`` and
  ``b/x/1.txt``. Names that do not clash stay as they are.
* A file reached twice (a folder and a file inside it, overlapping folders) is loaded once, under
  the name it got first.
* A name that still stands for two files (``shandong/1.txt`` made by prefixing and also found as
  such inside another folder given) is an error for those files; the rest loads.

The store remembers where each source came from: the named graph of a source states, inside
itself, ``<graph> plo:loadedFrom "/absolute/path/of/the/file"``. A later load uses it to keep a
file under the name it was first loaded with, and to refuse (without ``--force``) to replace a
source with a different file read from somewhere else.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from policykg.graph import iri


@dataclass(frozen=True)
class Candidate:
    """A file found for loading: the folder it is named relative to and its path there."""

    path: Path
    root: str  # absolute path of the folder given (of the file's own folder for a file given by itself)
    rel: str  # the path below ``root``, with / separators


def origin(path: str | os.PathLike) -> str:
    """Where a file is read from: its absolute path with / separators (symbolic links kept)."""
    return Path(os.path.abspath(path)).as_posix()


def special(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, without opening it: a FIFO, a device or a socket
    (which would be read forever), a dangling symbolic link, a link loop; None for a regular
    file or a path that does not exist (reported when read)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: not read"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"dangling symbolic link (to {os.readlink(path)}): not read"
        if exc.errno == errno.ENOENT:
            return None
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "socket" if stat.S_ISSOCK(mode) else "special file")
    return f"not a regular file (a {kind}): not read"


def folder_files(root: Path, wanted: Callable[[Path], bool]) -> list[tuple[Path, str | None]]:
    """The files below ``root`` whose names are ``wanted``, sorted, each with why it cannot be
    read (see :func:`special`) or None; a sub-folder that cannot be listed comes with its reason
    too. Links to folders are not followed."""
    unreadable: list[OSError] = []
    out: list[tuple[Path, str | None]] = []
    for folder, _, names in os.walk(root, onerror=unreadable.append):
        for name in names:
            f = Path(folder, name)
            if wanted(f):
                out.append((f, special(f)))
    for exc in unreadable:
        out.append((Path(exc.filename or root), f"cannot read the folder: {exc.strerror or exc}"))
    return sorted(out)


def candidate(path: Path, root: Path | None = None) -> Candidate:
    """The file ``path`` found in folder ``root``, or given by itself when ``root`` is None."""
    if root is None:
        return Candidate(path, origin(path.parent), path.name)
    return Candidate(path, origin(root), path.relative_to(root).as_posix())


def name(candidates: Iterable[Candidate]) -> list[tuple[Candidate, str, str | None]]:
    """Each distinct file with its source name and, when that name still stands for another file
    too, the reason it cannot be loaded; sorted by source name."""
    seen: set[str] = set()
    by_rel: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        key = os.path.realpath(c.path)
        if key not in seen:
            seen.add(key)
            by_rel[c.rel].append(c)
    named: list[tuple[Candidate, str]] = []
    for rel, group in by_rel.items():
        if len(group) == 1:
            named.append((group[0], rel))
            continue
        parents = [PurePosixPath(c.root).parts[1:] for c in group]  # without the leading /
        k, longest = 1, max(len(p) for p in parents)
        while k < longest and len({p[-k:] for p in parents}) < len(group):
            k += 1
        named.extend((c, "/".join((*p[-k:], rel))) for c, p in zip(group, parents, strict=True))
    count = Counter(source for _, source in named)
    out: list[tuple[Candidate, str, str | None]] = []
    for c, source in sorted(named, key=lambda n: (n[1], str(n[0].path))):
        reason = None
        if count[source] > 1:
            others = sorted(origin(o.path) for o, s in named if s == source and o is not c)
            reason = (f"{origin(c.path)} and {', '.join(others)} would both be recorded as {source!r}: "
                      f"load them from a folder that holds both, or rename one")
        out.append((c, source, reason))
    return out


def graph_source(graph: str) -> str | None:
    """The source name of a source graph IRI (the inverse of :func:`iri.source_graph`)."""
    if not graph.startswith(iri.SOURCE_GRAPH_PREFIX):
        return None
    return unquote(graph[len(iri.SOURCE_GRAPH_PREFIX):])
