"""Events as localised lines and as Telegram HTML, every outsider-written value cut and escaped.

Lines are built from the event's kind and details through the string catalogues, never
from its stored English summary, so a Chinese chat reads Chinese for every kind.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from notifier import fmt
from notifier.i18n import has, n, t
from notifier.own import OWN_KINDS, own_lines
from watchers.model import StoredEvent

TEXT_LIMIT = 4096  # Telegram's limit for a message, in characters
MESSAGE_LIMIT = 4000  # what we fill: a margin for the "handled by" line an edit appends
CAPTION_LIMIT = 1000  # Telegram allows 1024 for a photo caption
TAG = re.compile(r"<[^>]+>")


def season_name(season: Any, lang: str) -> str:
    """spring → 春季 (an unknown season is shown as written)."""
    key = f"season.name.{season}"
    return t(lang, key) if has(lang, key) else fmt.cut(season, fmt.NAME_MAX)


def season_head(season: dict[str, Any], lang: str) -> str:
    """The season advice as one localised sentence, naming the peers that launched."""
    advice = season.get("advice") if season.get("advice") in ("wait", "launch") else "prepare"
    peers = [p for p in season.get("peers") or [] if isinstance(p, dict)]
    return t(lang, f"alert.season_hint.{advice}", season=season_name(season.get("season"), lang),
             peers=len(peers), names=fmt.join((fmt.cut(p.get("peer"), fmt.NAME_MAX)
                                                for p in peers), lang))


def error_text(error: Any, lang: str) -> str:
    """A read error as the operator's language says it (known shapes are translated)."""
    raw = fmt.cut(error, fmt.ERROR_MAX)
    if lang == "en" or not raw:
        return raw or "?"
    for pattern, key in ERRORS:
        found = pattern.search(raw)
        if found:
            return t(lang, key, **found.groupdict())
    return t(lang, "error.other")


ERRORS = [
    (re.compile(r"HTTP (?P<code>\d{3}): a (?P<what>\w+) page"), "error.blocked"),
    (re.compile(r"login|captcha|slider|verify", re.I), "error.login"),
    (re.compile(r"HTTP (?P<code>\d{3})"), "error.http"),
    (re.compile(r"time(d)? ?out|took longer", re.I), "error.timeout"),
    (re.compile(r"robots\.txt", re.I), "error.robots"),
    (re.compile(r"no items found|parses? to nothing", re.I), "error.empty"),
    (re.compile(r"could not parse", re.I), "error.parse"),
    (re.compile(r"larger than|too many|more than|cap", re.I), "error.limit"),
    (re.compile(r"connect|resolve|refused|network|reset", re.I), "error.network"),
]


def _title(event: StoredEvent) -> str:
    return fmt.cut(event.product.get("title") if event.product else "", fmt.TITLE_MAX)


def _values(event: StoredEvent, lang: str) -> tuple[str, dict[str, Any], list[str]]:
    """The template key, its values and the further lines of one event."""
    d = event.details
    cur = d.get("currency")
    v: dict[str, Any] = {"store": fmt.cut(event.store, fmt.NAME_MAX), "title": _title(event)}
    more: list[str] = []
    kind = event.kind
    key = f"alert.{kind}"

    def money(x: Any) -> str:
        return fmt.money(x, cur, lang)

    if kind == "new_listing":
        if isinstance(d.get("price"), int | float):
            v["price"] = money(d["price"])
        else:
            key = "alert.new_listing.noprice"
    elif kind in ("price_drop", "price_rise"):
        v.update(old=money(d.get("old")), new=money(d.get("new")), change=fmt.pct(d.get("change")))
    elif kind == "promo_started":
        off = d.get("discount")
        if not isinstance(off, int | float) and isinstance(d.get("regular_price"), int | float) \
                and isinstance(d.get("price"), int | float) and d["regular_price"] > 0:
            off = 1 - d["price"] / d["regular_price"]
        v.update(price=money(d.get("price")), regular_price=money(d.get("regular_price")),
                 off=fmt.discount(off, lang))
    elif kind == "store_promotion":
        v.update(discounted=d.get("discounted", "?"), items=d.get("items", "?"),
                 share=fmt.pct(d.get("share")), off=fmt.discount(d.get("median_discount"), lang))
    elif kind == "copy_listing":
        how = "stolen_photo" if d.get("kind") == "stolen_photo" else "same_style"
        key = f"alert.copy_listing.{how}"
        v.update(seller=fmt.cut(d.get("seller"), fmt.NAME_MAX) or t(lang, "alert.unknown_seller"),
                 hero=fmt.cut(d.get("hero"), fmt.NAME_MAX), market=v["store"])
        more.append(_price_cmp(d, lang, cur))
        more.append(t(lang, "alert.copy.title", title=v["title"]))
    elif kind == "negative_review":
        rating = d.get("rating")
        v.update(stars=f"{rating:g}★" if isinstance(rating, int | float)
                 else t(lang, "review.no_stars"),
                 author=fmt.cut(d.get("author"), fmt.NAME_MAX) or t(lang, "alert.someone"),
                 text=fmt.cut(d.get("text"), fmt.TEXT_MAX))
        more += _review_lines(d, lang)
    elif kind == "season_hint":
        key = "season"
    elif kind == "source_failing":
        if d.get("needs_person"):
            key = "alert.source_failing.person"
        fails = d.get("fails")
        v.update(error=error_text(d.get("error"), lang),
                 fails=n(lang, "in_a_row", fails) if isinstance(fails, int) else "?")
        more += _failing_lines(d, lang)
    elif kind == "source_recovered":
        fails = d.get("after_fails")
        v["fails"] = n(lang, "failed_checks", fails) if isinstance(fails, int) else "?"
    elif kind == "listing_changed":
        v["what"] = _changes(d.get("changes"), lang)
    elif kind == "price_position":
        where = d.get("position") if d.get("position") in ("cheapest", "median", "dearest") \
            else "median"
        v.update(price=money(d.get("price")), hero_price=money(d.get("hero_price")),
                 hero=fmt.cut(d.get("hero"), fmt.NAME_MAX), gap=fmt.pct(d.get("gap")),
                 position=t(lang, f"position.{where}"))
    elif kind == "bestseller":
        key = "alert.bestseller.entered" if d.get("previous_rank") is None \
            else "alert.bestseller.jumped"
        rate = d.get("per_day")
        v.update(rank=d.get("rank", "?"),
                 per_day=f"{rate:,.1f}" if isinstance(rate, int | float) else "?")
    return key, v, more


