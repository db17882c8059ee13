"""How a peer is read: the store's side of the read (prior items, the last complete read's
start, product pages that answered 404/410) and what is kept of it for the next one."""

from __future__ import annotations

import json
from datetime import datetime

from watchers.reading import Prior, ReadResult, read_source
from watchers.settings import Peer
from watchers.sources.base import SourceSpec
from watchers.watch import WatchContext

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
    page is configured) and remember what the next read needs."""
    crawled = peer.platform in CRAWLED
    row = _row(ctx, peer.source) if crawled else {}
    started = ctx.clock()
    read = await read_source(
        ctx.fetcher_for(peer.fetch), spec, respect_robots=robots, max_pages=peer.max_pages,
        prior=_prior(ctx, peer, row) if crawled else None,
        discover=crawled and not peer.catalog,
        hint=f"max_pages of [[peers]] {peer.name!r} in config.toml")
    ctx.store.upsert(TABLE, [{
        "source": peer.source,
        # Only a complete read vouches for every page it did not fetch again.
        "started": started.isoformat() if read.complete else row.get("started"),
        "missing": json.dumps(read.missing), "note": read.note(), "limit_hit": read.limit,
        "at": started.isoformat()}], pk="source")
    return read
