"""The Apprise channel to a loopback json:// endpoint: alerts, then the digest with its chart."""

from __future__ import annotations

import base64
import json

import pytest

from notifier.channels.apprise_channel import AppriseChannel
from tests.fakes.http import LoopbackServer, Reply
from tests.notifier.channels.kit import CHAT, digest, review, run, stored

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # apprise imports imghdr


def test_alerts_and_the_digest_with_its_chart_reach_a_json_endpoint() -> None:
    with LoopbackServer({"/hook": Reply("{}", content_type="application/json")}) as server:
        url = server.url.replace("http://", "json://") + "/hook"
        channel = AppriseChannel(url, chat=CHAT, lang="zh")
        marks: list[list[str]] = []

        async def go() -> tuple[list[str], bool]:
            sent = await channel.send_events(CHAT, [review(1), review(2)], marks.append)
            return sent, await channel.send_digest_to(CHAT, digest([stored("new_listing", 3,
                                                                          price=99)]))
        sent, ok = run(go())
        assert sent == ["e1", "e2"] and marks == [["e1"], ["e2"]] and ok
        bodies = [json.loads(r.body) for r in server.requests]
        first = bodies[0]["message"]
        assert "质量太差" in first and "https://a.example/p/1" in first
        [chart] = [a for b in bodies for a in b.get("attachments") or []]
        assert base64.b64decode(chart["base64"]).startswith(b"\x89PNG")
        assert "A家旗舰店" in bodies[-1]["message"]


def test_an_endpoint_that_fails_keeps_the_alerts_undelivered() -> None:
    with LoopbackServer({"/hook": Reply("down", status=500)}) as server:
        channel = AppriseChannel(server.url.replace("http://", "json://") + "/hook", chat=CHAT)
        marks: list[list[str]] = []
        assert run(channel.send_events(CHAT, [review(1)], marks.append)) == [] and marks == []
