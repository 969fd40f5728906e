"""Our HTTP transports: httpcore's pool, with network streams that keep a deadline.

httpx's own transports build their pool with no way to pass a network
backend, so ours hold an httpcore pool directly (mapping its errors to
httpx's, as httpx does) instead of overwriting a private attribute of theirs.
The trade-off: mocking libraries that patch httpx's transport classes
(pytest-httpx) do not see ours; `retab_runs.testing.httpx_transports()`
(applied by the pytest plugin wherever `httpx_mock` is used) gives clients
httpx's own transports for such tests. respx patches httpcore and sees both.
Why keep the streams at all: without them, a server dripping its headers a
byte at a time holds a sync call forever (per-read timeouts never fire), and
a second response sent after the first is read as the next call's answer;
both are tested over raw sockets (tests/test_reliability_hostile.py).

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

import contextlib
import importlib.util
import os
import select
import socket
import ssl
import sys
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import httpcore
import httpx

from .._constants import KEEPALIVE_EXPIRY, MAX_CONNECTIONS, MAX_KEEPALIVE_CONNECTIONS
from ..errors import ConfigurationError
from . import _deadline
from ._async_pool import AsyncHTTPProxyPool, AsyncPool, AsyncSOCKSProxyPool, Closer, reclaim
from ._event_loop import LoopBinding
from ._framing import Framing
from ._pool_slices import Slices

__all__ = [
    "async_transport",
    "set_stock_transports",
    "shared_ssl_context",
    "sync_transport",
]

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


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would return at once (bytes, or the end): httpcore's own test."""
    if sock is None or sock.fileno() < 0:
        return True
    if sys.platform == "win32" or not hasattr(select, "poll"):  # pragma: no cover
        return bool(select.select([sock], [], [], 0)[0])
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._framing = Framing()
        # httpcore asks whether each idle connection is readable on every pass
        # of its pool; through anyio, finding the socket costs more than the poll.
        self._socket: socket.socket | None = None

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
        if info == "is_readable":
            if self._framing.poisoned:
                return True  # bytes after a complete response: never reuse this connection
            if self._socket is None:
                self._socket = self._inner.get_extra_info("socket")
            return _readable(self._socket)
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


def _default_limits() -> httpx.Limits:
    """The pool limits of the clients this library builds."""
    return httpx.Limits(
        max_connections=MAX_CONNECTIONS,
        max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )


def _pool_options(limits: httpx.Limits, backend: object) -> dict[str, Any]:
    return {
        "network_backend": backend,
        "ssl_context": shared_ssl_context(),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


def _core_url(url: httpx.URL) -> httpcore.URL:
    return httpcore.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )


def _proxy_options(proxy: httpx.Proxy) -> dict[str, Any]:
    """httpcore's arguments for a proxy, as httpx's own transports pass them."""
    if proxy.url.scheme in ("http", "https"):
        return {
            "proxy_url": _core_url(proxy.url),
            "proxy_auth": proxy.raw_auth,
            "proxy_headers": proxy.headers.raw,
            "proxy_ssl_context": proxy.ssl_context,
        }
    if proxy.url.scheme in ("socks5", "socks5h"):
        if importlib.util.find_spec("socksio") is None:
            raise ConfigurationError(
                "A SOCKS proxy needs the socksio package: pip install 'httpx[socks]'"
            )
        return {"proxy_url": _core_url(proxy.url), "proxy_auth": proxy.raw_auth}
    raise ConfigurationError(
        f"Proxy scheme must be http, https, socks5 or socks5h, not {proxy.url.scheme[:20]!r}"
    )


def _proxy_name(proxy: httpx.Proxy) -> str:
    """A proxy as messages show it: scheme, host and port, never its credentials."""
    port = f":{proxy.url.port}" if proxy.url.port else ""
    return f"{proxy.url.scheme}://{proxy.url.host}{port}"


def _refuse_clear_text(proxy: httpx.Proxy | None, request: httpx.Request) -> None:
    # Through a proxy, an http:// request (headers, API key and all) is read by
    # the proxy; https is tunnelled (CONNECT) and stays end to end.
    if proxy is not None and request.url.scheme == "http":
        raise ConfigurationError(
            f"Refusing to send a request in clear text through the proxy {_proxy_name(proxy)}:"
            " it would read the API key. Use https, or list the host in NO_PROXY."
        )


# httpcore's errors as httpx names them, most specific first (httpx maps
# them the same way inside its own transports).
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core, mapped in _ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc)) from exc
        raise


