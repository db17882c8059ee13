"""listing_changed: a rewritten title's words, another main picture, added sizes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from watchers.model import Listing
from watchers.peers.changes import image_change, same_file, title_change, title_words
from watchers.peers.diff import diff
from watchers.peers.extras import Extras

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_chinese_titles_split_into_words_not_characters() -> None:
    assert title_words("回力2016夏季真皮男士沙滩鞋") == [
        "回力", "2016", "夏季", "真皮", "男士", "沙滩鞋"]


TITLES = [
    ("chinese_seo_word_added", "法式碎花连衣裙", "2026新款法式碎花连衣裙", ["2026", "新款"], []),
    ("english_word_swapped", "Linen Midi Dress", "Linen Maxi Dress", ["Maxi"], ["Midi"]),
    ("chinese_word_removed", "韩版宽松显瘦卫衣", "宽松显瘦卫衣", [], ["韩版"]),
]


@pytest.mark.parametrize(("old", "new", "added", "removed"), [c[1:] for c in TITLES],
                         ids=[c[0] for c in TITLES])
def test_title_words_added_and_removed(old: str, new: str, added: list[str],
                                       removed: list[str]) -> None:
    change = title_change(old, new)
    assert change and (change["added"], change["removed"]) == (added, removed)


@pytest.mark.parametrize(("old", "new"), [("Linen  Dress", "Linen Dress"),
                                          ("Linen dress", "linen Dress"),
                                          ("Linen Dress, blue", "Linen Dress - blue")])
def test_spacing_case_and_punctuation_are_no_rewrite(old: str, new: str) -> None:
    assert title_change(old, new) is None


def test_a_cache_busting_query_is_the_same_file() -> None:
    assert same_file("https://cdn.example/a/dress.jpg?v=1", "https://cdn.example/a/dress.jpg?v=2")
    assert not same_file("https://cdn.example/a/dress.jpg", "https://cdn.example/a/dress2.jpg")


def test_a_close_picture_is_the_same_photo_and_an_unread_one_says_nothing() -> None:
    hashes = {"a": 0b1111, "b": 0b1110, "c": (1 << 64) - 1 - 0b1111, "d": None}
    assert image_change("a", "b", hashes, 10) is None
    assert image_change("a", "c", hashes, 10) == {"old": "a", "new": "c", "distance": 64}
    assert image_change("a", "d", hashes, 10) is None


def item(**kw: object) -> Listing:
    base: dict[str, object] = {"key": "a", "title": "Linen Dress", "url": "https://p/a",
                               "price": 100.0, "image": "https://cdn/a.jpg",
                               "variants": ("S", "M")}
    return Listing(**{**base, **kw})  # type: ignore[arg-type]


def events(old: Listing, new: Listing, extras: Extras | None = None) -> list[dict[str, Any]]:
    result = diff("Peer", "peer:Peer", {"a": old}, {"a": new}, complete=True, baseline=False,
                  now=NOW, extras=extras)
    return [e.details["changes"] for e in result.events if e.kind == "listing_changed"]


def test_two_new_sizes_are_one_listing_changed() -> None:
    assert events(item(), item(variants=("S", "M", "XL", "XXL"))) == [
        {"variants": {"added": ["XL", "XXL"], "removed": []}}]


def test_variants_unknown_before_are_not_news() -> None:
    assert events(item(variants=()), item(variants=("S", "M", "L"))) == []


def test_title_and_picture_in_one_event() -> None:
    extras = Extras(images={"https://cdn/a.jpg": 0, "https://cdn/b.jpg": (1 << 64) - 1})
    (changes,) = events(item(), item(title="Linen Maxi Dress", image="https://cdn/b.jpg"), extras)
    assert set(changes) == {"title", "image"} and changes["image"]["distance"] == 64


def test_partial_read_tells_only_what_it_saw() -> None:
    result = diff("Peer", "peer:Peer", {"a": item(), "b": item(key="b")},
                  {"a": item(variants=("S", "M", "L"))}, complete=False, baseline=False, now=NOW)
    assert [e.kind for e in result.events] == ["listing_changed"]
