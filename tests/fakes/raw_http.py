"""Loopback helpers for fetcher tests: a raw socket server and routes that record timing."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

from tests.fakes.http import Reply, Request


class InFlight:
    """A route that holds each request a while and records how many overlap."""

    def __init__(self, hold: float = 0.15) -> None:
        self.hold = hold
        self.now = 0
        self.most = 0
        self.starts: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            self.starts.append(time.monotonic())
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(self.hold)
        with self._lock:
            self.now -= 1
        return Reply("ok")


def replies(*answers: Reply) -> Callable[[Request], Reply]:
    """A route answering the given replies in turn, then the last one for ever."""
    left = list(answers)

    def route(request: Request) -> Reply:
        return left.pop(0) if len(left) > 1 else left[0]
    return route


class RawServer:
    """A loopback server whose connections a function answers byte by byte."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self.answer = answer
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            with contextlib.suppress(OSError):  # the client hung up, as it should
                self.answer(conn)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()
