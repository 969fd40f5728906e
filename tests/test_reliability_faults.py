"""Faults over real sockets against the fake server: exact attempts, the right
final error, and a total time within what the retry policy allows."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator

import pytest

from retab_runs import (
    APIConnectionError,
    APITimeoutError,
    AsyncRetab,
    InternalServerError,
    RateLimitError,
    ResponseValidationError,
)
from retab_runs._retry import RetryPolicy
from retab_runs.testing import FakeRetabServer

WF, EXP = "wf_demo", "exp_invoices"
SLACK = 1.0  # seconds of scheduling noise a shared 2-core CI machine may add


@pytest.fixture
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer(sample=True) as server:
        yield server


def attempts(server: FakeRetabServer) -> int:
    return len(server.requests)


def policy_bound(retries: int, per_attempt: float) -> float:
    """The most a call may take: every attempt at its timeout plus the longest backoffs."""
    policy = RetryPolicy(max_retries=retries)
    backoff = sum(min(policy.initial_delay * 2**n, policy.max_delay) for n in range(retries))
    return (retries + 1) * per_attempt + backoff + SLACK


class TestConnectionResets:
    @pytest.mark.parametrize("after_bytes", [0, 1, 200, 2000], ids=lambda n: f"after {n} bytes")
    def test_reset_then_success(
        self, server: FakeRetabServer, sleeps: list[float], after_bytes: int
    ) -> None:
        server.drop_next(after_bytes=after_bytes)
        with server.client() as client:
            assert len(client.list_runs(WF, EXP)) == 8
        assert attempts(server) == 2

    @pytest.mark.parametrize("after_bytes", [0, 200])
    def test_resets_beyond_the_budget(
        self, server: FakeRetabServer, sleeps: list[float], after_bytes: int
    ) -> None:
        server.drop_next(3, after_bytes=after_bytes)
        with server.client(max_retries=2) as client, pytest.raises(APIConnectionError) as info:
            client.list_runs(WF, EXP)
        assert not isinstance(info.value, APITimeoutError)
        assert attempts(server) == 3
        assert len(sleeps) == 2


class TestStalls:
    def test_stall_past_the_timeout_with_real_backoff(self, server: FakeRetabServer) -> None:
        server.delay_next(3, seconds=3.0)
        started = time.monotonic()
        with server.client(timeout=0.3, max_retries=2) as client, pytest.raises(APITimeoutError):
            client.list_runs(WF, EXP)
        elapsed = time.monotonic() - started
        assert attempts(server) == 3
        assert elapsed <= policy_bound(2, 0.3)
        assert elapsed >= 3 * 0.3 + 0.75 * (0.5 + 1.0)  # it did wait out the backoffs

    def test_slow_drip_is_cut_off_by_the_whole_response_deadline(
        self, server: FakeRetabServer, sleeps: list[float]
    ) -> None:
        # ~6 KB at 64 bytes / 50 ms would take ~5 s; each write is well within the
        # 0.4 s per-read timeout, so only the whole-response deadline stops it.
        server.drip_next(2, chunk_size=64, interval=0.05)
        started = time.monotonic()
        with server.client(timeout=0.4, max_retries=1) as client, pytest.raises(APITimeoutError):
            client.list_runs(WF, EXP)
        assert attempts(server) == 2
        assert time.monotonic() - started <= 2 * (0.4 + 0.05) + SLACK

    def test_slow_drip_within_the_deadline_succeeds(self, server: FakeRetabServer) -> None:
        server.drip_next(chunk_size=2048, interval=0.01)
        with server.client(timeout=5) as client:
            assert len(client.list_runs(WF, EXP)) == 8

    @pytest.mark.anyio
    async def test_async_slow_drip_is_cut_off(
        self, server: FakeRetabServer, sleeps: list[float]
    ) -> None:
        server.drip_next(1, chunk_size=64, interval=0.05)
        async with AsyncRetab(server.api_key, base_url=server.url, timeout=0.4, max_retries=0) as c:
            with pytest.raises(APITimeoutError):
                await c.list_runs(WF, EXP)


class TestRateLimits:
    @pytest.mark.parametrize(
        ("headers", "expected"),
        [
            ({"Retry-After": "1"}, 1.0),
            ({"Retry-After": "0.25"}, 0.25),
            ({"retry-after-ms": "300"}, 0.3),
            ({"Retry-After": "not-a-date"}, None),
        ],
    )
    def test_each_retry_after_form(
        self, server: FakeRetabServer, sleeps: list[float], headers: dict[str, str],
        expected: float | None,
    ) -> None:  # fmt: skip
        server.fail_next(status=429, headers=headers)
        with server.client() as client:
            assert len(client.list_runs(WF, EXP)) == 8
        assert attempts(server) == 2 and len(sleeps) == 1
        if expected is None:
            assert 0.375 <= sleeps[0] <= 0.5
        else:
            assert sleeps[0] == pytest.approx(expected)

    def test_http_date_retry_after(self, server: FakeRetabServer, sleeps: list[float]) -> None:
        when = email.utils.formatdate(time.time() + 3, usegmt=True)
        server.fail_next(status=429, headers={"Retry-After": when})
        with server.client() as client:
            client.list_runs(WF, EXP)
        assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 3.0

    def test_retry_after_beyond_the_cap_fails_fast(self, server: FakeRetabServer) -> None:
        server.fail_next(status=429, retry_after=120)
        started = time.monotonic()
        with server.client() as client, pytest.raises(RateLimitError) as info:
            client.list_runs(WF, EXP)
        assert info.value.retry_after == 120
        assert attempts(server) == 1
        assert time.monotonic() - started < SLACK


class TestServerErrors:
    def test_503_burst_longer_than_the_budget_with_real_backoff(
        self, server: FakeRetabServer
    ) -> None:
        server.fail_next(10, status=503)
        started = time.monotonic()
        with server.client(max_retries=2) as client, pytest.raises(InternalServerError):
            client.list_runs(WF, EXP)
        elapsed = time.monotonic() - started
        assert attempts(server) == 3
        assert 0.75 * (0.5 + 1.0) <= elapsed <= policy_bound(2, 0.0)

    @pytest.mark.parametrize("retries", [0, 1, 4])
    def test_attempts_are_max_retries_plus_one(
        self, server: FakeRetabServer, sleeps: list[float], retries: int
    ) -> None:
        server.fail_next(10, status=502)
        with server.client(max_retries=retries) as client, pytest.raises(InternalServerError):
            client.list_runs(WF, EXP)
        assert attempts(server) == retries + 1
        assert len(sleeps) == retries

    def test_mixed_faults_then_success(self, server: FakeRetabServer, sleeps: list[float]) -> None:
        server.drop_next()
        server.fail_next(status=503)
        server.malformed_next(kind="not_json")
        with server.client(max_retries=3) as client:
            with pytest.raises(ResponseValidationError):
                client.list_runs(WF, EXP)
            # a malformed 200 is not retried: the server did answer
            assert attempts(server) == 3
            assert len(client.list_runs(WF, EXP)) == 8
