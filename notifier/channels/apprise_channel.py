"""Apprise: everything else an operator may ask for (email, Slack, Discord, ntfy, Teams...).

Configured by Apprise URLs (one or more, space-separated, from the environment); alerts and
the digest go as plain text with their links, the digest's chart as an attachment. Apprise
knows each service's own limits and splits for it; we still pack messages as for the
robots so that one alert is never cut across two.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import apprise

from notifier.channel import Mark
from notifier.channels.lines import Line, Message, alert_lines, batch_entries, digest_entries, pack
from notifier.channels.webhook import SINGLE_MAX
from notifier.chart import chart_caption, new_listings_chart
from notifier.views import DigestData
from watchers.model import StoredEvent

log = logging.getLogger(__name__)

MESSAGE_CHARS = 4_000
TITLE_CHARS = 60


def text(lines: list[Line]) -> str:
    """Lines as plain text, each link after its text."""
    return "\n".join(line.plain() for line in lines)


def fits(lines: list[Line]) -> bool:
    """A message an operator reads on a phone in one go (and every service takes)."""
    return len(text(lines)) <= MESSAGE_CHARS


class AppriseChannel:
    """Alerts and the digest through Apprise to every URL it was given."""

    kind = "apprise"

    def __init__(self, urls: str, *, chat: int, lang: str = "zh", name: str = "apprise") -> None:
        self.chat = chat
        self.lang = lang
        self.name = name
        self.apprise = apprise.Apprise()
        for url in urls.split():
            if not self.apprise.add(url):  # the URL itself is never logged: it holds tokens
                log.error("%s: one of its Apprise URLs is not understood; it is left out",
                          name)

    def chats(self) -> Sequence[int]:
        """All the Apprise URLs together are one chat."""
        return (self.chat,)

    async def notify(self, lines: list[Line], attach: Path | None = None) -> bool:
        """One message to every URL; False when any of them did not take it."""
        if not len(self.apprise):
            return False
        # The title is what a notification shows first: the kind (or the digest's heading).
        title = (lines[0].lead or lines[0].text())[:TITLE_CHARS] if lines else ""
        body = text(lines)
        ok = await self.apprise.async_notify(
            body=body, title=title, body_format=apprise.NotifyFormat.TEXT,
            attach=apprise.AppriseAttachment(str(attach)) if attach else None)
        if not ok:
            log.warning("%s: a service did not take a message; it goes again later", self.name)
        return bool(ok)

    def messages(self, events: Sequence[StoredEvent]) -> list[Message]:
        """Few alerts one message each; a burst as a few batched messages."""
        if len(events) <= SINGLE_MAX:
            return [m for e in events for m in pack([(alert_lines(e, self.lang), e.id)], fits)]
        return pack(batch_entries(events, self.lang), fits)

    async def send_events(self, chat: int, events: Sequence[StoredEvent],
                          mark: Mark | None = None) -> list[str]:
        """Send in order; a message not taken stops the rest until the next delivery."""
        delivered: list[str] = []
        for lines, ids in self.messages(events):
            if not await self.notify(lines):
                break
            if mark is not None:
                mark(ids)
            delivered += ids
        return delivered

    async def send_digest(self, data: DigestData) -> None:
        """The digest to every URL."""
        await self.send_digest_to(self.chat, data)

    async def send_digest_to(self, chat: int, data: DigestData) -> bool:
        """The digest's first piece with the chart attached, then the rest."""
        day = date.fromisoformat(data.day)
        png = new_listings_chart(data.new_per_day, day, self.lang)
        caption = Line(((chart_caption(data.new_per_day, day, self.lang), None),))
        pieces = pack(digest_entries(data, self.lang), fits)
        with tempfile.TemporaryDirectory() as folder:
            chart = Path(folder) / f"digest-{data.day}.png"
            chart.write_bytes(png)
            for i, (lines, _) in enumerate(pieces):
                first = i == 0
                if not await self.notify([*lines, caption] if first else lines,
                                         chart if first else None):
                    return False
        return True

    async def close(self) -> None:
        """Nothing held between messages."""
