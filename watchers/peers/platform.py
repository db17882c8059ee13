"""A peer configured by its address alone: its platform detected once, then remembered.

Detected again after FAILS_BEFORE_ALERT failed reads in a row (a store that moved to
another platform reads as failing, never as empty: the failure is what triggers it); the
read on the new platform is then a silent baseline.
"""

from __future__ import annotations

from dataclasses import replace

from watchers.health import FAILS_BEFORE_ALERT
from watchers.settings import Peer
from watchers.sources.detect import detect_platform
from watchers.watch import WatchContext


async def with_platform(ctx: WatchContext, peer: Peer) -> tuple[Peer, str | None]:
    """The peer with its platform (configured, remembered or detected now), or why none."""
    if peer.platform:
        return peer, None
    rows = list(ctx.store.query("select platform from platforms where source = ?",
                                [peer.source]))
    remembered = rows[0]["platform"] if rows else None
    if remembered and ctx.store.source_state(peer.source).fails < FAILS_BEFORE_ALERT:
        return replace(peer, platform=remembered), None
    found = await detect_platform(ctx.fetcher_for(peer.fetch), peer.catalog or peer.url)
    if found.platform is None:
        if remembered:  # keep reading the way that worked; its failures stay visible
            return replace(peer, platform=remembered), None
        return peer, found.reason
    if found.platform != remembered:
        with ctx.store.transaction():
            ctx.store.upsert("platforms", [{"source": peer.source, "platform": found.platform,
                                            "at": ctx.clock().isoformat()}], pk="source")
            if remembered:
                # Items have other keys on another platform: the next read is a silent
                # baseline, not a catalogue of removals and new listings.
                ctx.store.execute("update sources set baseline_done = 0 where source = ?",
                                  [peer.source])
    return replace(peer, platform=found.platform), None
