"""Reading a response body within a size limit, decoding gzip/deflate incrementally.

The client asks only for `gzip` and `deflate` (ACCEPT_ENCODING), decoded here
with zlib's `max_length`, so a compression bomb is refused after at most the
limit's worth of output; an error body is read only up to its own, smaller
limit and kept truncated. Bytes after the end of a compressed stream are
refused at once (a success) or dropped (an error body): zlib would otherwise
keep all of them.
"""

from __future__ import annotations

import zlib
from typing import Any

__all__ = [
    "ACCEPT_ENCODING",
    "BodyDecoder",
    "ResponseTooLarge",
    "TrailingData",
    "UnsupportedEncoding",
]

ACCEPT_ENCODING = "gzip, deflate"


class ResponseTooLarge(Exception):
    """The decoded body went past the limit (mapped to ResponseTooLargeError)."""


class UnsupportedEncoding(Exception):
    """The server used a content-encoding the client did not ask for."""


class TrailingData(Exception):
    """Bytes came after the end of a compressed stream (refused at once, never buffered)."""


class BodyDecoder:
    """Decodes a body as it arrives, never producing more than `limit` bytes.

    Past the limit it raises ResponseTooLarge or, with `truncate`, keeps the
    first `limit` bytes and asks for no more (`feed` returns False).
    """

    def __init__(self, content_encoding: str | None, limit: int, truncate: bool = False) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        self._limit = limit
        self._truncate = truncate
        self._buffer = bytearray()
        self._full = False
        self._raw_deflate_fallback = encoding == "deflate"
        if encoding in ("identity", ""):
            self._zlib: Any = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        else:
            raise UnsupportedEncoding(encoding[:40])

    def feed(self, chunk: bytes) -> bool:
        """Take the next raw chunk; False when no more is wanted (truncated)."""
        if self._zlib is None:
            return self._append(chunk)
        if self._zlib.eof:
            # zlib would keep whatever follows in `unused_data`, without bound.
            if self._truncate:
                return False
            raise TrailingData
        room = self._limit - len(self._buffer) + 1
        try:
            data = self._zlib.decompress(chunk, room)
        except zlib.error:
            if not self._raw_deflate_fallback:
                raise
            # Some servers send deflate without the zlib header.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            data = self._zlib.decompress(chunk, room)
        self._raw_deflate_fallback = False
        wanted = self._append(data)
        if self._zlib.eof and self._zlib.unused_data:
            if self._truncate:
                return False
            raise TrailingData
        # No check of `unconsumed_tail` is needed: output is capped at one byte
        # past the room left, so a body with more to give has already gone past
        # the limit in `_append` (refused, or truncated and full).
        return wanted

    def _append(self, data: bytes) -> bool:
        room = self._limit - len(self._buffer)
        if len(data) <= room:
            self._buffer += data
            return True
        if not self._truncate:
            raise ResponseTooLarge
        self._buffer += data[:room]
        self._full = True
        return False

    def finish(self) -> bytearray:
        """The decoded body."""
        if self._zlib is not None and not self._full:
            self._append(self._zlib.flush())
        return self._buffer
