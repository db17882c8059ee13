"""What operators may change from the chat: handled marks, mutes, a check on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from monitor.service.app import App


class StoreActions:
    """Implements notifier.views.BotActions over the store and the runner."""

    def __init__(self, app: App, check: Callable[[], Awaitable[int]]) -> None:
        self.settings = app.settings
        self.store = app.store
        self.clock = app.now
        self._check = check

    def mark_handled(self, event_id: str) -> bool:
        """Mark an alert (and its review) handled."""
        return self.store.mark_handled(event_id, self.clock())

    def mute(self, peer: str, hours: float) -> str | None:
        """Mute a peer by name, or any source by its id (from an alert's button)."""
        found = self.settings.peer(peer)
        source = found.source if found else peer
        known = list(self.store.query("select name from sources where source = ?",
                                          [source]))
        if not found and not known:
            return None
        until = self.clock() + timedelta(hours=hours)
        self.store.mute(source, until.isoformat())
        # The operator reads the source's name ("Linen Tee"), not its id ("reviews:Linen Tee").
        return found.name if found else (known[0]["name"] or source)

    async def check(self) -> int:
        """Run every watch now."""
        return await self._check()
