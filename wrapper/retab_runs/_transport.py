"""The HTTP transports our clients build: httpx's, with network streams that keep a deadline.

Every socket operation is cut to what is left of the attempt's deadline
(`_deadline`), so the deadline covers the whole attempt, headers included.
(With an `http_client` of yours, the deadline still bounds the body, checked
between chunks, not the headers.) The transports share one SSL context,
built on first use: loading the CA bundle costs tens of milliseconds a
client otherwise. The streams also follow each response's framing
(`_framing`): a connection that received bytes after a complete response is
never reused. Imported when the first client is built, not with
`retab_runs` (httpcore's import is not free).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from . import _deadline
from ._constants import MAX_CONNECTIONS
from ._framing import Framing

__all__ = ["async_transport", "shared_ssl_context", "sync_transport"]

_ssl_context: ssl.SSLContext | None = None


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self._framing = Framing()

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, _deadline.cap(timeout, httpcore.ReadTimeout))
        self._framing.read(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._framing.wrote()
        self._inner.write(buffer, _deadline.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._framing.poisoned:
            return True  # bytes after a complete response: never reuse this connection
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
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, capped, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the API is served over TCP
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, capped, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._framing = Framing()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(max_bytes, _deadline.cap(timeout, httpcore.ReadTimeout))
        self._framing.read(data)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._framing.wrote()
        await self._inner.write(buffer, _deadline.cap(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._framing.poisoned:
            return True  # bytes after a complete response: never reuse this connection
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
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, capped, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - the API is served over TCP
        capped = _deadline.cap(timeout, httpcore.ConnectTimeout)
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
