"""The one network seam the watchers see: a Fetcher protocol and the documents it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class FetchError(Exception):
    """A read that did not give the content asked for (network, status, size, robots...).

    `needs_person` is set when a login page or a slider check stands in the way.
    """

    def __init__(self, url: str, reason: str, *, needs_person: bool = False,
                 screenshot: str | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.needs_person = needs_person
        self.screenshot = screenshot  # a PNG of what the site showed, for the operators


@dataclass(frozen=True, slots=True)
class Document:
    """A fetched body with what a parser may need to read it."""

    url: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def declared_charset(self) -> str | None:
        """The charset named in the Content-Type header, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"' ").lower()
        return None

    @property
    def text(self) -> str:
        """The body decoded, trusting the bytes over a declared charset (see `decode`)."""
        from watchers.encoding import decode

        return decode(self.body, self.declared_charset)


class Fetcher(Protocol):
    """Fetches one URL politely; raises FetchError when the read failed."""

    async def fetch(self, url: str, *, respect_robots: bool | None = None) -> Document:
        """Return the document at `url` (a 2xx answer) or raise FetchError."""
        ...
