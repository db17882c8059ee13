"""A picture's 64-bit perceptual hash, fetched once per URL and kept in `peer_images`.

For "is this the same photo?" between two main images (a peer swapping its own main
image, a peer item against our hero's): pHash survives re-compression and resizing, and
its distance is in bits of 64 like `alerts.copy_image_distance`. The copies watch has its
own, richer hashing (crops, banners, local features) for stolen photos.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterable
from typing import Any

import imagehash
from PIL import Image

from watchers.fetching import FetchError
from watchers.watch import WatchContext

log = logging.getLogger(__name__)

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


async def picture_hashes(ctx: WatchContext, urls: Iterable[str]) -> dict[str, int | None]:
    """The hashes of the pictures at `urls` (None: unreadable), fetching only unknown ones."""
    wanted = sorted(set(u for u in urls if u))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    known: dict[str, int | None] = {
        r["url"]: int(r["hash"], 16) for r in ctx.store.query(
            f"select url, hash from peer_images where url in ({marks})", wanted)}
    rows: list[dict[str, Any]] = []
    for url in wanted:
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


def distance(a: int | None, b: int | None) -> int | None:
    """Bits that differ between two hashes; None when either picture is unknown."""
    return None if a is None or b is None else (a ^ b).bit_count()
