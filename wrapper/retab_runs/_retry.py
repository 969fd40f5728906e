"""When to retry a request, and how long to wait first.

The policy follows openai-python's: retry connection errors, timeouts and the
statuses a later attempt can fix (408, 409, 429, 500, 502, 503, 504), waiting
`min(0.5 * 2**n, 8)` seconds less up to 25% jitter, unless the server said how
long to wait (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP
date). A server wait longer than `max_retry_after` is not slept through: the
error is raised at once, so a call never hangs for minutes.

A request that is not idempotent (a POST) is retried only when it cannot
have reached the server, or when it carries an `Idempotency-Key`. Certificate
failures are never retried.

The loops that apply it live in `_base_client.py` (one sync, one async);
this module holds the decision, so both loops share it and tests can table it
without a network, and the waits themselves (`sleep`, `async_sleep`), which
`retab_runs.testing.no_retry_waits()` turns into instant, recorded no-ops.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping

import attrs

from ._constants import DEFAULT_MAX_RETRIES, INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    CertificateVerificationError,
)

__all__ = [
    "RETRY_STATUSES",
    "RetryPolicy",
    "async_sleep",
    "parse_retry_after",
    "set_recorded_waits",
    "sleep",
    "waits_are_real",
]

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks to wait, or None when it did not say (or said nonsense).

    `retry-after-ms` wins over `Retry-After`; `Retry-After` may be a number of
    seconds or an HTTP date. Negative, non-finite and unparsable values count
    as not said; a date in the past means zero.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            ms = float(raw_ms)
        except ValueError:
            ms = math.nan
        if math.isfinite(ms) and ms >= 0:
            return ms / 1000
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    wait = when.timestamp() - (time.time() if now is None else now)
    return max(wait, 0.0)


@attrs.frozen
class RetryPolicy:
    """Every rule about retrying, in one place; see the module docstring.

    `delay(error, retries_done, replayable)` is the whole decision: seconds
    to wait before the next attempt, or None to raise `error` now.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_after: float = MAX_RETRY_AFTER

    def backoff(self, retries_done: int) -> float:
        """Exponential backoff with jitter for the retry after `retries_done` retries."""
        delay = min(self.initial_delay * 2.0**retries_done, self.max_delay)
        return delay * (1 - 0.25 * random.random())  # noqa: S311 (jitter, not crypto)

    @staticmethod
    def retryable(error: APIError, *, replayable: bool, reached: bool) -> bool:
        """Whether another attempt could succeed where this one failed (counts and waits aside).

        `replayable`: sending the request again cannot do twice what it asks
        (an idempotent method, or an `Idempotency-Key`). `reached`: the
        request may have reached the server; one that cannot have (the
        connection never opened) is safe to send again whatever its method.
        Never: certificate failures (the next attempt meets the same
        certificate), bodies past the size limit, bad bodies, and statuses
        other than RETRY_STATUSES. `wait_for_run` asks the same question of a
        failed poll.
        """
        if isinstance(error, CertificateVerificationError):
            return False
        if isinstance(error, APIConnectionError):
            return replayable or not reached
        return (
            isinstance(error, APIStatusError) and replayable and error.status_code in RETRY_STATUSES
        )

    def delay(
        self, error: APIError, retries_done: int, *, replayable: bool, reached: bool
    ) -> float | None:
        """Wait before retrying after `error`; None: give up and raise it.

        Retried when `retryable` says so and retries are left. A server-given
        `retry_after` is honoured up to `max_retry_after`; beyond that the
        call gives up rather than sleep that long.
        """
        if retries_done >= self.max_retries:
            return None
        if not self.retryable(error, replayable=replayable, reached=reached):
            return None
        retry_after = error.retry_after if isinstance(error, APIStatusError) else None
        if retry_after is None:
            return self.backoff(retries_done)
        return retry_after if retry_after <= self.max_retry_after else None


# Where waits go instead of sleeping, while `no_retry_waits()` is active (a
# list: each wait is recorded). None: waits really sleep.
_recorded_waits: list[float] | None = None


def set_recorded_waits(recorder: list[float] | None) -> list[float] | None:
    """Record waits in `recorder` instead of sleeping (None: sleep again); returns the previous."""
    global _recorded_waits  # a process-wide test switch, like stamina's
    previous, _recorded_waits = _recorded_waits, recorder
    return previous


def waits_are_real() -> bool:
    """False while `no_retry_waits()` is active (waits are recorded, not slept)."""
    return _recorded_waits is None


def sleep(seconds: float) -> None:
    """Wait before a retry, unless waits are switched off for tests."""
    if _recorded_waits is not None:
        _recorded_waits.append(seconds)
        return
    time.sleep(seconds)


async def async_sleep(seconds: float) -> None:
    """The asyncio twin of `sleep`."""
    if _recorded_waits is not None:
        _recorded_waits.append(seconds)
        return
    # Imported here: asyncio costs ~25 ms at import time and only async users need it.
    import asyncio  # noqa: PLC0415

    await asyncio.sleep(seconds)
