"""The read side: peer status, copies, reviews, season and digest data from the store."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from monitor.settings import Settings
from monitor.store.answers import Answers
from monitor.store.context import EventContext
from monitor.store.database import Store
from notifier.views import CopyView, DigestData, PeerStatus, ReviewView
from watchers.own.check import load_days
from watchers.own.today import today_report
from watchers.settings import Peer

RECENT_EVENTS = 8
CHART_DAYS = 7
CATCH_UP_MAX = timedelta(days=7)
SEASON_DAYS = 60  # a digest after a long outage covers at most a week


class StoreReadModel:
    """Implements notifier.views.ReadModel over the SQLite store."""

    def __init__(self, settings: Settings, store: Store, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.context = EventContext(settings, store)
        self.answers = Answers(settings, store, clock)

    def peer_statuses(self) -> list[PeerStatus]:
        """Every configured peer's status."""
        return [self._status(peer, recent=0) for peer in self.settings.peers]

    def peer_status(self, name: str) -> PeerStatus | None:
        """One peer's status with its latest changes."""
        peer = self.settings.peer(name)
        return self._status(peer, recent=RECENT_EVENTS) if peer else None

    def _status(self, peer: Peer, recent: int) -> PeerStatus:
        source = peer.source
        # The discount column is written with each item (see migrations._v3): no decoding.
        items, discounted = next(self.store.db.execute(
            "select count(*), count(discount) from items where source = ? and gone_at is null",
            [source]))
        health = self.store.source_state(source)
        events = (self.store.events("source = ?", [source], limit=recent, newest_first=True)
                  if recent else [])
        read = next(self.store.db.execute(
            "select note, limit_hit from peer_reads where source = ?", [source]), (None, None))
        return PeerStatus(
            name=peer.name, tier=peer.tier, platform=peer.platform, url=peer.url,
            items=items, discounted=discounted, state=health.state, fails=health.fails,
            last_ok=health.last_ok, last_error=health.last_error,
            needs_person=health.needs_person, recent=events,
            read_note=read[0] or None, read_limit=read[1] or None,
            # An expired mute is no mute: /status shows only the ones still running.
            muted_until=(health.muted_until if health.muted_until
                         and health.muted_until > self.clock().isoformat() else None),
        )

    def copies_online(self) -> list[CopyView]:
        """Copies still online, newest first."""
        out = []
        for row in self.store.query("select * from copies where online = 1 and data is not null "
                                    "order by first_seen desc"):
            item = json.loads(row["data"])
            out.append(CopyView(row["hero"], row["market"], item.get("title", ""),
                                item.get("url", ""), item.get("price"), item.get("seller"),
                                row["first_seen"], row["event_id"]))
        return out

    def open_reviews(self) -> list[ReviewView]:
        """Negative reviews nobody marked handled, oldest first, with their age in days."""
        now = self.clock()
        out = []
        for row in self.store.query("select * from reviews where negative = 1 and "
                                    "handled_at is null and event_id is not null "
                                    "order by first_seen"):
            data = json.loads(row["data"])
            since = _parse(data.get("posted")) or _parse(row["first_seen"]) or now
            if since.tzinfo is None:  # a plain date ("2026-02-14") is a day where we are
                since = since.replace(tzinfo=now.tzinfo)
            age = max(0, (now - since).days)
            out.append(ReviewView(row["product"], row["rating"], data.get("text", ""),
                                  data.get("author"), data.get("posted"), row["first_seen"],
                                  age, row["event_id"]))
        return out

    def season(self) -> dict[str, Any] | None:
        """The latest season advice with its evidence."""
        rows = list(self.store.query("select * from season_state order by at desc limit 1"))
        if not rows:
            return None
        data: dict[str, Any] = json.loads(rows[0]["details"] or "{}")
        data.update(season=rows[0]["season"], advice=rows[0]["advice"], at=rows[0]["at"])
        return data

    def new_per_day(self, days: int = CHART_DAYS) -> dict[str, dict[str, int]]:
        """New listings per peer per day over the last `days` (for the digest chart)."""
        since = (self.clock() - timedelta(days=days)).isoformat()
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for row in self.store.query(
            "select store, substr(at, 1, 10) as day, count(*) as n from events where "
            "kind = 'new_listing' and at > ? group by store, day", [since]
        ):
            out[row["store"]][row["day"]] = row["n"]
        return dict(out)

    def today(self) -> dict[str, Any] | None:
        """Our shop yesterday and this month against target (/today, the digest's head)."""
        own = self.settings.own
        report = today_report(load_days(self.store), self.settings.targets,
                              self.clock().date(), own.hero_order_value if own else 0.0)
        return report.to_dict() if report else None

    def top(self, peer: str) -> dict[str, Any] | None:
        """A peer's items by recent sales (/top)."""
        return self.answers.top(peer)

    def history(self, words: str) -> dict[str, Any] | None:
        """The best-matching item's prices over time (/history)."""
        return self.answers.history(words)

    def launches_by_season(self, days: int = SEASON_DAYS) -> dict[str, dict[str, int]]:
        """New listings per peer and season over the last `days` (the /season chart)."""
        since = (self.clock() - timedelta(days=days)).isoformat()
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for row in self.store.query(
            "select store, json_extract(details, '$.season') as season, count(*) as n "
            "from events where kind = 'new_listing' and at > ? and store is not null "
            "group by store, season", [since]
        ):
            if isinstance(row["season"], str) and row["season"]:
                out[row["store"]][row["season"]] = row["n"]
        return dict(out)

    def reply_window_days(self) -> int:
        """Days the platform gives to answer a review."""
        return int(self.settings.alerts.reply_window // 86400)

    def _other_failing(self) -> list[PeerStatus]:
        """Failing sources beside the peers (a marketplace search, our reviews, our shop)."""
        out = []
        for row in self.store.query("select * from sources where state = 'failing' and "
                                    "kind != 'peer' order by source"):
            url, _ = self.context.source_info(row["source"])
            out.append(PeerStatus(
                name=row["name"] or row["source"], tier="", platform="", url=url or "",
                items=0, discounted=0, state="failing", fails=row["fails"] or 0,
                last_ok=row["last_ok"], last_error=row["last_error"],
                needs_person=bool(row["needs_person"])))
        return out

    def last_digest(self, chats: list[int]) -> str | None:
        """When the oldest of these chats last got a digest (None: one of them never did)."""
        stamps = []
        for chat in chats:
            rows = list(self.store.query("select max(at) as at from digests where chat = ?",
                                         [chat]))
            if not rows or not rows[0]["at"]:
                return None
            stamps.append(rows[0]["at"])
        return min(stamps) if stamps else None

    def digest_data(self, since: str | None = None) -> DigestData:
        """Events since `since` (the last digest sent; else a day) and every source's state."""
        now = self.clock()
        floor = (now - CATCH_UP_MAX).isoformat()
        since = max(since, floor) if since else (now - timedelta(days=1)).isoformat()
        statuses = self.peer_statuses()
        return DigestData(
            day=now.date().isoformat(), since=since,
            events=self.store.events("at > ?", [since]),
            peers=statuses,
            failing=[s for s in statuses if s.state == "failing"] + self._other_failing(),
            open_reviews=self.open_reviews(), copies=self.copies_online(),
            season=self.season(), new_per_day=self.new_per_day(),
            reply_window_days=self.reply_window_days(),
            currency=self.context.main_currency(),
            positions=self.answers.positions(),
        )


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
