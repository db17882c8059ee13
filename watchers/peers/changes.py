"""What a peer changed on one item's listing: its title's words, its main picture, its variants.

Titles are split into words the way an operator reads them: Chinese with jieba (measured on
231 real Taobao/JD titles with one SEO word inserted or removed, the added/removed lists were
exactly that word for 72 % of the edits with jieba, 6 % split by character, 0 % by bigram:
`bench/title_words.py`), other scripts on spaces and punctuation. jieba is loaded only when a
Chinese title changed (1-5 s and 60-75 MB on the 2-CPU VM, once per process).

A main image is "another picture" when its URL changed and the two pictures' perceptual
hashes (64 bits, the unit of `alerts.copy_image_distance`) are further apart than that
threshold: a re-compressed or resized upload of the same photo stays close and is not news.
The hashes come from the check step (fetched only for items whose image URL changed); when
either picture could not be read, nothing is said about the image.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from watchers.model import Listing

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*", re.UNICODE)
_PUNCT = re.compile(r"^[\W_]+$")


@cache
def _jieba() -> Any:
    import jieba  # lazy: seconds and ~70 MB that a catalogue without Chinese titles never pays

    jieba.setLogLevel(60)
    return jieba


def title_words(title: str) -> list[str]:
    """The title's words in order: jieba for Chinese, spaces and punctuation otherwise."""
    if _CJK.search(title):
        return [w for w in _jieba().lcut(title) if w.strip() and not _PUNCT.match(w)]
    return _WORD.findall(title)


def _added(words: list[str], other: list[str]) -> list[str]:
    seen = {w.casefold() for w in other}
    return [w for w in dict.fromkeys(words) if w.casefold() not in seen]


def title_change(old: str, new: str) -> dict[str, Any] | None:
    """{old, new, added, removed} when the title's words changed (not only its spacing)."""
    if " ".join(old.split()) == " ".join(new.split()):
        return None
    before, after = title_words(old), title_words(new)
    added, removed = _added(after, before), _added(before, after)
    if not added and not removed:  # the same words re-ordered, re-cased or re-punctuated
        return None
    return {"old": old, "new": new, "added": added, "removed": removed}


def variants_change(old: tuple[str, ...], new: tuple[str, ...]) -> dict[str, Any] | None:
    """{added, removed} variant names; nothing when the old read had none (not known then)."""
    if not old or not new:
        return None
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    return {"added": added, "removed": removed} if added or removed else None


def same_file(old: str, new: str) -> bool:
    """The same image file: a CDN's cache-busting query (`?v=...`) is not a new picture."""
    a, b = urlsplit(old), urlsplit(new)
    return (a.netloc.lower(), a.path) == (b.netloc.lower(), b.path)


def image_moved(old: Listing, new: Listing) -> bool:
    """Whether the main image's file changed, so its pictures need comparing."""
    return bool(old.image and new.image and old.image != new.image
                and not same_file(old.image, new.image))


def image_change(old: str, new: str, hashes: Mapping[str, int | None],
                 max_distance: int) -> dict[str, Any] | None:
    """{old, new, distance} when the main image is another picture, judged by its hashes."""
    a, b = hashes.get(old), hashes.get(new)
    if a is None or b is None:
        return None  # a picture we could not read: say nothing rather than guess
    distance = (a ^ b).bit_count()
    if distance <= max_distance:
        return None
    return {"old": old, "new": new, "distance": distance}


def listing_changes(old: Listing, new: Listing, hashes: Mapping[str, int | None],
                    max_distance: int) -> dict[str, Any]:
    """Every change an operator would call "they changed the listing" (may be empty)."""
    changes: dict[str, Any] = {}
    if old.title != new.title and (title := title_change(old.title, new.title)) is not None:
        changes["title"] = title
    if image_moved(old, new):
        assert old.image and new.image
        if (image := image_change(old.image, new.image, hashes, max_distance)) is not None:
            changes["image"] = image
    if old.variants != new.variants and (
            variants := variants_change(old.variants, new.variants)) is not None:
        changes["variants"] = variants
    return changes


def change_summary(store: str, title: str, changes: Mapping[str, Any]) -> str:
    """One sentence: what the peer changed on the item."""
    parts = []
    if "title" in changes:
        t = changes["title"]
        words = [*(f"+{w}" for w in t["added"]), *(f"-{w}" for w in t["removed"])]
        parts.append("rewrote the title" + (f" ({' '.join(words[:8])})" if words else ""))
    if "image" in changes:
        parts.append("replaced the main image")
    if "variants" in changes:
        v = changes["variants"]
        if v["added"]:
            parts.append("added " + ", ".join(v["added"][:8]))
        if v["removed"]:
            parts.append("removed " + ", ".join(v["removed"][:8]))
    return f"{store} changed {title}: " + "; ".join(parts)
