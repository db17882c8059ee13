"""The main images whose file changed in a read, hashed for the pure diff.

A peer item's main image is compared only when its file changed (`changes.image_moved`):
both pictures are hashed (`watchers.pictures`, kept by URL, so a picture that comes back,
as in an A/B test of main images, is not fetched again).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from watchers.model import Listing
from watchers.peers.changes import image_moved
from watchers.pictures import picture_hashes
from watchers.watch import WatchContext

log = logging.getLogger(__name__)

# Items per check whose main image file changed and get compared. More at once is a store
# moving to another image CDN (every URL new, no photo changed): hashing 5,000 pairs would
# be 10,000 fetches for nothing, so then no image change is told for that check.
MAX_MOVED_IMAGES = 40
# SQLite's variable limit is 32,766 since 3.32 (999 before): stay well under either.
_KEYS_PER_QUERY = 500


def moved_images(ctx: WatchContext, source: str, current: Mapping[str, Listing],
                 hashes: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(old URL, new URL) of the read's items whose main image file changed.

    With the read's `hashes` (listing_hash by key) only the items whose stored hash differs
    are looked at: an equal hash is an equal item, image included. Reading every stored
    item's image out of its JSON was ~40 ms of CPU per 5,000-item peer on every check.
    """
    if hashes is None:
        rows = ctx.store.query(
            "select key, json_extract(data, '$.image') as image from items "
            "where source = ? and gone_at is null", [source])
    else:
        stored = ctx.store.query(
            "select key, hash from items where source = ? and gone_at is null", [source])
        keys = [r["key"] for r in stored
                if r["key"] in current and hashes.get(r["key"]) != r["hash"]]
        rows = _images_of(ctx, source, keys)
    pairs = []
    for row in rows:
        new = current.get(row["key"])
        if new is not None and row["image"] and row["image"] != new.image and image_moved(
                Listing(key="", title="", image=row["image"]), new):
            assert new.image
            pairs.append((str(row["image"]), new.image))
    return pairs


def _images_of(ctx: WatchContext, source: str, keys: list[str]) -> Iterator[dict[str, Any]]:
    """(key, stored main image) rows of `keys`, a few hundred keys to a query."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start:start + _KEYS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        yield from ctx.store.query(
            "select key, json_extract(data, '$.image') as image from items "
            f"where source = ? and gone_at is null and key in ({marks})", [source, *chunk])


async def image_hashes(ctx: WatchContext, source: str, current: Mapping[str, Listing],
                       hashes: Mapping[str, str] | None = None) -> dict[str, int | None]:
    """The hashes of both pictures of every moved main image (None: unreadable)."""
    pairs = moved_images(ctx, source, current, hashes)
    if not pairs or len(pairs) > MAX_MOVED_IMAGES:
        if pairs:
            log.info("%s: %d main images moved at once (a CDN move?): not compared",
                     source, len(pairs))
        return {}
    return await picture_hashes(ctx, (url for pair in pairs for url in pair))
