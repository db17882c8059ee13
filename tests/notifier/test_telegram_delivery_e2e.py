"""Urgent alerts through the real python-telegram-bot to the fake Bot API: once, in order."""

from __future__ import annotations

import asyncio
import re
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from monitor.store.database import Store
from tests.fakes.botapi import FakeBotApi
from tests.fakes.botapi_wire import ApiError
from tests.notifier.tgkit import OPS, TEAM, Rig, event, review, run, texts, write_config

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
BUYER = re.compile(r"by buyer(\d+):")
SHIRT = re.compile(r"Shirt <b>& (\d+) at")


def buyers(api: FakeBotApi, chat: int) -> list[int]:
    """Which reviews (by their author's number) reached `chat`, in the order sent."""
    return [int(n) for text in texts(api, chat) for n in BUYER.findall(text)]


def delivered(config: Path, chat: int) -> set[str]:
    """The event ids marked delivered to `chat` in the store."""
    store = Store(config.parent / "m.db")
    try:
        return {r["event_id"] for r in store.query(
            "select event_id from deliveries where chat = ?", [chat])}
    finally:
        store.close()


async def add_and_deliver(r: Rig, events: list[Any]) -> list[str]:
    ids = r.add(events)
    await r.service.deliver()
    return ids


def test_urgent_alerts_arrive_once_per_chat_with_buttons(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))
    events = [review(1), review(2), event("new_listing", 3, price=10)]  # the last one waits
    ids = run(config, lambda r: add_and_deliver(r, events))
    run(config, lambda r: r.service.deliver())  # a second delivery, in a new process
    for chat in (OPS, TEAM):
        sent = env.sent_messages(chat)
        assert buyers(env, chat) == [1, 2]
        assert [m["parse_mode"] for m in sent] == ["HTML", "HTML"]
        for message, event_id in zip(sent, ids, strict=False):
            buttons = message["reply_markup"]["inline_keyboard"][0]
            assert [b["callback_data"] for b in buttons] == [f"h:{event_id}", f"m:{event_id}"]
        assert delivered(config, chat) == set(ids[:2])
    assert env.errors == []


class StallingBotApi(FakeBotApi):
    """Leaves the `stall_at`-th sendMessage unanswered until released, then fails it.

    The message is never stored: it stands for the one in flight when the process died.
    """

    def __init__(self, stall_at: int) -> None:
        super().__init__()
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._sends = 0

    def _gate(self, method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage":
            with self._cond:
                self._sends += 1
                stall = self._sends == self.stall_at
            if stall:
                self.stalled.set()
                self.release.wait(30)
                raise ApiError(500, "Internal Server Error")
        super()._gate(method, params)


@pytest.mark.parametrize("count, stall_at", [(5, 3), (150, 2)], ids=["one_by_one", "batched"])
def test_restart_mid_delivery_repeats_none_and_loses_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, stall_at: int) -> None:
    api = StallingBotApi(stall_at)
    with api:
        monkeypatch.setenv("MONITOR_TELEGRAM_TOKEN", api.token)
        config = write_config(tmp_path, api)

        async def crash(r: Rig) -> list[str]:
            ids = r.add([review(n) for n in range(1, count + 1)])
            delivery = asyncio.create_task(r.service.deliver())
            await asyncio.to_thread(api.stalled.wait, 30)
            delivery.cancel()  # the process dies while a message is in flight
            with suppress(asyncio.CancelledError):
                await delivery
            return ids

        ids = run(config, crash)
        before = buyers(api, OPS)
        api.release.set()
        run(config, lambda r: r.service.deliver())  # the restarted process
        after = buyers(api, OPS)
    assert 0 < len(before) < count  # the crash did cut the delivery short
    assert after == list(range(1, count + 1))  # each alert once, in order
    assert delivered(config, OPS) == set(ids)
    if count <= 5:  # one message per alert, each with its buttons
        assert len(api.sent_messages(OPS)) == count


