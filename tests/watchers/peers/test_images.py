"""Which main images moved: the stored catalogue as the check reads it (unchanged items are
the read's own objects) gives the same pairs as one decoded whole from the store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from monitor.store.database import Store
from watchers.health import SourceHealth
from watchers.model import Listing, listing_hash
from watchers.peers.images import moved_images

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
SOURCE = "peer:https://peer.test"


def _item(n: int, price: float = 10.0, image: str | None = None) -> Listing:
    return Listing(key=str(n), title=f"Shirt {n}", price=price,
                   image=image or f"https://cdn.test/{n}/a.jpg")


def _store(tmp_path: Path, items: list[Listing]) -> Store:
    store = Store(tmp_path / "m.db")
    store.record(kind="peer", name="Peer", state=SourceHealth(SOURCE), at=NOW, changed=items)
    return store


def _reused(store: Store, current: dict[str, Listing]) -> dict[str, Listing]:
    return store.items(SOURCE, reuse={k: (listing_hash(v), v) for k, v in current.items()})


def test_moved_images_with_reused_items_are_those_of_the_decoded_store(
        tmp_path: Path) -> None:
    stored = [_item(n) for n in range(300)]
    store = _store(tmp_path, stored)
    # Every other item's price moves; three items show another file, one only a
    # cache-busting query, one an image no more; a new item has nothing to compare with.
    current = {i.key: replace(i, price=11.0) if int(i.key) % 2 else i for i in stored}
    for n in (5, 150, 299):
        current[str(n)] = replace(current[str(n)], image=f"https://cdn.test/{n}/b.jpg")
    current["7"] = replace(current["7"], image="https://cdn.test/7/a.jpg?v=2")
    current["9"] = replace(current["9"], image=None)
    current["2000"] = _item(2000)
    expected = [(f"https://cdn.test/{n}/a.jpg", f"https://cdn.test/{n}/b.jpg")
                for n in (5, 150, 299)]
    try:
        assert moved_images(_reused(store, current), current) == expected
        assert moved_images(store.items(SOURCE), current) == expected
    finally:
        store.close()


def test_an_unchanged_item_is_its_own_read_object(tmp_path: Path) -> None:
    stored = [_item(n) for n in range(10)]
    store = _store(tmp_path, stored)
    current = {i.key: i for i in stored}
    current["3"] = replace(current["3"], image="https://cdn.test/3/b.jpg")
    try:
        previous = _reused(store, current)
    finally:
        store.close()
    assert previous["4"] is current["4"] and previous["3"] is not current["3"]
    assert moved_images(previous, current) == [
        ("https://cdn.test/3/a.jpg", "https://cdn.test/3/b.jpg")]
