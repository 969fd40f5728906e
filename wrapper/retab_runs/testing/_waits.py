"""The public switch that makes retry waits instant, for tests (stamina's `set_testing`).

    from retab_runs.testing import no_retry_waits

    with no_retry_waits() as waits:
        client.list_runs("wf", "exp")   # a 503 is retried at once
    assert waits == [pytest.approx(0.5, rel=0.25)]

The pytest fixtures (`retab_server`, `retab_client`, ...) apply it for you.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .. import _retry

__all__ = ["no_retry_waits", "set_retry_waits"]


@contextmanager
def no_retry_waits() -> Iterator[list[float]]:
    """Within the block, retries happen at once; yields the list of waits skipped (seconds)."""
    waits: list[float] = []
    previous = _retry.set_recorded_waits(waits)
    try:
        yield waits
    finally:
        _retry.set_recorded_waits(previous)


def set_retry_waits(enabled: bool) -> None:
    """Turn real retry waits off (False) or back on (True) for the whole process."""
    _retry.set_recorded_waits(None if enabled else [])