def test_server_error_on_a_send_is_retried_and_nothing_repeats(tmp_path: Path,
                                                              env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    env.fail_next("sendMessage", error_code=500)
    ids = run(config, lambda r: add_and_deliver(r, [review(n) for n in range(1, 4)]))
    run(config, lambda r: r.service.deliver())
    assert [e[1]["error_code"] for e in env.errors] == [500]
    assert buyers(env, OPS) == [1, 2, 3]
    assert delivered(config, OPS) == set(ids)


def test_burst_of_300_new_listings_goes_as_a_few_valid_html_messages(tmp_path: Path,
                                                                    env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    burst = [event("new_listing", n, title="Shirt <b>&", price=99 + n) for n in range(300)]

    async def send(r: Rig) -> list[str]:
        stored = r.app.store.add_events(burst, r.app.now())
        return await r.channel.send_events(OPS, stored)

    ids = run(config, send)
    sent = env.sent_messages(OPS)
    assert len(ids) == 300
    assert 2 <= len(sent) <= 12
    assert env.errors == []  # the fake's strict HTML parser accepted every message
    assert all(m["parse_mode"] == "HTML" and m["reply_markup"] is None for m in sent)
    shown = [int(n) for m in sent for n in SHIRT.findall(m["plain"])]
    assert sorted(shown) == list(range(300))
    assert "Shirt <b>& 7 at 106" in sent[0]["plain"]


def test_urgent_burst_is_batched_by_delivery_and_marked(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    ids = run(config, lambda r: add_and_deliver(r, [review(n) for n in range(1, 41)]))
    sent = env.sent_messages(OPS)
    assert 1 <= len(sent) <= 3
    assert sorted(buyers(env, OPS)) == list(range(1, 41))
    assert delivered(config, OPS) == set(ids)


@pytest.mark.parametrize("title", [
    "Tee <script>alert(1)</script>", "Salt & Pepper 5 < 7 > 3", "🔥 春装新款 \"Linen\" 'x'",
    "A&amp;B &lt;tag&gt;",
], ids=["tags", "ampersand_and_angles", "emoji_chinese_quotes", "entity_lookalikes"])
def test_titles_with_markup_emoji_and_chinese_are_escaped(tmp_path: Path, env: FakeBotApi,
                                                          title: str) -> None:
    config = write_config(tmp_path, env)
    copy = event("copy_listing", 1, title=title, seller=f"{title} shop", hero="Tee <1>",
                 price=10, hero_price=20)
    run(config, lambda r: add_and_deliver(r, [copy]))
    [sent] = env.sent_messages(OPS)
    assert env.errors == []
    assert f"{title} 1" in sent["plain"] and f"{title} shop" in sent["plain"]
    assert "Tee <1>" in sent["plain"]


def test_429_with_retry_after_delays_but_loses_nothing(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    env.fail_next("sendMessage", error_code=429, retry_after=1)
    ids = run(config, lambda r: add_and_deliver(r, [review(1), review(2)]))
    assert [e[1]["parameters"] for e in env.errors] == [{"retry_after": 1}]
    assert len(env.calls_to("sendMessage")) == 3  # the refused one was sent again
    assert buyers(env, OPS) == [1, 2]
    assert delivered(config, OPS) == set(ids)


def test_blocked_chat_is_not_marked_delivered_and_does_not_crash(tmp_path: Path,
                                                                env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))
    env.block_chat(OPS)
    ids = run(config, lambda r: add_and_deliver(r, [review(1), review(2)]))
    assert buyers(env, TEAM) == [1, 2]
    assert buyers(env, OPS) == []
    assert delivered(config, OPS) == set() and delivered(config, TEAM) == set(ids)
    env.unblock_chat(OPS)  # the user unblocked the bot: the waiting alerts go out
    run(config, lambda r: r.service.deliver())
    assert buyers(env, OPS) == [1, 2] and buyers(env, TEAM) == [1, 2]


def test_migrated_chat_gets_the_alert_at_its_new_id_and_nothing_twice(
        tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(-5,))
    env.migrate_chat(-5, TEAM)

    async def twice(r: Rig) -> list[str]:
        ids = await add_and_deliver(r, [review(1)])
        ids += await add_and_deliver(r, [review(2)])
        return ids

    ids = run(config, twice)
    assert buyers(env, TEAM) == [1, 2]
    assert delivered(config, -5) == set(ids)  # marked under the configured id
    run(config, lambda r: r.service.deliver())
    assert buyers(env, TEAM) == [1, 2]


def test_muted_source_is_not_sent_and_not_sent_later(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def muted(r: Rig) -> list[str]:
        r.app.store.mute("peer:Peer A", "2026-03-02T10:00:00+08:00")
        return await add_and_deliver(r, [review(1)])

    ids = run(config, muted)
    assert env.sent_messages(OPS) == []
    assert delivered(config, OPS) == set(ids)
