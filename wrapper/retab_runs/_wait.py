"""Waiting for a run to finish: the decisions both clients share.

`Retab.wait_for_run` and `AsyncRetab.wait_for_run` run the loop (sync and
async twins): the experiment's listing is read only until the run is known
(the newest one, when no id is given); from then on each poll is one
`get(run_id)`, one run, not the history. `Waiter` decides which run is
meant, whether it changed or finished, what a failed poll means, and how
long to wait before the next one.

Polling backs off gently: every `poll_interval` seconds for the first
minute, then 20% longer after each poll that saw no change, up to
`MAX_POLL_INTERVAL` (a change resets it). A server's `Retry-After` on a 429 is
honoured, within what is left of the wait. Each poll is sent once (no retries
of its own): a failure the retry policy would retry (connection errors,
timeouts, 408, 409, 429, 5xx) is followed by the next poll; anything else
(401, 404, a bad response, a `get` answered with another run) is raised at once.
A poll's timeout is what is left of the wait (or the client's, if shorter),
so a wait ends at its timeout even when its last poll stalls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import httpx

from _retab_runs_generated.models import ExperimentRun, ExperimentRunSummary
from _retab_runs_runtime import RawResponse

from . import _config
from ._constants import MAX_POLL_INTERVAL, POLL_BACKOFF_AFTER, TERMINAL_STATUSES
from ._retry import RetryPolicy, waits_are_real
from .errors import (
    APIError,
    ConfigurationTypeError,
    RateLimitError,
    ResponseValidationError,
    WaitTimeoutError,
)

__all__ = [
    "OnUpdate",
    "WaitClock",
    "Waiter",
    "check_wait",
    "is_terminal",
    "newest",
    "next_interval",
    "outlives",
    "status_of",
    "timeout_error",
]


def check_wait(run_id: object, timeout: object, poll_interval: object, on_update: object) -> None:
    """Refuse unusable wait_for_run arguments before the first poll."""
    if run_id is not None:
        _config.check_id("run_id", run_id)
    _config.check_seconds("timeout", timeout)
    _config.check_seconds("poll_interval", poll_interval)
    if on_update is not None and not callable(on_update):
        raise ConfigurationTypeError("on_update must be a callable taking the run")


class WaitClock:
    """Time spent waiting, counting skipped waits under `no_retry_waits()` as spent.

    So a test that makes waits instant still sees the timeout pass after
    the same number of polls, instead of polling in a tight loop.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = float(timeout)
        self._start = time.monotonic()
        self._skipped = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self._start + self._skipped

    def remaining(self) -> float:
        return max(self.timeout - self.elapsed(), 0.0)

    def waited(self, seconds: float) -> None:
        """Record a wait just made (or skipped)."""
        if not waits_are_real():
            self._skipped += seconds


OnUpdate = Callable[[ExperimentRun], object]


