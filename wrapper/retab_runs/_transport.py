"""The HTTP transports our clients build, and reading a body within its limits.

Two bounds hold whatever the server does:

* **Time**: one deadline for the whole attempt (the read timeout from when the
  request went out), headers included. httpx's timeouts bound each socket
  operation, so a server sending its status line a byte every half second
  could hold a call forever; the network streams here cut every operation to
  what is left of the deadline. (With an `http_client` of yours, the deadline
  still bounds the body, checked between chunks, not the headers.)
* **Memory**: `max_response_size` bytes of decoded body. The client asks only
  for `gzip` and `deflate`, decoded here with zlib's `max_length`, so a
  compression bomb is refused after at most the limit's worth of output; an
  error body is read only up to `ERROR_BODY_LIMIT`.

The transports share one SSL context, built on first use (loading the CA
bundle costs tens of milliseconds per client otherwise).
"""

from __future__ import annotations

import contextvars
import ssl
import time
import zlib
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._constants import MAX_CONNECTIONS

__all__ = [
    "ACCEPT_ENCODING",
    "BodyDecoder",
    "ResponseTooLarge",
    "async_transport",
    "deadline_scope",
    "reset_deadline",
    "sync_transport",
]

ACCEPT_ENCODING = "gzip, deflate"

# When the attempt in progress on this thread (or task) must be done by.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "retab_runs_deadline", default=None
)
_ssl_context: ssl.SSLContext | None = None


class ResponseTooLarge(Exception):
    """The decoded body went past the limit (mapped to ResponseTooLargeError)."""


class UnsupportedEncoding(Exception):
    """The server used a content-encoding the client did not ask for."""


def deadline_scope(deadline: float) -> contextvars.Token[float | None]:
    """Make `deadline` (a time.monotonic() value) bound this attempt's network operations."""
    return _deadline.set(deadline)


def reset_deadline(token: contextvars.Token[float | None]) -> None:
    """End the scope `deadline_scope` opened."""
    _deadline.reset(token)


def _cap(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise error("the response took longer than the read timeout")
    return remaining if timeout is None else min(timeout, remaining)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        capped = _cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        capped = _cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, capped, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the API is served over TCP
        capped = _cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, capped, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _cap(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _cap(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        capped = _cap(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        # anyio directly: httpcore's auto-detecting backend would try to
        # import sniffio on every connection.
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        capped = _cap(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, capped, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - the API is served over TCP
        capped = _cap(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, capped, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context for every client we build (SSL_CERT_FILE/DIR honoured)."""
    global _ssl_context  # noqa: PLW0603 - built once, on first use
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context(trust_env=True)
    return _ssl_context


def _pool_options() -> dict[str, Any]:
    return {
        "ssl_context": shared_ssl_context(),
        "max_connections": MAX_CONNECTIONS,
        "max_keepalive_connections": 20,
        "keepalive_expiry": 5.0,
    }


class _Transport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__(verify=shared_ssl_context())
        # httpx builds its pool without a way to pass a network backend;
        # the same pool, with ours. (httpx pins httpcore to 1.x.)
        self._pool = httpcore.ConnectionPool(network_backend=_Backend(), **_pool_options())


class _AsyncTransport(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__(verify=shared_ssl_context())
        self._pool = httpcore.AsyncConnectionPool(
            network_backend=_AsyncBackend(), **_pool_options()
        )


def sync_transport() -> httpx.HTTPTransport:
    """The transport of a `Retab` that builds its own httpx client."""
    return _Transport()


def async_transport() -> httpx.AsyncHTTPTransport:
    """The transport of an `AsyncRetab` that builds its own httpx client."""
    return _AsyncTransport()


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
        if wanted and self._zlib.unconsumed_tail:
            return self._append(b"x" * room)  # more output than room: past the limit
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
