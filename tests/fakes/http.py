"""A loopback HTTP server whose routes tests can change between checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What the server answers for one route."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[["Request"], Reply]


@dataclass
class Request:
    """A request the server saw."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class LoopbackServer:
    """Serves `routes` (path with query -> Reply or a function of the Request) on `host`
    (127.0.0.1; another loopback address such as 127.0.0.2 stands for a second machine).

    Unknown paths answer 404. Every request is appended to `requests`.
    Use as a context manager or call `start()` / `stop()`.
    """

    def __init__(self, routes: dict[str, Reply | Handler] | None = None,
                 host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Reply | Handler] = dict(routes or {})
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(self.command, self.path, dict(self.headers.items()), body)
                with server._lock:
                    server.requests.append(req)
                    route = server.routes.get(self.path)
                    if route is None:
                        route = server.routes.get(self.path.split("?")[0])
                reply = Reply(b"not found", 404) if route is None else (
                    route(req) if callable(route) else route
                )
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.payload()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve
            do_HEAD = _serve

        self._httpd = ThreadingHTTPServer((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's root, e.g. http://127.0.0.1:54321"""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class InFlightCounter:
    """A route that answers slowly and remembers the most requests in flight at once."""

    def __init__(self, body: str = "<html><body><p>a page</p></body></html>",
                 delay: float = 0.15) -> None:
        self.now = self.most = 0
        self.body = body
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, req: Request) -> Reply:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        threading.Event().wait(self.delay)
        with self._lock:
            self.now -= 1
        return Reply(self.body)
