"""What operators may change from the chat: handled marks, mutes, a check on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from monitor.service.app import App
from notifier.views import CheckOutcome


class StoreActions:
    """Implements notifier.views.BotActions over the store and the runner."""

    def __init__(self, app: App, check: Callable[[], Awaitable[CheckOutcome]]) -> None:
        self.settings = app.settings
        self.store = app.store
        self.clock = app.now
        self._check = check

    def handled(self, event_id: str, by: str) -> tuple[bool, str | None, str | None]:
        """Mark an alert (and its review) handled by `by`; a second press changes nothing."""
        rows = list(self.store.query("select handled_at, handled_by from events where id = ?",
                                     [event_id]))
        if not rows:
            return False, None, None
        if rows[0]["handled_at"]:
            return False, rows[0]["handled_by"] or "?", rows[0]["handled_at"]
        at = self.clock()
        self.store.mark_handled(event_id, at)
        self.store.execute("update events set handled_by = ? where id = ? and handled_by is null",
                           [by, event_id])
        return True, by, at.isoformat()

    def source_of(self, event_id: str) -> str | None:
        """The source of an alert: its button carries the event id, never the source's name."""
        rows = list(self.store.query("select source from events where id = ?", [event_id]))
        return rows[0]["source"] if rows and rows[0]["source"] else None

    def _source(self, peer: str) -> tuple[str, str] | None:
        """(source id, the name the operator reads) of a peer name or a source id."""
        found = self.settings.peer(peer)
        source = found.source if found else peer
        known = list(self.store.query("select name from sources where source = ?", [source]))
        if not found and not known:
            return None
        # The operator reads the source's name ("Linen Tee"), not its id ("reviews:Linen Tee").
        return source, found.name if found else (known[0]["name"] or source)

    def mute(self, peer: str, hours: float) -> str | None:
        """Mute a peer by name, or any source by its id (from an alert's button)."""
        found = self._source(peer)
        if found is None:
            return None
        until = self.clock() + timedelta(hours=hours)
        self.store.mute(found[0], until.isoformat())
        return found[1]

    def unmute(self, peer: str) -> str | None:
        """End a mute (a peer by name, or a source id)."""
        found = self._source(peer)
        if found is None:
            return None
        self.store.execute("update sources set muted_until = null where source = ?", [found[0]])
        return found[1]

    async def check(self) -> CheckOutcome:
        """Run every watch now and deliver."""
        return await self._check()
