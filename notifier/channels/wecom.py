"""WeCom (企业微信) group robot: markdown alerts and digest, the digest's chart as an image.

The platform's rules (developer.work.weixin.qq.com, 群机器人配置说明): at most 20 messages
a minute per robot (errcode 45009 beyond); markdown content at most 4,096 UTF-8 bytes
(40058 beyond), text 2,048; an image message carries the PNG or JPG itself, base64 with
the MD5 of its bytes, at most 2 MB. The robot's `key` in the URL is its only credential
(93000: no such robot).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

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

MARKDOWN_BYTES = 4096
TEXT_BYTES = 2048
IMAGE_BYTES = 2 * 1024 * 1024
THROTTLED = 45009  # "api freq out of limit"
BROKEN = {93000, 93008, 40001, 40014}  # no such robot (bad key), invalid credential
MINUTE = 60.0


def escape(text: str) -> str:
    """Text that WeCom's markdown shows as written."""
    return text.replace("[", "［").replace("]", "］").replace("*", "＊").replace("`", "'")


def markdown(line: Line) -> str:
    """One line as WeCom markdown."""
    return markdown_line(line, escape)


def image_payload(png: bytes) -> dict[str, Any]:
    """An image message: the bytes in base64 and their MD5."""
    return {"msgtype": "image", "image": {"base64": base64.b64encode(png).decode("ascii"),
                                          "md5": hashlib.md5(png).hexdigest()}}


class WeComChannel(WebhookChannel):
    """Alerts and the digest (with its chart) to one WeCom group through its robot."""

    kind = "wecom"
    rules = ((20, MINUTE),)
    charts = True

    def text(self, lines: list[Line]) -> str:
        return "\n".join(markdown(line) for line in lines)

    def payload(self, lines: list[Line]) -> dict[str, Any]:
        return {"msgtype": "markdown", "markdown": {"content": self.text(lines)}}

    def plain_payload(self, text: str) -> dict[str, Any]:
        # A plain text may hold at most 2,048 bytes: cut on a character, not a byte.
        data = text.encode("utf-8")[:TEXT_BYTES]
        return {"msgtype": "text", "text": {"content": data.decode("utf-8", "ignore")}}

    def fits(self, lines: list[Line]) -> bool:
        # Summed line by line (cached): pack asks this once per line of a long burst.
        return sum(len(markdown(line).encode("utf-8")) + 1 for line in lines) <= MARKDOWN_BYTES

    async def send_chart(self, png: bytes, caption: str) -> str:
        """A picture as an image message, then its caption; a refused one keeps nothing back."""
        if len(png) > IMAGE_BYTES or not png.startswith((b"\x89PNG", b"\xff\xd8")):
            return REFUSED
        result = await self.post(image_payload(png))
        if result == SENT:
            result = await self.post(self.payload([Line(((caption, None),))]))
        return result

    def judge(self, response: httpx.Response) -> Verdict:
        trouble = server_trouble(response)
        if trouble is not None:
            return trouble
        data = answer(response)
        code = data.get("errcode")
        reason = f"errcode {code}: {str(data.get('errmsg', ''))[:120]}"
        if code == 0:
            return Verdict(SENT)
        if code == THROTTLED:
            return Verdict(LATER, wait=MINUTE, reason=reason)
        if code in BROKEN or response.status_code in (401, 403, 404):
            return Verdict(LATER, broken=True, reason=reason)
        if isinstance(code, int) or response.status_code >= 400:
            return Verdict(REFUSED, reason=reason)
        return Verdict(LATER, reason=f"unexpected answer (HTTP {response.status_code})")