def _changes(changes: Any, lang: str) -> str:
    """What a peer changed on an item: the title (words in and out), the image, sizes."""
    c = changes if isinstance(changes, dict) else {}
    parts = []

    def names(values: Any) -> str:
        return fmt.join((fmt.cut(n, 20) for n in (values or [])[:8]), lang)

    title = c.get("title")
    if isinstance(title, dict):
        words = [*(f"+{w}" for w in title.get("added") or []),
                 *(f"-{w}" for w in title.get("removed") or [])][:8]
        parts.append(t(lang, "change.title_words", words=fmt.cut(" ".join(words), 80))
                     if words else t(lang, "change.title"))
    if c.get("image"):
        parts.append(t(lang, "change.image"))
    variants = c.get("variants")
    if isinstance(variants, dict):
        if variants.get("added"):
            parts.append(t(lang, "change.added", names=names(variants["added"])))
        if variants.get("removed"):
            parts.append(t(lang, "change.removed", names=names(variants["removed"])))
    return t(lang, "change.sep").join(parts) or "?"


def _review_lines(d: dict[str, Any], lang: str) -> list[str]:
    """When it was posted, until when we may answer, and why it counts as negative."""
    lines = []
    posted = fmt.parse_day(d.get("posted"))
    window = d.get("reply_window_days")
    if posted and isinstance(window, int):
        deadline = posted + timedelta(days=window)
        lines.append(t(lang, "alert.review.dates", posted=fmt.day(posted, lang),
                       deadline=fmt.day(deadline, lang)))
    elif posted:
        lines.append(t(lang, "alert.review.posted", posted=fmt.day(posted, lang)))
    reason = d.get("reason")
    said = d.get("cues") if reason else d.get("words")  # events stored before `reason` existed
    words = [fmt.cut(w, 20) for w in said or [] if isinstance(w, str)][:5]
    limit = d.get("negative_rating")
    rating = d.get("rating")
    by_stars = reason == "rating" if reason else (  # older events: judged by today's line
        isinstance(rating, int | float) and isinstance(limit, int | float) and rating <= limit)
    if by_stars and isinstance(rating, int | float):
        if isinstance(limit, int | float) and rating <= limit:
            lines.append(t(lang, "alert.review.why_stars", stars=f"{rating:g}★",
                           limit=f"{limit:g}★"))
        else:  # the line was moved since: the stars were the reason, today's line is not
            lines.append(t(lang, "alert.review.why_rated", stars=f"{rating:g}★"))
    elif reason == "model" and words:
        lines.append(t(lang, "alert.review.why_model", words=fmt.join(words, lang)))
    elif words and reason != "model":
        lines.append(t(lang, "alert.review.why_words", words=fmt.join(words, lang)))
    elif reason or "words" in d:
        lines.append(t(lang, "alert.review.why_text"))
    return lines


