"""A bot that helps: a pointer to /help for what it does not know, /unmute, Handled says who."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.botapi import FakeBotApi
from tests.notifier.bot.test_telegram_bot_e2e import ask, polling, seed
from tests.notifier.tgkit import OPS, TEAM, Rig, write_config

POINTER = "I did not get that. /help lists what I can do."


@pytest.mark.parametrize("text", ["/foo", "what changed today?", "今天有什么变化？"],
                         ids=["unknown_command", "text", "chinese_text"])
def test_what_the_bot_does_not_know_gets_a_pointer_to_help(tmp_path: Path, env: FakeBotApi,
                                                           text: str) -> None:
    config = write_config(tmp_path, env)
    assert polling(config, lambda r: ask(env, text)) == [POINTER]


def test_the_pointer_speaks_the_chats_language(tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, language="zh")
    assert polling(config, lambda r: ask(env, "今天有什么变化？")) == [
        "没看懂这条消息。发 /help 看看我能做什么。"]


def test_in_a_group_only_what_is_addressed_to_the_bot_gets_an_answer(tmp_path: Path,
                                                                     env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))

    async def talk(r: Rig) -> list[str]:
        env.push_message(TEAM, "lunch at noon?", chat_type="supergroup")  # the team's own talk
        env.push_message(TEAM, "/foo@some_other_bot", chat_type="supergroup")
        mention = await ask(env, f"@{env.username} what changed?", chat=TEAM)
        [answer] = env.sent_messages(TEAM)
        # A reply to the bot's own message is addressed to it.
        env.push_message(TEAM, "and yesterday?", reply_to=answer["message_id"])
        await env.wait_for_async(lambda: len(env.sent_messages(TEAM)) == 2)
        return mention

    assert polling(config, talk) == [POINTER]
    assert [m["plain"] for m in env.sent_messages(TEAM)] == [POINTER, POINTER]


def test_help_says_what_the_bot_sends_by_itself_and_when(tmp_path: Path,
                                                         env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, digest_at="08:30")
    [answer] = polling(config, lambda r: ask(env, "/help"))
    assert "a digest every day at 08:30" in answer and "/unmute PEER" in answer


def test_unmute_ends_a_mute_and_status_hides_expired_ones(tmp_path: Path,
                                                         env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        seed(r)
        muted = await ask(env, "/mute Peer A 2")
        status = await ask(env, "/status Peer A")
        unmuted = await ask(env, "/unmute peer a")
        after = await ask(env, "/status Peer A")
        r.app.store.mute("peer:Peer A", "2026-03-01T09:59:00+08:00")  # a mute that ran out
        expired = await ask(env, "/status Peer A")
        return muted + status + unmuted + after + expired

    muted, status, unmuted, after, expired = polling(config, talk)
    assert muted == "Peer A muted for 2 hours (/unmute to undo)."
    assert "Muted until 1 Mar 12:00 (/unmute to undo)" in status
    assert unmuted == "Peer A is no longer muted."
    assert "Muted" not in after and "Muted" not in expired


def test_handled_edits_the_alert_with_who_and_when_and_a_second_press_is_calm(
        tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env, chats=(OPS, TEAM))

    async def press(r: Rig) -> str | None:
        ids = seed(r)
        await r.service.deliver()
        [alert] = env.sent_messages(TEAM)
        handled = alert["reply_markup"]["inline_keyboard"][0][0]
        env.push_callback(TEAM, handled["callback_data"], alert["message_id"], user_id=1001)
        await env.wait_for_async(lambda: env.sent_messages(TEAM)[0]["edits"])
        env.push_callback(TEAM, handled["callback_data"], alert["message_id"], user_id=1001)
        await env.wait_for_async(lambda: len(env.calls_to("answerCallbackQuery")) == 2)
        await ask(env, "/help")  # every update before it was handled
        rows = list(r.app.store.query("select handled_by from events where id = ?",
                                      [ids["review"]]))
        return rows[0]["handled_by"]

    assert polling(config, press) == "Operator"
    [alert] = env.sent_messages(TEAM)
    assert alert["plain"].endswith("✅ Handled by Operator, 1 Mar 10:00")
    assert "Terrible seams" in alert["plain"]  # the alert itself is kept
    assert alert["reply_markup"] is None
    assert [c.params["text"] for c in env.calls_to("answerCallbackQuery")] == [
        "Marked handled.", "Already handled by Operator, 1 Mar 10:00."]
    assert env.errors == []


def test_reviews_say_how_old_they_are_and_how_long_is_left_to_reply(tmp_path: Path,
                                                                  env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        seed(r)  # a review posted on 27 Feb (a plain date), read on 1 Mar
        return await ask(env, "/reviews")

    [answer] = polling(config, talk)
    assert "1★ Linen Tee: Terrible seams (2 days ago, 28 days left to reply)" in answer
