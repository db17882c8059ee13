"""What every watch is handed (settings, store, fetcher, clock) and how it registers.

A watch is one package under `watchers/` whose `check` module defines `WATCH`: its kind,
the jobs it runs for the configured settings, and its stage. The check steps reach
storage and the network only through the protocols here, which `monitor` implements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from watchers.fetching import Fetcher
from watchers.health import SourceHealth
from watchers.model import Event, Listing, StoredEvent
from watchers.settings import WatchSettings


class WatchStore(Protocol):
    """The part of the store a watch uses: its sources, items, events and own tables."""

    def transaction(self) -> AbstractContextManager[None]:
        """One transaction; nested uses join the outer one."""
        ...

    def source_state(self, source: str) -> SourceHealth:
        """The health of one source."""
        ...

    def items(self, source: str, *, present_only: bool = True,
              reuse: Mapping[str, tuple[str, Listing]] | None = None) -> dict[str, Listing]:
        """The stored items of one source."""
        ...

    def record(self, *, kind: str, name: str, state: SourceHealth, at: datetime,
               changed: Iterable[Listing] = (), gone: Iterable[str] = (),
               events: Iterable[Event] = (), snapshot: tuple[int, str, bool] | None = None,
               hashes: Mapping[str, str] | None = None) -> list[StoredEvent]:
        """Write a read's items, snapshot, source state and events at once."""
        ...

    def add_events(self, events: Iterable[Event], at: datetime,
                   source: str | None = None) -> list[StoredEvent]:
        """Record events that come with no item snapshot."""
        ...

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Read rows."""
        ...

    def upsert(self, table: str, rows: Iterable[dict[str, Any]], pk: str | tuple[str, ...]
               ) -> None:
        """Insert or update rows of a watch's own table."""
        ...

    def insert(self, table: str, row: dict[str, Any]) -> None:
        """Append one row to a watch's own table."""
        ...

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement; the rows it touched."""
        ...


@dataclass
class CheckResult:
    """The new events of one check, the sources that failed in it, and its counters."""

    events: list[StoredEvent] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)

    def merge(self, other: CheckResult) -> None:
        """Add another watch's result to this one."""
        self.events += other.events
        self.failed += other.failed
        self.counters.update(other.counters)


@dataclass
class WatchContext:
    """The plain values a watch needs; built once per process.

    `season_of` names the season(s) of a new listing for its event details; the
    composition root hands in the season watch's classifier, so the peer watch does not
    import another watch.
    """

    settings: WatchSettings
    store: WatchStore
    fetcher: Fetcher
    clock: Callable[[], datetime]
    browser: Fetcher | None = None
    season_of: Callable[[Listing], str | None] | None = None
    # Set by a full check for a job that starts before the earlier stages are done.
    earlier_stages: Callable[[], Awaitable[None]] | None = None

    async def after_earlier_stages(self) -> None:
        """Wait until the earlier stages of this check have stored what they read.

        Only a job with `reads_first` is started before them (by a full check); for any
        other job, and outside a full check, this returns at once.
        """
        if self.earlier_stages is not None:
            await self.earlier_stages()

    def fetcher_for(self, mode: str) -> Fetcher:
        """The browser for `fetch = "browser"` sources, else the polite HTTP fetcher."""
        if mode == "browser":
            if self.browser is None:
                raise RuntimeError("no browser configured")
            return self.browser
        return self.fetcher


@dataclass(frozen=True)
class Job:
    """One scheduled unit of a watch: read, decide and record, on its own schedule."""

    id: str
    run: Callable[[WatchContext], Awaitable[CheckResult]]
    every: float | None = None  # None: the [monitor] every
    # A later stage's job that reads its own sources first: a full check starts it with
    # the first stage, and it calls `ctx.after_earlier_stages()` before it uses what they
    # store (its network waits then overlap theirs instead of following them).
    reads_first: bool = False


@dataclass(frozen=True)
class Watch:
    """A watch as the runner and the scheduler see it.

    `jobs` gives the jobs for the configured settings (none when nothing is configured);
    a full check runs the stages in order, so that a later stage sees what an earlier
    one recorded in the same check (the season advice reads the peers' new items).
    """

    kind: str
    jobs: Callable[[WatchSettings], list[Job]]
    stage: int = 0
