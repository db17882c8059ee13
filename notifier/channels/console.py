"""The console channel: events as readable lines (or CONTRACT.md's JSON) on a text stream."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from notifier.channel import Mark
from notifier.digest import digest_text
from notifier.render import event_lines
from notifier.views import DigestData
from watchers.model import StoredEvent

ICONS = {
    "new_listing": "+", "listing_removed": "-", "price_drop": "v", "price_rise": "^",
    "promo_started": "%", "promo_ended": "%", "out_of_stock": "x", "back_in_stock": "o",
    "store_promotion": "$", "copy_listing": "!", "negative_review": "!",
    "season_hint": "*", "source_failing": "?", "source_recovered": "ok",
}


def render_line(event: StoredEvent, lang: str | None = None) -> str:
    """One line an operator can scan: time, kind, the sentence and the link.

    With a language the sentence and what helps act on it come from its templates (as in
    the chats); without, the stored summary (`monitor check`'s listing).
    """
    link = f"  {event.product['url']}" if event.product and event.product.get("url") else ""
    icon = ICONS.get(event.kind, "*")
    text = " / ".join(event_lines(event, lang)) if lang else event.summary
    return f"[{icon}] {event.at[:16].replace('T', ' ')}  {event.kind:<16} {text}{link}"


def print_events(events: Iterable[StoredEvent], out: TextIO, *, as_json: bool,
                 lang: str = "en") -> int:
    """Write events to `out`, one per line; return how many.

    In English the stored summary (what scripts have always read); in another language
    the lines from its templates, like the chats get.
    """
    count = 0
    for event in events:
        if as_json:
            out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(render_line(event, None if lang == "en" else lang) + "\n")
        count += 1
    out.flush()
    return count


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
            self.out.write(render_line(event, self.lang) + "\n")
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
