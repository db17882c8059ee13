"""Events as localised sentences and as Telegram HTML, every fetched value escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from notifier.i18n import t
from watchers.model import StoredEvent

MESSAGE_LIMIT = 4000  # Telegram's limit is 4096 characters; keep a margin
CAPTION_LIMIT = 1000  # and 1024 for a photo caption
VALUE_LIMIT = 600  # one fetched value (a title, a review) never fills a message


def _money(value: Any) -> str:
    if not isinstance(value, int | float):
        return "?"
    return f"{value:,.2f}" if value % 1 else f"{value:,.0f}"


def _pct(value: Any, signed: bool = False) -> str:
    if not isinstance(value, int | float):
        return "?"
    return f"{value:+.0%}" if signed else f"{value:.0%}"


def _cut(text: Any) -> str:
    text = str(text or "")
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def event_text(event: StoredEvent, lang: str) -> str:
    """The event as one sentence in `lang` (plain text, not escaped)."""
    d = event.details
    title = _cut(event.product["title"]) if event.product else ""
    v: dict[str, Any] = {"store": event.store or "", "title": title}
    kind = event.kind
    key = f"alert.{kind}"
    if kind == "new_listing":
        v["price"] = _money(d.get("price"))
    elif kind in ("price_drop", "price_rise"):
        v.update(old=_money(d.get("old")), new=_money(d.get("new")),
                 change=_pct(d.get("change"), signed=True))
    elif kind == "promo_started":
        v.update(price=_money(d.get("price")), regular_price=_money(d.get("regular_price")))
    elif kind == "store_promotion":
        v.update(share=_pct(d.get("share")), median_discount=_pct(d.get("median_discount")))
    elif kind == "copy_listing":
        key = f"alert.copy_listing.{d.get('kind', 'same_style')}"
        v.update(seller=d.get("seller") or t(lang, "alert.unknown_seller"),
                 hero=d.get("hero", ""), price_cmp=_price_cmp(d, lang))
    elif kind == "negative_review":
        rating = d.get("rating")
        v.update(stars=f"{rating:g}★" if isinstance(rating, int | float) else "☆?",
                 author=d.get("author") or "?", text=_cut(d.get("text")))
    elif kind == "season_hint":
        key = f"alert.season_hint.{d.get('advice', 'prepare')}"
        v.update(season=d.get("season", ""), peers=len(d.get("peers") or []))
    elif kind == "source_failing":
        if d.get("needs_person"):
            key = "alert.source_failing.person"
        v["error"] = _cut(d.get("error"))
    try:
        return t(lang, key, **v)
    except (KeyError, IndexError, ValueError):
        return event.summary


def _price_cmp(d: dict[str, Any], lang: str) -> str:
    price, hero = d.get("price"), d.get("hero_price")
    if isinstance(price, int | float) and isinstance(hero, int | float) and hero > 0:
        if price < hero:
            return t(lang, "alert.copy.undercut", gap=_pct((hero - price) / hero),
                     price=_money(price), hero_price=_money(hero))
        return t(lang, "alert.copy.price", price=_money(price), hero_price=_money(hero))
    return t(lang, "alert.copy.price", price=_money(price), hero_price=_money(hero))


def event_html(event: StoredEvent, lang: str) -> str:
    """The event as Telegram HTML: a bold label, the sentence, the link; all escaped."""
    label = html.escape(t(lang, f"kind.{event.kind}"))
    body = html.escape(event_text(event, lang))
    lines = [f"<b>{label}</b> {body}"]
    url = event.product.get("url") if event.product else None
    if url and url.startswith(("http://", "https://")):
        lines.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(_cut(url))}</a>')
    if event.kind == "negative_review" and event.details.get("posted"):
        lines.append(html.escape(str(event.details["posted"])))
    return "\n".join(lines)


def split_lines(lines: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join lines into messages below `limit` characters, breaking only between lines."""
    return [text for text, _ in split_tagged([(line, None) for line in lines], limit)]


def split_tagged(lines: Sequence[tuple[str, str | None]],
                 limit: int = MESSAGE_LIMIT) -> list[tuple[str, list[str]]]:
    """Like `split_lines`, and each message says which event ids its lines carry."""
    messages: list[tuple[str, list[str]]] = []
    current: list[str] = []
    ids: list[str] = []
    size = 0
    for line, tag in lines:
        if len(line) > limit:  # cannot happen with capped values; cut rather than fail
            line = line[: limit - 1] + "…"
        if current and size + len(line) + 1 > limit:
            messages.append(("\n".join(current), ids))
            current, ids, size = [], [], 0
        current.append(line)
        if tag is not None:
            ids.append(tag)
        size += len(line) + 1
    if current:
        messages.append(("\n".join(current), ids))
    return messages


def batch_messages(events: Sequence[StoredEvent], lang: str) -> list[tuple[str, list[str]]]:
    """Many events as a few messages, grouped by store and kind, each line escaped.

    Each message comes with the ids of the events it tells, so that a delivery cut short
    marks exactly what went out (neither repeated nor lost after a restart).
    """
    lines: list[tuple[str, str | None]] = []
    groups: dict[tuple[str, str], list[StoredEvent]] = {}
    for event in events:
        groups.setdefault((event.store or "", event.kind), []).append(event)
    for (store, kind), group in groups.items():
        head = f"{store} · {t(lang, 'kind.' + kind)} ({len(group)})" if store else \
            f"{t(lang, 'kind.' + kind)} ({len(group)})"
        heading = f"<b>{html.escape(head)}</b>\n"  # kept with its first line, never alone
        for event in group:
            lines.append((heading + "• " + html.escape(event_text(event, lang)), event.id))
            heading = ""
        lines.append(("", None))
    # A message holding only a blank separator line would be refused as empty.
    return [(text, ids) for text, ids in split_tagged(lines) if ids]


def batch_html(events: Sequence[StoredEvent], lang: str) -> list[str]:
    """Many events as a few messages (the texts of `batch_messages`)."""
    return [text for text, _ in batch_messages(events, lang)]
