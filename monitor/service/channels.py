"""Where alerts go: Telegram (or the console) and every [[channels]] entry, side by side.

Each [[channels]] entry is one chat in the deliveries and digests tables (its id is
`ChannelSettings.chat`), so the outbox marks every (event, channel) once and the digest
goes once a day per channel, exactly as for a Telegram chat. The secrets are read from
the environment here, at the edge, and handed to the notifier as plain values.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from monitor.settings import ChannelSettings, Settings
from notifier.channel import Channel

if TYPE_CHECKING:
    from notifier.channels.telegram import TelegramChannel


def robot_of(entry: ChannelSettings) -> Channel:
    """The channel of one [[channels]] entry (config.load checked that its env vars are set)."""
    from notifier.channels.several import robot

    env = os.environ
    return robot(entry.kind, env.get(entry.webhook_env, ""), chat=entry.chat,
                 lang=entry.language, secret=env.get(entry.secret_env, "") if entry.secret_env
                 else "", keyword=entry.keyword, api_url=entry.api_url,
                 name=f"{entry.kind} ({entry.webhook_env})")


def together(first: Channel | None, settings: Settings) -> Channel | None:
    """`first` (Telegram or the console, if any) with every [[channels]] entry beside it."""
    if not settings.channels:
        return first
    from notifier.channels.several import Channels

    members = [first] if first is not None else []
    return Channels([*members, *(robot_of(entry) for entry in settings.channels)])


def telegram_of(channel: Channel) -> TelegramChannel | None:
    """The Telegram channel, alone or among others (its bot answers commands)."""
    from notifier.channels.several import Channels
    from notifier.channels.telegram import TelegramChannel

    if isinstance(channel, TelegramChannel):
        return channel
    return channel.member(TelegramChannel) if isinstance(channel, Channels) else None
