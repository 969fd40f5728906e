"""Load on loopback: 1,000 list_runs through list_runs_many at concurrency 50.
All succeed, no socket or file descriptor leaks, memory steady."""

from __future__ import annotations

import asyncio
import gc
import os
import time

import pytest

from retab_runs import AsyncRetab
from retab_runs.testing import FakeRetabServer, sample_run

CALLS = 1000
CONCURRENCY = 50


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def resident_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def settle(baseline: int, seconds: float = 5.0) -> int:
    """Open fds once the server's connection threads have wound down."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        gc.collect()
        if open_fds() <= baseline:
            break
        time.sleep(0.05)
    return open_fds()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts fds through /proc")
def test_thousand_calls_at_concurrency_50() -> None:
    with FakeRetabServer() as server:
        pairs = [("wf_load", f"exp_{i:04d}") for i in range(CALLS)]
        for wf, exp in pairs:
            server.add_runs(wf, exp, [sample_run(f"exprun_{exp}")])
        baseline = open_fds()

        async def round_of(batch: list[tuple[str, str]]) -> None:
            async with AsyncRetab(server.api_key, base_url=server.url) as client:
                results = await client.list_runs_many(batch, concurrency=CONCURRENCY)
            assert len(results) == len(batch)
            for (_, exp), runs in results.items():
                assert isinstance(runs, list), runs
                assert [r.id for r in runs] == [f"exprun_{exp}"]

        half = CALLS // 2
        asyncio.run(round_of(pairs[:half]))
        gc.collect()
        after_first = resident_bytes()
        asyncio.run(round_of(pairs[half:]))
        gc.collect()
        after_second = resident_bytes()

        assert len(server.requests) == CALLS
        assert settle(baseline) <= baseline
        # The second 500 calls leave (almost) nothing behind: the first warmed
        # every cache and pool; the fake's request log (~1 KB a call) is the rest.
        assert after_second - after_first < 4 * 2**20
