"""Which event loop a pool's connections belong to, so one client outlives `asyncio.run`.

A connection is bound to the asyncio loop that opened it: once that loop is
closed (the end of each `asyncio.run`), touching the connection raises
`RuntimeError: Event loop is closed`. Our async transports note the loop
their pool serves; when a call runs in another loop and the old one is
closed, they start a new pool. The old connections are dropped, not closed
(closing needs their loop; the collector closes the sockets). When the old
loop is still open (another thread's loop, or one not closed yet), its
connections may still be in use there and cannot be closed from here:
`EventLoopError`, naming the fix, instead of sharing them.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from ..errors import EventLoopError

if TYPE_CHECKING:
    import asyncio

__all__ = ["LoopBinding", "check_loop_error"]

_ANOTHER_LOOP = (
    "This client's connections belong to another event loop, which is still open: "
    "use one client per event loop (create the AsyncRetab inside the loop that uses it), "
    "or close that loop first"
)
# What asyncio and anyio say when an object of one loop is used in another.
_LOOP_MESSAGES = ("event loop is closed", "different loop", "different event loop")


def _running() -> asyncio.AbstractEventLoop:
    import asyncio  # noqa: PLC0415 (~8 ms at import: sync clients never pay for it)

    return asyncio.get_running_loop()


class LoopBinding:
    """The event loop a pool serves: none until its first call, then the loop of that call."""

    def __init__(self) -> None:
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def moved(self) -> bool:
        """Whether this call runs in a new loop, the old one closed: the pool must be renewed.

        Raises EventLoopError if the old loop is still open.
        """
        running = _running()
        bound = None if self._loop is None else self._loop()
        if bound is running:
            return False
        if bound is not None and not bound.is_closed():
            raise EventLoopError(_ANOTHER_LOOP)
        first_call = self._loop is None
        self._loop = weakref.ref(running)
        return not first_call

    def serves_running_loop(self) -> bool:
        """Whether the pool's connections (if any) belong to the running loop."""
        bound = None if self._loop is None else self._loop()
        return self._loop is None or bound is _running()

    def is_closed(self) -> bool:
        """Whether the pool's loop is closed (or gone): its connections are dead."""
        bound = None if self._loop is None else self._loop()
        return self._loop is not None and (bound is None or bound.is_closed())


def check_loop_error(exc: RuntimeError) -> None:
    """Raise EventLoopError if `exc` is asyncio's refusal to use one loop's object in another.

    For an `http_client` with httpx's own transports, bound to the loop that
    first used it; ours follow the running loop.
    """
    if any(words in str(exc).lower() for words in _LOOP_MESSAGES):
        raise EventLoopError(
            "The http_client's connections belong to another event loop, now closed or "
            "elsewhere: create the http_client inside the event loop that uses it, or pass "
            "retab_runs.DefaultAsyncHttpxClient(), whose pool follows the running loop"
        ) from None
