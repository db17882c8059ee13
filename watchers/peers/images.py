"""The main images whose file changed in a read, hashed for the pure diff.

A peer item's main image is compared only when its file changed (`changes.image_moved`):
both pictures are hashed (`watchers.pictures`, kept by URL, so a picture that comes back,
as in an A/B test of main images, is not fetched again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from watchers.model import Listing
from watchers.peers.changes import image_moved
from watchers.pictures import picture_hashes
from watchers.watch import WatchContext

log = logging.getLogger(__name__)

# Items per check whose main image file changed and get compared. More at once is a store
# moving to another image CDN (every URL new, no photo changed): hashing 5,000 pairs would
# be 10,000 fetches for nothing, so then no image change is told for that check.
MAX_MOVED_IMAGES = 40


def moved_images(previous: Mapping[str, Listing], current: Mapping[str, Listing]
                 ) -> list[tuple[str, str]]:
    """(old URL, new URL) of the read's items whose main image file changed.

    `previous` is the stored catalogue as `Store.items(reuse=...)` gives it: an item whose
    hash did not change is the read's own object there, so it is passed over at once
    (reading every stored item's image again was ~40 ms of CPU per 5,000-item peer).
    """
    pairs = []
    for key, new in current.items():
        old = previous.get(key)
        if old is not None and old is not new and image_moved(old, new):
            assert old.image and new.image
            pairs.append((old.image, new.image))
    return pairs


async def image_hashes(ctx: WatchContext, source: str, previous: Mapping[str, Listing],
                       current: Mapping[str, Listing]) -> dict[str, int | None]:
    """The hashes of both pictures of every moved main image (None: unreadable)."""
    pairs = moved_images(previous, current)
    if not pairs or len(pairs) > MAX_MOVED_IMAGES:
        if pairs:
            log.info("%s: %d main images moved at once (a CDN move?): not compared",
                     source, len(pairs))
        return {}
    return await picture_hashes(ctx, (url for pair in pairs for url in pair))
