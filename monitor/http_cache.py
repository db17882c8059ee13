"""What conditional GETs remember: validators (ETag, Last-Modified) and the body they stand for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


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
