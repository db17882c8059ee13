"""Where our price stands among the same-style items, and which ones are told."""

from __future__ import annotations

import pytest

from watchers.position.rank import (
    PeerItem,
    candidates,
    maybe_images,
    position,
    position_events,
    same_style,
)

POSITIONS = [
    ("cheapest", 100.0, [120.0, 150.0], "cheapest"),
    ("tie_with_the_cheapest_takes_the_cheaper_place", 120.0, [120.0, 150.0], "cheapest"),
    ("between", 130.0, [120.0, 150.0], "median"),
    ("tie_with_the_dearest_takes_the_cheaper_place", 150.0, [120.0, 150.0], "median"),
    ("dearest", 200.0, [120.0, 150.0], "dearest"),
    ("alone", 200.0, [], "cheapest"),
]


@pytest.mark.parametrize(("ours", "theirs", "expected"), [c[1:] for c in POSITIONS],
                         ids=[c[0] for c in POSITIONS])
def test_position(ours: float, theirs: list[float], expected: str) -> None:
    assert position(ours, theirs) == expected


def peer_item(key: str, title: str, price: float) -> PeerItem:
    return PeerItem("Peer", "peer:Peer", key, title, f"https://p/{key}", price,
                    f"https://cdn/{key}.jpg")


def test_same_style_keeps_the_hero_style_only() -> None:
    items = [peer_item("a", "2026新款法式碎花连衣裙女夏季收腰", 180.0),
             peer_item("b", "男士纯棉短袖T恤", 59.0),
             peer_item("c", "Linen Shirt", 120.0)]
    found = candidates("法式碎花连衣裙 女 夏季 收腰", items)
    assert [i.key for i in same_style(found, 0.8)] == ["a"]


def test_a_close_title_is_decided_by_the_photo() -> None:
    found = [(peer_item("a", "x", 150.0), 0.6), (peer_item("b", "y", 150.0), 0.6),
             (peer_item("c", "z", 150.0), 0.3)]
    assert maybe_images(found, 0.8) == ["https://cdn/a.jpg", "https://cdn/b.jpg"]
    images = {"https://cdn/a.jpg": 0b111, "https://cdn/b.jpg": (1 << 64) - 1,
              "https://cdn/c.jpg": 0}
    kept = same_style(found, 0.8, hero_image=0, images=images, max_distance=10)
    assert [i.key for i in kept] == ["a"]  # c has our photo, but its title is another item's
    assert same_style(found, 0.8, hero_image=None, images=images) == []


def test_below_by_the_threshold_is_told_once_per_price() -> None:
    items = [peer_item("a", "x", 160.0), peer_item("b", "y", 195.0)]
    (event,) = position_events("Hero", 200.0, items, {}, 0.05)
    assert event.details == {"hero": "Hero", "hero_price": 200.0, "price": 160.0,
                             "gap": -0.2, "position": "dearest"}
    assert position_events("Hero", 200.0, items, {("peer:Peer", "a"): 160.0}, 0.05) == []
    assert len(position_events("Hero", 200.0, items, {("peer:Peer", "a"): 170.0}, 0.05)) == 1
