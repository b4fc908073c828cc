"""Atomic file writes: the file appears whole at its path or not at all, with the permissions
the user's umask gives a new file (as ``open`` would).

On Linux the data is written to an unnamed file (``O_TMPFILE``) that is given its name only when
complete, so an interrupted write, even ``kill -9``, leaves nothing behind. Elsewhere (or on a
file system without unnamed files) it goes to a hidden temporary file in the same folder, removed
when the write fails or is interrupted (Ctrl-C, SIGTERM), then renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from policykg.errors import PolicyKGError


class OutputError(PolicyKGError):
    """A file cannot be written where it was asked for (a folder is there, …)."""


def umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_target(path: str | os.PathLike) -> Path:
    """``path`` as a file to write; an :class:`OutputError` when a folder is there."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name to write")
    return target


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """While writing (in the main thread): SIGTERM and SIGHUP raise, so the temporary file is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _unnamed(folder: Path) -> int | None:
    """A file descriptor of a new unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):  # named through /proc once written
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o666)  # the umask applies, as to any new file
    except OSError:
        return None


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    """A binary file object whose content appears at ``path`` when the ``with`` block ends
    without an error, and nowhere otherwise."""
    target = check_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = target.parent
    fd = _unnamed(folder)
    if fd is not None:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            tmp = folder / f".{target.name}.{os.getpid()}.tmp"
            # give it a name, then the one asked for (a folder's fd makes os.link follow /proc's link)
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.link(f"/proc/self/fd/{fd}", tmp.name, dst_dir_fd=dir_fd, follow_symlinks=True)
            finally:
                os.close(dir_fd)
        try:
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes it 0600
        with _terminate_as_exception(), os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], Any]) -> Path:
    """Call ``write`` with a binary file object; the result appears at ``path`` whole or not at all."""
    with atomic_open(path) as f:
        write(f)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write(path, lambda f: f.write(text.encode("utf-8")))
