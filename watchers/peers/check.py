"""The peer watch: read a peer's catalogue, diff it against the stored one, record."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import partial

from watchers.health import after_read
from watchers.model import Listing, listing_hash
from watchers.peers.diff import Thresholds, diff
from watchers.peers.extras import gather
from watchers.peers.images import image_hashes
from watchers.peers.platform import with_platform
from watchers.peers.reads import read_peer, remember_read
from watchers.peers.selling import rank_sales
from watchers.reading import ReadResult
from watchers.settings import Peer, WatchSettings
from watchers.sources.base import SourceSpec
from watchers.watch import CheckResult, Job, Watch, WatchContext

log = logging.getLogger(__name__)


def _snapshot_hash(hashes: Mapping[str, str]) -> str:
    # Built from the item hashes, so that each item is hashed once per check.
    digest = hashlib.sha1()
    for key in sorted(hashes):
        digest.update(f"{key}:{hashes[key]}\n".encode())
    return digest.hexdigest()[:20]


async def check_peer(ctx: WatchContext, peer: Peer) -> CheckResult:
    """Read one peer, diff against the stored catalogue, record, and say what is new."""
    peer, unknown = await with_platform(ctx, peer)
    if unknown:  # none of the platforms we read: the operator must give a layout
        return record_peer(ctx, peer, ReadResult(errors=[unknown]))
    spec = SourceSpec(platform=peer.platform, url=peer.catalog or peer.url,
                      purpose="catalog", home=peer.url, layout=peer.layout)
    robots = (ctx.settings.respect_robots if peer.respect_robots is None
              else peer.respect_robots)
    try:
        read = await read_peer(ctx, peer, spec, robots)
    except Exception as exc:  # a crash in one watch never stops the others
        log.exception("reading %s crashed", peer.name)
        read = ReadResult(errors=[f"internal error: {type(exc).__name__}: {exc}"])
    # Each item is hashed once, the stored catalogue read once: the image step and the
    # diff both use them.
    hashes = _hashes(read)
    previous = _stored(ctx, peer.source, read, hashes) if read.listings else None
    # Main images whose file changed are hashed here (async) for the pure diff.
    images = (await image_hashes(ctx, peer.source, previous, read.listings) if previous
              is not None else {})
    result = record_peer(ctx, peer, read, images, hashes, previous)
    remember_read(ctx, peer, read)  # only once its items are stored: lastmod trusts them
    return result


def _hashes(read: ReadResult) -> dict[str, str]:
    return {key: listing_hash(item) for key, item in read.listings.items()}


def _stored(ctx: WatchContext, source: str, read: ReadResult, hashes: Mapping[str, str]
            ) -> dict[str, Listing]:
    # An unchanged item is taken from the read instead of decoded from the store.
    return ctx.store.items(source, reuse={key: (hashes[key], item)
                                          for key, item in read.listings.items()})


def record_peer(ctx: WatchContext, peer: Peer, read: ReadResult,
                images: Mapping[str, int | None] | None = None,
                hashes: Mapping[str, str] | None = None,
                previous: Mapping[str, Listing] | None = None) -> CheckResult:
    """Diff a read against the stored catalogue and write both in one transaction.

    `hashes` (the read's listing_hash by key) and `previous` (the stored catalogue, read
    with them) are given when the caller made them already.
    """
    source = peer.source
    now = ctx.clock()
    health = ctx.store.source_state(source)
    if read.failed:
        health, events = after_read(health, store=peer.name, ok=False,
                                    error="; ".join(read.errors[:3]), now=now,
                                    needs_person=read.needs_person, screenshot=read.screenshot)
        stored = ctx.store.record(kind="peer", name=peer.name, state=health, at=now,
                                  events=events)
        return CheckResult(stored, [peer.name])
    thresholds = Thresholds(price_change=ctx.settings.alerts.price_change)
    hashes = hashes if hashes is not None else _hashes(read)
    previous = previous if previous is not None else _stored(ctx, source, read, hashes)
    extras = gather(ctx.store, source, previous, read.listings, images=images,
                    image_distance=ctx.settings.alerts.copy_image_distance)
    result = diff(peer.name, source, previous, read.listings,
                  complete=read.complete, baseline=not health.baseline_done, now=now,
                  thresholds=thresholds, season_of=ctx.season_of, extras=extras)
    ok = read.complete and result.suspect is None
    sales = rank_sales(ctx.store, peer.name, source, read.listings, now=now, complete=ok,
                       baseline=not health.baseline_done)
    problem = "; ".join(read.errors[:3]) or result.suspect
    health, health_events = after_read(health, store=peer.name, ok=ok, error=problem, now=now,
                                       needs_person=read.needs_person,
                                       screenshot=read.screenshot)
    with ctx.store.transaction():
        stored = ctx.store.record(
            kind="peer", name=peer.name, state=replace(health, baseline_done=True), at=now,
            changed=result.changed, gone=result.gone,
            events=[*result.events, *sales.events, *health_events],
            snapshot=(len(read.listings), _snapshot_hash(hashes), read.complete),
            hashes=hashes,
        )
        sales.save(ctx.store)
    return CheckResult(stored, [] if ok else [peer.name])


def _jobs(settings: WatchSettings) -> list[Job]:
    # One job per peer: each has its own schedule (a big catalogue may be read less often).
    return [Job(peer.source, partial(check_peer, peer=peer), peer.every)
            for peer in settings.peers]


WATCH = Watch("peers", _jobs)
