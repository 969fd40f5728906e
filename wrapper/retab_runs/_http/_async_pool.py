"""httpcore's async pools, made to keep every slot whatever a cancellation interrupts.

A native asyncio cancellation (`task.cancel()`, `asyncio.wait_for`) can land
at any await of a call; httpcore 1.0.9 loses a pool slot at three of them,
and once `max_connections` slots are lost every call fails with PoolTimeout
against a healthy server:

- after the pool assigned a new connection, before the call reached it
  (encode/httpcore#1093): the connection is neither closed, idle, expired
  nor available, so it is never removed. After a call fails or is
  cancelled, `reclaim` abandons the connections no request reached;
- after the connection was made, before it took the request (still NEW),
  or while its response was being released (left ACTIVE): an HTTP/1.1
  connection in either state is never given a request again. Each connection
  counts the requests on it, and one left with none, neither idle nor
  closed, abandons itself;
- while a response is being closed: httpcore removes the request from the
  pool only at the end of `PoolByteStream.aclose`, after awaiting the
  connection's close inside a shield that anyio's asyncio backend does not
  hold against a native cancellation (54 requests stranded after 500 cuts).
  `Closer` runs each close in a task of its own, which cancelling the caller
  does not cut; the caller waits for it, then is cancelled.

These pools wrap each connection they create (`create_connection`, the
method httpcore's own proxy pools override). An abandoned connection reports
itself expired, so the pool's next pass removes and closes it; a live
request that was about to use one gets httpcore's ConnectionNotAvailable, on
which the pool assigns it another. Only the async pools: a thread is not
cancelled half-way through a call.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any

import httpcore

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncHTTPProxyPool", "AsyncPool", "AsyncSOCKSProxyPool", "Closer", "reclaim"]


class _Released:
    """A response body that tells its connection when it is closed."""

    def __init__(self, stream: AsyncIterable[bytes], released: Callable[[], None]) -> None:
        self._stream = stream
        self._released = released

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()  # the connection's own: no layer a chunk

    async def aclose(self) -> None:
        try:
            aclose = getattr(self._stream, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._released()


class _Tracked(httpcore.AsyncConnectionInterface):
    """A pool's connection that knows whether a request reached it, and how many are on it.

    One with a request on it is neither available nor idle, even before
    httpcore's own state says so: in the turns of the loop between the pool
    handing it to a request and that request taking it, the pool would hand
    it to another too, which then fails with ConnectionNotAvailable and costs
    another pass of the pool (four a call, in a fan-out at 1,000).
    """

    def __init__(self, inner: httpcore.AsyncConnectionInterface) -> None:
        self._inner = inner
        self.started = False
        self.abandoned = False
        self._carrying = 0  # requests handed to it whose response is not closed yet

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self.abandoned:
            raise httpcore.ConnectionNotAvailable
        self.started = True
        self._carrying += 1
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException:
            self._released()
            raise
        assert isinstance(response.stream, AsyncIterable)  # noqa: S101 (an async connection)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_Released(response.stream, self._released),
            extensions=response.extensions,
        )

    def _released(self) -> None:
        self._carrying -= 1
        if self._carrying == 0 and not (self._inner.is_idle() or self._inner.is_closed()):
            # Nothing is on it, yet it is neither idle nor closed: a
            # cancellation caught it between states (still NEW, before it took
            # its first request; or ACTIVE, its response never released). An
            # HTTP/1.1 connection in either state is never given a request again.
            self.abandoned = True

    async def aclose(self) -> None:
        await self._inner.aclose()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return self._inner.can_handle_request(origin)

    def is_available(self) -> bool:
        return not self.abandoned and self._carrying == 0 and self._inner.is_available()

    def has_expired(self) -> bool:
        return self.abandoned or self._inner.has_expired()

    def is_idle(self) -> bool:
        return not self.abandoned and self._carrying == 0 and self._inner.is_idle()

    def is_closed(self) -> bool:
        return self._inner.is_closed()

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


class Closer:
    """Runs closes in tasks of their own, which cancelling the caller does not cut."""

    def __init__(self) -> None:
        # asyncio keeps only weak references to tasks: a close the caller
        # stopped waiting for would otherwise be garbage-collected half-way.
        self._running: set[asyncio.Task[None]] = set()

    async def close(self, aclose: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Await `aclose()` to its end, even when the caller is cancelled meanwhile."""
        import asyncio  # noqa: PLC0415 (~8 ms at import: sync clients never pay for it)

        # Set by the task itself as the close ends: the caller wakes on the next
        # turn of the loop (through asyncio.shield on the task, two turns later),
        # and cancelling the caller cancels only its wait on this future.
        ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def run() -> None:
            try:
                await aclose()
            except BaseException as exc:
                if not ended.done():
                    ended.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
            else:
                if not ended.done():
                    ended.set_result(None)

        task = asyncio.create_task(run())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        try:
            await ended
        except asyncio.CancelledError:
            # Closing is local work (no reads): let it end before the caller
            # goes, so the pool is whole when the cancellation arrives. A
            # second cancellation stops this wait only, not the close.
            await asyncio.wait([task])
            if ended.done() and not ended.cancelled():
                ended.exception()  # retrieved: the caller is cancelled, not told
            raise
