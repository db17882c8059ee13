"""A chat channel: where alerts and digests go. New channels are one module each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

from notifier.console import render_line
from notifier.digest import digest_text
from notifier.views import DigestData
from watchers.model import StoredEvent

Mark = Callable[[list[str]], None]


class Channel(Protocol):
    """Sends events and digests to its chats."""

    def chats(self) -> Sequence[int]:
        """The chats this channel delivers to."""
        ...

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """Send events to one chat; return the ids delivered, telling `mark` as they go."""
        ...

    async def send_digest(self, data: DigestData) -> None:
        """Send the digest to every chat."""
        ...

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """Send the digest to one chat; False if it could not go out."""
        ...

    async def close(self) -> None:
        """Release what the channel holds."""
        ...


class ConsoleChannel:
    """Alerts and digests printed to a stream (no token configured)."""

    def __init__(self, out: TextIO, lang: str = "en") -> None:
        self.out = out
        self.lang = lang

    def chats(self) -> Sequence[int]:
        """The console is chat 0."""
        return (0,)

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """Print each event as a line."""
        for event in events:
            self.out.write(render_line(event) + "\n")
        self.out.flush()
        ids = [e.id for e in events]
        if mark is not None:
            mark(ids)
        return ids

    async def send_digest(self, data: DigestData) -> None:
        """Print the digest."""
        await self.send_digest_to(0, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """Print the digest (the console is one chat)."""
        self.out.write(digest_text(data, self.lang))
        self.out.flush()
        return True

    async def close(self) -> None:
        """Nothing to release."""
