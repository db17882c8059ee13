"""The daily digest through the real bot to the fake Bot API: valid pieces, a real chart, once."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from notifier.digest import digest_text
from tests.fakes.botapi import FakeBotApi
from tests.fakes.http import LoopbackServer
from tests.notifier.tgkit import OPS, TEAM, Rig, event, run, texts, write_config
from watchers.model import Event

LONG = "Oversized <Linen> Shirt & Co 🔥 春装新款 " * 3


KINDS = {"new_listing": {"price": 5}, "price_drop": {"old": 10, "new": 8, "change": -0.2},
         "price_rise": {"old": 8, "new": 10, "change": 0.25}, "out_of_stock": {},
         "back_in_stock": {}, "listing_removed": {}}


def long_digest_events() -> list[Event]:
    """Every kind of change at each of 60 stores: a digest of well over 10,000 characters."""
    return [event(kind, n, title=f"{LONG}{s}", store=f"Store {s:02d} <&>", **details)
            for s in range(60) for kind, details in KINDS.items() for n in range(2)]


def visible(text: str) -> str:
    """The console digest as a chat shows it: links as their text."""
    return re.sub(r" <https?://[^>]+>", "", text)


def test_long_digest_arrives_in_valid_pieces_with_a_png_chart(tmp_path: Path,
                                                             env: FakeBotApi) -> None:
    with LoopbackServer() as peer:  # the peer store: the digest must not ask it anything
        config = write_config(tmp_path, env, peer_url=f"{peer.url}/shop")

        async def digest(r: Rig) -> str:
            r.add(long_digest_events())
            text = digest_text(r.app.read_model.digest_data(), "en")
            assert await r.service.send_digest() == 1
            return text

        expected = run(config, digest)
        assert peer.requests == []
    photo, *pieces = env.sent_messages(OPS)
    assert len(expected) > 10_000
    assert env.errors == []  # every piece parsed as Telegram HTML
    assert photo["method"] == "sendPhoto"
    assert photo["plain"].startswith("New items per peer, last 7 days")
    image = Image.open(io.BytesIO(photo["photo"]))
    assert image.format == "PNG" and image.width > 200 and image.height > 100
    image.load()  # decodes every pixel: a truncated PNG raises here
    assert len(pieces) >= 3
    assert all(len(p["plain"]) < 4096 and p["parse_mode"] == "HTML" for p in pieces)
    got = [line for p in pieces for line in p["plain"].splitlines() if line.strip()]
    assert got == [line for line in visible(expected).splitlines() if line.strip()]
    assert any("<a href=\"https://a.example/p/" in p["text"] for p in pieces)  # linked


def test_digest_is_sent_once_a_day_even_when_asked_twice(tmp_path: Path,
                                                         env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))

    async def twice(r: Rig) -> list[int]:
        r.add([event("new_listing", 1, price=5)])
        return [await r.service.send_digest(), await r.service.send_digest()]

    assert run(config, twice) == [2, 0]
    assert run(config, lambda r: r.service.send_digest()) == 0  # nor after a restart
    for chat in (OPS, TEAM):
        assert [m["method"] for m in env.sent_messages(chat)] == ["sendPhoto", "sendMessage"]


def test_digest_marks_waiting_events_delivered_and_misses_no_chat(tmp_path: Path,
                                                                  env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))
    env.block_chat(OPS)

    async def first(r: Rig) -> int:
        r.add([event("price_drop", 1, old=10, new=8, change=-0.2)])
        return await r.service.send_digest()

    assert run(config, first) == 1 and env.sent_messages(OPS) == []
    env.unblock_chat(OPS)

    async def again(r: Rig) -> tuple[int, int, int]:
        waiting = {c: len(r.app.store.undelivered(c, urgent_only=False)) for c in (OPS, TEAM)}
        return await r.service.send_digest(), waiting[OPS], waiting[TEAM]

    assert run(config, again) == (1, 1, 0)  # only the chat that missed it gets it now
    assert [m["method"] for m in env.sent_messages(OPS)] == ["sendPhoto", "sendMessage"]
    assert len(env.sent_messages(TEAM)) == 2
    assert any("Shirt 1" in text for text in texts(env, OPS))


@pytest.mark.parametrize("digest_at, missed", [("09:00", True), ("10:30", False),
                                               ("03:00", False)],
                         ids=["due_an_hour_ago", "not_due_yet", "past_the_grace"])
def test_digest_due_during_a_restart_is_sent_at_start_once(
        tmp_path: Path, env: FakeBotApi, digest_at: str, missed: bool) -> None:
    config = write_config(tmp_path, env, extra="", digest_at=digest_at)  # clock: 10:00

    async def start(r: Rig) -> int:
        assert r.service.digest_missed() is missed
        r.service.schedule()
        r.service.scheduler.start()
        try:
            if missed:
                await env.wait_for_async(lambda: env.sent_messages(OPS))
                await env.wait_for_async(lambda: list(r.app.store.query(
                    "select * from digests")))
                job = r.service.scheduler.get_job("digest")  # and it keeps its daily time
                await env.wait_for_async(lambda: job.next_run_time.hour == 9)
            return len(list(r.app.store.query("select * from digests")))
        finally:
            r.service.scheduler.shutdown(wait=False)

    assert run(config, start) == int(missed)
    if missed:  # a second restart within the grace time sends nothing more
        assert run(config, lambda r: r.service.send_digest()) == 0
        assert [m["method"] for m in env.sent_messages(OPS)] == ["sendPhoto", "sendMessage"]


def test_digest_answers_in_chinese_with_a_chinese_chart(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, language="zh")

    async def digest(r: Rig) -> int:
        r.add([event("new_listing", 1, price=5)])
        return await r.service.send_digest()

    assert run(config, digest) == 1
    photo, text = env.sent_messages(OPS)
    assert photo["plain"] == "近 7 天各同行上新件数\n本周上新最多的是Peer A：1 件（同行共 1 件）。"
    Image.open(io.BytesIO(photo["photo"])).load()
    assert text["plain"].startswith("每日摘要 2026-03-01")
    assert "Peer A上新 1 件，如 Shirt 1 ¥5" in text["plain"]
