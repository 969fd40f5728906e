"""httpcore's async pool in slices of a few connections, behind one queue: fan-out at 1,000.

httpcore's pool walks its requests and connections each time a request comes
or goes, and for every idle connection counts them all again: 1,000 calls at
once on 100 connections took 35 s on loopback, where aiohttp takes 0.5 s.
Its keepalive limit counts every connection, not the idle ones, so a pool
holding more than `max_keepalive_connections` closes each connection as
soon as it is idle, and a fan-out opens a new one (a TLS handshake over the
network) for nearly every call.

So `max_connections` is split into pools of at most `POOL_SLICE` connections,
each keeping its idle ones (up to `max_keepalive_connections` a slice) until
`keepalive_expiry`. A request waits here, first come first served, until
fewer than `max_connections` are in flight, then goes to the first slice with
room: a handful of calls keep using the first slice's connections, as one
pool would. A slot is held until the response is closed, as a connection is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import httpcore

from .._constants import POOL_SLICE

if TYPE_CHECKING:
    import asyncio

__all__ = ["Slices"]


def _sizes(max_connections: int | None) -> list[int | None]:
    """Slice sizes as even as can be, summing to `max_connections` (None: one unbounded pool)."""
    if max_connections is None:
        return [None]
    count = max(1, -(-max_connections // POOL_SLICE))
    return [
        max_connections // count + (1 if index < max_connections % count else 0)
        for index in range(count)
    ]


class Slices:
    """The slices of one pool, and the queue in front of them (see the module)."""

    def __init__(
        self,
        make: Callable[[int | None], httpcore.AsyncConnectionPool],
        max_connections: int | None,
    ) -> None:
        self._sizes = _sizes(max_connections)
        self.pools = [make(size) for size in self._sizes]
        self._busy = [0] * len(self._sizes)
        self._total = max_connections
        self._free: asyncio.Semaphore | None = None  # made in the loop that uses it

    @property
    def in_flight(self) -> int:
        """Requests holding a slot: in a slice, their response not closed yet."""
        return sum(self._busy)

    async def lease(
        self, timeout: float | None
    ) -> tuple[httpcore.AsyncConnectionPool, Callable[[], None]]:
        """A slice with room, and the release of its slot (idempotent).

        httpcore.PoolTimeout when no slot comes free within `timeout` seconds.
        """
        if self._total is not None:
            await self._wait(timeout)
        index = next(
            index
            for index, size in enumerate(self._sizes)
            if size is None or self._busy[index] < size
        )
        self._busy[index] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._busy[index] -= 1
                if self._free is not None:
                    self._free.release()

        return self.pools[index], release

    async def _wait(self, timeout: float | None) -> None:
        import asyncio  # noqa: PLC0415 (~8 ms at import: sync clients never pay for it)

        if self._free is None:
            self._free = asyncio.Semaphore(self._total or 0)
        if not self._free.locked():
            await self._free.acquire()
            return
        try:
            async with asyncio.timeout(timeout):
                await self._free.acquire()
        except TimeoutError:
            raise httpcore.PoolTimeout("no connection of the pool came free in time") from None

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.aclose()
