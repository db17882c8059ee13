"""The position watch: our hero's listing read, set among the peers' stored same-style items.

Our listing is read here (one request per hero and check; the copies watch reads it too,
but keeps nothing of it, and watches do not import each other) and kept as the items of
source `position:NAME`, so our own price has a history like the peers'. The peers' items
are the ones their watch stored: no extra request, and a peer's partial read leaves its
missing items at their last known price, never invents one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

from watchers.health import after_read
from watchers.model import Listing, listing_hash
from watchers.pictures import picture_hashes
from watchers.position.rank import (
    PeerItem,
    candidates,
    maybe_images,
    position_events,
    same_style,
)
from watchers.reading import read_source
from watchers.settings import Hero, WatchSettings
from watchers.sources.base import SourceSpec
from watchers.watch import CheckResult, Job, Watch, WatchContext

log = logging.getLogger(__name__)


def peer_items(ctx: WatchContext) -> list[PeerItem]:
    """Every present, priced item of the configured peers, as stored."""
    out = []
    for peer in ctx.settings.peers:
        rows = ctx.store.query(
            "select key, json_extract(data, '$.title') as title, "
            "json_extract(data, '$.url') as url, json_extract(data, '$.price') as price, "
            "json_extract(data, '$.image') as image "
            "from items where source = ? and gone_at is null", [peer.source])
        out += [PeerItem(peer.name, peer.source, r["key"], r["title"] or "", r["url"] or "",
                         float(r["price"]), r["image"]) for r in rows
                if isinstance(r["price"], (int, float)) and r["price"] > 0]
    return out


def _unchanged(ctx: WatchContext, source: str, own: Listing) -> bool:
    """Nothing to judge again: our listing and every peer's catalogue as at the last time.

    Snapshots are written only when a catalogue changed, so an unchanged check costs two
    indexed reads here instead of matching 50,000 titles again.
    """
    last = ctx.store.source_state(source).last_ok
    stored = list(ctx.store.query("select hash from items where source = ? and key = ? "
                                  "and gone_at is null", [source, own.key]))
    if not last or not stored or stored[0]["hash"] != listing_hash(own):
        return False
    for peer in ctx.settings.peers:
        rows = list(ctx.store.query("select max(at) as at from snapshots where source = ?",
                                    [peer.source]))
        if rows and rows[0]["at"] and rows[0]["at"] >= last:
            return False
    return True


async def check_hero_position(ctx: WatchContext, hero: Hero,
                              items: Callable[[], list[PeerItem]]) -> CheckResult:
    """Read our listing, match the peers' items, tell who went below us."""
    source = f"position:{hero.name}"
    try:
        read = await read_source(ctx.fetcher, SourceSpec(
            platform=hero.platform, url=hero.url, purpose="product", home=hero.url))
        own = next(iter(read.listings.values()), None)
        error = "; ".join(read.errors[:3]) or None
    except Exception as exc:  # a crash in one watch never stops the others
        log.exception("reading our %s crashed", hero.name)
        own, error = None, f"internal error: {type(exc).__name__}: {exc}"
    # Our page is read while the peers are; what follows needs what they stored.
    await ctx.after_earlier_stages()
    now = ctx.clock()
    health = ctx.store.source_state(source)
    if own is None or not own.price:
        health, events = after_read(health, store="own", ok=False, now=now,
                                    error=error or "our listing shows no price")
        return CheckResult(ctx.store.record(kind="hero", name=hero.name, state=health, at=now,
                                            events=events), [hero.name])
    if health.baseline_done and _unchanged(ctx, source, own):
        health, events = after_read(health, store="own", ok=True, error=None, now=now)
        return CheckResult(ctx.store.record(kind="hero", name=hero.name, state=health, at=now,
                                            events=events), [])
    alerts = ctx.settings.alerts
    found = candidates(own.title, items())
    maybe = maybe_images(found, alerts.copy_title_similarity)
    # Photos are fetched only for close titles the words did not decide, once per URL ever.
    hashes = await picture_hashes(ctx, [own.image, *maybe]) if maybe and own.image else {}
    matched = same_style(found, alerts.copy_title_similarity,
                         hero_image=hashes.get(own.image or ""), images=hashes,
                         max_distance=alerts.copy_image_distance)
    rows = {(r["source"], r["key"]): r for r in ctx.store.query(
        "select * from positions where hero = ?", [hero.name])}
    told = {k: float(r["price"]) for k, r in rows.items() if r["below"]}
    events = position_events(hero.name, own.price, matched, told,
                             ctx.settings.alerts.price_change)
    if not health.baseline_done:
        events = []  # the first position is a silent baseline, like any source's first read
    health, health_events = after_read(health, store="own", ok=True, error=None, now=now)
    changed = _position_rows(hero.name, own.price, matched, rows, ctx.settings.alerts.price_change,
                             now.isoformat())
    gone = [k for k in rows if k not in {(m.source, m.key) for m in matched}]
    with ctx.store.transaction():
        stored = ctx.store.record(kind="hero", name=hero.name,
                                  state=replace(health, baseline_done=True), at=now,
                                  changed=[own], events=[*events, *health_events])
        if changed:
            ctx.store.upsert("positions", changed, pk=("hero", "source", "key"))
        for src, key in gone:
            ctx.store.execute("delete from positions where hero = ? and source = ? and key = ?",
                              [hero.name, src, key])
    return CheckResult(stored, [])


def _position_rows(hero: str, hero_price: float, matched: list[PeerItem],
                   rows: dict[tuple[str, str], dict[str, Any]], price_change: float,
                   stamp: str) -> list[dict[str, Any]]:
    """The rows whose price, our price or below-ness changed (written only on change)."""
    out = []
    for item in matched:
        below = int((item.price - hero_price) / hero_price <= -price_change)
        old = rows.get((item.source, item.key))
        if old and (old["price"], old["hero_price"], old["below"]) == (
                item.price, hero_price, below):
            continue
        out.append({"hero": hero, "source": item.source, "key": item.key,
                    "price": item.price, "hero_price": hero_price, "below": below,
                    "at": stamp})
    return out


async def check_positions(ctx: WatchContext) -> CheckResult:
    """Every hero's position."""
    # The peers' items are read once for all heroes, and only if one of them needs them.
    items = cache(lambda: peer_items(ctx))
    result = CheckResult()
    for found in await asyncio.gather(*(check_hero_position(ctx, hero, items)
                                        for hero in ctx.settings.heroes)):
        result.merge(found)
    return result


def _jobs(settings: WatchSettings) -> list[Job]:
    return ([Job("position", check_positions, reads_first=True)]
            if settings.heroes and settings.peers else [])


# Stage 1: in a full check it matches on what the peers just stored (our pages are read
# meanwhile: `reads_first`).
WATCH = Watch("position", _jobs, stage=1)
