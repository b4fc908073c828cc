"""A SPARQL 1.1 Protocol endpoint over a policykg store: the ``oxigraph`` server (PyPI ``oxigraph``,
a dependency of policykg) behind a small front.

The store directory that policykg writes (pyoxigraph, RocksDB) is opened by the same-version
``oxigraph`` binary (the :class:`Engine`), read-only by default (``oxigraph serve-read-only``:
updates are refused with HTTP 403), with the default graph as the union of the named graphs
(``--union-default-graph``) so that policykg's queries run as they are. The engine listens on a
private 127.0.0.1 port; clients talk to the :class:`Server`, a threaded ``http.server`` front on
the public host and port that passes requests through after two checks Oxigraph cannot make:

- Federated queries are refused (HTTP 400): a ``SERVICE`` clause (or ``LOAD`` in an update)
  would make the server send requests to any URL a client names, services on its own machine
  included, and hand back their answers. ``allow_federated`` (``serve --allow-federated``)
  lets them through.
- Every query is held to the timeout from outside the engine: Oxigraph's ``--timeout-s`` cancels
  some queries (with a 200 answer and an error appended, which the front turns into HTTP 503) but
  not others (an ORDER BY over a cartesian product runs on, growing, after the client has gone).
  When a query has no complete answer by the timeout, the front answers HTTP 503, kills the
  engine process and starts it again (any other query running at that moment gets HTTP 502 and
  may be retried). Answers are held back until complete so that a timeout is never a 200.

Endpoints: ``/query`` (SPARQL 1.1 Protocol: GET ``?query=``, POST form or
``application/sparql-query``), ``/store`` (Graph Store Protocol, reading only) and, when
writable, ``/update``. Do not load into a store while a read-only server has it open.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import IO, Any

from policykg.errors import StoreError
from policykg.graph.sparql_text import federated_keywords

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
INSTALL_HINT = ("the `oxigraph` server (a dependency of policykg) is not installed: pip install oxigraph "
                "(or reinstall policykg)")


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


class Engine:
    """An ``oxigraph`` server process: ``with Engine(store, port=0) as engine: engine.query_url``.

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

    def start(self, wait: float = 60.0) -> Engine:
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

    def __enter__(self) -> Engine:
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


