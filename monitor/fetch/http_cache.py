"""What conditional GETs remember: validators (ETag, Last-Modified) and the body they stand for."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A stored answer: its validators, body and (lower-case) headers."""

    etag: str | None
    last_modified: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class HttpCache(Protocol):
    """Where the fetcher keeps answers that carry a validator, keyed by the requested URL."""

    def get(self, url: str) -> CachedResponse | None:
        """The stored answer for `url`, if any."""
        ...

    def put(self, url: str, response: CachedResponse) -> None:
        """Store (or replace) the answer for `url`."""
        ...


class MemoryHttpCache:
    """An HttpCache in a dict: lives as long as the process."""

    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}

    def get(self, url: str) -> CachedResponse | None:
        """The stored answer for `url`, if any."""
        return self._entries.get(url)

    def put(self, url: str, response: CachedResponse) -> None:
        """Store (or replace) the answer for `url`."""
        self._entries[url] = response

    def __len__(self) -> int:
        return len(self._entries)


class Rows(Protocol):
    """The part of the SQLite store that StoreHttpCache uses (monitor.store has it)."""

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Read rows."""
        ...

    def upsert(self, table: str, rows: Iterable[dict[str, Any]], pk: str | tuple[str, ...]
               ) -> None:
        """Insert or update rows by primary key."""
        ...


class StoreHttpCache:
    """An HttpCache in the SQLite store, so validators survive between `monitor check` runs."""

    def __init__(self, store: Rows) -> None:
        self.store = store

    def get(self, url: str) -> CachedResponse | None:
        """The stored answer for `url`, if any."""
        rows = list(self.store.query("select * from http_cache where url = ?", [url]))
        if not rows:
            return None
        row = rows[0]
        return CachedResponse(row["etag"], row["last_modified"], row["body"] or b"",
                              json.loads(row["headers"] or "{}"))

    def put(self, url: str, response: CachedResponse) -> None:
        """Store (or replace) the answer for `url`."""
        self.store.upsert("http_cache", [
            {"url": url, "etag": response.etag, "last_modified": response.last_modified,
             "body": response.body, "headers": json.dumps(response.headers)}], pk="url")
