"""The season watch: the peers' new items of the coming season, how they sell, the advice."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from watchers.model import Listing
from watchers.season.advice import SeasonItem, advise, hint_event
from watchers.season.calendar import classify, coming_season
from watchers.settings import WatchSettings
from watchers.watch import CheckResult, Job, Watch, WatchContext


def season_namer(settings: WatchSettings) -> Callable[[Listing], str | None]:
    """A function naming the season(s) of a listing for `new_listing` details."""
    keywords = settings.season.keywords or None

    def name(listing: Listing) -> str | None:
        tag = classify(listing.title, listing.tags, listing.product_type, keywords)
        if tag.clearance or not tag.seasons:
            return None
        return "+".join(sorted(tag.seasons))

    return name


def season_items(ctx: WatchContext, since: datetime) -> list[SeasonItem]:
    """Every peer item first seen since `since`, with its first and latest sales signals.

    Items first seen at a peer's first (baseline) read are not launches: they are left out.
    """
    keywords = ctx.settings.season.keywords or None
    baselines = {r["source"]: r["first"] for r in ctx.store.query(
        "select source, min(at) as first from snapshots group by source")}
    out = []
    for peer in ctx.settings.peers:
        source = peer.source
        after = max(since.isoformat(), baselines.get(source, ""))
        rows = ctx.store.query(
            "select i.key, i.data, i.first_seen, (select v.data from item_versions v where "
            "v.source = i.source and v.key = i.key order by v.id limit 1) as first_data "
            "from items i where i.source = ? and i.first_seen > ?", [source, after])
        for row in rows:
            now_item = Listing.from_dict(json.loads(row["data"]))
            first = Listing.from_dict(json.loads(row["first_data"] or row["data"]))
            tag = classify(now_item.title, now_item.tags, now_item.product_type, keywords)
            out.append(SeasonItem(
                peer=peer.name, key=row["key"], title=now_item.title,
                first_seen=datetime.fromisoformat(row["first_seen"]),
                seasons=frozenset(tag.seasons), clearance=tag.clearance,
                sales_first=first.sales, sales_now=now_item.sales,
                reviews_first=first.review_count, reviews_now=now_item.review_count,
                sold_out_since_first=bool(first.available and now_item.available is False),
            ))
    return out


async def check_season(ctx: WatchContext) -> CheckResult:
    """Compute the advice for the coming season; record it and alert when it changed."""
    now = ctx.clock()
    s = ctx.settings.season
    season = coming_season(now.date(), s.hemisphere)
    window = timedelta(seconds=s.window)
    items = season_items(ctx, now - window)
    advice = advise(items, season, now, window, s.min_peers)
    rows = list(ctx.store.query("select advice from season_state where season = ?", [season]))
    previous = rows[0]["advice"] if rows else None
    event = hint_event(previous, advice, now)
    with ctx.store.transaction():
        stored = ctx.store.add_events([event], now) if event else []
        ctx.store.upsert("season_state", [
            {"season": season, "advice": advice.advice, "at": now.isoformat(),
             "details": json.dumps(advice.to_dict(), ensure_ascii=False)}], pk="season")
    return CheckResult(stored, [])


def _jobs(settings: WatchSettings) -> list[Job]:
    return [Job("season", check_season)] if settings.peers else []


# Stage 1: a full check gives the advice after the peers recorded their new items.
WATCH = Watch("season", _jobs, stage=1)
