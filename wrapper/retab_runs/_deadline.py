"""One deadline for a whole attempt, carried to the network streams in a context variable.

httpx's timeouts bound each socket operation, so a server sending its status
line a byte every half second could hold a call forever. `_send` opens a
`deadline_scope` for each attempt; the network streams of `_transport` cut
every operation to what is left of it (`cap`).
"""

from __future__ import annotations

import contextvars
import time

import httpx

__all__ = ["cap", "check", "deadline_scope", "for_request", "remaining", "reset_deadline"]

# When the attempt in progress on this thread (or task) must be done by.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "retab_runs_deadline", default=None
)


def deadline_scope(deadline: float) -> contextvars.Token[float | None]:
    """Make `deadline` (a time.monotonic() value) bound this attempt's network operations."""
    return _deadline.set(deadline)


def reset_deadline(token: contextvars.Token[float | None]) -> None:
    """End the scope `deadline_scope` opened."""
    _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before this attempt's deadline (None: no deadline in force)."""
    deadline = _deadline.get()
    if deadline is None:
        return None
    return max(deadline - time.monotonic(), 0.001)


def cap(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise error("the response took longer than the read timeout")
    return remaining if timeout is None else min(timeout, remaining)


def for_request(request: httpx.Request) -> float:
    """When this attempt must have its whole response: the read timeout from now.

    httpx's read timeout bounds each read, so a server dripping a byte at a
    time could hold a call forever; this bounds the response as a whole.
    """
    read = request.extensions.get("timeout", {}).get("read")
    return time.monotonic() + read if read is not None else float("inf")


def check(deadline: float, request: httpx.Request) -> None:
    if time.monotonic() > deadline:
        raise httpx.ReadTimeout("the response took longer than the read timeout", request=request)
