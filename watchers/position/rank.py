"""The pure part: which peer items are the hero's style, where our price sits, what to tell.

Same style is the copies watch's title judgement (`watchers.extract.titles`) run over the
peers' stored catalogues instead of a marketplace search. That judgement costs ~0.5 ms a
pair, so a C-speed `rapidfuzz` partial ratio first keeps the `CANDIDATES` closest titles
of a catalogue (~70 ms for 50,000 titles); only they are judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from watchers.extract.titles import title_similarity
from watchers.model import Event, ProductRef

CANDIDATES = 60
PREFILTER = 60  # partial ratio (of 100) under which a title is not judged at all


@dataclass(frozen=True, slots=True)
class PeerItem:
    """A peer's item as the position needs it."""

    store: str
    source: str
    key: str
    title: str
    url: str
    price: float


def same_style(hero_title: str, items: list[PeerItem], threshold: float) -> list[PeerItem]:
    """The items whose title the copies judgement calls the hero's style."""
    if not items or not hero_title:
        return []
    found = process.extract(hero_title, [i.title for i in items], scorer=fuzz.partial_ratio,
                            limit=CANDIDATES, score_cutoff=PREFILTER)
    return [items[index] for _, _, index in found
            if title_similarity(hero_title, items[index].title) >= threshold]


def position(hero_price: float, prices: Iterable[float]) -> str:
    """Our price among ours and theirs: cheapest, median or dearest (ties: the cheaper)."""
    others = list(prices)
    if not others or hero_price <= min(others):
        return "cheapest"
    return "dearest" if hero_price > max(others) else "median"


def gap(price: float, hero_price: float) -> float:
    """(price - ours) / ours: negative when theirs is below ours."""
    return round((price - hero_price) / hero_price, 4)


def position_events(hero: str, hero_price: float, matched: list[PeerItem],
                    told: Mapping[tuple[str, str], float], price_change: float,
                    ) -> list[Event]:
    """One event per item that went below ours by at least `price_change`, per price.

    `told` holds the price each item was last found below ours at: the same item at the
    same price is not told again, at another price it is.
    """
    where = position(hero_price, (m.price for m in matched))
    out = []
    for item in matched:
        g = gap(item.price, hero_price)
        if g > -price_change or told.get((item.source, item.key)) == item.price:
            continue
        out.append(Event(
            kind="price_position",
            key=f"price_position:{hero}:{item.source}:{item.key}:{item.price}",
            summary=f"{item.store} sells {item.title} at {_money(item.price)}, {-g:.0%} below "
                    f"our {hero} ({_money(hero_price)}); ours is now the {where} of "
                    f"{len(matched) + 1}",
            store=item.store, product=ProductRef(item.title, item.url),
            details={"hero": hero, "hero_price": hero_price, "price": item.price, "gap": g,
                     "position": where}))
    return out


def _money(value: float) -> str:
    return f"{value:,.2f}" if value % 1 else f"{value:,.0f}"
