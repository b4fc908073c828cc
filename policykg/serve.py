"""A SPARQL 1.1 Protocol endpoint over a policykg store: the ``oxigraph`` server (PyPI ``oxigraph``).

The store directory that policykg writes (pyoxigraph, RocksDB) is opened by the same-version
``oxigraph`` binary, read-only by default (``oxigraph serve-read-only``: updates are refused with
HTTP 403), with the default graph as the union of the named graphs (``--union-default-graph``)
so that policykg's queries run as they are, and a query timeout (``--timeout-s``). Endpoints:
``/query`` (SPARQL 1.1 Protocol), ``/store`` (Graph Store Protocol, reading only) and, when
writable, ``/update``. Do not load into a store while a read-only server has it open.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import IO, Any

from policykg.errors import StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
INSTALL_HINT = "the `oxigraph` server is not installed: pip install 'policykg[server]' (or pip install oxigraph)"


def find_oxigraph() -> str:
    """The path of the ``oxigraph`` executable: on PATH, else beside this Python (a venv's bin/)."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    raise StoreError(INSTALL_HINT)


def server_command(location: str | os.PathLike | None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False,
                   union_default_graph: bool = True, executable: str | None = None) -> list[str]:
    """The ``oxigraph`` command line serving ``location`` (``None``: in memory, writable only).

    ``union_default_graph=False`` leaves the default graph on its own, as a plain Oxigraph
    server has it (policykg's remote store then asks for the union per query)."""
    exe = executable or find_oxigraph()
    if location is None and not writable:
        raise StoreError("a read-only server needs a store directory")
    cmd = [exe, "serve" if writable else "serve-read-only"]
    if location is not None:
        cmd += ["--location", str(location)]
    cmd += ["--bind", f"{_bind_host(host)}:{int(port)}"]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if timeout is not None:
        if timeout <= 0:
            raise StoreError("the query timeout must be positive")
        cmd += ["--timeout-s", str(max(1, round(timeout)))]
    return cmd


def _bind_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def check_store(location: str | os.PathLike) -> Path:
    """The store directory, which must exist and hold a store."""
    path = Path(location)
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"no store at {path}: load notices first (policykg load FILES --store {path})")
    return path


class Server:
    """An ``oxigraph`` server process: ``with Server(store, port=0) as srv: srv.query_url``.

    ``port=0`` picks a free port. Output goes to ``log`` (default: inherited).
    """

    def __init__(self, location: str | os.PathLike | None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False,
                 union_default_graph: bool = True, log: IO[Any] | None = None) -> None:
        if location is not None and not writable:
            check_store(location)
        self.host = host
        self.port = port or free_port(host)
        self.command = server_command(location, host=host, port=self.port, timeout=timeout, writable=writable,
                                      union_default_graph=union_default_graph)
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{_bind_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def start(self, wait: float = 60.0) -> Server:
        """Start the server and wait until it answers a query (at most ``wait`` seconds)."""
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + wait
        while True:
            code = self.process.poll()
            if code is not None:
                raise StoreError(f"the oxigraph server stopped at start with exit code {code} "
                                 f"(command: {' '.join(self.command)})")
            if self.ready():
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise StoreError(f"the oxigraph server did not answer within {wait:g} s")
            time.sleep(0.05)

    def ready(self) -> bool:
        """Whether the server answers a query now."""
        request = urllib.request.Request(self.query_url, data=b"ASK {}", method="POST",
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, wait: float = 10.0) -> int | None:
        """Stop the server (SIGTERM, then SIGKILL after ``wait`` seconds); its exit code."""
        proc = self.process
        if proc is None:
            return None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(wait)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port free on ``host`` right now."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(location: str | os.PathLike, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False,
          on_ready: Any = None) -> int:
    """Serve the store at ``location`` until Ctrl-C or SIGTERM; returns 0 on a clean stop.

    ``on_ready(server)`` is called once the endpoint answers.
    """
    server = Server(location, host=host, port=port, timeout=timeout, writable=writable)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.start()
        if on_ready is not None:
            on_ready(server)
        code = server.wait()
        return code
    except KeyboardInterrupt:
        server.stop()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
