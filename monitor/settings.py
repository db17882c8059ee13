"""Typed, frozen settings: what the rest of the monitor is handed instead of TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from watchers.sources.base import Layout


@dataclass(frozen=True)
class MonitorSettings:
    """The [monitor] table."""

    database: Path
    timezone: str = "Asia/Shanghai"
    language: str = "en"
    every: float = 1800.0
    concurrency: int = 16
    per_host: int = 2
    host_interval: float = 1.0
    timeout: float = 20.0
    user_agent: str = "monitor/0.1 (+competitor price watch)"
    respect_robots: bool = True
    cookies: Path | None = None
    browser_profile: Path | None = None
    browser: str = "/usr/bin/chromium"
    daily_budget: int = 400  # requests per day to each Taobao/Tmall/JD site (monitor.pacing)


@dataclass(frozen=True)
class TelegramSettings:
    """The [telegram] table."""

    token_env: str = "MONITOR_TELEGRAM_TOKEN"
    chats: tuple[int, ...] = ()
    api_url: str = ""
    digest_at: time = time(9, 0)


@dataclass(frozen=True)
class AlertSettings:
    """The [alerts] table."""

    price_change: float = 0.05
    negative_rating: float = 3.0
    negative_words: tuple[str, ...] = ()
    copy_image_distance: int = 10
    copy_title_similarity: float = 0.8
    reply_window: float = 30 * 86400.0  # the platform's window to answer a review


@dataclass(frozen=True)
class Peer:
    """One [[peers]] entry."""

    name: str
    url: str
    platform: str
    tier: str = "similar"
    fetch: str = "http"
    respect_robots: bool | None = None
    catalog: str = ""
    every: float | None = None
    layout: Layout | None = None


@dataclass(frozen=True)
class Marketplace:
    """One [[marketplaces]] entry."""

    name: str
    search: str
    platform: str
    fetch: str = "http"
    layout: Layout | None = None
    respect_robots: bool | None = None


@dataclass(frozen=True)
class Hero:
    """One [[hero]] entry: our product that copies are searched for."""

    name: str
    url: str
    queries: tuple[str, ...] = ()
    platform: str = "jsonld"


@dataclass(frozen=True)
class Top:
    """One [[top]] entry: our product whose reviews are watched."""

    name: str
    url: str
    platform: str = "jsonld"
    reviews: str = ""
    fetch: str = "http"
    layout: Layout | None = None


@dataclass(frozen=True)
class SeasonSettings:
    """The [season] table."""

    window: float = 21 * 86400.0
    min_peers: int = 2
    hemisphere: str = "north"
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Everything config.toml says, validated."""

    path: Path
    monitor: MonitorSettings
    telegram: TelegramSettings = TelegramSettings()
    alerts: AlertSettings = AlertSettings()
    season: SeasonSettings = SeasonSettings()
    peers: tuple[Peer, ...] = ()
    marketplaces: tuple[Marketplace, ...] = ()
    heroes: tuple[Hero, ...] = ()
    tops: tuple[Top, ...] = ()
    layouts: dict[str, Layout] = field(default_factory=dict)

    def peer(self, name: str) -> Peer | None:
        """The peer called `name` (case-insensitive), if any."""
        for peer in self.peers:
            if peer.name.casefold() == name.casefold():
                return peer
        return None
