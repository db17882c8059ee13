"""The copy watch: our hero listing, every marketplace search, image evidence, and alerts."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import replace
from urllib.parse import quote

from watchers.copies.imaging import ImageHashes, hash_image
from watchers.copies.judge import HeroImage, copy_event, judge
from watchers.fetching import FetchError
from watchers.health import after_read
from watchers.model import Event, Listing
from watchers.reading import read_source
from watchers.settings import Hero, Marketplace, WatchSettings
from watchers.sources.base import SourceSpec
from watchers.watch import CheckResult, Job, Watch, WatchContext

log = logging.getLogger(__name__)

SEARCH_PAGES = 3  # result pages read per query: copies that matter rank early
IMAGE_CAP = 8_000_000


class ImageCache:
    """Image hashes by URL and by content, so an unchanged image is never hashed twice."""

    def __init__(self, ctx: WatchContext) -> None:
        self.ctx = ctx
        self.hashed = 0  # images actually hashed in this process (for the benchmark)

    def _row(self, url: str) -> tuple[ImageHashes | None, str | None]:
        rows = list(self.ctx.store.query("select hashes, first_seen from images where url = ?",
                                         [url]))
        if not rows:
            return None, None
        return (_parsed(rows[0]["hashes"]) if rows[0]["hashes"] else None,
                rows[0]["first_seen"])

    async def get(self, url: str, ours: bool = False) -> tuple[ImageHashes, str] | None:
        """The hashes of the image at `url` and when it was first seen; None if unreadable.

        `ours`: one of our own photos, which also needs its mirror image's features.
        """
        if not url:
            return None
        cached, first_seen = self._row(url)
        if cached and _fits(cached, ours):
            return cached, str(first_seen)
        try:
            doc = await self.ctx.fetcher.fetch(url)
        except FetchError as exc:
            log.info("image %s unreadable: %s", url, exc.reason)
            return None
        if len(doc.body) > IMAGE_CAP:
            return None
        sha = hashlib.sha256(doc.body).hexdigest()
        same = list(self.ctx.store.query(
            "select hashes from images where sha256 = ? and hashes is not null limit 1", [sha]))
        hashes = _parsed(same[0]["hashes"]) if same else None
        if hashes is None or not _fits(hashes, ours):
            # new bytes, stored by an older format, or a candidate's that became ours
            found = await asyncio.to_thread(hash_image, doc.body, mirror=ours)
            if found is None:
                return None  # not an image: an incomplete read of this candidate, no crash
            self.hashed += 1
            hashes = found
        # A re-hash keeps when the image was first seen: that date is complaint evidence.
        stamp = first_seen or self.ctx.clock().isoformat()
        with self.ctx.store.transaction():
            self.ctx.store.upsert("images", [
                {"url": url, "sha256": sha, "hashes": json.dumps(hashes.to_dict()),
                 "first_seen": stamp}], pk="url")
        return hashes, stamp


def _fits(hashes: ImageHashes, ours: bool) -> bool:
    """Whether stored hashes serve: ours need the mirror image's features as well."""
    local = hashes.local()
    return local is not None and (local.mirrored or not ours)


def _parsed(stored: str) -> ImageHashes | None:
    """Stored hashes, or None when an older format stored them: hash that image again."""
    try:
        return ImageHashes.from_dict(json.loads(stored))
    except (KeyError, ValueError, TypeError):
        return None


def search_url(market: Marketplace, query: str) -> str:
    """The marketplace search URL with the query URL-encoded (Chinese too)."""
    return market.search.replace("{query}", quote(query, safe=""))


async def check_copies(ctx: WatchContext) -> CheckResult:
    """Every hero against every marketplace, sharing one image cache."""
    images = ImageCache(ctx)
    result = CheckResult()
    for found in await asyncio.gather(*(check_hero(ctx, hero, images)
                                        for hero in ctx.settings.heroes)):
        result.merge(found)
    result.counters["images_hashed"] += images.hashed
    return result


async def check_hero(ctx: WatchContext, hero: Hero, images: ImageCache) -> CheckResult:
    """Read our listing, search every marketplace, alert on each new copy."""
    own = await read_source(ctx.fetcher, SourceSpec(platform=hero.platform, url=hero.url,
                                                    purpose="product", home=hero.url))
    if not own.listings:
        return _failed(ctx, f"hero:{hero.name}", hero.name, "; ".join(own.errors[:3]))
    result = _read_ok(ctx, f"hero:{hero.name}", hero.name)
    listing = next(iter(own.listings.values()))
    hero_images = []
    for url in dict.fromkeys([*(listing.images or ()), listing.image or ""]):
        got = await images.get(url, ours=True)
        if got:
            hero_images.append(HeroImage(url, got[0], got[1]))
    for market in ctx.settings.marketplaces:
        result.merge(await _search_market(ctx, hero, listing, hero_images, market, images))
    return result


