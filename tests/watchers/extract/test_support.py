"""as_str, the scalar reading every JSON adapter shares (its string case has a fast path)."""

from __future__ import annotations

from typing import Any

import pytest

from watchers.extract.support import as_str
from watchers.sources.shopify import product_listing


class Label(str):
    """A str subclass: read like any string."""


@pytest.mark.parametrize(("value", "expected"), [
    (" Linen  Tee ", "Linen  Tee"), ("", None), ("  \n", None), (Label(" x "), "x"),
    (0, "0"), (12.5, "12.5"), (False, None), (True, None), (None, None),
    ({"a": 1}, None), (["a"], None),
])
def test_as_str(value: Any, expected: str | None) -> None:
    assert as_str(value) == expected


def test_odd_tags_and_images_are_read_as_before() -> None:
    # Tags: strings cleaned (entities, spaces), numbers as text, empties and lists dropped;
    # images: only objects with a non-empty src.
    item = product_listing({
        "id": 7, "title": "Tee", "handle": "tee",
        "tags": [" Summer&amp;Sun ", "", 2026, ["x"], "Summer&amp;Sun", None],
        "images": [{"src": " https://cdn.test/1.jpg "}, "https://cdn.test/2.jpg",
                   {"src": ""}, {"alt": "no src"}, {"src": 3}],
        "variants": [{"price": "5.00", "compare_at_price": None, "available": True}],
    }, "https://peer.test")
    assert item is not None
    assert item.tags == ("Summer&Sun", "2026", "Summer&Sun")
    assert item.images == ("https://cdn.test/1.jpg", "3")
    assert item.price == 5.0 and item.regular_price is None