def _core_request(request: httpx.Request) -> httpcore.Request:
    return httpcore.Request(
        method=request.method,
        url=_core_url(request.url),
        headers=request.headers.raw,
        content=request.stream,
        extensions=request.extensions,
    )


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _AsyncResponseStream(httpx.AsyncByteStream):
    def __init__(
        self, stream: AsyncIterable[bytes], closer: Closer, release: Callable[[], None]
    ) -> None:
        self._stream = stream
        self._closer = closer
        self._release = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        # In a task of its own: a cancelled close strands the request (_async_pool).
        await self._closer.close(self._close_and_release)

    async def _close_and_release(self) -> None:
        try:
            aclose = getattr(self._stream, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._release()  # the pool is whole again: the next request may enter


class _Transport(httpx.BaseTransport):
    """httpcore's pool with our network backend, behind httpx's transport interface.

    After a fork the child starts a pool of its own: the connections it
    inherited belong to the parent (a shared socket would hand one process
    the other's answers); they are dropped, not closed. With a `proxy`, the
    pool connects through it (httpcore's HTTP or SOCKS proxy pool, still over
    our backend) and refuses to send an http:// request through it.
    """

    def __init__(self, proxy: httpx.Proxy | None, limits: httpx.Limits) -> None:
        self._proxy = proxy
        self._limits = limits
        self._new_pool()

    def _new_pool(self) -> None:
        self._pid = os.getpid()
        options = _pool_options(self._limits, _Backend())
        if self._proxy is None:
            self._pool: httpcore.ConnectionPool = httpcore.ConnectionPool(**options)
        elif self._proxy.url.scheme.startswith("socks"):
            self._pool = httpcore.SOCKSProxy(**options, **_proxy_options(self._proxy))
        else:
            self._pool = httpcore.HTTPProxy(**options, **_proxy_options(self._proxy))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _refuse_clear_text(self._proxy, request)
        if os.getpid() != self._pid:
            self._new_pool()
        with _httpx_errors():
            response = self._pool.handle_request(_core_request(request))
        assert isinstance(response.stream, Iterable)  # noqa: S101 (httpcore's sync pool)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _AsyncTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of `_Transport`: its pool keeps every slot whatever a
    cancellation interrupts (`_async_pool`) and is sliced behind a queue, for
    fan-out (`_pool_slices`).

    A pool per event loop, as a pool per process (`_event_loop`): when a call
    runs in a new loop, the old one closed, a new pool starts and the old
    connections are dropped, not closed.
    """

    def __init__(self, proxy: httpx.Proxy | None, limits: httpx.Limits) -> None:
        self._proxy = proxy
        self._limits = limits
        self._closer = Closer()
        self._loop = LoopBinding()
        self._new_pool()

    def _new_pool(self) -> None:
        self._pid = os.getpid()
        self._pools = Slices(self._new_slice, self._limits.max_connections)

    def _new_slice(self, size: int | None) -> httpcore.AsyncConnectionPool:
        keepalive = self._limits.max_keepalive_connections
        limits = httpx.Limits(
            max_connections=size,
            max_keepalive_connections=size
            if keepalive is None or size is None
            else min(keepalive, size),
            keepalive_expiry=self._limits.keepalive_expiry,
        )
        options = _pool_options(limits, _AsyncBackend())
        if self._proxy is None:
            return AsyncPool(**options)
        if self._proxy.url.scheme.startswith("socks"):
            return AsyncSOCKSProxyPool(**options, **_proxy_options(self._proxy))
        return AsyncHTTPProxyPool(**options, **_proxy_options(self._proxy))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _refuse_clear_text(self._proxy, request)
        forked = os.getpid() != self._pid  # see _Transport
        if self._loop.moved() or forked:
            self._new_pool()
        pool_timeout = request.extensions.get("timeout", {}).get("pool")
        with _httpx_errors():
            pool, release = await self._pools.lease(
                _deadline.cap(pool_timeout, httpcore.PoolTimeout)
            )
        try:
            with _httpx_errors():
                response = await pool.handle_async_request(_core_request(request))
        except BaseException:  # cancellation included: see _async_pool
            release()
            reclaim(pool)
            raise
        assert isinstance(response.stream, AsyncIterable)  # noqa: S101 (httpcore's async pool)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_AsyncResponseStream(response.stream, self._closer, release),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        if self._loop.serves_running_loop():  # another loop's connections are dropped
            await self._pools.aclose()


# While True (retab_runs.testing.httpx_transports()), clients get httpx's own
# transports instead: those are what HTTP mocking libraries such as
# pytest-httpx patch. A process-wide test switch, like no_retry_waits().
_stock_transports = False


def set_stock_transports(enabled: bool) -> bool:
    """Build httpx's own transports (True) or ours (False) from now on; returns the previous."""
    global _stock_transports
    previous, _stock_transports = _stock_transports, enabled
    return previous


def sync_transport(
    proxy: httpx.Proxy | None = None, limits: httpx.Limits | None = None
) -> httpx.BaseTransport:
    """A transport for sync clients: direct, or through `proxy`."""
    limits = limits or _default_limits()
    if _stock_transports:
        return httpx.HTTPTransport(verify=shared_ssl_context(), limits=limits, proxy=proxy)
    return _Transport(proxy, limits)  # an unusable proxy fails here, building its pool


def async_transport(
    proxy: httpx.Proxy | None = None, limits: httpx.Limits | None = None
) -> httpx.AsyncBaseTransport:
    """A transport for async clients: direct, or through `proxy`."""
    limits = limits or _default_limits()
    if _stock_transports:
        return httpx.AsyncHTTPTransport(verify=shared_ssl_context(), limits=limits, proxy=proxy)
    return _AsyncTransport(proxy, limits)
