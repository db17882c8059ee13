"""A chat channel: where alerts and digests go. Each channel is one module in channels/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

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
