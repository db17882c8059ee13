"""A fake Telegram Bot API server on loopback that real python-telegram-bot talks to.

Calls go to `{url}/bot{token}/{method}` with JSON or form bodies (urlencoded or multipart),
answers are Bot API JSON. Tests push updates the way Telegram would deliver them (long-polled
`getUpdates`), inject faults (429 with retry_after, 403 blocked, chat migrated, 500) and read
back every call and every message the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from tests.fakes.botapi_methods import MethodsMixin
from tests.fakes.botapi_wire import (
    ApiError,
    Call,
    chat,
    chat_member,
    command_entities,
    decode_body,
    fault,
    now,
    user,
)

__all__ = ["Call", "FakeBotApi"]

T = TypeVar("T")
DEFAULT_TOKEN = "123456789:TEST-fake-token"
_PATH = re.compile(r"^/bot([^/]+)/([A-Za-z]+)$")


class FakeBotApi(MethodsMixin):
    """The Bot API on 127.0.0.1; a context manager, or `start()` / `stop()`."""

    def __init__(self, token: str = DEFAULT_TOKEN, username: str = "monitor_test_bot",
                 strict_html: bool = True) -> None:
        self.token = token
        self.strict_html = strict_html  # refuse a bare "&", which the real server tolerates
        self.username = username
        self.bot_user = user(int(token.split(":")[0]), "Monitor", is_bot=True, username=username)
        self.calls: list[Call] = []
        self.errors: list[tuple[Call, dict[str, Any]]] = []  # every call answered with an error
        self._cond = threading.Condition()
        self._closed = False
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(500_001)
        self._allowed: list[str] = []
        self._faults: dict[str, list[ApiError]] = {}
        self._blocked: set[int | str] = set()
        self._migrated: dict[int | str, int] = {}
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._refusals: list[Callable[[str, dict[str, Any]], bool]] = []
        self._init_state()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's root: the bot's calls go to `{url}/bot{token}/{method}`."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeBotApi:
        """Serve in a background thread."""
        # A short poll interval keeps stop() quick; the default would add half a second.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake pending long polls and close the socket."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the bot did ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one method (case-insensitive), in order."""
        with self._cond:
            return [c for c in self.calls if c.method.lower() == method.lower()]

    def pending_updates(self) -> int:
        """Updates pushed but not yet confirmed by a later getUpdates offset."""
        with self._cond:
            return len(self._updates)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """Blocks until `predicate()` is truthy and returns it; AssertionError past `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout}s; calls: "
                                     f"{[c.method for c in self.calls]}")
            with self._cond:
                self._cond.wait(0.05)

    async def wait_for_async(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """`wait_for` for a test running the bot on the same event loop."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout}s; calls: "
                                     f"{[c.method for c in self.calls]}")
            await asyncio.sleep(0.02)

    # -- updates, as Telegram delivers them ---------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update of `kind` (message, callback_query, my_chat_member, ...)."""
        with self._cond:
            update = {"update_id": next(self._update_ids), kind: payload}
            self._updates.append(update)
            self._cond.notify_all()
            return update

    def push_message(self, chat_id: int, text: str, user_id: int | None = None,
                     chat_type: str | None = None, first_name: str = "Operator",
                     reply_to: int | None = None) -> dict[str, Any]:
        """A user writes `text` in a chat; a leading `/command` gets its bot_command entity.

        `reply_to` is the id of a message in that chat the user answers.
        """
        c = self._chat(chat_id, chat_type)
        sender = user(user_id if user_id is not None else
                      (chat_id if c["type"] == "private" else 1001), first_name)
        message: dict[str, Any] = {"message_id": self._next_message_id(chat_id), "date": now(),
                                   "chat": c, "from": sender, "text": text}
        if reply_to is not None:
            message["reply_to_message"] = self.message(chat_id, reply_to)
        if entities := command_entities(text):
            message["entities"] = entities
        self._store(message)
        return self.push_update("message", message)

    def push_callback(self, chat_id: int, data: str, message_id: int,
                      user_id: int | None = None) -> dict[str, Any]:
        """A user presses an inline button with `data` under message `message_id`."""
        c = self._chat(chat_id)
        message = self.message(chat_id, message_id) or {
            "message_id": message_id, "date": now(), "chat": c, "from": self.bot_user,
            "text": "(message sent before the test)"}
        with self._cond:
            query_id = str(next(self._callback_ids))
            self._open_callbacks.add(query_id)
        sender = user(user_id if user_id is not None else
                      (chat_id if c["type"] == "private" else 1001))
        return self.push_update("callback_query", {
            "id": query_id, "from": sender, "message": message,
            "chat_instance": f"ci{chat_id}", "data": data})

    def push_my_chat_member(self, chat_id: int, chat_type: str = "group",
                            new_status: str = "member", old_status: str = "left",
                            user_id: int = 1001) -> dict[str, Any]:
        """The bot's membership changes, e.g. someone adds it to a group."""
        return self.push_update("my_chat_member", {
            "chat": self._chat(chat_id, chat_type), "from": user(user_id), "date": now(),
            "old_chat_member": chat_member(self.bot_user, old_status),
            "new_chat_member": chat_member(self.bot_user, new_status)})

    # -- faults --------------------------------------------------------------------------------

    def fail_next(self, method: str, n: int = 1, error_code: int = 429, retry_after: int = 1,
                  description: str | None = None) -> None:
        """The next `n` calls of `method` fail with `error_code` (429 carries retry_after)."""
        with self._cond:
            queue = self._faults.setdefault(method.lower(), [])
            queue.extend(fault(error_code, retry_after, description) for _ in range(n))

    def refuse(self, predicate: Callable[[str, dict[str, Any]], bool]) -> None:
        """Every call for which `predicate(method, params)` holds fails for good with a 400."""
        with self._cond:
            self._refusals.append(predicate)

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: sending there answers 403 Forbidden."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """The user unblocked the bot."""
        with self._cond:
            self._blocked.discard(chat_id)

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: calls to `old_id` answer 400 with migrate_to_chat_id."""
        with self._cond:
            self._migrated[old_id] = new_id
            self._chat(new_id, "supergroup")

    # -- serving -------------------------------------------------------------------------------

    def _chat(self, chat_id: int | str, chat_type: str | None = None) -> dict[str, Any]:
        with self._cond:
            known = self._chats.get(chat_id)
            if known is None or (chat_type and known["type"] != chat_type):
                known = self._chats[chat_id] = chat(chat_id, chat_type)
            return known

    def _gate(self, method: str, params: dict[str, Any]) -> None:
        """Injected faults, blocked and migrated chats, before the method runs."""
        with self._cond:
            queue = self._faults.get(method.lower())
            if queue:
                raise queue.pop(0)
            if any(refused(method, params) for refused in self._refusals):
                raise ApiError(400, "Bad Request: MESSAGE_REFUSED (a permanent refusal)")
            chat_id = params.get("chat_id")
            if chat_id in self._migrated:
                raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               migrate_to_chat_id=self._migrated[chat_id])
            if chat_id in self._blocked and method.lower() not in ("getchat", "leavechat"):
                raise ApiError(403, "Forbidden: bot was blocked by the user")

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """One HTTP request: the status and Bot API JSON to answer with."""
        route, _, query = path.partition("?")
        m = _PATH.match(route)
        if m is None:
            return 404, fault(404).body()
        token, name = m.groups()
        method = self.method_name(name)
        error: ApiError | None = None
        try:
            params, files = decode_body(content_type, body, query)
        except ApiError as err:
            params, files, error = {}, {}, err
        call = Call(method, params, files)
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        try:
            if error is not None:
                raise error
            if token != self.token:
                raise fault(401)
            self._gate(method, params)
            result = self.dispatch(method, params, files)
        except ApiError as err:
            with self._cond:
                self.errors.append((call, err.body()))
            return err.code, err.body()
        return 200, {"ok": True, "result": result}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, answer = api.handle(self.path, self.headers.get("Content-Type", ""),
                                            body)
                data = json.dumps(answer).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up on a long poll (PTB cancels it on stop)

            do_GET = _serve
            do_POST = _serve

        return _Handler
