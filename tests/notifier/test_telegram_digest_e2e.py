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
from tests.notifier.tgkit import AT, OPS, TEAM, Rig, event, review, run, texts, write_config
from watchers.health import SourceHealth
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


def test_a_restart_across_the_digest_time_loses_no_waiting_event(tmp_path: Path,
                                                                 env: FakeBotApi,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """Stopped at 08:00 with events waiting, started at 10:00: a catch-up digest after a check."""
    config = write_config(tmp_path, env, digest_at="09:00")
    monkeypatch.setenv("MONITOR_NOW", "2026-03-01T08:00:00+08:00")
    waiting = [event("new_listing", n, title="Spring Dress", price=229) for n in range(3)]
    waiting += [event("price_drop", 9, title="Linen Shirt", old=259, new=199, change=-0.23),
                event("out_of_stock", 10, title="Wool Coat")]

    async def before(r: Rig) -> list[str]:
        ids = r.add(waiting)
        ids += r.add([review(1)], source="reviews:Linen Tee")  # an alert, delivered at once
        await r.service.deliver()
        return ids

    ids = run(config, before)
    assert len(env.sent_messages(OPS)) == 1  # the review alert; the rest waits for 09:00
    monkeypatch.setenv("MONITOR_NOW", "2026-03-01T10:00:00+08:00")  # down across 09:00

    async def after(r: Rig) -> tuple[set[str], int]:
        assert r.service.digest_missed()
        r.service.schedule()
        r.service.scheduler.start()
        try:
            await env.wait_for_async(lambda: list(r.app.store.query("select * from digests")))
            delivered = {row["event_id"] for row in r.app.store.query(
                "select event_id from deliveries where chat = ?", [OPS])}
            # The check ran before the digest: the unreachable peer was tried.
            return delivered, r.app.store.source_state("peer:Peer A").fails
        finally:
            r.service.scheduler.shutdown(wait=False)

    delivered, fails = run(config, after)
    assert fails == 1
    assert delivered == set(ids)  # every waiting event: in the digest or sent as an alert
    _, photo, *digest = env.sent_messages(OPS)
    assert photo["method"] == "sendPhoto"
    text = "\n".join(m["plain"] for m in digest)
    assert "Peer A: 3 new items, e.g. Spring Dress 0 229, Spring Dress 1 229" in text
    assert "Peer A: 1 price cut, e.g. Linen Shirt 9 259 → 199" in text
    assert "Peer A: 1 item sold out, e.g. Wool Coat 10" in text
    assert "Nothing changed" not in text


def test_a_digest_marks_delivered_only_what_it_showed(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def digest(r: Rig) -> tuple[int, list[str], list[str]]:
        told = r.add([event("new_listing", 1, price=5)])
        with r.app.store.transaction():  # a digest went out after that event was recorded
            r.app.store.db.table("digests").insert({"day": "2026-02-28", "chat": OPS,
                                                    "at": "2026-03-01T09:30:00+08:00"})
        sent = await r.service.send_digest()
        return sent, told, [e.id for e in r.app.store.undelivered(OPS, urgent_only=False)]

    sent, told, left = run(config, digest)
    assert sent == 1
    # The event at 09:00 came before the last digest (09:30): this one did not show it, so it
    # is not marked delivered by it.
    [message] = [m for m in env.sent_messages(OPS) if m["method"] == "sendMessage"]
    assert "Nothing changed at the peers." in message["plain"]
    assert left == told


def test_the_digest_names_every_failing_source_not_only_peers(tmp_path: Path,
                                                              env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def digest(r: Rig) -> int:
        r.app.store.record(kind="reviews", name="Linen Tee", at=AT, state=SourceHealth(
            "reviews:Linen Tee", "failing", fails=3, last_error="HTTP 503",
            last_ok="2026-02-27T09:00:00+08:00"))
        return await r.service.send_digest()

    assert run(config, digest) == 1
    text = texts(env, OPS)[-1]
    assert "Linen Tee cannot be read (HTTP 503); last good read 27 Feb 09:00" \
        in text
