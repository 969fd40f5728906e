"""The async reliability cases over both transports: httpx's (ours) and aiohttp's (AioHttpClient).

Same servers, same assertions: the error contract does not depend on the transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import trustme

from conftest import KEY, TOKEN
from raw_server import RawServer, head
from retab_runs import (
    AioHttpClient,
    APIConnectionError,
    APITimeoutError,
    AsyncRetab,
    CertificateVerificationError,
    DefaultAsyncHttpxClient,
    InternalServerError,
    NotFoundError,
    ResponseTooLargeError,
)
from retab_runs.testing import FakeRetabServer, sample_run

pytestmark = pytest.mark.anyio
SLACK = 1.0

Make = Callable[..., contextlib.AbstractAsyncContextManager[AsyncRetab]]


@pytest.fixture(params=["httpx", "aiohttp"])
def make(request: pytest.FixtureRequest) -> Make:
    """Builds an AsyncRetab on the transport under test (closed with it)."""

    @contextlib.asynccontextmanager
    async def build(api_key: str = KEY, **kwargs: Any) -> AsyncIterator[AsyncRetab]:
        if request.param == "aiohttp":
            async with (
                AioHttpClient() as http,
                AsyncRetab(api_key, http_client=http, **kwargs) as c,
            ):
                yield c
        else:
            async with AsyncRetab(api_key, **kwargs) as client:
                yield client

    return build


async def test_lists_and_raises_status_errors(make: Make) -> None:
    with FakeRetabServer(sample=True) as server:
        async with make(server.api_key, base_url=server.url) as client:
            runs = await client.list_runs("wf_demo", "exp_invoices")
            assert len(runs) == 8 and runs.request_id
            raw = await client.with_raw_response.list_runs("wf_demo", "exp_invoices")
            assert (raw.status_code, raw.http_version) == (200, "HTTP/1.1")
            with pytest.raises(NotFoundError):
                await client.list_runs("wf_demo", "nope")


async def test_a_refused_connection_is_a_connection_error_not_a_timeout(make: Make) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with make(base_url=f"http://127.0.0.1:{port}", max_retries=0) as client:
        with pytest.raises(APIConnectionError, match=f"refused by 127.0.0.1:{port}") as info:
            await client.list_runs("wf", "exp")
    assert not isinstance(info.value, APITimeoutError)


@pytest.mark.parametrize("after_bytes", [0, 200])
async def test_a_dropped_connection_is_not_resent_behind_the_policy(
    make: Make, after_bytes: int
) -> None:
    with FakeRetabServer(sample=True) as server:
        async with make(server.api_key, base_url=server.url, max_retries=0) as client:
            await client.list_runs("wf_demo", "exp_invoices")  # a connection to reuse
            server.drop_next(after_bytes=after_bytes)
            with pytest.raises(APIConnectionError):
                await client.list_runs("wf_demo", "exp_invoices")
        assert len(server.requests) == 2


async def test_retries_follow_the_policy_exactly(make: Make, sleeps: list[float]) -> None:
    with FakeRetabServer(sample=True) as server:
        server.fail_next(3, status=503)
        async with make(server.api_key, base_url=server.url, max_retries=2) as client:
            with pytest.raises(InternalServerError):
                await client.list_runs("wf_demo", "exp_invoices")
        assert len(server.requests) == 3 and len(sleeps) == 2


async def test_a_compression_bomb_stops_at_the_size_limit(make: Make) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(bytes(2**20)) for _ in range(64)) + packer.flush()

    def respond(conn: socket.socket, _: bytes) -> None:
        conn.sendall(head(Content_Encoding="gzip", Content_Length=len(bomb)) + bomb)

    with RawServer(respond) as server:
        async with make(base_url=server.url, max_response_size=2**20) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.list_runs("wf", "exp")
        assert len(server.requests) == 1


async def test_a_long_body_is_read_only_up_to_the_size_limit(make: Make) -> None:
    """50 MiB with no length against a 1 MiB limit: refused once past it, not after reading it."""
    sent: list[int] = []
    done = threading.Event()

    def respond(conn: socket.socket, _: bytes) -> None:
        piece = b" " * 2**16
        try:
            conn.sendall(head(Content_Type="application/json", Connection="close"))
            for _ in range(50 * 16):
                conn.sendall(piece)
                sent.append(len(piece))
        finally:
            done.set()

    with RawServer(respond) as server:
        async with make(base_url=server.url, max_response_size=2**20, max_retries=0) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.list_runs("wf", "exp")
        assert done.wait(10)
    # What the client read, plus what the socket buffers took before it hung up.
    assert sum(sent) < 16 * 2**20


async def test_headers_dripped_a_byte_at_a_time_hit_the_deadline(make: Make) -> None:
    def drip(conn: socket.socket, _: bytes) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 20:
            conn.sendall(bytes([byte]))
            time.sleep(0.2)

    with RawServer(drip) as server:
        started = time.monotonic()
        async with make(base_url=server.url, timeout=1, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.list_runs("wf", "exp")
        assert time.monotonic() - started < 1 + SLACK


async def test_secrets_stay_out_of_errors(make: Make) -> None:
    def respond(conn: socket.socket, _: bytes) -> None:
        body = json.dumps({"detail": f"echo {KEY} {TOKEN}"}).encode()
        conn.sendall(head("500 Internal Server Error", Content_Length=len(body)) + body)

    with RawServer(respond) as server:
        async with make(base_url=server.url, access_token=TOKEN, max_retries=0) as client:
            with pytest.raises(InternalServerError) as info:
                await client.list_runs("wf", "exp")
    error = info.value
    for text in (
        str(error),
        repr(error.body),
        error.response.text,
        str(error.response.request.url),
    ):
        assert KEY not in text and TOKEN not in text


async def test_an_untrusted_certificate_is_named_and_not_retried(make: Make) -> None:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(tls)
    with RawServer(lambda conn, _: None, tls=tls) as server:
        started = time.monotonic()
        async with make(base_url=server.url, max_retries=3) as client:
            with pytest.raises(CertificateVerificationError, match=r"127\.0\.0\.1"):
                await client.list_runs("wf", "exp")
        assert time.monotonic() - started < 2


async def test_fan_out_at_concurrency_1000(make: Make) -> None:
    with FakeRetabServer(latency=0.005) as server:
        pairs = [("wf", f"exp_{n}") for n in range(200)]
        for wf, exp in pairs:
            server.add_runs(wf, exp, [sample_run(f"r_{exp}")])
        async with make(server.api_key, base_url=server.url, timeout=10, max_retries=0) as client:
            results = await client.list_runs_many(pairs, concurrency=1000)
    assert all(isinstance(value, list) and len(value) == 1 for value in results.values())


async def steps(count: int) -> None:
    """Let the event loop run `count` times."""
    for _ in range(count):
        await asyncio.sleep(0)


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_cancellations_leave_the_pool_usable(transport: str) -> None:
    """On a pool of one connection, calls cancelled at every step in turn strand nothing.

    Steps, not seconds: where each cancellation lands does not depend on the
    machine's load, and one stranded slot is the whole pool (the next call
    would wait out its timeout instead of answering). One call cut after 0 to
    79 steps lands before it is sent, while it connects, sends, waits, reads
    and closes; two at once, the second cut a few steps after the first, land
    the second just as the first hands it the pool's one slot.
    """
    if transport == "aiohttp":
        http: httpx.AsyncClient = AioHttpClient(max_connections=1)
    else:
        http = DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=1))
    with FakeRetabServer() as server:
        server.add_runs("wf", "exp", [sample_run("r1")])
        async with (
            http,
            AsyncRetab(
                server.api_key, base_url=server.url, http_client=http, max_retries=0, timeout=5
            ) as client,
        ):
            for after in range(80):
                call = asyncio.ensure_future(client.list_runs("wf", "exp"))
                await steps(after)
                call.cancel()
                await asyncio.gather(call, return_exceptions=True)
            for after in range(40):
                for between in range(4):
                    first = asyncio.ensure_future(client.list_runs("wf", "exp"))
                    queued = asyncio.ensure_future(client.list_runs("wf", "exp"))
                    await steps(after)
                    first.cancel()
                    await steps(between)
                    queued.cancel()
                    await asyncio.gather(first, queued, return_exceptions=True)
            for _ in range(3):
                assert [run.id for run in await client.list_runs("wf", "exp")] == ["r1"]


def test_importing_retab_runs_does_not_import_aiohttp() -> None:
    code = "import sys, retab_runs; print('aiohttp' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
