"""The daily digest, read in 30 seconds on a phone: what needs us first, then a line per change.

Sections hold lines of parts (text, and a link where there is one); a channel marks them up
its own way. Per peer, a store-wide sale is one line that takes in the cuts and sale starts
of its items, and a cut and a sale start on the same item are one change, not two.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from notifier import fmt
from notifier.i18n import n, t, tn
from notifier.own import OWN_KINDS
from notifier.render import error_text, event_lines, link, season_head
from notifier.views import CopyView, DigestData, PeerStatus, ReviewView
from watchers.model import StoredEvent

EXAMPLES = 2  # items named per line; the rest is a count
FIRST_MAX = 3  # copies, reviews named in "needs us first"
EXAMPLE_TITLE = 24  # characters of an example's title: the line stays one phone line or two
# The order of a peer's lines: what moves prices first.
PEER_KINDS = ("store_promotion", "sale", "price_drop", "price_rise", "price_position",
              "new_listing", "bestseller", "listing_changed", "out_of_stock", "back_in_stock",
              "promo_ended", "listing_removed")

Part = tuple[str, str | None]  # text, and the URL it links to


@dataclass
class Section:
    """A heading and its lines; the channel decides how to mark them up."""

    heading: str
    lines: list[list[Part]] = field(default_factory=list)

    def add(self, *parts: Part | str) -> None:
        """A line of parts (a bare string is text without a link)."""
        self.lines.append([(p, None) if isinstance(p, str) else p for p in parts])


def line_text(line: list[Part]) -> str:
    """The line as the reader sees it (links as their text)."""
    return "".join(text for text, _ in line)


def line_html(line: list[Part]) -> str:
    """The line as Telegram HTML, each part escaped, links as links."""
    return "".join(link(url, text) if url else html.escape(text) for text, url in line)


def digest_sections(data: DigestData, lang: str = "en") -> list[Section]:
    """The digest: the title, what needs us first, then each peer's changes."""
    head = Section(t(lang, "digest.title", day=data.day))
    head.add(t(lang, "digest.since", since=fmt.moment(data.since, lang)))
    sections = [head]
    first = _first(data, lang)
    if first.lines:
        sections.append(first)
    peers = _peers(data, lang)
    if peers.lines:
        sections.append(peers)
    else:
        head.add(t(lang, "digest.nothing"))
    standing = _positions(data, lang)
    if standing.lines:
        sections.append(standing)
    return sections


def _positions(data: DigestData, lang: str) -> Section:
    """Where each hero's price stands among the peers' same-style items."""
    section = Section(t(lang, "digest.positions"))
    for found in data.positions:
        items = found.get("items") or []
        if not items:
            continue
        cheapest = items[0]
        section.add(t(lang, f"digest.position.{found.get('position', 'median')}",
                      hero=fmt.cut(found.get("hero"), fmt.NAME_MAX),
                      price=fmt.money(found.get("hero_price"), data.currency, lang),
                      count=len(items),
                      store=fmt.cut(cheapest.get("store"), fmt.NAME_MAX),
                      low=fmt.money(cheapest.get("price"), data.currency, lang),
                      url=cheapest.get("url") or ""))
    return section


def _first(data: DigestData, lang: str) -> Section:
    """Failing sources, copies, open reviews and the season: what an operator acts on."""
    section = Section(t(lang, "digest.first"))
    for peer in data.failing:
        section.add(_failing_line(peer, lang))
    by_hero: dict[str, list[CopyView]] = defaultdict(list)
    for copy in data.copies:
        by_hero[copy.hero].append(copy)
    for hero, copies in by_hero.items():
        parts: list[Part | str] = [tn(lang, "digest.copies", len(copies),
                                      hero=fmt.cut(hero, fmt.NAME_MAX))]
        for i, copy in enumerate(copies[:FIRST_MAX]):
            parts += [t(lang, "digest.sep") if i else "",
                      (_copy_label(copy, lang, data.currency), copy.url or None)]
        if len(copies) > FIRST_MAX:
            parts.append(t(lang, "digest.more", count=len(copies) - FIRST_MAX))
        section.add(*parts)
    for event in data.events:  # our own shop's numbers: below target, a swing, page health
        if event.kind in OWN_KINDS:
            head, *why = event_lines(event, lang)
            section.add("• " + (t(lang, "digest.why", head=head, why=why[0]) if why else head))
    reviews = data.open_reviews
    for review in reviews[:FIRST_MAX]:
        section.add(review_line(review, lang, data.reply_window_days))
    if len(reviews) > FIRST_MAX:
        section.add(tn(lang, "digest.reviews_more", len(reviews) - FIRST_MAX))
    if data.season:
        section.add("• " + season_head(data.season, lang))
    return section


def _failing_line(peer: PeerStatus, lang: str) -> str:
    key = "digest.needs_person" if peer.needs_person else "digest.failing_line"
    return "• " + t(lang, key, name=fmt.cut(peer.name, fmt.NAME_MAX), fails=peer.fails,
                    error=error_text(peer.last_error, lang),
                    since=fmt.moment(peer.last_ok, lang) if peer.last_ok else "?")


def _copy_label(copy: CopyView, lang: str, currency: str | None) -> str:
    seller = fmt.cut(copy.seller, 16) or fmt.cut(copy.market, 16)
    price = f" {fmt.money(copy.price, currency, lang)}" if copy.price is not None else ""
    return f"{seller}{price}"