class Waiter:
    """One wait: which run, what was last seen, and when to poll next.

    The clients' loops (sync and async) poll, then tell the waiter what came
    back: `polled(runs)` returns the run once it has ended, `failed(error)`
    raises what a later poll cannot outlive; both raise WaitTimeoutError once
    the time is up. `pause()`/`failed()` say how long to wait before the next poll.
    """

    def __init__(
        self,
        workflow_id: str,
        experiment_id: str,
        run_id: str | None,
        *,
        timeout: float,
        poll_interval: float,
        on_update: OnUpdate | None,
    ) -> None:
        check_wait(run_id, timeout, poll_interval, on_update)
        self._ids = (workflow_id, experiment_id)
        self.run_id = run_id
        self._clock = WaitClock(timeout)
        self._poll_interval = float(poll_interval)
        self._interval = float(poll_interval)
        self._on_update = on_update
        self._last: ExperimentRun | None = None
        self._changed = False

    def poll_timeout(self, client_timeout: httpx.Timeout) -> httpx.Timeout:
        """A poll's timeout: the client's, cut to what is left of the wait, so the wait
        ends on time even when its last poll stalls; WaitTimeoutError if nothing is left."""
        left = self._clock.remaining()
        if left <= 0:
            raise self._timed_out()
        read = client_timeout.read
        return _config.to_timeout(min(read, left) if read is not None else left)

    def answered(self, raw: RawResponse[ExperimentRun]) -> ExperimentRun:
        """The run a poll read, refused (ResponseValidationError) if it is another run."""
        run = raw.parse()
        if self.run_id is not None and run.id != self.run_id:
            raise ResponseValidationError(
                f"Retab answered a poll of run {_config.preview(self.run_id)} "
                f"with run {_config.preview(run.id)}",
                field="id",
                status_code=raw.status_code,
                request_id=raw.request_id,
            )
        return run

    def listed(self, runs: Sequence[ExperimentRunSummary]) -> None:
        """Learn from the experiment's listing which run is meant: its newest."""
        self._changed = False
        found = newest(runs)
        if found is not None:
            self.run_id = found.id

    def polled(self, run: ExperimentRun) -> ExperimentRun | None:
        """The run, if it has ended; None to poll again."""
        self._changed = False
        if run != self._last:
            self._changed, self._last = True, run
            if self._on_update is not None:
                self._on_update(run)
        return run if is_terminal(run) else None

    def pause(self, error: APIError | None = None) -> float:
        """Seconds before the next poll; raises WaitTimeoutError when the time is up."""
        clock = self._clock
        if clock.remaining() <= 0:
            raise self._timed_out() from error
        self._interval = next_interval(
            self._poll_interval, self._interval, clock.elapsed(), self._changed, error
        )
        return min(self._interval, clock.remaining())

    def failed(self, error: APIError) -> float:
        """After a failed poll: raise it, unless a later poll can outlive it."""
        if not outlives(error):
            raise error
        self._changed = False
        return self.pause(error)

    def waited(self, seconds: float) -> None:
        self._clock.waited(seconds)

    def _timed_out(self) -> WaitTimeoutError:
        return timeout_error(*self._ids, self.run_id, self._last, self._clock.timeout)


def timeout_error(
    workflow_id: str, experiment_id: str, run_id: str | None, last: ExperimentRun | None,
    timeout: float,
) -> WaitTimeoutError:  # fmt: skip
    if last is not None:
        status = _config.preview(str(status_of(last)), 40).strip("'")
        message = f"run {_config.preview(last.id)} is still {status} after {timeout:g} s"
    elif run_id is not None:
        message = f"run {_config.preview(run_id)} could not be read within {timeout:g} s"
    else:
        message = (
            f"{_config.preview(workflow_id)}/{_config.preview(experiment_id)} "
            f"had no runs within {timeout:g} s"
        )
    return WaitTimeoutError(message, last_run=last, run_id=run_id, timeout=timeout)


def newest(runs: Sequence[ExperimentRunSummary]) -> ExperimentRunSummary | None:
    """The most recently created run of a listing (None if it has none)."""
    return max(runs, key=lambda run: run.created_at, default=None)


def status_of(run: ExperimentRun) -> str:
    """The run's lifecycle status (a status this client does not know, as sent)."""
    return str(run.lifecycle.status)


def is_terminal(run: ExperimentRun) -> bool:
    """Whether the run has ended; a status this client does not know has not."""
    return status_of(run) in TERMINAL_STATUSES


def outlives(error: APIError) -> bool:
    """Whether a poll that failed this way should be followed by another poll.

    The retry policy's own answer (`RetryPolicy.retryable`): polls are sent
    without retries of their own, so the wait is the only loop and its
    timeout holds whatever the server says.
    """
    return RetryPolicy.retryable(error, replayable=True, reached=True)  # polls are GETs


def next_interval(
    poll_interval: float, current: float, elapsed: float, changed: bool, error: APIError | None
) -> float:
    """Seconds before the next poll."""
    if changed or elapsed < POLL_BACKOFF_AFTER:
        interval = poll_interval
    else:
        interval = min(max(current * 1.2, poll_interval), max(MAX_POLL_INTERVAL, poll_interval))
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        interval = max(interval, error.retry_after)
    return interval
