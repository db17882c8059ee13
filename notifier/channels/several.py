"""Several channels as one: Telegram (or the console) beside the group robots and Apprise.

Delivery walks `chats()` and marks each (event, chat) once, so every channel gets its own
marks by having its own chat ids; this wrapper routes each chat to the channel that owns
it, and keeps one channel's failure (an exception, a robot that is down) from holding back
the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

from notifier.channel import Channel, Mark
from notifier.views import DigestData
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

C = TypeVar("C")
ROBOTS = ("dingtalk", "feishu", "wecom", "apprise")


def robot(kind: str, url: str, *, chat: int, lang: str, secret: str = "", keyword: str = "",
          api_url: str = "", name: str = "") -> Channel:
    """The channel of one [[channels]] entry, from plain values (monitor reads the env)."""
    if kind == "apprise":
        from notifier.channels.apprise_channel import AppriseChannel

        return AppriseChannel(url, chat=chat, lang=lang, name=name or kind)
    from notifier.channels.webhook import WebhookChannel, rebase

    cls: type[WebhookChannel]
    if kind == "dingtalk":
        from notifier.channels.dingtalk import DingTalkChannel as cls
    elif kind == "feishu":
        from notifier.channels.feishu import FeishuChannel as cls
    elif kind == "wecom":
        from notifier.channels.wecom import WeComChannel as cls
    else:
        raise ValueError(f"unknown channel kind {kind!r} (one of {', '.join(ROBOTS)})")
    return cls(rebase(url.strip(), api_url), chat=chat, lang=lang, secret=secret,
               keyword=keyword, name=name or kind)


class Channels:
    """Channels side by side, each owning its chats."""

    def __init__(self, channels: Sequence[Channel]) -> None:
        self.channels = tuple(channels)
        self._owner: dict[int, Channel] = {}
        for channel in self.channels:
            for chat in channel.chats():
                self._owner.setdefault(chat, channel)

    def chats(self) -> Sequence[int]:
        """Every channel's chats, in the order the channels were given."""
        return tuple(self._owner)

    def member(self, cls: type[C]) -> C | None:
        """The first channel of type `cls` (the Telegram one, for its bot)."""
        for channel in self.channels:
            if isinstance(channel, cls):
                return channel
        return None

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """The owner of `chat` sends; a channel that breaks delivers nothing this time."""
        channel = self._owner.get(chat)
        if channel is None:
            return []
        try:
            return await channel.send_events(chat, events, mark)
        except Exception as exc:  # the others still go; the outbox keeps these
            log.error("delivery to %s failed (%s: %s); its alerts wait for the next one",
                      _name(channel), type(exc).__name__, exc)
            return []

    async def send_digest(self, data: DigestData) -> None:
        """The digest to every chat of every channel."""
        for chat in self.chats():
            await self.send_digest_to(chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """The digest to one chat; False if it could not go out."""
        channel = self._owner.get(chat)
        if channel is None:
            return False
        try:
            return await channel.send_digest_to(chat, data)
        except Exception as exc:
            log.error("the digest to %s failed (%s: %s)", _name(channel), type(exc).__name__,
                      exc)
            return False

    async def close(self) -> None:
        """Close every channel, whatever one of them raises."""
        for channel in self.channels:
            try:
                await channel.close()
            except Exception as exc:
                log.warning("closing %s: %s", _name(channel), exc)


def _name(channel: Channel) -> str:
    return str(getattr(channel, "name", type(channel).__name__))
