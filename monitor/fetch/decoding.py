"""Content-Encoding undone under a cap: decoded bytes are counted while they are made.

httpx decodes a whole received chunk at once, so `Content-Encoding: gzip, gzip` of 2.5 KB
grows past a gigabyte before any cap placed after decoding can look at it. Here every layer
gives out at most `CHUNK` bytes per step (zlib's `max_length`), the layers are chained as
generators, and the caller stops pulling as soon as its cap is passed: the bomb is never
inflated beyond the cap plus one chunk per layer.

Only the codings the client asks for are decoded (gzip, deflate; `identity` is none);
anything else, or more layers than `MAX_CODINGS`, is refused (`Undecodable`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from watchers.limits import MAX_CODINGS

CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # what we send, so that servers use nothing else


class Undecodable(Exception):
    """A body whose Content-Encoding is unknown, too deeply stacked or corrupt."""


class _Layer:
    """One coding undone step by step; deflate guesses zlib-wrapped or raw, as httpx does."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        gzip = coding in ("gzip", "x-gzip")
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self._raw_retry = not gzip  # a deflate body may lack the zlib header
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            try:
                out = self._inflate.decompress(data, CHUNK)
            except zlib.error as exc:
                if not self._raw_retry:
                    raise Undecodable(f"corrupt {self.coding} body: {exc}") from None
                self._raw_retry = False
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_retry = False
            data = self._inflate.unconsumed_tail
            self._done = self._inflate.eof  # what follows the stream's end is ignored
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        if self._done:
            return
        try:
            out = self._inflate.flush(CHUNK)
        except zlib.error as exc:
            raise Undecodable(f"corrupt {self.coding} body: {exc}") from None
        if out:
            yield out


class BoundedDecoder:
    """Undoes the layers named by a Content-Encoding header, outermost (last named) first."""

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise Undecodable(f"unsupported Content-Encoding {', '.join(unknown)!r}")
        if len(codings) > MAX_CODINGS:
            raise Undecodable(f"{len(codings)} stacked Content-Encodings (at most "
                              f"{MAX_CODINGS} are undone)")
        self._layers = [_Layer(c) for c in reversed(codings)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded chunks of at most CHUNK bytes for `data`; pull only as many as needed."""
        return self._through(0, iter((data,)))

    def flush(self) -> Iterator[bytes]:
        """What the layers still hold once the body has ended."""
        for i, layer in enumerate(self._layers):
            yield from self._through(i + 1, layer.flush())

    def _through(self, start: int, chunks: Iterator[bytes]) -> Iterator[bytes]:
        if start == len(self._layers):
            yield from chunks
            return
        layer = self._layers[start]
        for chunk in chunks:
            yield from self._through(start + 1, layer.feed(chunk))
