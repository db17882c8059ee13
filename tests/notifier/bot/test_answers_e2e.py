"""/top and /history through the real Telegram application against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.fakes.botapi import FakeBotApi
from tests.notifier.bot.test_telegram_bot_e2e import ask, polling
from tests.notifier.tgkit import AT, OPS, Rig, write_config
from watchers.health import SourceHealth
from watchers.model import Listing


def _prices(r: Rig) -> None:
    """Wool Coat read at 300, then 240 and sold out, then 260: three versions."""
    for days, price, available in ((0, 300.0, True), (5, 240.0, False), (9, 260.0, True)):
        at = AT + timedelta(days=days)
        r.app.store.record(
            kind="peer", name="Peer A", at=at,
            state=SourceHealth("peer:Peer A", "ok", last_ok=at.isoformat(), baseline_done=True),
            changed=[Listing("2", "Wool Coat", "https://a.example/p/2", price,
                             available=available),
                     Listing("3", "Linen Shirt", "https://a.example/p/3", 99.0)])


def test_history_answers_with_the_price_range_and_a_chart(tmp_path: Path,
                                                           env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        _prices(r)
        return await ask(env, "/history wool coat", answers=2)

    _, text = polling(config, talk)  # the chart (a photo), then the text
    photo = env.sent_messages(OPS)[0]
    assert photo["method"] == "sendPhoto" and photo["photo"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "Wool Coat" in text and "lowest 240" in text and "highest 300" in text


def test_top_answers_a_known_peer_any_case_and_refuses_an_unknown_one(
        tmp_path: Path, env: FakeBotApi) -> None:
    config = write_config(tmp_path, env)

    async def talk(r: Rig) -> list[str]:
        _prices(r)
        return [*await ask(env, "/top peer a"), *await ask(env, "/top Nobody"),
                *await ask(env, "/top")]

    known, unknown, usage = polling(config, talk)
    assert known == "Peer A: no sales figures read yet."
    assert unknown.startswith("No peer called Nobody")
    assert usage.startswith("Usage: /top PEER")