def copy_line(copy: CopyView, lang: str = "en", currency: str | None = None) -> str:
    """One copy still online: where, who, price, title, link (plain text)."""
    return "• " + t(lang, "digest.copy_line", market=fmt.cut(copy.market, fmt.NAME_MAX),
                    label=_copy_label(copy, lang, currency),
                    title=fmt.cut(copy.title, fmt.TITLE_MAX)) + (f" {copy.url}" if copy.url
                                                                   else "")


def review_line(review: ReviewView, lang: str, window: int) -> str:
    """One open negative review: stars, product, text, when posted and until when to answer."""
    stars = f"{review.rating:g}★" if review.rating is not None else t(lang, "review.no_stars")
    left = window - review.age_days
    line = "• " + t(lang, "digest.review_line", stars=stars,
                    product=fmt.cut(review.product, fmt.NAME_MAX), text=fmt.cut(review.text, 60),
                    age=n(lang, "days_ago", review.age_days),
                    left=n(lang, "days_left", max(left, 0)))
    if left <= 7:
        line += " ⚠"
    return line


# --- the peers: one line per kind of change, cuts and sale starts of one item merged -------


def _peers(data: DigestData, lang: str) -> Section:
    section = Section(t(lang, "digest.peers"))
    by_store: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in data.events:
        if event.store and event.kind in (*PEER_KINDS, "promo_started"):
            by_store[event.store].append(event)
    for store in sorted(by_store):
        for kind, events in _grouped(by_store[store]):
            section.add(*_peer_line(store, kind, events, lang, data.currency))
    return section


def _key(event: StoredEvent) -> str:
    product = event.product or {}
    return product.get("url") or product.get("title") or event.id


def _grouped(events: list[StoredEvent]) -> list[tuple[str, list[StoredEvent]]]:
    """(kind, events) in PEER_KINDS order; a store-wide sale swallows its items' starts and cuts."""
    groups: dict[str, list[StoredEvent]] = defaultdict(list)
    started = {_key(e) for e in events if e.kind == "promo_started"}
    campaign = any(e.kind == "store_promotion" for e in events)
    for event in events:
        kind = event.kind
        if kind == "promo_started" or (kind == "price_drop" and _key(event) in started):
            if event.kind == "price_drop":
                continue  # the sale start of the same item tells it
            # Told by the store-wide sale's line (as its examples), else as a sale of its own.
            kind = "store_promotion" if campaign else "sale"
        groups[kind].append(event)
    return [(kind, groups[kind]) for kind in PEER_KINDS if groups.get(kind)]


def _peer_line(store: str, kind: str, events: list[StoredEvent], lang: str,
               currency: str | None) -> list[Part | str]:
    name = fmt.cut(store, fmt.NAME_MAX)
    if kind == "store_promotion":
        d = next(e for e in reversed(events) if e.kind == "store_promotion").details
        parts: list[Part | str] = [t(lang, "digest.campaign", store=name,
                                     discounted=d.get("discounted", "?"),
                                     items=d.get("items", "?"),
                                     off=fmt.discount(d.get("median_discount"), lang))]
        events = [e for e in events if e.kind == "promo_started"]
    else:
        parts = [tn(lang, f"digest.{kind}", len(events), store=name)]
    if kind == "price_drop":  # the biggest cuts first: they are the ones to answer
        events = sorted(events, key=lambda e: e.details.get("change") or 0)
    for i, event in enumerate(events[:EXAMPLES]):
        parts += [t(lang, "digest.eg") if i == 0 else t(lang, "digest.sep"),
                  (_example(event, lang, currency), (event.product or {}).get("url"))]
    return parts


def _example(event: StoredEvent, lang: str, currency: str | None) -> str:
    d = event.details
    cur = d.get("currency") or currency
    title = fmt.cut((event.product or {}).get("title"), EXAMPLE_TITLE)
    if event.kind in ("price_drop", "price_rise"):
        return t(lang, "digest.eg_change", title=title, old=fmt.money(d.get("old"), cur, lang),
                 new=fmt.money(d.get("new"), cur, lang))
    if event.kind == "promo_started":
        return t(lang, "digest.eg_sale", title=title, price=fmt.money(d.get("price"), cur, lang),
                 off=fmt.discount(d.get("discount"), lang))
    if event.kind == "new_listing" and isinstance(d.get("price"), int | float):
        return f"{title} {fmt.money(d['price'], cur, lang)}"
    return title


def digest_text(data: DigestData, lang: str = "en") -> str:
    """The digest as plain text (console, `monitor digest`); links follow their text."""
    parts = []
    for section in digest_sections(data, lang):
        lines = [section.heading]
        for line in section.lines:
            lines.append("".join(f"{text} <{url}>" if url else text for text, url in line))
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def digest_html(data: DigestData, lang: str = "en") -> list[str]:
    """The digest as lines of Telegram HTML (headings bold, blank lines between sections)."""
    out: list[str] = []
    for section in digest_sections(data, lang):
        out.append(f"<b>{html.escape(section.heading)}</b>")
        out += [line_html(line) for line in section.lines]
        out.append("")
    return out[:-1]


def shown_ids(data: DigestData) -> list[str]:
    """The events this digest tells (counted or named): only these count as delivered by it."""
    told = {*PEER_KINDS, "promo_started", *OWN_KINDS}
    return [e.id for e in data.events if e.store and e.kind in told and not e.urgent]


__all__ = ["Section", "copy_line", "digest_html", "digest_sections", "digest_text",
           "event_lines", "review_line", "season_head", "shown_ids"]
