"""Which main images moved: the read's hashes narrow the look-up, never its answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from monitor.config import load
from monitor.store.database import Store
from watchers.fetching import Document
from watchers.health import SourceHealth
from watchers.model import Listing, listing_hash
from watchers.peers.images import moved_images
from watchers.watch import WatchContext

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
SOURCE = "peer:https://peer.test"


class NoFetching:
    """moved_images reads the store only; a fetch would be a bug."""

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        raise AssertionError(f"fetched {url}")


def _context(tmp_path: Path) -> WatchContext:
    config = tmp_path / "config.toml"
    config.write_text('[monitor]\ndatabase = "m.db"\n\n[[peers]]\nname = "Peer"\n'
                      'url = "https://peer.test"\nplatform = "shopify"\n', encoding="utf-8")
    settings = load(config)
    return WatchContext(settings=settings, store=Store(settings.monitor.database),
                        fetcher=NoFetching(), clock=lambda: NOW)


def _item(n: int, price: float = 10.0, image: str | None = None) -> Listing:
    return Listing(key=str(n), title=f"Shirt {n}", price=price,
                   image=image or f"https://cdn.test/{n}/a.jpg")


def test_hashes_find_the_same_moved_images_as_reading_every_item(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    stored = [_item(n) for n in range(1200)]
    ctx.store.record(kind="peer", name="Peer", state=SourceHealth(SOURCE), at=NOW,
                     changed=stored)
    # Every item's price moves (1,200 changed items: more than one look-up's worth of
    # keys), three of them also show another file, one only a cache-busting query.
    current = {item.key: replace(item, price=11.0) for item in stored}
    for n in (5, 600, 1100):
        current[str(n)] = replace(current[str(n)], image=f"https://cdn.test/{n}/b.jpg")
    current["7"] = replace(current["7"], image="https://cdn.test/7/a.jpg?v=2")
    current["2000"] = _item(2000)  # new: nothing stored to compare with
    hashes = {key: listing_hash(item) for key, item in current.items()}

    expected = sorted((f"https://cdn.test/{n}/a.jpg", f"https://cdn.test/{n}/b.jpg")
                      for n in (5, 600, 1100))
    assert sorted(moved_images(ctx, SOURCE, current, hashes)) == expected
    assert sorted(moved_images(ctx, SOURCE, current)) == expected


def test_an_item_whose_hash_is_unchanged_is_not_looked_at(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    stored = [_item(n) for n in range(10)]
    ctx.store.record(kind="peer", name="Peer", state=SourceHealth(SOURCE), at=NOW,
                     changed=stored)
    current = {item.key: item for item in stored}
    current["3"] = replace(current["3"], image="https://cdn.test/3/b.jpg")
    hashes = {key: listing_hash(item) for key, item in current.items()}
    assert moved_images(ctx, SOURCE, current, hashes) == [
        ("https://cdn.test/3/a.jpg", "https://cdn.test/3/b.jpg")]
    # The stored hash is what vouches for the item: with the read's own hash for item 3
    # claiming nothing changed, its moved image is (rightly) not looked for.
    hashes["3"] = listing_hash(stored[3])
    assert moved_images(ctx, SOURCE, current, hashes) == []
