"""What is watched and how alerts are judged: the plain settings records the watches get.

Only `monitor.config` knows TOML; it builds these records, and each watch reads its slice
(`peers`, `heroes` and `marketplaces`, `tops`, `season`, `alerts`) through `WatchSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from watchers.limits import MAX_PAGES
from watchers.sources.base import Layout


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
    max_pages: int = MAX_PAGES  # documents one read may fetch; reaching it is incomplete

    @property
    def source(self) -> str:
        """The source id of this peer's catalogue (its items, snapshots and health)."""
        return f"peer:{self.name}"


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
class OwnSettings:
    """The [own] table: where our shop's exports are dropped, and their column names."""

    exports: Path
    hero_order_value: float = 0.0  # 0: read from the exports when they have it
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetSettings:
    """The [targets] table: the year's sales target, month shares, weekday weights."""

    year: float = 0.0  # 0: no target, so no `target_missed`
    months: tuple[float, ...] = ()
    weekdays: tuple[float, ...] = ()


class WatchSettings(Protocol):
    """The part of the settings the watches read (monitor's `Settings` has it)."""

    @property
    def alerts(self) -> AlertSettings: ...

    @property
    def season(self) -> SeasonSettings: ...

    @property
    def peers(self) -> tuple[Peer, ...]: ...

    @property
    def marketplaces(self) -> tuple[Marketplace, ...]: ...

    @property
    def heroes(self) -> tuple[Hero, ...]: ...

    @property
    def tops(self) -> tuple[Top, ...]: ...

    @property
    def respect_robots(self) -> bool: ...

    @property
    def own(self) -> OwnSettings | None: ...

    @property
    def targets(self) -> TargetSettings: ...

    def peer(self, name: str) -> Peer | None: ...
