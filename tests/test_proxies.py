"""Proxies: read from the environment as httpx reads them, never for loopback, never in clear.

A raw-socket proxy on 127.0.0.1 records what reaches it and refuses every
tunnel (403), so a call through it fails fast and the recorded CONNECT line
says the call went through it. 127.0.0.2 stands for a remote host: nothing
listens there, so a call that skips the proxy fails at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from conftest import KEY
from raw_server import RawServer, head
from retab_runs import (
    APIConnectionError,
    AsyncRetab,
    ConfigurationError,
    ConfigurationTypeError,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    Retab,
)
from retab_runs.testing import FakeRetabServer, sample_run

REMOTE = "https://127.0.0.2:9"


def _refuse(conn: socket.socket, _: bytes) -> None:
    conn.sendall(head("403 Forbidden", Content_Length=0))


@pytest.fixture
def proxy() -> Iterator[RawServer]:
    with RawServer(_refuse) as server:
        yield server


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The environment with no proxy variable of the machine's, in either case."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    yield monkeypatch


def tunnels(proxy: RawServer) -> list[bytes]:
    return [request.split(b"\r\n")[0] for request in proxy.requests]


def test_https_proxy_from_the_environment_carries_the_calls(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch
) -> None:
    proxy_env.setenv("HTTPS_PROXY", proxy.url)
    with Retab(KEY, base_url=REMOTE, max_retries=0) as client, pytest.raises(APIConnectionError):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT 127.0.0.2:9 HTTP/1.1"]
    assert KEY.encode() not in proxy.requests[0]  # the key travels inside the tunnel


@pytest.mark.anyio
async def test_the_async_client_reads_the_environment_too(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch
) -> None:
    proxy_env.setenv("ALL_PROXY", proxy.url)
    async with AsyncRetab(KEY, base_url=REMOTE, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT 127.0.0.2:9 HTTP/1.1"]


@pytest.mark.parametrize("no_proxy", ["127.0.0.2", "*", "localhost,127.0.0.2"])
def test_no_proxy_hosts_are_reached_directly(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch, no_proxy: str
) -> None:
    proxy_env.setenv("HTTPS_PROXY", proxy.url)
    proxy_env.setenv("NO_PROXY", no_proxy)
    with Retab(KEY, base_url=REMOTE, max_retries=0) as client, pytest.raises(APIConnectionError):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == []


@pytest.mark.parametrize("no_proxy", ["retab.test", ".retab.test"])
def test_no_proxy_covers_the_subdomains_of_a_domain(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch, no_proxy: str
) -> None:
    """curl's rule, as httpx applies it: `retab.test` also exempts `api.retab.test`."""
    proxy_env.setenv("HTTPS_PROXY", proxy.url)
    proxy_env.setenv("NO_PROXY", no_proxy)
    # `.test` names never resolve: reached directly, the call fails at once.
    with (
        Retab(KEY, base_url="https://api.retab.test:9", max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == []
    # A name that only ends the same way is not a subdomain: proxied.
    with (
        Retab(KEY, base_url="https://notretab.test:9", max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT notretab.test:9 HTTP/1.1"]


@pytest.mark.anyio
async def test_async_no_proxy_covers_the_subdomains_of_a_domain(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch
) -> None:
    proxy_env.setenv("HTTPS_PROXY", proxy.url)
    proxy_env.setenv("NO_PROXY", "retab.test")
    for url in ("https://api.retab.test:9", "https://notretab.test:9"):
        async with AsyncRetab(KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIConnectionError):
                await client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT notretab.test:9 HTTP/1.1"]


def test_loopback_is_never_proxied(proxy: RawServer, proxy_env: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        proxy_env.setenv(name, proxy.url)
    with FakeRetabServer() as server:
        server.add_runs("wf", "exp", [sample_run("r1")])
        with server.client() as client:
            assert [run.id for run in client.list_runs("wf", "exp")] == ["r1"]
    assert tunnels(proxy) == []


def test_without_trust_env_the_environment_is_ignored(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch
) -> None:
    proxy_env.setenv("HTTPS_PROXY", proxy.url)
    with (
        DefaultHttpxClient(trust_env=False) as http,
        Retab(KEY, base_url=REMOTE, max_retries=0, http_client=http) as client,
        pytest.raises(APIConnectionError),
    ):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == []


def test_an_http_request_is_never_sent_in_clear_through_a_proxy(
    proxy: RawServer, proxy_env: pytest.MonkeyPatch
) -> None:
    with_password = proxy.url.replace("http://", "http://user:pr0xy-pass@")
    proxy_env.setenv("HTTP_PROXY", with_password)
    with (
        Retab(KEY, base_url="http://127.0.0.2:9", allow_insecure_http=True) as client,
        pytest.raises(ConfigurationError) as info,
    ):
        client.list_runs("wf", "exp")
    message = str(info.value)
    assert proxy.url in message and "pr0xy-pass" not in message and KEY not in message
    assert "\n" not in message
    assert tunnels(proxy) == []


def test_an_explicit_proxy_is_used_for_every_host(proxy: RawServer) -> None:
    with (
        DefaultHttpxClient(proxy=proxy.url) as http,
        Retab(KEY, base_url=REMOTE, max_retries=0, http_client=http) as client,
        pytest.raises(APIConnectionError),
    ):
        client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT 127.0.0.2:9 HTTP/1.1"]


@pytest.mark.anyio
async def test_an_explicit_proxy_on_the_async_client(proxy: RawServer) -> None:
    async with (
        DefaultAsyncHttpxClient(proxy=httpx.Proxy(proxy.url)) as http,
        AsyncRetab(KEY, base_url=REMOTE, max_retries=0, http_client=http) as client,
    ):
        with pytest.raises(APIConnectionError):
            await client.list_runs("wf", "exp")
    assert tunnels(proxy) == [b"CONNECT 127.0.0.2:9 HTTP/1.1"]


def test_unusable_proxies_fail_when_the_client_is_built() -> None:
    with pytest.raises(ConfigurationError, match="ftp"):
        DefaultHttpxClient(proxy="ftp://127.0.0.1:21")
    if importlib.util.find_spec("socksio") is None:
        with pytest.raises(ConfigurationError, match="socksio"):
            DefaultHttpxClient(proxy="socks5://127.0.0.1:1080")
    with pytest.raises(ConfigurationTypeError, match="transport"):
        DefaultHttpxClient(transport=httpx.MockTransport(lambda r: httpx.Response(200)))


@pytest.mark.anyio
async def test_your_own_limits_keep_the_pool_usable_after_hundreds_of_cancellations() -> None:
    """httpx's own pool with max_connections=10 strands connections here; ours does not."""
    with FakeRetabServer(latency=0.02) as server:
        server.add_runs("wf", "exp", [sample_run("r1")])
        http = DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=10))
        async with AsyncRetab(
            server.api_key, base_url=server.url, http_client=http, max_retries=0, timeout=5
        ) as client:

            async def cancelled(after: float) -> None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(client.list_runs("wf", "exp"), timeout=after)

            for start in range(0, 600, 100):
                await asyncio.gather(
                    *(cancelled(0.001 * (n % 60) + 0.001) for n in range(start, start + 100))
                )
            runs = await client.list_runs("wf", "exp", timeout=3)
            assert [run.id for run in runs] == ["r1"]
        await http.aclose()


class _Concurrency:
    """A server that answers each request after a pause, counting connections open at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self.most = 0

    def respond(self, conn: socket.socket, _: bytes) -> None:
        with self._lock:
            self._open += 1
            self.most = max(self.most, self._open)
        time.sleep(0.2)
        with self._lock:
            self._open -= 1
        body = b'{"runs": []}'
        conn.sendall(head(Content_Length=len(body), Connection="close") + body)


PAIRS = [("wf", f"exp_{n}") for n in range(9)]


def test_your_limits_bound_the_direct_pool(proxy_env: pytest.MonkeyPatch) -> None:
    counter = _Concurrency()
    with (
        RawServer(counter.respond) as server,
        DefaultHttpxClient(limits=httpx.Limits(max_connections=3)) as http,
        Retab(KEY, base_url=server.url, http_client=http, max_retries=0, timeout=10) as client,
    ):
        results = client.list_runs_many(PAIRS, concurrency=9)
    assert len(results) == 9 and all(runs == [] for runs in results.values())
    assert counter.most == 3


@pytest.mark.anyio
async def test_async_your_limits_bound_the_direct_pool(proxy_env: pytest.MonkeyPatch) -> None:
    counter = _Concurrency()
    with RawServer(counter.respond) as server:
        async with (
            DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=3)) as http,
            AsyncRetab(
                KEY, base_url=server.url, http_client=http, max_retries=0, timeout=10
            ) as client,
        ):
            results = await client.list_runs_many(PAIRS, concurrency=9)
    assert len(results) == 9 and all(runs == [] for runs in results.values())
    assert counter.most == 3