async def _search_market(ctx: WatchContext, hero: Hero, own: Listing,
                         hero_images: list[HeroImage], market: Marketplace,
                         images: ImageCache) -> CheckResult:
    source = f"copies:{hero.name}:{market.name}"
    candidates: dict[str, Listing] = {}
    errors: list[str] = []
    for query in hero.queries or (own.title,):
        spec = SourceSpec(platform=market.platform, url=search_url(market, query),
                          purpose="search", home=market.search, layout=market.layout)
        read = await read_source(ctx.fetcher_for(market.fetch), spec,
                                 respect_robots=market.respect_robots,
                                 max_pages=SEARCH_PAGES)
        errors += read.errors
        for key, item in read.listings.items():
            candidates.setdefault(key, item)
    known = {r["key"]: r for r in ctx.store.query(
        "select key, online from copies where hero = ? and market = ?", [hero.name, market.name])}
    now = ctx.clock()
    events: list[Event] = []
    rows = []
    for key, item in candidates.items():
        if _is_ours(item, own, hero):
            continue
        if key in known:
            rows.append({"hero": hero.name, "market": market.name, "key": key,
                         "last_seen": now.isoformat(), "online": 1})
            continue
        got = await images.get(item.image or "")
        verdict = judge(own.title, hero_images, item, got[0] if got else None,
                        image_distance=ctx.settings.alerts.copy_image_distance,
                        title_threshold=ctx.settings.alerts.copy_title_similarity)
        if not verdict.is_copy:
            continue
        evidence = {
            "first_seen": now.isoformat(), "image_url": item.image,
            "image_sha256": got[0].sha256 if got else None, "distances": verdict.distances,
            # how the photo was matched (hashes or local features) and its figures: the
            # inliers and where our photo sits in theirs (a box of fractions)
            **({"photo": verdict.photo.evidence()} if verdict.photo else {}),
            "hero_image_url": verdict.hero_image.url if verdict.hero_image else None,
            "hero_image_first_seen": (verdict.hero_image.first_seen
                                      if verdict.hero_image else None),
        }
        events.append(copy_event(hero.name, own.price, market.name, item, verdict, evidence))
        rows.append({"hero": hero.name, "market": market.name, "key": key,
                     "data": json.dumps(item.to_dict(), ensure_ascii=False),
                     "first_seen": now.isoformat(), "last_seen": now.isoformat(), "online": 1})
    health = ctx.store.source_state(source)
    if not health.baseline_done:
        events = []  # the first search is a silent baseline; its copies are still listed
    health, health_events = after_read(health, store=market.name, ok=not errors,
                                       error="; ".join(errors[:3]) or None, now=now)
    with ctx.store.transaction():
        stored = ctx.store.record(kind="copies", name=market.name,
                                  state=replace(health, baseline_done=True), at=now,
                                  events=health_events + events)
        ids = {e.details.get("listing_key"): e.id for e in stored if e.kind == "copy_listing"}
        for row in rows:
            if row["key"] in ids:
                row["event_id"] = ids[row["key"]]
        if rows:
            ctx.store.upsert("copies", rows, pk=("hero", "market", "key"))
        if not errors:  # only a complete search may say a copy went offline
            seen = {r["key"] for r in rows}
            for key in set(known) - seen:
                ctx.store.execute("update copies set online = 0 where hero = ? and "
                                  "market = ? and key = ?", [hero.name, market.name, key])
    return CheckResult(stored, [market.name] if errors else [])


def _is_ours(item: Listing, own: Listing, hero: Hero) -> bool:
    return item.url.rstrip("/") == hero.url.rstrip("/") or item.key == own.key


def _read_ok(ctx: WatchContext, source: str, name: str) -> CheckResult:
    """Our listing read: a failure count ends (and a reported outage recovers)."""
    health = ctx.store.source_state(source)
    if health.fails == 0 and health.state != "failing":
        return CheckResult()  # nothing to write on the usual morning
    now = ctx.clock()
    health, events = after_read(health, store="own", ok=True, error=None, now=now)
    return CheckResult(ctx.store.record(kind="hero", name=name, state=health, at=now,
                                        events=events))


def _failed(ctx: WatchContext, source: str, name: str, error: str) -> CheckResult:
    now = ctx.clock()
    health, events = after_read(ctx.store.source_state(source), store="own", ok=False,
                                error=error or "our listing could not be read", now=now)
    return CheckResult(ctx.store.record(kind="hero", name=name, state=health, at=now,
                                        events=events), [name])


def _jobs(settings: WatchSettings) -> list[Job]:
    return [Job("copies", check_copies)] if settings.heroes and settings.marketplaces else []


WATCH = Watch("copies", _jobs)
