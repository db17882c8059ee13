"""Events as readable lines, or as the JSON objects of CONTRACT.md, on a text stream."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from watchers.model import StoredEvent

ICONS = {
    "new_listing": "+", "listing_removed": "-", "price_drop": "v", "price_rise": "^",
    "promo_started": "%", "promo_ended": "%", "out_of_stock": "x", "back_in_stock": "o",
    "store_promotion": "$", "copy_listing": "!", "negative_review": "!",
    "season_hint": "*", "source_failing": "?", "source_recovered": "ok",
}


def render_line(event: StoredEvent) -> str:
    """One line an operator can scan: time, kind, the sentence and the link."""
    link = f"  {event.product['url']}" if event.product and event.product.get("url") else ""
    icon = ICONS.get(event.kind, "*")
    return f"[{icon}] {event.at[:16].replace('T', ' ')}  {event.kind:<16} {event.summary}{link}"


def print_events(events: Iterable[StoredEvent], out: TextIO, *, as_json: bool) -> int:
    """Write events to `out`, one per line; return how many."""
    count = 0
    for event in events:
        if as_json:
            out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(render_line(event) + "\n")
        count += 1
    out.flush()
    return count
