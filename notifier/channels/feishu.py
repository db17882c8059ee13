"""Feishu / Lark (飞书) custom bot: rich-text `post` alerts and digest, 签名校验 when set.

The platform's rules (open.feishu.cn, 自定义机器人使用指南): 100 messages a minute and 5 a
second per bot (code 11232 when throttled); a request body of at most 20 KB (9499 beyond);
a signed bot takes `timestamp` (seconds, within an hour) and `sign` = Base64(HMAC-SHA256
with "timestamp\\nsecret" as the key, over nothing) in the body (19021 when wrong); one with
keywords takes only messages holding one (19024). A custom bot receives no button clicks
(that needs an app with a callback address), so alerts carry links, not buttons; and it
sends images only by an `image_key` uploaded through an app, so the chart stays out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

import httpx

from notifier.channels.lines import Line
from notifier.channels.webhook import (
    LATER,
    REFUSED,
    SENT,
    Verdict,
    WebhookChannel,
    answer,
    server_trouble,
)

BODY_BYTES = 20 * 1024  # the request body, as sent
MESSAGE_CHARS = 4_000  # what we fill: a phone screen or three
SIGN_SPACE = 120  # room the timestamp and sign take in the body
THROTTLED = 11232  # "frequency limited"
BROKEN = {19001, 19021, 19022, 19024}  # bad hook token; signature; IP; keyword


def sign(secret: str, timestamp: int) -> str:
    """签名: Base64(HMAC-SHA256(key="timestamp\\nsecret", message=b""))."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def elements(line: Line) -> list[dict[str, Any]]:
    """One line as post elements: text, and links as `a`."""
    out: list[dict[str, Any]] = []
    if line.lead:
        out.append({"tag": "text", "text": line.lead + " ", "style": ["bold"]})
    for text, url in line.parts:
        out.append({"tag": "a", "text": text, "href": url} if url else
                   {"tag": "text", "text": text})
    return out or [{"tag": "text", "text": ""}]


@lru_cache(maxsize=4096)
def sizes(line: Line) -> tuple[int, int]:
    """A line's bytes in the post's JSON, and its characters as plain text."""
    return (len(json.dumps(elements(line), ensure_ascii=False).encode("utf-8")),
            len(line.plain()))


class FeishuChannel(WebhookChannel):
    """Alerts and the digest to one Feishu group through its custom bot."""

    kind = "feishu"
    rules = ((100, 60.0), (5, 1.0))

    def payload(self, lines: list[Line]) -> dict[str, Any]:
        content = [elements(line) for line in lines]
        text = "\n".join(line.text() for line in lines)
        if self.keyword and self.keyword not in text:
            content.append([{"tag": "text", "text": self.keyword}])
        locale = "zh_cn" if self.lang == "zh" else "en_us"
        return {"msg_type": "post", "content": {"post": {locale: {"title": "",
                                                                  "content": content}}}}

    def plain_payload(self, text: str) -> dict[str, Any]:
        return {"msg_type": "text", "content": {"text": self.with_keyword(text)}}

    def fits(self, lines: list[Line]) -> bool:
        # The body's size summed line by line (cached): pack asks this once per line.
        frame = len(json.dumps(self.payload([]), ensure_ascii=False).encode("utf-8"))
        size = frame + sum(sizes(line)[0] + 1 for line in lines)
        return (size + SIGN_SPACE <= BODY_BYTES
                and sum(sizes(line)[1] + 1 for line in lines) <= MESSAGE_CHARS)

    def signed(self, url: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        if not self.secret:
            return url, body
        stamp = int(self.clock())
        return url, {"timestamp": str(stamp), "sign": sign(self.secret, stamp), **body}

    def judge(self, response: httpx.Response) -> Verdict:
        data = answer(response)
        code = data.get("code", data.get("StatusCode"))
        reason = f"code {code}: {str(data.get('msg', ''))[:120]}"
        if code == THROTTLED or (response.status_code == 429 and code is None):
            return Verdict(LATER, wait=1.0, reason=reason)
        trouble = server_trouble(response)
        if trouble is not None:
            return trouble
        if code == 0:
            return Verdict(SENT)
        if code in BROKEN or response.status_code in (401, 403, 404):
            return Verdict(LATER, broken=True, reason=reason)
        if isinstance(code, int) or response.status_code >= 400:
            return Verdict(REFUSED, reason=reason)
        return Verdict(LATER, reason=f"unexpected answer (HTTP {response.status_code})")
