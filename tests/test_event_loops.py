"""One AsyncRetab across event loops: successive `asyncio.run` calls, a loop still open.

Connections are bound to the loop that opened them; before, every second
`asyncio.run` failed with an untyped `RuntimeError: Event loop is closed`
(every one after the first with AioHttpClient).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator

import httpx
import pytest

from retab_runs import AioHttpClient, AsyncRetab, DefaultAsyncHttpxClient, EventLoopError
from retab_runs.testing import FakeRetabServer, sample_run

# The connections of a closed loop cannot be closed without it: they are
# dropped, and the collector closes their sockets (with a ResourceWarning).
pytestmark = pytest.mark.filterwarnings("ignore:unclosed:ResourceWarning")

Make = Callable[[FakeRetabServer], AsyncRetab]


def default(server: FakeRetabServer) -> AsyncRetab:
    return AsyncRetab(server.api_key, base_url=server.url, max_retries=0)


def over_aiohttp(server: FakeRetabServer) -> AsyncRetab:
    return AsyncRetab(
        server.api_key, base_url=server.url, max_retries=0, http_client=AioHttpClient()
    )


def your_default_client(server: FakeRetabServer) -> AsyncRetab:
    return AsyncRetab(
        server.api_key, base_url=server.url, max_retries=0, http_client=DefaultAsyncHttpxClient()
    )


TRANSPORTS = pytest.mark.parametrize("make", [default, over_aiohttp, your_default_client])


@pytest.fixture(scope="module")
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer() as fake:
        fake.add_runs("wf", "exp", [sample_run("exprun_1")])
        yield fake


async def run_ids(client: AsyncRetab) -> list[str]:
    # Two at once: the pool holds more than one connection of the loop.
    first, second = await asyncio.gather(
        client.list_runs("wf", "exp"), client.list_runs("wf", "exp")
    )
    return [run.id for run in first + second]


async def close(client: AsyncRetab) -> None:
    await client.aclose()
    http = client._http
    if not client._owns_http:
        await http.aclose()


@TRANSPORTS
def test_one_client_serves_successive_asyncio_runs(
    server: FakeRetabServer, make: Make, caplog: pytest.LogCaptureFixture
) -> None:
    """Five `asyncio.run` calls on one client all succeed; closing in a sixth works too."""
    client = make(server)
    for _ in range(5):
        assert asyncio.run(run_ids(client)) == ["exprun_1", "exprun_1"]
    asyncio.run(close(client))
    assert client.is_closed
    del client
    gc.collect()
    # No "Unclosed client session" or other complaint from asyncio's handler.
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []


@TRANSPORTS
def test_a_loop_still_open_is_a_typed_error_naming_the_fix(
    server: FakeRetabServer, make: Make
) -> None:
    """Its connections may still be used there: refused, not shared; once it closes, fine."""
    client = make(server)
    first = asyncio.new_event_loop()
    try:
        assert first.run_until_complete(run_ids(client)) == ["exprun_1", "exprun_1"]
        with pytest.raises(EventLoopError, match="one client per event loop") as info:
            asyncio.run(run_ids(client))
        assert isinstance(info.value, RuntimeError)
    finally:
        first.close()
    assert asyncio.run(run_ids(client)) == ["exprun_1", "exprun_1"]
    asyncio.run(close(client))


def test_httpx_own_transports_bound_to_a_closed_loop_name_the_fix(
    server: FakeRetabServer,
) -> None:
    """A plain httpx.AsyncClient cannot follow the loop: a typed error naming the one that can."""
    client = AsyncRetab(
        server.api_key, base_url=server.url, max_retries=0, http_client=httpx.AsyncClient()
    )
    assert asyncio.run(run_ids(client)) == ["exprun_1", "exprun_1"]
    with pytest.raises(EventLoopError, match="DefaultAsyncHttpxClient"):
        asyncio.run(run_ids(client))
