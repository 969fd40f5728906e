"""Load on loopback: 1,000 list_runs through list_runs_many at concurrency 50.
All succeed, no socket or file descriptor leaks, memory steady. And 1,000
gets at once, uncapped, on the default transport: quick, with the pool's
connections kept for reuse; a call waiting for a connection gives up at the
pool timeout."""

from __future__ import annotations

import asyncio
import gc
import os
import time

import httpx
import pytest

from conftest import pool_counts
from retab_runs import APITimeoutError, AsyncRetab, DefaultAsyncHttpxClient
from retab_runs._constants import MAX_CONNECTIONS, MAX_KEEPALIVE_CONNECTIONS
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


@pytest.mark.anyio
async def test_thousand_gets_at_once_on_the_default_transport() -> None:
    """Before, httpcore's pool did work in proportion to the 900 calls queued in it each
    time one came or went (35 s here, aiohttp 0.5 s), and closed every connection as
    soon as it was idle: now they wait in our queue, the pool never queues, and its
    connections are kept."""
    with FakeRetabServer() as server:
        ids = [f"exprun_{n:04d}" for n in range(CALLS)]
        server.add_runs("wf", "exp", [sample_run(run_id) for run_id in ids])
        async with server.async_client(timeout=30, max_retries=0) as client:
            seen: list[dict[str, int]] = []
            done = asyncio.Event()

            async def watch() -> None:
                while not done.is_set():
                    seen.append(pool_counts(client))
                    await asyncio.sleep(0.005)

            watcher = asyncio.create_task(watch())
            started = time.monotonic()
            runs = await asyncio.gather(
                *(client.workflows.experiments.runs.get(run_id) for run_id in ids)
            )
            elapsed = time.monotonic() - started
            done.set()
            await watcher
            assert [run.id for run in runs] == ids
            assert elapsed < 10
            assert max(counts["slots held"] for counts in seen) == MAX_CONNECTIONS
            assert max(counts["requests queued"] for counts in seen) == 0
            idle = pool_counts(client)["connections idle"]
            assert MAX_KEEPALIVE_CONNECTIONS < idle <= MAX_CONNECTIONS


@pytest.mark.anyio
async def test_a_call_waiting_for_a_connection_gives_up_at_the_pool_timeout() -> None:
    """With every connection busy, a call waits in our queue no longer than `pool` allows."""
    with FakeRetabServer(latency=1.0) as server:
        server.add_runs("wf", "exp", [sample_run("exprun_1")])
        http = DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=1))
        timeout = httpx.Timeout(5, pool=0.2)
        async with (
            http,
            AsyncRetab(
                server.api_key, base_url=server.url, http_client=http, max_retries=0
            ) as client,
        ):
            busy = asyncio.create_task(client.list_runs("wf", "exp", timeout=timeout))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="PoolTimeout"):
                await client.list_runs("wf", "exp", timeout=timeout)
            assert time.monotonic() - started < 0.2 + 0.5
            assert [run.id for run in await busy] == ["exprun_1"]
            assert pool_counts(client)["slots held"] == 0
