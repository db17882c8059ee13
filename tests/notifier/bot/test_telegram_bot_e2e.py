"""The chat bot, long polling the fake Bot API: commands, buttons, strangers, foreign groups."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pytest

from monitor.service.actions import StoreActions
from notifier.commands import COMMANDS
from tests.fakes.botapi import FakeBotApi
from tests.notifier.tgkit import AT, OPS, STRANGER, TEAM, Rig, event, review, run, write_config
from watchers.health import SourceHealth
from watchers.model import Listing

T = TypeVar("T")


def seed(r: Rig) -> dict[str, str]:
    """A store with what each command reads: items, changes, a copy, a review, the season."""
    store = r.app.store
    store.record(kind="peer", name="Peer A", at=AT,
                 state=SourceHealth("peer:Peer A", "ok", last_ok=AT.isoformat(),
                                    baseline_done=True),
                 changed=[Listing("1", "Linen Shirt", "https://a.example/p/1", 80.0, 100.0),
                          Listing("2", "Wool Coat", "https://a.example/p/2", 300.0)])
    [drop] = r.add([event("price_drop", 1, title="Linen Shirt", old=100, new=80,
                          change=-0.2)])
    [bad] = [e.id for e in store.record(
        kind="reviews", name="Linen Tee", at=AT, events=[review(1)],
        state=SourceHealth("reviews:Linen Tee", "ok", baseline_done=True))]
    with store.transaction():
        store.db.table("copies").insert({
            "hero": "Linen Tee", "market": "Taobao", "key": "k1", "first_seen": AT.isoformat(),
            "data": json.dumps({"title": "仿款 Linen Tee <hot>", "url": "https://m.example/1",
                                "price": 39, "seller": "Copycat & Co"}),
            "last_seen": AT.isoformat(), "online": 1, "event_id": None})
        store.db.table("reviews").insert({
            "product": "Linen Tee", "key": "r1", "rating": 1.0, "negative": 1,
            "data": json.dumps({"key": "r1", "text": "Terrible seams", "author": "buyer1",
                                "posted": "2026-02-27"}),
            "first_seen": AT.isoformat(), "posted": "2026-02-27", "event_id": bad,
            "handled_at": None})
        store.db.table("season_state").insert({
            "season": "spring", "advice": "launch", "at": AT.isoformat(),
            "details": json.dumps({"peers": [{"peer": "Peer A", "items": 3,
                                              "since": "2026-02-20", "signal": "sales",
                                              "selling": True}]})})
    return {"drop": drop, "review": bad}


def polling(config: Path, use: Callable[[Rig], Awaitable[T]]) -> T:
    """`use` the rig with the bot long polling the fake server."""
    return run(config, use, bot=True)


async def ask(api: FakeBotApi, text: str, answers: int = 1, chat: int = OPS) -> list[str]:
    """Write `text` in `chat` and wait for `answers` new messages there; their plain text."""
    before = len(api.sent_messages(chat))
    api.push_message(chat, text)
    sent = await api.wait_for_async(lambda: (s := api.sent_messages(chat))[before + answers - 1:]
                                    and s)
    return [m["plain"] for m in sent[before:]]


@pytest.mark.parametrize("command, expected", [
    ("/help", ["Commands:", "/status [peer]", "/mute PEER HOURS"]),
    ("/start", ["Commands:"]),
    ("/peers", ["Peers:", "• Peer A: 2 items listed, 1 discounted; last read 1 Mar 09:00"]),
    ("/status Peer A", ["Peer A (leader, shopify)", "2 items listed, 1 discounted",
                        "Last good read: 1 Mar 09:00", "Recent changes:",
                        "• 1 Mar 09:00 Peer A cuts Linen Shirt 1 from 100 to 80 (−20%)"]),
    ("/status peer a", ["Peer A (leader, shopify)"]),
    ("/status Nobody", ["No peer called Nobody. Peers: Peer A"]),
    ("/copies", ["• Taobao: Copycat & Co 39, 仿款 Linen Tee <hot> https://m.example/1"]),
    ("/mute", ["Usage: /mute PEER HOURS"]),
    ("/mute Nobody 2", ["No peer called Nobody."]),
], ids=["help", "start", "peers", "status_peer", "status_any_case", "status_unknown",
        "copies", "mute_usage", "mute_unknown"])
def test_each_command_answers_in_the_operators_chat(tmp_path: Path, env: FakeBotApi,
                                                   command: str, expected: list[str]) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        seed(r)
        return await ask(env, command)

    [answer] = polling(config, talk)
    for part in expected:
        assert part in answer
    assert env.errors == []


def test_season_answers_with_the_advice_and_a_chart_of_launches_by_season(
        tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        seed(r)
        r.add([event("new_listing", n, title="Spring Dress", price=9, season="spring")
               for n in range(3)] + [event("new_listing", 9, title="Coat", season="winter")])
        return await ask(env, "/season", answers=2)

    caption, text = polling(config, talk)
    photo = env.sent_messages(OPS)[0]
    assert photo["method"] == "sendPhoto" and photo["photo"][:8] == b"\x89PNG\r\n\x1a\n"
    assert caption == "Spring so far: Peer A 3 (3 items)."
    assert text == ("Spring: Peer A launched it and it sells. Launch now.\n"
                    "• Peer A: 3 items since 20 Feb, selling (by sales)")


def test_bot_registers_its_command_menu(tmp_path: Path, env: FakeBotApi) -> None:
    polling(write_config(tmp_path, env), lambda r: ask(env, "/help"))
    assert [c["command"] for c in env.commands()] == list(COMMANDS)


def test_mute_command_mutes_the_peer_in_the_store(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def mute(r: Rig) -> tuple[list[str], str | None]:
        answer = await ask(env, "/mute Peer A 2")
        return answer, r.app.store.source_state("peer:Peer A").muted_until

    answer, until = polling(config, mute)
    assert answer == ["Peer A muted for 2 hours (/unmute to undo)."]
    assert until is not None
    assert datetime.fromisoformat(until) == datetime.fromisoformat("2026-03-01T12:00:00+08:00")


def test_reviews_button_marks_the_review_handled(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def handle(r: Rig) -> tuple[list[str], list[str]]:
        ids = seed(r)
        [line] = await ask(env, "/reviews")
        [sent] = env.sent_messages(OPS)
        [[button]] = sent["reply_markup"]["inline_keyboard"]
        assert button["callback_data"] == f"h:{ids['review']}"
        env.push_callback(OPS, button["callback_data"], sent["message_id"])
        await env.wait_for_async(lambda: env.sent_messages(OPS)[0]["edits"])
        event = r.app.store.event(ids["review"])
        rows = list(r.app.store.query("select handled_at from reviews"))
        assert event is not None and event.handled_at and rows[0]["handled_at"]
        return [line], await ask(env, "/reviews")

    first, second = polling(config, handle)
    assert "1★ Linen Tee: Terrible seams" in first[0]
    assert second == ["No open negative reviews."]
    assert env.sent_messages(OPS)[0]["reply_markup"] is None  # the button is gone
    [answer] = env.calls_to("answerCallbackQuery")
    assert answer.params["text"] == "Marked handled."


def test_alert_buttons_mark_handled_and_mute_the_source(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def press(r: Rig) -> tuple[str | None, str | None]:
        ids = seed(r)
        await r.service.deliver()
        [alert] = env.sent_messages(OPS)
        handled, mute = alert["reply_markup"]["inline_keyboard"][0]
        assert mute["callback_data"] == f"m:{ids['review']}"  # the source is looked up
        env.push_callback(OPS, mute["callback_data"], alert["message_id"])
        env.push_callback(OPS, handled["callback_data"], alert["message_id"])
        await env.wait_for_async(lambda: env.sent_messages(OPS)[0]["edits"])
        event = r.app.store.event(ids["review"])
        return (event.handled_at if event else None,
                r.app.store.source_state("reviews:Linen Tee").muted_until)

    handled_at, muted_until = polling(config, press)
    assert handled_at is not None
    assert env.sent_messages(OPS)[0]["reply_markup"] is None  # the buttons are gone
    assert muted_until is not None and muted_until.startswith("2026-03-02T10:00")
    assert [c.params["text"] for c in env.calls_to("answerCallbackQuery")] == [
        "Linen Tee muted for 24 hours (/unmute to undo).", "Marked handled."]


def test_digest_command_sends_chart_and_text(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def digest(r: Rig) -> list[str]:
        seed(r)
        return await ask(env, "/digest", answers=2)

    caption, text = polling(config, digest)
    assert caption.startswith("New items per peer, last 7 days")
    assert text.startswith("Daily digest 2026-03-01")
    assert "Peer A: 1 price cut, e.g. Linen Shirt 1 100 → 80" in text
    assert "Terrible seams" in text
    assert env.sent_messages(OPS)[0]["photo"][:8] == b"\x89PNG\r\n\x1a\n"


def test_check_command_runs_a_check_and_says_how_it_went(tmp_path: Path,
                                                         env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)  # its one peer is unreachable: a failed read

    async def check(r: Rig) -> tuple[list[str], int]:
        answers = await ask(env, "/check", answers=2)
        return answers, r.app.store.source_state("peer:Peer A").fails

    answers, fails = polling(config, check)
    assert answers == ["Checking every source now…",
                       "Check done: 0 new events, 0 alerts delivered; the rest waits for the "
                       "digest.\nCould not read: Peer A"]
    assert fails == 1  # the check did run against the peer


def test_stranger_gets_one_refusal_line_and_nothing_else(tmp_path: Path,
                                                         env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def stranger(r: Rig) -> list[str]:
        seed(r)
        for text in ("/status", "/digest", "hello", "/mute Peer A 5"):
            env.push_message(STRANGER, text)
        await ask(env, "/help")  # answered after every update above was handled
        return [m["plain"] for m in env.sent_messages(STRANGER)]

    assert polling(config, stranger) == [
        f"This bot only answers its operators' chats. Your chat id is {STRANGER}: an operator "
        "can add it to telegram.chats."]
    assert all(m["chat_id"] in (OPS, STRANGER) for m in env.sent_messages())
    assert env.calls_to("sendPhoto") == []


def test_stranger_button_press_gets_nothing_and_changes_nothing(tmp_path: Path,
                                                                env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def press(r: Rig) -> tuple[str | None, str | None]:
        ids = seed(r)
        env.push_callback(STRANGER, f"h:{ids['drop']}", 1)
        env.push_callback(STRANGER, "m:peer:Peer A", 1)
        await ask(env, "/help")
        event = r.app.store.event(ids["drop"])
        return (event.handled_at if event else "gone",
                r.app.store.source_state("peer:Peer A").muted_until)

    assert polling(config, press) == (None, None)
    assert env.calls_to("answerCallbackQuery") == []
    assert env.sent_messages(STRANGER) == []


def test_bot_added_to_a_foreign_group_leaves_it(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))

    async def added(r: Rig) -> None:
        env.push_my_chat_member(TEAM, chat_type="supergroup")  # the operators' own group
        env.push_my_chat_member(-100999, chat_type="supergroup")
        await env.wait_for_async(lambda: env.left_chats)
        await ask(env, "/help")

    polling(config, added)
    assert env.left_chats == [-100999]
    assert env.sent_messages(-100999) == []


def test_chinese_operators_get_alerts_and_answers_in_chinese(tmp_path: Path,
                                                             env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, language="zh")

    async def talk(r: Rig) -> list[str]:
        seed(r)
        await r.service.deliver()
        return await ask(env, "/status 无名")

    [answer] = polling(config, talk)
    alert = env.sent_messages(OPS)[0]
    assert "差评" in alert["plain"] and "Linen Tee 1收到 1★ 评价（buyer1）" in alert["plain"]
    assert answer == "没有叫无名的同行。同行有：Peer A"
    buttons = alert["reply_markup"]["inline_keyboard"][0]
    assert buttons[0]["text"] == "✅ 已处理"
    assert env.commands()[0] == {"command": "help", "description": "机器人能做什么"}


def test_bot_starts_once_the_bot_api_answers_again(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)
    env.fail_next("getMe", n=2, error_code=500)

    async def later(r: Rig) -> list[str]:
        bot = r.bot
        starting = asyncio.create_task(bot.run(StoreActions(r.app,
                                                            r.service.check_now)))
        try:
            return await ask(env, "/help")
        finally:
            await starting
            await bot.stop()

    [answer] = run(config, later)
    assert "Commands:" in answer
    assert [c.method for c in env.calls[:3]] == ["getMe"] * 3
