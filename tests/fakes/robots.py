"""Loopback fakes of the DingTalk, Feishu and WeCom group robots, as strict as the real ones.

Each checks what its platform checks: the token in the URL, the payload's shape, the
signature (加签 / 签名校验) when it has a secret, its keyword, the size limit and the
rate limit in real time, and answers with the platform's own error codes. Accepted
messages are kept in `messages`; every answer code in `codes`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.http import LoopbackServer, Reply, Request


class FakeRobot:
    """A robot at `path` on a loopback server; subclasses speak one platform."""

    path = "/"
    rules: tuple[tuple[int, float], ...] = ()
    hold = 0.0  # how long a robot over its rate stays throttled

    def __init__(self, *, secret: str = "", keyword: str = "", token: str = "T0KEN") -> None:
        self.secret = secret
        self.keyword = keyword
        self.token = token
        self.messages: list[dict[str, Any]] = []
        self.codes: list[int] = []
        self.fail_next: list[Reply] = []  # answered (in order) before any check
        self._stamps: deque[float] = deque(maxlen=200)
        self._held_until = 0.0
        self._lock = threading.Lock()
        self.server = LoopbackServer({self.path: self._handle})
        # The `stall_at`-th request is held until `release` is set, then fails with a 500
        # and is never kept: it stands for the message in flight when a process died.
        self.stall_at = 0
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._requests = 0

    def __enter__(self) -> FakeRobot:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        """The server's root, for `api_url`."""
        return self.server.url

    def webhook(self) -> str:
        """The robot's webhook URL on this server."""
        raise NotImplementedError

    def check(self, req: Request, body: dict[str, Any]) -> tuple[int, str]:
        """(0, "ok") or the platform's error for this request."""
        raise NotImplementedError

    def reply(self, code: int, message: str) -> Reply:
        """The platform's answer for `code`."""
        raise NotImplementedError

    throttle_code = 0

    def texts(self) -> list[str]:
        """Every accepted message as its visible text."""
        raise NotImplementedError

    def _over_rate(self, now: float) -> bool:
        if now < self._held_until:
            return True
        for count, period in self.rules:
            if sum(1 for s in self._stamps if s > now - period) >= count:
                self._held_until = now + self.hold
                return True
        return False

    def _handle(self, req: Request) -> Reply:
        with self._lock:
            self._requests += 1
            stall = self._requests == self.stall_at
        if stall:
            self.stalled.set()
            self.release.wait(30)
            return Reply("busy", status=500)
        with self._lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            try:
                body = json.loads(req.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                body = None
            if not isinstance(body, dict):
                code, message = self.bad_json
            else:
                now = time.time()
                code, message = self.check(req, body)
                if code == 0 and self._over_rate(now):
                    code, message = self.throttle_code, "throttled"
                if code == 0:
                    self._stamps.append(now)
                    self.messages.append(body)
            self.codes.append(code)
            return self.reply(code, message)

    bad_json = (400, "bad json")

    def has_keyword(self, text: str) -> bool:
        return not self.keyword or self.keyword in text


class FakeDingTalk(FakeRobot):
    """oapi.dingtalk.com/robot/send: access_token, 加签 in the query, 20 a minute."""

    path = "/robot/send"
    rules = ((20, 60.0),)
    hold = 600.0
    throttle_code = 130101
    bad_json = (40035, "缺少参数 json")

    def webhook(self) -> str:
        return f"https://oapi.dingtalk.com/robot/send?access_token={self.token}"

    def check(self, req: Request, body: dict[str, Any]) -> tuple[int, str]:
        query = parse_qs(urlsplit(req.path).query)
        if query.get("access_token") != [self.token]:
            return 300001, "token is not exist"
        if self.secret:
            stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            if not stamp.isdigit() or abs(int(stamp) / 1000 - time.time()) > 3600:
                return 310000, "invalid timestamp"
            want = base64.b64encode(hmac.new(self.secret.encode(), f"{stamp}\n{self.secret}"
                                             .encode(), hashlib.sha256).digest()).decode()
            if sign != want:  # parse_qs undid the URL-encoding: a raw "+" is a space here
                return 310000, "sign not match"
        kind = body.get("msgtype")
        if kind == "markdown":
            md = body.get("markdown")
            if not (isinstance(md, dict) and isinstance(md.get("title"), str) and md["title"]
                    and isinstance(md.get("text"), str) and md["text"]):
                return 40035, "缺少参数 markdown"
            text = md["title"] + md["text"]
        elif kind == "text":
            content = (body.get("text") or {}).get("content")
            if not isinstance(content, str) or not content:
                return 40035, "缺少参数 text"
            text = content
        else:
            return 40035, "不支持的消息类型"
        if len(text.encode("utf-8")) > 20_000:
            return 460101, "message too long, exceed 20000 bytes"
        if not self.has_keyword(text):
            return 310000, "keywords not in content"
        return 0, "ok"

    def reply(self, code: int, message: str) -> Reply:
        return Reply(json.dumps({"errcode": code, "errmsg": message}),
                     content_type="application/json")

    def texts(self) -> list[str]:
        return [m["markdown"]["text"] if m["msgtype"] == "markdown" else m["text"]["content"]
                for m in self.messages]


class FakeWeCom(FakeRobot):
    """qyapi.weixin.qq.com/cgi-bin/webhook/send: key, markdown 4096 B, image 2 MB, 20 a minute."""

    path = "/cgi-bin/webhook/send"
    rules = ((20, 60.0),)
    hold = 0.0
    throttle_code = 45009
    bad_json = (40008, "invalid message type")

    def webhook(self) -> str:
        return f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={self.token}"

    def check(self, req: Request, body: dict[str, Any]) -> tuple[int, str]:
        if parse_qs(urlsplit(req.path).query).get("key") != [self.token]:
            return 93000, "invalid webhook url"
        kind = body.get("msgtype")
        if kind == "markdown":
            content = (body.get("markdown") or {}).get("content")
            if not isinstance(content, str) or not content:
                return 41009, "missing markdown content"
            if len(content.encode("utf-8")) > 4096:
                return 40058, "markdown.content exceed max length 4096"
        elif kind == "text":
            content = (body.get("text") or {}).get("content")
            if not isinstance(content, str) or not content:
                return 41009, "missing text content"
            if len(content.encode("utf-8")) > 2048:
                return 40058, "text.content exceed max length 2048"
        elif kind == "image":
            image = body.get("image") or {}
            try:
                data = base64.b64decode(image.get("base64", ""), validate=True)
            except ValueError:
                return 40009, "invalid image"
            if not data or len(data) > 2 * 1024 * 1024:
                return 40009, "invalid image size"
            if hashlib.md5(data).hexdigest() != image.get("md5"):
                return 301019, "media md5 not match"
            if not data.startswith((b"\x89PNG", b"\xff\xd8")):
                return 40009, "invalid image format"
        else:
            return 40008, "invalid message type"
        return 0, "ok"

    def reply(self, code: int, message: str) -> Reply:
        return Reply(json.dumps({"errcode": code, "errmsg": message}),
                     content_type="application/json")

    def images(self) -> list[bytes]:
        """The PNG/JPG bytes of every accepted image message."""
        return [base64.b64decode(m["image"]["base64"]) for m in self.messages
                if m["msgtype"] == "image"]

    def texts(self) -> list[str]:
        return [m[m["msgtype"]]["content"] for m in self.messages
                if m["msgtype"] in ("markdown", "text")]


class FakeFeishu(FakeRobot):
    """open.feishu.cn/open-apis/bot/v2/hook/TOKEN: body 20 KB, sign in the body, 100/min, 5/s."""

    path = "/open-apis/bot/v2/hook/T0KEN"
    rules = ((100, 60.0), (5, 1.0))
    hold = 0.0
    throttle_code = 11232
    bad_json = (9499, "Bad Request")

    def webhook(self) -> str:
        return f"https://open.feishu.cn/open-apis/bot/v2/hook/{self.token}"

    def check(self, req: Request, body: dict[str, Any]) -> tuple[int, str]:
        if len(req.body) > 20 * 1024:
            return 9499, "Bad Request"
        if self.secret:
            stamp, sign = str(body.get("timestamp", "")), body.get("sign")
            key = f"{stamp}\n{self.secret}".encode()
            want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if (not stamp.isdigit() or abs(int(stamp) - time.time()) > 3600
                    or sign != want):
                return 19021, ("sign match fail or timestamp is not within one hour "
                               "from current time")
        kind, content = body.get("msg_type"), body.get("content")
        if not isinstance(content, dict):
            return 9499, "Bad Request"
        if kind == "text":
            text = content.get("text")
            if not isinstance(text, str) or not text:
                return 9499, "Bad Request"
        elif kind == "post":
            text = self._post_text(content.get("post"))
            if text is None:
                return 9499, "Bad Request"
        else:
            return 9499, "Bad Request"
        if not self.has_keyword(text):
            return 19024, "Key Words Not Found"
        return 0, "success"

    @staticmethod
    def _post_text(post: Any) -> str | None:
        """The visible text of a `post`, or None when its shape is wrong."""
        if not isinstance(post, dict) or not post:
            return None
        out = []
        for locale in post.values():
            if not isinstance(locale, dict) or not isinstance(locale.get("content"), list):
                return None
            for line in locale["content"]:
                if not isinstance(line, list):
                    return None
                for el in line:
                    if not isinstance(el, dict) or el.get("tag") not in ("text", "a", "at"):
                        return None
                    if el["tag"] == "a" and not str(el.get("href", "")).startswith("http"):
                        return None
                    out.append(str(el.get("text", "")))
                out.append("\n")
            out.append(str(locale.get("title", "")))
        return "".join(out)

    def reply(self, code: int, message: str) -> Reply:
        return Reply(json.dumps({"code": code, "msg": message, "data": {}}),
                     content_type="application/json")

    def texts(self) -> list[str]:
        return [self._post_text(m["content"]["post"]) or "" if m["msg_type"] == "post"
                else m["content"]["text"] for m in self.messages]
