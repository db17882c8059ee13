"""Perceptual hashes of peers' main images, fetched only when an item's image URL changed.

A peer item's main image is compared only when its file changed (`changes.image_moved`):
both pictures are hashed (64-bit pHash, the unit of `alerts.copy_image_distance`) and kept in
`peer_images` by URL, so a picture that comes back (an A/B test of main images) is not
fetched again. The copies watch has its own, richer hashing (crops, banners, local
features) for stolen photos; a peer swapping its own main image needs only "same photo or
not", and watches do not import each other.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping
from typing import Any

import imagehash
from PIL import Image

from watchers.fetching import FetchError
from watchers.model import Listing
from watchers.peers.changes import image_moved
from watchers.watch import WatchContext

log = logging.getLogger(__name__)

# Items per check whose main image file changed and get compared. More at once is a store
# moving to another image CDN (every URL new, no photo changed): hashing 5,000 pairs would
# be 10,000 fetches for nothing, so then no image change is told for that check.
MAX_MOVED_IMAGES = 40
MAX_PIXELS = 40_000_000  # a decompression bomb is never decoded (as the copies watch)
_MIN_SIDE = 16


def phash(data: bytes) -> int | None:
    """The 64-bit perceptual hash of an encoded picture; None if it is not a sane picture."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width < _MIN_SIDE or height < _MIN_SIDE or width * height > MAX_PIXELS:
                return None
            img.draft("L", (256, 256))  # JPEG decodes at a fraction of its size directly
            return int(str(imagehash.phash(img.convert("L"))), 16)
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError...)
        return None


def moved_images(ctx: WatchContext, source: str, current: Mapping[str, Listing]
                 ) -> list[tuple[str, str]]:
    """(old URL, new URL) of the read's items whose main image file changed."""
    rows = ctx.store.query(
        "select key, json_extract(data, '$.image') as image from items "
        "where source = ? and gone_at is null", [source])
    pairs = []
    for row in rows:
        new = current.get(row["key"])
        if new is not None and row["image"] and row["image"] != new.image and image_moved(
                Listing(key="", title="", image=row["image"]), new):
            assert new.image
            pairs.append((str(row["image"]), new.image))
    return pairs


async def image_hashes(ctx: WatchContext, source: str, current: Mapping[str, Listing]
                       ) -> dict[str, int | None]:
    """The hashes of both pictures of every moved main image (None: unreadable)."""
    pairs = moved_images(ctx, source, current)
    if not pairs or len(pairs) > MAX_MOVED_IMAGES:
        if pairs:
            log.info("%s: %d main images moved at once (a CDN move?): not compared",
                     source, len(pairs))
        return {}
    urls = sorted({url for pair in pairs for url in pair})
    marks = ",".join("?" * len(urls))
    known: dict[str, int | None] = {
        r["url"]: int(r["hash"], 16) for r in ctx.store.query(
            f"select url, hash from peer_images where url in ({marks})", urls)}
    rows: list[dict[str, Any]] = []
    for url in urls:
        if url in known:
            continue
        try:
            doc = await ctx.fetcher.fetch(url)
        except FetchError as exc:
            log.info("image %s unreadable: %s", url, exc.reason)
            known[url] = None
            continue
        found = await asyncio.to_thread(phash, doc.body)
        known[url] = found
        if found is not None:
            rows.append({"url": url, "hash": f"{found:016x}", "at": ctx.clock().isoformat()})
    if rows:
        ctx.store.upsert("peer_images", rows, pk="url")
    return known
