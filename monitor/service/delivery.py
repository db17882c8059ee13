"""Delivery from the events outbox: at least once, with an idempotent mark per event and chat."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from monitor.service.channels import telegram_of, together
from monitor.settings import Settings
from monitor.store.context import EventContext
from monitor.store.database import Store
from notifier.channel import Channel
from notifier.views import ReadModel

if TYPE_CHECKING:
    from notifier.channels.telegram_bot import BotService

log = logging.getLogger(__name__)

CONSOLE_CHAT = 0


def telegram_token(settings: Settings) -> str | None:
    """The bot token from the environment variable named by telegram.token_env."""
    return os.environ.get(settings.telegram.token_env) or None


def chat_warnings(settings: Settings) -> list[str]:
    """What in a valid config still means nobody is told: a token without chats."""
    if telegram_token(settings) and not settings.telegram.chats:
        return ["telegram.chats is empty, so nobody receives the alerts or the digest: write "
                "/start to the bot from each chat; its answer names the chat id to add"]
    return []


def make_channel(settings: Settings, model: ReadModel, console: TextIO | None) -> Channel | None:
    """Telegram when a token is set, else the console (None when no console is wanted), and
    every [[channels]] robot beside it, each with its own chat id (its own delivery marks)."""
    return together(_first_channel(settings, model, console), settings)


def _first_channel(settings: Settings, model: ReadModel,
                   console: TextIO | None) -> Channel | None:
    if telegram_token(settings):
        from notifier.channels.telegram import TelegramChannel

        return TelegramChannel.from_settings(settings, model)
    if console is None:
        return None
    from notifier.channels.console import ConsoleChannel

    return ConsoleChannel(console, settings.monitor.language)


def make_bot(channel: Channel) -> BotService | None:
    """The two-way side of a channel that answers commands (Telegram's long polling)."""
    from notifier.channels.telegram_bot import BotService

    telegram = telegram_of(channel)  # alone, or among the [[channels]] robots
    return BotService(telegram) if telegram is not None else None


# Told at once, not in the digest: the urgent kinds, and the all-clear after a failure alert.
ALERT_WHERE = ("id not in (select event_id from deliveries where chat = ?) "
               "and (urgent = 1 or kind = 'source_recovered')")


async def deliver_urgent(store: Store, channel: Channel, now: Callable[[], datetime],
                         context: EventContext | None = None) -> int:
    """Send every undelivered alert to every chat of `channel`; mark each one sent.

    Marks are written message by message as they go out, so a delivery cut short by a
    crash or a stop repeats nothing and loses nothing when the next one runs. Returns
    how many alerts went out (an alert sent to two chats counts once).
    """
    sent: set[str] = set()
    for chat in channel.chats():
        events = store.events(ALERT_WHERE, [chat])
        if not events:
            continue
        muted = {r["source"] for r in store.query(
            "select source from sources where muted_until > ?", [now().isoformat()])}
        # Muted events count as delivered: a mute means "do not tell me", not "tell me later".
        store.mark_delivered([e.id for e in events if e.source in muted], chat, now())

        def mark(ids: list[str], chat: int = chat) -> None:
            store.mark_delivered(ids, chat, now())

        wanted = [e for e in events if e.source not in muted]
        if context is not None:
            wanted = context.add(wanted)
        sent.update(await channel.send_events(chat, wanted, mark))
    return len(sent)


def mark_digested(store: Store, chats: Iterable[int], ids: list[str],
                  now: Callable[[], datetime]) -> None:
    """After a digest: the events it told count as delivered to those chats (and no others)."""
    for chat in chats:
        store.mark_delivered(ids, chat, now())
