"""What the peer diff needs beyond the two catalogues, gathered by the check step.

The diff stays pure: the check step reads the price histories of the items whose price
moved and hashes the main images whose file changed, and hands them in here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from watchers.model import Listing
from watchers.peers.history import PricePoint, Reader, load_histories


@dataclass(frozen=True)
class Extras:
    """Price histories by item key, picture hashes by image URL, the image threshold."""

    histories: Mapping[str, list[PricePoint]] = field(default_factory=dict)
    images: Mapping[str, int | None] = field(default_factory=dict)
    image_distance: int = 10


def price_moves(previous: Mapping[str, Listing], current: Mapping[str, Listing]) -> list[str]:
    """The keys of items whose price changed between the two reads (both priced)."""
    return [key for key, new in current.items()
            if (old := previous.get(key)) is not None and old.price and new.price
            and old.price != new.price]


def gather(store: Reader, source: str, previous: Mapping[str, Listing],
           current: Mapping[str, Listing], *, images: Mapping[str, int | None] | None = None,
           image_distance: int = 10) -> Extras:
    """The histories of the moved prices, with the image hashes the check found."""
    moved = price_moves(previous, current)
    return Extras(load_histories(store, source, moved) if moved else {},
                  images or {}, image_distance)
