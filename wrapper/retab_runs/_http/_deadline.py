"""One deadline for a whole attempt, from the pipeline to the network streams.

httpx's timeouts bound each socket operation, so a server sending its status
line a byte every half second could hold a call forever. The pipeline opens
`scope(read_timeout)` around each attempt; the network streams of
`_transport` (and the aiohttp transport) cut every operation to what is left
(`cap`, `remaining`), and the body loop checks it between chunks (`check`),
which also covers an `http_client` of the caller's. A context variable is the
one channel httpcore leaves between a call and its streams; it is per thread
and per task, so concurrent calls never see each other's deadline.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator

import httpx

__all__ = ["cap", "check", "remaining", "scope"]

# When the attempt in progress on this thread (or task) must be done by.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "retab_runs_deadline", default=None
)


@contextlib.contextmanager
def scope(read_timeout: float | None) -> Iterator[float]:
    """Bound this attempt's network operations to `read_timeout` seconds from now, in all."""
    deadline = time.monotonic() + read_timeout if read_timeout is not None else float("inf")
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before this attempt's deadline (None: no deadline in force)."""
    deadline = _deadline.get()
    if deadline is None or deadline == float("inf"):
        return None
    return max(deadline - time.monotonic(), 0.001)


def cap(timeout: float | None, error: type[Exception]) -> float | None:
    """A socket operation's timeout, cut to what is left of the attempt; `error` when none is."""
    deadline = _deadline.get()
    if deadline is None or deadline == float("inf"):
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the response took longer than the read timeout")
    return left if timeout is None else min(timeout, left)


def check(deadline: float, request: httpx.Request) -> None:
    """Between body chunks: raise httpx.ReadTimeout once the attempt's deadline has passed."""
    if time.monotonic() > deadline:
        raise httpx.ReadTimeout("the response took longer than the read timeout", request=request)
