"""The fake Bot API, slow to take each sendMessage, so that a test can kill the sender."""

from __future__ import annotations

import json
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.botapi import FakeBotApi


def hung_up(sock: socket.socket) -> bool:
    """True when the peer closed the connection (a read would see the end)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class SlowBotApi(FakeBotApi):
    """Holds each sendMessage `delay` seconds before taking it.

    A sender killed meanwhile has its request dropped, not delivered: the message was never
    taken. (A real Bot API takes a request at once; a kill after it was taken and before
    the answer came back is the one window that at-least-once delivery repeats.)
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received = 0  # sendMessage requests that arrived
        self.dropped = 0  # of those, the ones whose sender was gone when taken
        super().__init__()

    def __enter__(self) -> SlowBotApi:
        self.start()
        return self

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        base: Any = super()._handler_class()
        api = self

        class Slow(base):
            def _serve(self) -> None:
                if not self.path.endswith("/sendMessage"):
                    super()._serve()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with api._cond:
                    api.received += 1
                    api._cond.notify_all()
                time.sleep(api.delay)
                if hung_up(self.connection):
                    with api._cond:
                        api.dropped += 1
                    self.close_connection = True
                    return
                status, answer = api.handle(self.path, self.headers.get("Content-Type", ""),
                                            body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve

        return Slow

    def delivered_ids(self, chat: int) -> list[str]:
        """The event id of every message sent to `chat`, read from its 'handled' button."""
        ids = []
        for message in self.sent_messages(chat):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                ids += [b["callback_data"][2:] for b in row
                        if str(b.get("callback_data", "")).startswith("h:")]
        return ids
