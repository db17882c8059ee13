"""DingTalk (钉钉) custom group robot: markdown alerts and digest, 加签 when a secret is set.

The platform's rules (open.dingtalk.com, 自定义机器人): at most 20 messages a minute per
robot, and a robot that sends more is throttled for 10 minutes (errcode 130101); a robot
with 加签 takes `timestamp` (ms, within an hour) and `sign` = Base64(HMAC-SHA256(secret,
"timestamp\\nsecret")) in the query; one with keywords takes only messages holding one.
DingTalk's markdown needs a blank line between lines and shows no image from bytes, so the
digest's chart stays on the channels that take images.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

import httpx

from notifier.channels.lines import Line
from notifier.channels.lines import markdown as markdown_line
from notifier.channels.webhook import (
    LATER,
    REFUSED,
    SENT,
    Verdict,
    WebhookChannel,
    answer,
    server_trouble,
)

TEXT_BYTES = 20_000  # DingTalk's limit for a message's content, in UTF-8 bytes
MESSAGE_CHARS = 4_000  # what we fill: a phone screen or three, like Telegram's messages
TITLE_CHARS = 30  # the notification's preview line
THROTTLED = 130101  # "send too fast, exceed 20 times per minute": held 10 minutes
BROKEN = {300001, 300005, 310000}  # bad token; robot gone; keyword, signature or IP refused
THROTTLE_HOLD = 600.0


def sign(secret: str, timestamp_ms: int) -> str:
    """加签: Base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def escape(text: str) -> str:
    """Text that DingTalk's markdown shows as written (no accidental emphasis or link)."""
    return text.replace("[", "［").replace("]", "］").replace("*", "＊").replace("#", "＃")


def markdown(line: Line) -> str:
    """One line as DingTalk markdown."""
    return markdown_line(line, escape)


def utf8(text: str) -> int:
    """The size of `text` in UTF-8 bytes."""
    return len(text.encode("utf-8"))


@lru_cache(maxsize=4096)
def plain_text(line: Line) -> str:
    """The line as plain text (cached like `markdown`)."""
    return line.plain()


class DingTalkChannel(WebhookChannel):
    """Alerts and the digest to one DingTalk group through its custom robot."""

    kind = "dingtalk"
    rules = ((20, 60.0),)

    def text(self, lines: list[Line]) -> str:
        # A blank line between lines: DingTalk folds single newlines together.
        return self.with_keyword("\n\n".join(markdown(line) for line in lines))

    def title(self, lines: list[Line]) -> str:
        first = lines[0].text() if lines else ""
        return (first[:TITLE_CHARS] or self.keyword or "monitor").strip()

    def payload(self, lines: list[Line]) -> dict[str, Any]:
        return {"msgtype": "markdown",
                "markdown": {"title": self.title(lines), "text": self.text(lines)}}

    def plain_payload(self, text: str) -> dict[str, Any]:
        return {"msgtype": "text", "text": {"content": self.with_keyword(text)}}

    def fits(self, lines: list[Line]) -> bool:
        # Summed line by line (cached): pack asks this once per line of a long burst.
        chars = sum(len(markdown(line)) + 2 for line in lines) + len(self.keyword) + 1
        size = sum(utf8(markdown(line)) + 2 for line in lines) + utf8(self.keyword) + 1
        plain = sum(len(plain_text(line)) + 1 for line in lines)
        return chars <= MESSAGE_CHARS and size <= TEXT_BYTES and plain <= MESSAGE_CHARS

    def signed(self, url: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if not self.secret:
            return url, body
        stamp = int(self.clock() * 1000)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={stamp}&sign={sign(self.secret, stamp)}", body

    def judge(self, response: httpx.Response) -> Verdict:
        trouble = server_trouble(response)
        if trouble is not None:
            return trouble
        data = answer(response)
        code = data.get("errcode")
        reason = f"errcode {code}: {data.get('errmsg', '')}"[:200]
        if code == 0:
            return Verdict(SENT)
        if code == THROTTLED:
            return Verdict(LATER, wait=THROTTLE_HOLD, reason=reason)
        if code in BROKEN or response.status_code in (401, 403, 404):
            return Verdict(LATER, broken=True, reason=reason)
        if response.status_code >= 400 or isinstance(code, int):
            return Verdict(REFUSED, reason=reason or f"HTTP {response.status_code}")
        return Verdict(LATER, reason=f"unexpected answer (HTTP {response.status_code})")
