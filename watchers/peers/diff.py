"""The peer watch's pure diff: two catalogue snapshots in, events out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from watchers.model import Event, Listing, ProductRef
from watchers.peers.changes import change_summary, listing_changes
from watchers.peers.extras import Extras
from watchers.peers.history import PricePoint, alternation, history_details, lowest_note

# A catalogue that lost more than this share of its items at once is a suspect read (a
# broken page, a login wall, a partial answer), not a mass removal.
SHRINK_SUSPECT = 0.5


@dataclass(frozen=True)
class Thresholds:
    """When a change is worth an event."""

    price_change: float = 0.05
    campaign_share: float = 0.3  # share of the catalogue newly discounted = a store sale
    campaign_min_items: int = 3


@dataclass
class PeerDiff:
    """What to store and tell after one read of a peer."""

    events: list[Event] = field(default_factory=list)
    changed: list[Listing] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    suspect: str | None = None  # why a complete-looking read was not trusted for removals


def discount(listing: Listing) -> float | None:
    """The fraction off the regular price, when the item is on sale."""
    if listing.price is None or not listing.regular_price:
        return None
    if listing.regular_price <= listing.price:
        return None
    return (listing.regular_price - listing.price) / listing.regular_price


def diff(
    store: str,
    source: str,
    previous: Mapping[str, Listing],
    current: Mapping[str, Listing],
    *,
    complete: bool,
    baseline: bool,
    now: datetime,
    thresholds: Thresholds = Thresholds(),
    season_of: Callable[[Listing], str | None] | None = None,
    extras: Extras | None = None,
) -> PeerDiff:
    """Events between the stored catalogue and a fresh read.

    The first read is a silent baseline. Removals are reported only after a complete read
    that did not shrink suspiciously; items missing from a partial read are kept as they were.
    `extras` carries the moved prices' histories and the moved main images' hashes.
    """
    extras = extras or Extras()
    out = PeerDiff(changed=list(current.values()))
    if baseline:
        # A baseline over a stored catalogue (the store moved platform: other keys) drops
        # what a complete read no longer holds, silently.
        out.gone = [key for key in previous if key not in current] if complete else []
        return out
    stamp = now.isoformat()
    trust_removals = complete
    if complete and previous and len(current) < len(previous) * (1 - SHRINK_SUSPECT):
        trust_removals = False
        out.suspect = f"catalogue shrank from {len(previous)} to {len(current)} items"

    def event(kind: str, item: Listing, summary: str, **details: object) -> Event:
        return Event(kind=kind, key=f"{kind}:{source}:{item.key}:{stamp}", summary=summary,
                     store=store, product=ProductRef(item.title, item.url), details=details)

    for key, new in current.items():
        old = previous.get(key)
        if old is None:
            season = season_of(new) if season_of else None
            out.events.append(event("new_listing", new, f"{store} lists {new.title}"
                                    + (f" at {_money(new.price)}" if new.price else ""),
                                    price=new.price, currency=new.currency, season=season,
                                    regular_price=new.regular_price, image=new.image))
            continue
        out.events.extend(_item_changes(store, old, new, thresholds, event, extras, now))
    if trust_removals:
        for key, old in previous.items():
            if key not in current:
                out.gone.append(key)
                out.events.append(event("listing_removed", old,
                                        f"{store} no longer lists {old.title}",
                                        price=old.price))
    campaign = _campaign(store, source, previous, current, out.events, thresholds, stamp)
    if campaign:
        out.events.append(campaign)
    return out


EventMaker = Callable[..., Event]


def _price_move(store: str, old: Listing, new: Listing, t: Thresholds, event: EventMaker,
                extras: Extras, now: datetime) -> Event | None:
    """A price event with where the new price sits in the item's history, or None."""
    if not (old.price and new.price and old.price > 0):
        return None
    change = (new.price - old.price) / old.price
    if abs(change) < t.price_change:
        return None
    # No stored version (an item recorded before versions were kept): its last price is all.
    points = extras.histories.get(new.key) or [PricePoint(now, old.price)]
    alternates = alternation(points, new.price, now)
    if alternates == "again":
        return None  # it goes back and forth between recent prices: that was said once
    history = history_details(points, new.price, now)
    kind = "price_drop" if change < 0 else "price_rise"
    verb = "cuts" if change < 0 else "raises"
    note = lowest_note(history["lowest_in_days"]) if change < 0 else ""
    if alternates:
        note += f"; it alternates between {_money(old.price)} and {_money(new.price)}"
    extra = {"alternates": sorted({old.price, new.price})} if alternates else {}
    return event(kind, new, f"{store} {verb} {new.title} from {_money(old.price)}"
                 f" to {_money(new.price)} ({change:+.0%}){note}",
                 old=old.price, new=new.price, currency=new.currency,
                 change=round(change, 4), **history, **extra)


def _item_changes(store: str, old: Listing, new: Listing, t: Thresholds,
                  event: EventMaker, extras: Extras, now: datetime) -> list[Event]:
    found = []
    if (moved := _price_move(store, old, new, t, event, extras, now)) is not None:
        found.append(moved)
    changes = listing_changes(old, new, extras.images, extras.image_distance)
    if changes:
        found.append(event("listing_changed", new, change_summary(store, new.title, changes),
                           changes=changes))
    was, now_ = discount(old), discount(new)
    if was is None and now_ is not None:
        found.append(event("promo_started", new, f"{store} puts {new.title} on sale: "
                           f"{_money(new.price)} instead of {_money(new.regular_price)}",
                           price=new.price, regular_price=new.regular_price,
                           discount=round(now_, 4)))
    elif was is not None and now_ is None:
        found.append(event("promo_ended", new, f"{store} ends the sale on {new.title}",
                           price=new.price, regular_price=old.regular_price))
    if old.available is True and new.available is False:
        found.append(event("out_of_stock", new, f"{store}: {new.title} is sold out"))
    elif old.available is False and new.available is True:
        found.append(event("back_in_stock", new, f"{store}: {new.title} is back in stock"))
    return found


def _campaign(store: str, source: str, previous: Mapping[str, Listing],
              current: Mapping[str, Listing], events: list[Event], t: Thresholds,
              stamp: str) -> Event | None:
    """One store_promotion when the discounted share crosses the campaign line."""
    if not current:
        return None
    before = [d for d in map(discount, previous.values()) if d is not None]
    now = [d for d in map(discount, current.values()) if d is not None]
    share_before = len(before) / len(previous) if previous else 0.0
    share = len(now) / len(current)
    started = sum(1 for e in events if e.kind == "promo_started")
    if share < t.campaign_share or share_before >= t.campaign_share:
        return None
    if started < t.campaign_min_items:
        return None
    med = median(now)
    return Event(
        kind="store_promotion", key=f"store_promotion:{source}:{stamp}",
        summary=f"{store} runs a store-wide sale: {share:.0%} of the catalogue discounted, "
                f"median {med:.0%} off ({len(now)} of {len(current)} items)",
        store=store, product=None,
        details={"share": round(share, 4), "median_discount": round(med, 4),
                 "discounted": len(now), "items": len(current), "started": started},
    )


def _money(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.2f}" if value % 1 else f"{value:,.0f}"
