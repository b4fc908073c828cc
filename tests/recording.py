"""A local HTTP service on 127.0.0.1 that records each request and answers it with one SPARQL
result row (or what a test sets): the target of federated queries in the tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROW = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from-service"}}]}}


@dataclass
class Recording:
    """A local HTTP service: its URL, the requests it got, and what it answers."""

    url: str
    seen: list[tuple[str, str, bytes]] = field(default_factory=list)
    status: int = 200
    body: bytes = json.dumps(ROW).encode()
    media: str = "application/sparql-results+json"


@contextmanager
def recording_server() -> Iterator[Recording]:
    """A :class:`Recording` service running until the block ends."""
    recording = Recording("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            recording.seen.append((self.command, self.path, body))
            self.send_response(recording.status)
            self.send_header("Content-Type", recording.media)
            self.send_header("Content-Length", str(len(recording.body)))
            self.end_headers()
            self.wfile.write(recording.body)

        do_GET = do_POST = _answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recording.url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield recording
    httpd.shutdown()
    httpd.server_close()
