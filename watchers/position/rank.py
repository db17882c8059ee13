"""The pure part: which peer items are the hero's style, where our price sits, what to tell.

Same style is the copies watch's title judgement (`watchers.extract.titles`) run over the
peers' stored catalogues instead of a marketplace search, or, for a title that is close but
under `copy_title_similarity` (from `MAYBE`), the same main photo as ours (pHash within
`copy_image_distance`). The title judgement costs ~0.5 ms a pair, so a C-speed `rapidfuzz`
partial ratio first keeps the `CANDIDATES` closest titles of a catalogue (~70 ms for
50,000 titles); only they are judged, and only the "maybe" ones have their photo fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from watchers.extract.titles import title_similarity
from watchers.model import Event, ProductRef

CANDIDATES = 60
MAYBE = 0.4  # a title this close (but under the threshold) is decided by the photo
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
    image: str | None = None


def candidates(hero_title: str, items: list[PeerItem]) -> list[tuple[PeerItem, float]]:
    """The items with a title close to ours, with the copies judgement's title similarity."""
    if not items or not hero_title:
        return []
    found = process.extract(hero_title, [i.title for i in items], scorer=fuzz.partial_ratio,
                            limit=CANDIDATES, score_cutoff=PREFILTER)
    return [(items[index], title_similarity(hero_title, items[index].title))
            for _, _, index in found]


def maybe_images(found: list[tuple[PeerItem, float]], threshold: float) -> list[str]:
    """The main images to compare with ours: of the titles close, but under the threshold."""
    return [item.image for item, sim in found if MAYBE <= sim < threshold and item.image]


def same_style(found: list[tuple[PeerItem, float]], threshold: float, *,
               hero_image: int | None = None, images: Mapping[str, int | None] | None = None,
               max_distance: int = 10) -> list[PeerItem]:
    """The candidates of our style: by title, or a close title with our main photo."""
    out = []
    for item, sim in found:
        if sim >= threshold:
            out.append(item)
            continue
        theirs = (images or {}).get(item.image or "")
        if (sim >= MAYBE and hero_image is not None and theirs is not None
                and (hero_image ^ theirs).bit_count() <= max_distance):
            out.append(item)
    return out


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
