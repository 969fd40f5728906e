"""Cancelled async calls never lose a pool slot, wherever the cancellation lands.

Calls are cut at seeded random moments (`asyncio.wait_for`, `task.cancel`),
one after another and many at once, thousands of times, against the fake
server with a small latency, so cuts land while connecting, sending, waiting
for the answer, reading it and closing it. After each round the httpcore
pool's own counts (its repr: requests active and queued, connections active
and idle) show nothing stranded, and a normal call succeeds at once. On
httpcore's pool unaided, cancellations while a response closes strand its
request (54 after 500 cuts), and cancellations between connecting and
sending strand the connection, until every call fails with PoolTimeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Iterator

import httpx
import pytest

from conftest import pool_counts
from retab_runs import AsyncRetab, DefaultAsyncHttpxClient
from retab_runs.testing import FakeRetabServer, sample_run

pytestmark = pytest.mark.anyio

LATENCY = 0.002


@pytest.fixture(scope="module")
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer(latency=LATENCY) as fake:
        fake.add_runs("wf", "exp", [sample_run(f"exprun_{n}") for n in range(3)])
        fake.add_runs("wf", "paged", [sample_run(f"exprun_p{n:02d}") for n in range(40)])
        yield fake


def assert_nothing_stranded(client: AsyncRetab) -> None:
    seen = pool_counts(client)
    stranded = {name: n for name, n in seen.items() if n and name != "connections idle"}
    assert stranded == {}, seen


async def cut(call: Awaitable[object], after: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(call, timeout=after)


async def assert_a_call_succeeds_at_once(client: AsyncRetab) -> None:
    started = time.monotonic()
    runs = await client.list_runs("wf", "exp", timeout=3)
    assert sorted(run.id for run in runs) == ["exprun_0", "exprun_1", "exprun_2"]
    assert time.monotonic() - started < 2  # a pool that lost its slots: PoolTimeout at 3 s
    assert_nothing_stranded(client)


async def test_calls_cut_one_after_another(server: FakeRetabServer) -> None:
    """2,000 calls, each cut at a random moment of its life: never a stranded request."""
    rng = random.Random(1)
    async with server.async_client(max_retries=0, timeout=5) as client:
        for _ in range(2000):
            await cut(client.list_runs("wf", "exp"), rng.uniform(0, 3 * LATENCY))
            assert_nothing_stranded(client)
        await assert_a_call_succeeds_at_once(client)


async def test_calls_cancelled_many_at_once(server: FakeRetabServer) -> None:
    """2,000 calls in rounds of 100 at once, each task cancelled at a random moment."""
    rng = random.Random(2)
    async with server.async_client(max_retries=0, timeout=5) as client:
        for _ in range(20):
            tasks = [asyncio.create_task(client.list_runs("wf", "exp")) for _ in range(100)]
            loop = asyncio.get_running_loop()
            for task in tasks:
                loop.call_later(rng.uniform(0, 40 * LATENCY), task.cancel)
            await asyncio.gather(*tasks, return_exceptions=True)
            assert_nothing_stranded(client)
        await assert_a_call_succeeds_at_once(client)


async def test_iter_all_cut_mid_page(server: FakeRetabServer) -> None:
    """iter_all over 8 pages through a pool of 5, cut 500 times at random moments."""
    rng = random.Random(3)
    http = DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=5))
    async with (
        http,
        AsyncRetab(
            server.api_key, base_url=server.url, http_client=http, max_retries=0, timeout=5
        ) as client,
    ):

        async def read_all() -> None:
            async for _ in client.workflows.experiments.runs.iter_all(
                workflow_id="wf", experiment_id="paged", limit=5
            ):
                pass

        for _ in range(50):
            await asyncio.gather(
                *(cut(read_all(), rng.uniform(0, 20 * LATENCY)) for _ in range(10))
            )
            assert_nothing_stranded(client)
        await assert_a_call_succeeds_at_once(client)


async def test_your_own_limits_cut_near_the_latency(server: FakeRetabServer) -> None:
    """A pool of 10 of your own, calls cut around the server's latency, 1,000 times."""
    rng = random.Random(4)
    http = DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=10))
    async with (
        http,
        AsyncRetab(
            server.api_key, base_url=server.url, http_client=http, max_retries=0, timeout=5
        ) as client,
    ):
        for _ in range(1000):
            await cut(client.list_runs("wf", "exp"), rng.uniform(0.5 * LATENCY, 1.5 * LATENCY))
        assert_nothing_stranded(client)
        await assert_a_call_succeeds_at_once(client)
