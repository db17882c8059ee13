"""The daily digest as sections of plain lines, rendered from stored data only."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from notifier.i18n import t
from notifier.views import CopyView, DigestData, ReviewView
from watchers.model import StoredEvent

PEER_KINDS = ("new_listing", "price_drop", "price_rise", "promo_started", "promo_ended",
              "store_promotion", "out_of_stock", "back_in_stock", "listing_removed")
LINES_PER_KIND = 5


@dataclass
class Section:
    """A heading and its lines; the channel decides how to mark them up."""

    heading: str
    lines: list[str] = field(default_factory=list)


def digest_sections(data: DigestData, lang: str = "en") -> list[Section]:
    """The digest, section by section: peers, copies, reviews, season, failing sources."""
    sections = [Section(t(lang, "digest.title", day=data.day),
                        [t(lang, "digest.since", since=data.since[:16].replace("T", " "))])]
    by_store: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in data.events:
        if event.kind in PEER_KINDS and event.store:
            by_store[event.store].append(event)
    if not by_store:
        sections[0].lines.append(t(lang, "digest.nothing"))
    for store in sorted(by_store):
        sections.append(_peer_section(store, by_store[store], lang))
    if data.copies:
        sections.append(Section(t(lang, "digest.copies"), [copy_line(c) for c in data.copies]))
    if data.open_reviews:
        sections.append(Section(t(lang, "digest.reviews"),
                                [review_line(r, lang, data.reply_window_days)
                                 for r in data.open_reviews]))
    if data.season:
        sections.append(Section(t(lang, "digest.season"), [str(data.season.get("summary"))]))
    failing = [p for p in data.failing if p.state == "failing"]
    if failing:
        lines = [t(lang, "digest.needs_person" if p.needs_person else "digest.failing_line",
                   name=p.name, fails=p.fails, error=p.last_error or "?") for p in failing]
        sections.append(Section(t(lang, "digest.failing"), lines))
    return sections


def copy_line(copy: CopyView) -> str:
    """One copy still online: where, who, price, link."""
    price = f" {copy.price:g}" if copy.price is not None else ""
    seller = f" ({copy.seller})" if copy.seller else ""
    return f"- {copy.market}{seller}{price}: {copy.title} {copy.url}"


def review_line(review: ReviewView, lang: str, window: int) -> str:
    """One open negative review with its age, warning near the platform's reply window."""
    stars = f"{review.rating:g}★" if review.rating is not None else "☆?"
    text = review.text if len(review.text) <= 120 else review.text[:119] + "…"
    line = "- " + t(lang, "digest.review_line", stars=stars, product=review.product,
                    text=text, age=review.age_days)
    left = window - review.age_days
    if left <= 7:
        line += " ⚠ " + t(lang, "digest.review_close", days=max(left, 0))
    return line


def _peer_section(store: str, events: list[StoredEvent], lang: str) -> Section:
    counts = Counter(e.kind for e in events)
    summary = ", ".join(f"{counts[k]} {t(lang, 'kind.' + k)}" for k in PEER_KINDS if counts[k])
    section = Section(f"{store}: {summary}")
    for kind in PEER_KINDS:
        chosen = [e for e in events if e.kind == kind]
        for event in chosen[:LINES_PER_KIND]:
            section.lines.append(f"- {event.summary}")
        if len(chosen) > LINES_PER_KIND:
            section.lines.append("  " + t(lang, "digest.more", count=len(chosen) - LINES_PER_KIND))
    return section


def digest_text(data: DigestData, lang: str = "en") -> str:
    """The digest as plain text (console, `monitor digest`)."""
    parts = []
    for section in digest_sections(data, lang):
        parts.append("\n".join([section.heading, *section.lines]))
    return "\n\n".join(parts) + "\n"
