"""httpcore's async pools, made to reclaim the connections a cancelled call strands.

httpcore (1.0.9, encode/httpcore#1093) leaks a pool slot when a call is
cancelled after the pool assigned it a new connection but before that
connection started connecting: the connection is neither closed, idle,
expired nor available, so it is never removed. Under contention (cancelled
calls, a small `max_connections`) the slots run out and every later call
fails with PoolTimeout against a healthy server.

These pools wrap each connection they create (`create_connection`, the
method httpcore's own proxy pools override) to know whether a request ever
reached it. After a call fails or is cancelled, `reclaim` marks the
connections no request reached as abandoned: they report closed, so the pool
drops them on its next pass; a live request that was about to use one gets
httpcore's ConnectionNotAvailable, on which the pool assigns it another.
Only the async pools: a thread is not cancelled half-way through a call.
"""

from __future__ import annotations

import httpcore

__all__ = ["AsyncHTTPProxyPool", "AsyncPool", "AsyncSOCKSProxyPool", "reclaim"]


class _Tracked(httpcore.AsyncConnectionInterface):
    """A pool's connection that knows whether a request ever reached it."""

    def __init__(self, inner: httpcore.AsyncConnectionInterface) -> None:
        self._inner = inner
        self.started = False
        self.abandoned = False

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self.abandoned:
            raise httpcore.ConnectionNotAvailable
        self.started = True
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return self._inner.can_handle_request(origin)

    def is_available(self) -> bool:
        return not self.abandoned and self._inner.is_available()

    def has_expired(self) -> bool:
        return self._inner.has_expired()

    def is_idle(self) -> bool:
        return not self.abandoned and self._inner.is_idle()

    def is_closed(self) -> bool:
        return self.abandoned or self._inner.is_closed()

    def info(self) -> str:
        return "ABANDONED" if self.abandoned else self._inner.info()

    def __repr__(self) -> str:
        return repr(self._inner)


class AsyncPool(httpcore.AsyncConnectionPool):
    """httpcore's pool, its connections tracked (see the module)."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return _Tracked(super().create_connection(origin))


class AsyncHTTPProxyPool(httpcore.AsyncHTTPProxy):
    """httpcore's HTTP proxy pool, its connections tracked (see the module)."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return _Tracked(super().create_connection(origin))


class AsyncSOCKSProxyPool(httpcore.AsyncSOCKSProxy):
    """httpcore's SOCKS proxy pool, its connections tracked (see the module)."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return _Tracked(super().create_connection(origin))


def reclaim(pool: httpcore.AsyncConnectionPool) -> None:
    """Marks the pool's connections no request reached as abandoned (after a failed call)."""
    for connection in pool.connections:
        if isinstance(connection, _Tracked) and not connection.started:
            connection.abandoned = True