class Server:
    """The endpoint: a front on ``host:port`` that checks each request and hands it to an
    :class:`Engine` (the ``oxigraph`` process) on a private 127.0.0.1 port.

    ``with Server(store, port=0) as srv: srv.query_url``. The front refuses federated queries
    (``SERVICE``) and ``LOAD`` with HTTP 400 unless ``allow_federated``, and holds every query
    to ``timeout`` seconds: an answer not complete by then is dropped, the engine process is
    restarted (Oxigraph's own timeout does not stop every query, e.g. an ORDER BY over a
    cartesian product), and the client gets HTTP 503. Other requests (Graph Store, updates)
    are passed through as they are.
    """

    def __init__(self, location: str | os.PathLike | None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False,
                 union_default_graph: bool = True, allow_federated: bool = False,
                 log: IO[Any] | None = None) -> None:
        self.engine = Engine(location, port=free_port(), timeout=timeout, writable=writable,
                             union_default_graph=union_default_graph, log=log)
        self.host = host
        self.port = port
        self.timeout = timeout
        self.allow_federated = allow_federated
        self.writable = writable
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._engine_lock = threading.Lock()
        self._engine_ready = threading.Event()
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"http://{_bind_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def start(self, wait: float = 60.0) -> Server:
        """Start the engine, then the front; returns once both answer (at most ``wait`` s)."""
        self.engine.start(wait)
        self._engine_ready.set()
        handler = type("Handler", (_Front,), {"server_ref": self})
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        httpd_class = type("Front", (ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
        try:
            self._httpd = httpd_class((self.host.strip("[]"), self.port), handler)
        except OSError as exc:
            self.engine.stop()
            raise StoreError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="policykg-serve", daemon=True)
        self._thread.start()
        return self

    def engine_port(self, wait: float = 60.0) -> tuple[int, Any]:
        """The engine's port and process once it answers (it may be restarting)."""
        if not self._engine_ready.wait(wait):
            raise StoreError("the query engine did not come back")
        return self.engine.port, self.engine.process

    def restart_engine(self, process: Any = None) -> None:
        """Stop the engine process (and any query it is running) and start it again; when
        ``process`` is given, only if it is still the engine (not already restarted)."""
        with self._engine_lock:
            if process is not None and self.engine.process is not process:
                return
            self._engine_ready.clear()
            try:
                self.engine.stop(wait=1.0 if self.writable else 0.0)
                self.engine.port = free_port()
                bind = self.engine.command.index("--bind") + 1
                self.engine.command[bind] = f"127.0.0.1:{self.engine.port}"
                self.engine.start()
                self.restarts += 1
            finally:
                self._engine_ready.set()

    def ready(self) -> bool:
        return self._httpd is not None and self.engine.ready()

    def stop(self, wait: float = 10.0) -> int | None:
        """Stop the front and the engine; the engine's exit code."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        return self.engine.stop(wait)

    def wait(self) -> int:
        """Block until the engine exits by itself (not when it is restarted); its exit code."""
        while True:
            process = self.engine.process
            if process is None:
                time.sleep(0.1)
                continue
            try:
                code = process.wait(0.5)
            except subprocess.TimeoutExpired:
                continue
            if self._engine_ready.is_set() and self.engine.process is process:
                return code
            time.sleep(0.1)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}
_CANCELLED = b"The SPARQL operation has been cancelled"
FEDERATED_REFUSED = ("federated queries are refused by this endpoint ({keyword} would make the server "
                     "send requests to other services); start it with `policykg serve --allow-federated` "
                     "to allow them")


class _Front(BaseHTTPRequestHandler):
    """One request to the front: check it, hand it to the engine, answer."""

    server_ref: Server
    protocol_version = "HTTP/1.0"  # one request per connection: answers end when it closes

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log = self.server_ref.engine.log
        if log is not None:
            try:
                log.write((format % args + "\n").encode("utf-8", errors="replace"))
                log.flush()
            except (OSError, ValueError):
                pass

    def _handle(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._fail(411, "send the request body with a Content-Length")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        texts, is_query = self._sparql(body)
        if not self.server_ref.allow_federated:
            for text in texts:
                keywords = federated_keywords(text)
                if keywords:
                    self._fail(400, FEDERATED_REFUSED.format(keyword=keywords[0]))
                    return
        timeout = self.server_ref.timeout if is_query else None
        try:
            self._forward(body, timeout)
        except StoreError as exc:
            self._fail(503, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client has gone


    # every method goes through the same checks before reaching the engine
    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _handle

    def _sparql(self, body: bytes) -> tuple[list[str], bool]:
        """The SPARQL texts of the request (query and update parameters, form fields, a query
        or update body) and whether it asks a query."""
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        texts: list[str] = []
        if media == "application/x-www-form-urlencoded" and body:
            for key, values in urllib.parse.parse_qs(body.decode("utf-8", errors="replace"),
                                                     keep_blank_values=True).items():
                fields.setdefault(key, []).extend(values)
        elif media in ("application/sparql-query", "application/sparql-update"):
            texts.append(body.decode("utf-8", errors="replace"))
        texts += fields.get("query", []) + fields.get("update", [])
        is_query = "query" in fields or media == "application/sparql-query" or url.path.rstrip("/") == "/query"
        return texts, is_query

    def _forward(self, body: bytes, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        port, process = self.server_ref.engine_port()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout or 3600)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            headers["Host"] = f"127.0.0.1:{port}"
            conn.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None,
                         headers=headers)
            response = conn.getresponse()
            if deadline is None:
                self._relay(response)
                return
            answer = tempfile.SpooledTemporaryFile(max_size=16 << 20)
            tail = b""
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                chunk = response.read1(1 << 16) if self.command != "HEAD" else b""
                if not chunk:
                    break
                answer.write(chunk)
                tail = (tail + chunk)[-200:]
        except TimeoutError:
            conn.close()
            self.server_ref.restart_engine(process)
            self._fail(503, f"the query timed out: no complete answer within {timeout:g} s "
                            "(the server's query timeout); the query was stopped")
            return
        except (http.client.HTTPException, ConnectionError) as exc:
            conn.close()
            self._fail(502, f"the query engine gave no answer ({exc}); it may have been restarted "
                            "to stop a query that ran past the timeout: try again")
            return
        conn.close()
        if tail.rstrip().endswith(_CANCELLED):
            self._fail(503, f"the query timed out after {timeout:g} s (the server's query timeout)")
            return
        self.send_response(response.status, response.reason)
        self._copy_headers(response)
        self.send_header("Content-Length", str(answer.tell()))
        self.end_headers()
        answer.seek(0)
        shutil.copyfileobj(answer, self.wfile)
        answer.close()

    def _relay(self, response: http.client.HTTPResponse) -> None:
        self.send_response(response.status, response.reason)
        self._copy_headers(response)
        length = response.getheader("Content-Length")
        if length is not None:
            self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            shutil.copyfileobj(response, self.wfile)

    def _copy_headers(self, response: http.client.HTTPResponse) -> None:
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)

    def _fail(self, code: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def serve(location: str | os.PathLike, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False, allow_federated: bool = False,
          on_ready: Any = None) -> int:
    """Serve the store at ``location`` until Ctrl-C or SIGTERM; returns 0 on a clean stop.

    ``on_ready(server)`` is called once the endpoint answers.
    """
    server = Server(location, host=host, port=port, timeout=timeout, writable=writable,
                    allow_federated=allow_federated)

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
