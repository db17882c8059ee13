"""How a peer is read: the store's side of the read (prior items, the last complete read's
start, product pages that answered 404/410) and what is kept of it for the next one."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from watchers.reading import Prior, ReadResult, read_source
from watchers.settings import Peer
from watchers.sources.base import SourceSpec
from watchers.watch import WatchContext

log = logging.getLogger(__name__)
TABLE = "peer_reads"
# Platforms read page by page from links and sitemaps (the others read an API or cards).
CRAWLED = frozenset({"jsonld"})


def _row(ctx: WatchContext, source: str) -> dict[str, object]:
    rows = list(ctx.store.query(f"select * from {TABLE} where source = ?", [source]))
    return rows[0] if rows else {}


def _prior(ctx: WatchContext, peer: Peer, row: dict[str, object]) -> Prior:
    started = row.get("started")
    since = datetime.fromisoformat(started) if isinstance(started, str) and started else None
    missing = json.loads(str(row.get("missing") or "[]"))
    return Prior.of(ctx.store.items(peer.source).values(), since, missing)


async def read_peer(ctx: WatchContext, peer: Peer, spec: SourceSpec,
                    robots: bool | None) -> ReadResult:
    """Read a peer's catalogue whole (sitemaps first for a store of pages, unless a catalog
    page is configured), with what the store knows of it."""
    crawled = peer.platform in CRAWLED
    started = ctx.clock()
    read = await read_source(
        ctx.fetcher_for(peer.fetch), spec, respect_robots=robots, max_pages=peer.max_pages,
        prior=_prior(ctx, peer, _row(ctx, peer.source)) if crawled else None,
        discover=crawled and not peer.catalog,
        hint=f"max_pages of [[peers]] {peer.name!r} in config.toml")
    read.started = started.isoformat()
    return read


def remember_read(ctx: WatchContext, peer: Peer, read: ReadResult) -> None:
    """Keep what the next read needs; called once the read's items are stored.

    Only a complete read vouches for every page it did not fetch again, so only its start
    moves the lastmod line. Losing this row is safe (the next read fetches more).
    """
    try:
        row = _row(ctx, peer.source)
        ctx.store.upsert(TABLE, [{
            "source": peer.source,
            "started": read.started if read.complete else row.get("started"),
            "missing": json.dumps(read.missing), "note": read.note(), "limit_hit": read.limit,
            "at": read.started}], pk="source")
    except Exception:  # a locked or full database: the read itself was recorded
        log.warning("could not remember how %s was read", peer.name, exc_info=True)
