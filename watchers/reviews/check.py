"""The review watch: read each top product's reviews, diff, and record in one transaction."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace

from watchers.health import after_read
from watchers.model import Review
from watchers.reading import ReadResult, read_source
from watchers.reviews.diff import KnownReview, diff_reviews, only_known
from watchers.reviews.sentiment import Verdict, judge_review
from watchers.settings import Top, WatchSettings
from watchers.sources.base import SourceSpec
from watchers.watch import CheckResult, Job, Watch, WatchContext

log = logging.getLogger(__name__)


def review_source(top: Top) -> str:
    """The source id of a top product's reviews."""
    return f"reviews:{top.name}"


def known_reviews(ctx: WatchContext, product: str) -> dict[str, KnownReview]:
    """Reviews already stored for `product`, by key."""
    rows = ctx.store.query("select key, data, rating, event_id from reviews where product = ?",
                           [product])
    out = {}
    for row in rows:
        data = json.loads(row["data"])
        out[row["key"]] = KnownReview(row["key"], data.get("author"), data.get("posted"),
                                      row["rating"], row["event_id"] is not None)
    return out


async def check_tops(ctx: WatchContext) -> CheckResult:
    """Every top product's new reviews."""
    result = CheckResult()
    for found in await asyncio.gather(*(check_top(ctx, top) for top in ctx.settings.tops)):
        result.merge(found)
    return result


async def check_top(ctx: WatchContext, top: Top) -> CheckResult:
    """Read new reviews of one top product and alert on the negative ones."""
    source = review_source(top)
    known = known_reviews(ctx, top.name)
    stop = only_known(known)
    # After a read that failed part-way, page on to the end: older pages may hold reviews
    # that the failed read never saw.
    full = ctx.store.source_state(source).fails > 0
    spec = SourceSpec(platform=top.platform, url=top.reviews or top.url, purpose="reviews",
                      home=top.url, layout=top.layout)
    try:
        read = await read_source(ctx.fetcher_for(top.fetch), spec,
                                 stop_paging=None if full else lambda p: stop(p.reviews))
    except Exception as exc:  # a crash in one watch never stops the others
        log.exception("reading reviews of %s crashed", top.name)
        read = ReadResult(errors=[f"internal error: {type(exc).__name__}: {exc}"])
    now = ctx.clock()
    health = ctx.store.source_state(source)
    alerts = ctx.settings.alerts

    def judge(rating: float | None, text: str) -> Verdict:
        return judge_review(rating, text, alerts.negative_rating, alerts.negative_words)

    # Reviews from the pages that answered are kept even when a later page failed: known
    # reviews are never lost and the next check does not report them again.
    found = diff_reviews(top.name, top.url, known, list(read.reviews.values()),
                         baseline=not health.baseline_done, judge=judge, now=now)
    ok = not read.errors
    health, health_events = after_read(health, store="own", ok=ok,
                                       error="; ".join(read.errors[:3]) or None, now=now,
                                       needs_person=read.needs_person)
    if not read.failed:
        health = replace(health, baseline_done=True)
    events = [*found.events, *health_events]
    stamp = now.isoformat()
    with ctx.store.transaction():
        stored = ctx.store.record(kind="reviews", name=top.name, state=health, at=now,
                                  events=events)
        ids = {e.details.get("review_key"): e.id for e in stored if e.kind == "negative_review"}
        rows = [_row(top.name, r, neg, stamp, ids.get(r.key)) for r, neg in found.new]
        rows += [_row(top.name, r, neg, stamp, ids.get(key), key=key)
                 for key, r, neg in found.edited]
        if rows:
            ctx.store.upsert("reviews", rows, pk=("product", "key"))
        _record_stats(ctx, top.name, read, stamp)
    return CheckResult(stored, [] if ok else [top.name])


def _row(product: str, review: Review, negative: bool, stamp: str, event_id: str | None,
         key: str | None = None) -> dict[str, object]:
    row: dict[str, object] = {
        "product": product, "key": key or review.key,
        "data": json.dumps(review.to_dict(), ensure_ascii=False),
        "rating": review.rating, "negative": int(negative), "posted": review.posted,
    }
    if key is None:
        row["first_seen"] = stamp
    if event_id:
        row["event_id"] = event_id
    return row


def _record_stats(ctx: WatchContext, product: str, read: ReadResult, stamp: str) -> None:
    """The review count and average over time: a row only when either changed."""
    if read.review_count is None and read.rating is None:
        return
    last = list(ctx.store.query("select count, rating from review_stats where product = ? "
                                "order by id desc limit 1", [product]))
    if last and (last[0]["count"], last[0]["rating"]) == (read.review_count, read.rating):
        return
    ctx.store.insert("review_stats", {"product": product, "at": stamp,
                                      "count": read.review_count, "rating": read.rating})


def _jobs(settings: WatchSettings) -> list[Job]:
    return [Job("reviews", check_tops)] if settings.tops else []


WATCH = Watch("reviews", _jobs)