def _failing_lines(d: dict[str, Any], lang: str) -> list[str]:
    """Which URL, since when, and what is not being checked meanwhile."""
    lines = []
    if isinstance(d.get("url"), str) and d["url"]:
        lines.append(t(lang, "alert.failing.url", url=fmt.cut(d["url"], fmt.URL_MAX)))
    if d.get("since"):
        lines.append(t(lang, "alert.failing.since", since=fmt.moment(d["since"], lang)))
    if d.get("watch") in ("peers", "copies", "reviews"):
        lines.append(t(lang, f"alert.failing.unchecked.{d['watch']}"))
    return lines


def _price_cmp(d: dict[str, Any], lang: str, cur: str | None) -> str:
    price, hero = d.get("price"), d.get("hero_price")
    ok = isinstance(price, int | float) and isinstance(hero, int | float) and hero > 0
    values = {"price": fmt.money(price, cur, lang), "hero_price": fmt.money(hero, cur, lang)}
    if ok and isinstance(price, int | float) and isinstance(hero, int | float) and price < hero:
        return t(lang, "alert.copy.undercut", gap=fmt.pct((hero - price) / hero), **values)
    return t(lang, "alert.copy.price", **values)


def event_lines(event: StoredEvent, lang: str) -> list[str]:
    """The event as plain lines in `lang`: the sentence first, then what helps act on it."""
    if event.kind in OWN_KINDS:
        return own_lines(event, lang)
    key, values, more = _values(event, lang)
    try:
        head = season_head(event.details, lang) if key == "season" else t(lang, key, **values)
    except (KeyError, IndexError, ValueError):  # a template that does not fit: still tell it
        head = fmt.cut(event.summary, fmt.TEXT_MAX)
    return [head, *more]


def event_text(event: StoredEvent, lang: str) -> str:
    """The event as one sentence in `lang` (plain text, not escaped)."""
    return event_lines(event, lang)[0]


def link(url: Any, text: str) -> str:
    """An HTML link to an http(s) URL, or the escaped text alone."""
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url[:2000], quote=True)}">{html.escape(text)}</a>'
    return html.escape(text)


def event_html(event: StoredEvent, lang: str) -> str:
    """The event as Telegram HTML: a bold label, the sentence, its details and the link."""
    lines = event_lines(event, lang)
    label = html.escape(t(lang, f"kind.{event.kind}"))
    out = [f"<b>{label}</b> {html.escape(lines[0])}", *map(html.escape, lines[1:])]
    url = event.product.get("url") if event.product else None
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        out.append(link(url, fmt.cut(url, 80)))
    return fit("\n".join(out))


def plain(text: str) -> str:
    """Telegram HTML as the plain text it shows."""
    return html.unescape(TAG.sub("", text))


def fit(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` cut to `limit` characters on a line boundary (an over-long first line is cut).

    Each line of our HTML closes its own tags, so a cut between lines keeps it valid; a
    single line that does not fit loses its markup before it is cut.
    """
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for line in text.split("\n"):
        if size + len(line) + 2 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    if not kept:
        first = html.escape(plain(text.split("\n", 1)[0]))
        # Cut the escaped line where no entity is split: an ampersand starts one.
        head = first[: limit - 2]
        amp = head.rfind("&")
        if amp != -1 and ";" not in head[amp:]:
            head = head[:amp]
        return head + "…"
    return "\n".join(kept) + "\n…"


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
            line = fit(line, limit)
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
    """Many events as a few messages, grouped by store and kind, each line escaped and linked.

    Each message comes with the ids of the events it tells, so that a delivery cut short
    marks exactly what went out (neither repeated nor lost after a restart).
    """
    lines: list[tuple[str, str | None]] = []
    groups: dict[tuple[str, str], list[StoredEvent]] = {}
    for event in events:
        groups.setdefault((event.store or "", event.kind), []).append(event)
    for (store, kind), group in groups.items():
        label = t(lang, "kind." + kind)
        head = t(lang, "batch.heading", store=fmt.cut(store, fmt.NAME_MAX), kind=label,
                 count=len(group)) if store else f"{label} ({len(group)})"
        heading = f"<b>{html.escape(head)}</b>\n"  # kept with its first line, never alone
        for event in group:
            url = event.product.get("url") if event.product else None
            lines.append((heading + "• " + link(url, " ".join(event_lines(event, lang))),
                          event.id))
            heading = ""
        lines.append(("", None))
    # A message holding only a blank separator line would be refused as empty.
    return [(text, ids) for text, ids in split_tagged(lines) if ids]


def batch_html(events: Sequence[StoredEvent], lang: str) -> list[str]:
    """Many events as a few messages (the texts of `batch_messages`)."""
    return [text for text, _ in batch_messages(events, lang)]
