"""Issue 6's scale: 10 peers x 5,000 items, 50 review pages and 20 marketplace searches."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.common import HostPlan, bare_floor, by_host, peak_rss_mb, timed_check
from bench.extras_world import ExtrasWorld
from bench.world import PAGE
from monitor.config import load
from monitor.settings import Settings
from watchers.copies.check import search_url

PEERS, ITEMS = 10, 5000
TOPS, HEROES, QUERIES = 50, 5, 2  # 5 heroes x 2 queries x 2 marketplaces = 20 searches
MARKETS = ("market0", "market1")
CONCURRENCY, PER_HOST = 32, 2

LAYOUTS = """
[layouts.rev.reviews]
item = "div.rev"
id = "@data-id"
rating = "span.stars"
text = "p.body"
author = "em.who"
date = "time"

[layouts.bazaar.listing]
item = "div.item"
title = "a.t"
url = "a.t"
image = "img"
price = "span.p"
seller = "span.shop"
"""


def config_text(peer_urls: list[str], extras: ExtrasWorld) -> str:
    """A config.toml for the whole scale world (database beside it)."""
    out = [f'[monitor]\ndatabase = "scale.db"\nhost_interval = "0s"\nper_host = {PER_HOST}\n'
           f'concurrency = {CONCURRENCY}\nrespect_robots = false\n'
           # The image CDN is on loopback and named by no source: page-supplied image URLs
           # reach it only when allowed (monitor.fetch.addresses).
           f'allow_hosts = ["{extras.root("cdn")}"]\n']
    out += [f'[[peers]]\nname = "Peer {i}"\nurl = "{u}"\nplatform = "shopify"\n'
            + ('tier = "leader"\n' if i < 2 else "") for i, u in enumerate(peer_urls)]
    shop = extras.root("shop")
    for n in range(TOPS):
        host = extras.root("shop" if n < TOPS // 2 else "reviews")
        out.append(f'[[top]]\nname = "Top {n}"\nurl = "{shop}/p/{n}"\n'
                   f'reviews = "{host}/top/{n}/reviews"\nplatform = "html"\nlayout = "rev"\n')
    for h in range(HEROES):
        queries = ", ".join(f'"阔腿牛仔裤 {h} {q}"' for q in range(QUERIES))
        out.append(f'[[hero]]\nname = "Hero {h}"\nurl = "{shop}/hero/{h}"\n'
                   f'queries = [{queries}]\n')
    for m in MARKETS:
        out.append(f'[[marketplaces]]\nname = "{m}"\nsearch = "{extras.root(m)}/search?q={{query}}"'
                   f'\nplatform = "html"\nlayout = "bazaar"\n')
    return "\n".join(out) + LAYOUTS


def floor_plans(settings: Settings) -> list[HostPlan]:
    """Every URL an unchanged check fetches, by host: catalogue pages, reviews, searches."""
    pages = ITEMS // PAGE + 1  # the adapter stops after the first page that is not full
    plans = [HostPlan([f"{p.url}/products.json?limit={PAGE}&page={n}"
                       for n in range(1, pages + 1)], 1) for p in settings.peers]
    others = [t.reviews for t in settings.tops] + [h.url for h in settings.heroes]
    others += [search_url(m, q) for h in settings.heroes for m in settings.marketplaces
               for q in h.queries]
    return plans + by_host(others, PER_HOST)


def count_searches(settings: Settings) -> int:
    """Marketplace searches one check runs."""
    return sum(len(h.queries) for h in settings.heroes) * len(settings.marketplaces)


def bench_scale(tmp: Path, peer_urls: list[str], extras: ExtrasWorld
                ) -> tuple[dict[str, Any], Settings]:
    """A baseline check, then an unchanged one timed against the floor; both searched twice."""
    path = tmp / "scale.toml"
    path.write_text(config_text(peer_urls, extras), encoding="utf-8")
    settings = load(path)
    plans = floor_plans(settings)
    floor = min(asyncio.run(bare_floor(plans, CONCURRENCY)) for _ in range(2))
    first, _, first_hashed = asyncio.run(timed_check(settings))
    cycle, events, rehashed = asyncio.run(timed_check(settings))
    figures: dict[str, Any] = {
        "scale_items": PEERS * ITEMS, "scale_review_pages": len(settings.tops),
        "scale_searches": count_searches(settings),
        "scale_urls": sum(len(p.urls) for p in plans),
        "scale_first_cycle_s": round(first, 3), "scale_first_images_hashed": first_hashed,
        "scale_cycle_s": round(cycle, 3), "scale_floor_s": round(floor, 3),
        "scale_ratio": round(cycle / floor, 3), "scale_unchanged_events": events,
        "search_rehashed_images": rehashed,
        "scale_peak_rss_mb": round(peak_rss_mb(), 1),
    }
    return figures, settings
