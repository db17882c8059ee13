"""What operators may change from the chat: handled marks, mutes, a check on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from monitor.peer_watch import peer_source
from monitor.runner_base import WatchContext


class StoreActions:
    """Implements notifier.views.BotActions over the store and the runner."""

    def __init__(self, ctx: WatchContext, check: Callable[[], Awaitable[int]]) -> None:
        self.ctx = ctx
        self._check = check

    def mark_handled(self, event_id: str) -> bool:
        """Mark an alert (and its review) handled."""
        return self.ctx.store.mark_handled(event_id, self.ctx.clock())

    def mute(self, peer: str, hours: float) -> str | None:
        """Mute a peer by name, or any source by its id (from an alert's button)."""
        found = self.ctx.settings.peer(peer)
        source = peer_source(found) if found else peer
        known = list(self.ctx.store.query("select name from sources where source = ?",
                                          [source]))
        if not found and not known:
            return None
        until = self.ctx.clock() + timedelta(hours=hours)
        self.ctx.store.mute(source, until.isoformat())
        # The operator reads the source's name ("Linen Tee"), not its id ("reviews:Linen Tee").
        return found.name if found else (known[0]["name"] or source)

    async def check(self) -> int:
        """Run every watch now."""
        return await self._check()
