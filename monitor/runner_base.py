"""What every watch is handed (settings, store, fetcher, clock) and what it hands back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from monitor.settings import Settings
from monitor.store import Store
from watchers.fetching import Fetcher
from watchers.model import StoredEvent


@dataclass
class CheckResult:
    """The new events of one check and the sources that failed in it."""

    events: list[StoredEvent] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def merge(self, other: CheckResult) -> None:
        """Add another watch's result to this one."""
        self.events += other.events
        self.failed += other.failed


@dataclass
class WatchContext:
    """The plain values a watch needs; built once per process."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    clock: Callable[[], datetime]
    browser: Fetcher | None = None

    def fetcher_for(self, mode: str) -> Fetcher:
        """The browser for `fetch = "browser"` sources, else the polite HTTP fetcher."""
        if mode == "browser":
            if self.browser is None:
                raise RuntimeError("no browser configured")
            return self.browser
        return self.fetcher
