"""Where alerts go: Telegram (or the console) and every [[channels]] entry, side by side.

Each [[channels]] entry is one chat in the deliveries and digests tables (its id is
`ChannelSettings.chat`), so the outbox marks every (event, channel) once and the digest
goes once a day per channel, exactly as for a Telegram chat. The secrets are read from
the environment here, at the edge, and handed to the notifier as plain values.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

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


def channel_secrets(settings: Settings) -> list[str]:
    """What log lines must never show: each webhook and secret, and the tokens inside them.

    A library that logs a request's URL, or an error that quotes it, would otherwise print
    the robot's access_token or key; Apprise URLs carry theirs in any part.
    """
    out: list[str] = []
    for entry in settings.channels:
        out.append(os.environ.get(entry.secret_env, "") if entry.secret_env else "")
        for url in os.environ.get(entry.webhook_env, "").split():
            parts = urlsplit(url)
            out.append(url)
            out += [v for values in parse_qs(parts.query).values() for v in values]
            out += [parts.password or "", parts.username or ""]
            # Path segments and Apprise hosts that are tokens (a host name has dots).
            pieces = [*parts.path.split("/"), *parts.netloc.split("@"),
                      *parts.netloc.replace("@", ":").split(":")]
            out += [p for p in pieces if len(p) >= 16 and "." not in p]
    return [s for s in out if s]


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
