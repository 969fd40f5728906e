"""The retry policy: what is retried, how often, how long it waits."""

from __future__ import annotations

import email.utils
import logging
import time

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY, TOKEN
from retab_runs import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CertificateVerificationError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Retab,
    UnprocessableEntityError,
)
from retab_runs._error_mapping import status_error
from retab_runs._retry import RetryPolicy, async_sleep, parse_retry_after
from retab_runs.testing import no_retry_waits

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-2"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "1e400"}, None),
        ({"retry-after": "99999999999999999999"}, 1e20),
        ({"retry-after": "soon"}, None),
        ({"retry-after": email.utils.formatdate(NOW + 20, usegmt=True)}, 20.0),
        ({"retry-after": email.utils.formatdate(NOW - 20, usegmt=True)}, 0.0),
        ({"retry-after": "Wed, 99 Foo 2026 99:99:99 GMT"}, None),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "-1", "retry-after": "9"}, 9.0),
        ({"retry-after-ms": "x", "retry-after": "9"}, 9.0),
        ({"retry-after-ms": "0", "retry-after": "9"}, 0.0),
        ({"retry-after-ms": "0.5", "retry-after": "9"}, 0.0005),
        ({"Retry-After-Ms": "nan", "RETRY-AFTER": "2"}, 2.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize("retries_done", range(6))
def test_backoff_doubles_from_half_a_second_capped_at_8_with_jitter(retries_done: int) -> None:
    base = min(0.5 * 2**retries_done, 8.0)
    delays = [RetryPolicy().backoff(retries_done) for _ in range(200)]
    assert all(0.75 * base <= d <= base for d in delays)
    assert len(set(delays)) > 1


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retries_retryable_status_then_succeeds(
    httpx_mock: HTTPXMock, sleeps: list[float], status: int
) -> None:
    httpx_mock.add_response(status_code=status, json={"detail": "busy"})
    httpx_mock.add_response(status_code=status, json={"detail": "busy"})
    httpx_mock.add_response(json={"runs": []})
    assert Retab(KEY).list_runs("w", "e") == []
    assert len(httpx_mock.get_requests()) == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


# 501 is a 5xx a retry cannot fix.
ERRORS = {
    400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError,
    404: NotFoundError, 422: UnprocessableEntityError, 501: InternalServerError,
}  # fmt: skip


@pytest.mark.parametrize("status", list(ERRORS))
def test_does_not_retry_other_statuses(
    httpx_mock: HTTPXMock, sleeps: list[float], status: int
) -> None:
    httpx_mock.add_response(status_code=status, json={"detail": "no"})
    with pytest.raises(APIStatusError) as info:
        Retab(KEY).list_runs("w", "e")
    assert type(info.value) is ERRORS[status] and info.value.status_code == status
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps == []


def test_gives_up_after_max_retries_with_the_last_error(
    httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    for _ in range(4):
        httpx_mock.add_response(status_code=503, json={"detail": "down"})
    with pytest.raises(InternalServerError):
        Retab(KEY, max_retries=3).list_runs("w", "e")
    assert len(httpx_mock.get_requests()) == 4
    assert len(sleeps) == 3


def test_max_retries_zero_sends_once(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(status_code=503)
    with pytest.raises(InternalServerError):
        Retab(KEY, max_retries=0).list_runs("w", "e")
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset")],
)
def test_retries_connection_errors(
    httpx_mock: HTTPXMock, sleeps: list[float], exc: Exception
) -> None:
    httpx_mock.add_exception(exc)
    httpx_mock.add_response(json={"runs": []})
    assert Retab(KEY).list_runs("w", "e") == []
    assert len(sleeps) == 1


def test_retries_timeouts_then_raises_timeout(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        Retab(KEY).list_runs("w", "e")
    assert len(httpx_mock.get_requests()) == 3
    assert len(sleeps) == 2


def test_connection_error_after_retries_is_api_connection_error(
    httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    for _ in range(2):
        httpx_mock.add_exception(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        Retab(KEY, max_retries=1).list_runs("w", "e")


@pytest.mark.parametrize(
    ("headers", "slept"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "60"}, 60.0),
        ({"Retry-After": "garbage"}, None),  # falls back to backoff
    ],
)
def test_honours_retry_after_within_the_cap(
    httpx_mock: HTTPXMock, sleeps: list[float], headers: dict[str, str], slept: float | None
) -> None:
    httpx_mock.add_response(status_code=429, headers=headers)
    httpx_mock.add_response(json={"runs": []})
    Retab(KEY).list_runs("w", "e")
    assert len(sleeps) == 1
    if slept is None:
        assert 0.375 <= sleeps[0] <= 0.5
    else:
        assert sleeps[0] == pytest.approx(slept)


@pytest.mark.parametrize("headers", [{"Retry-After": "61"}, {"Retry-After": "86400"}])
def test_retry_after_beyond_the_cap_raises_without_sleeping(
    httpx_mock: HTTPXMock, sleeps: list[float], headers: dict[str, str]
) -> None:
    httpx_mock.add_response(status_code=429, headers=headers, json={"detail": "later"})
    with pytest.raises(RateLimitError) as info:
        Retab(KEY).list_runs("w", "e")
    assert info.value.retry_after == float(headers["Retry-After"])
    assert sleeps == []
    assert len(httpx_mock.get_requests()) == 1


def test_each_retry_is_logged_at_info_without_secrets(
    httpx_mock: HTTPXMock, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    httpx_mock.add_response(json={"runs": []})
    with caplog.at_level(logging.DEBUG):
        Retab(KEY, access_token=TOKEN).list_runs("wf", "exp")
    retries = [r for r in caplog.records if r.name == "retab_runs" and r.levelno == logging.INFO]
    assert [r.levelno for r in retries] == [logging.INFO, logging.INFO]
    assert "status 503" in retries[0].getMessage()
    assert "retry 1 of 2" in retries[0].getMessage()
    assert "ConnectError" in retries[1].getMessage()
    assert "/v1/workflows/wf/experiments/exp/runs" in retries[0].getMessage()
    everything = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert KEY not in everything and TOKEN not in everything


def test_not_found_is_never_retried(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(status_code=404, json={"detail": "Experiment not found"})
    with pytest.raises(NotFoundError):
        Retab(KEY, max_retries=5).list_runs("w", "e")
    assert sleeps == []


def _status(code: int, retry_after: float | None = None) -> APIStatusError:
    request = httpx.Request("POST", "https://api.retab.com/v1/x")
    error = status_error(httpx.Response(code, request=request), b"")
    return APIStatusError(
        error.message, response=error.response, body=None, retry_after=retry_after
    )


@pytest.mark.parametrize(
    ("error", "replayable", "reached", "retried"),
    [
        (APIConnectionError("refused"), False, False, True),  # never reached the server
        (APIConnectionError("reset"), False, True, False),  # a POST that may have landed
        (APIConnectionError("reset"), True, True, True),  # idempotent, or with a key
        (CertificateVerificationError("bad cert"), True, False, False),
        (APITimeoutError("slow"), False, True, False),
        (_status(503), False, True, False),
        (_status(503), True, True, True),
        (_status(429, retry_after=3.0), True, True, True),
        (_status(429, retry_after=3600.0), True, True, False),  # past max_retry_after
        (_status(404), True, True, False),
    ],
)
def test_one_decision_owns_every_retry_rule(
    error: APIError, replayable: bool, reached: bool, retried: bool
) -> None:
    """RetryPolicy.delay: statuses, Retry-After, certificates, and what may be sent twice."""
    delay = RetryPolicy(max_retries=2).delay(error, 0, replayable=replayable, reached=reached)
    assert (delay is not None) is retried
    assert RetryPolicy(max_retries=2).delay(error, 2, replayable=True, reached=False) is None


@pytest.mark.anyio
async def test_async_waits_are_recorded_or_really_slept() -> None:
    """The async client's waits: recorded (not slept) under no_retry_waits, else slept."""
    with no_retry_waits() as waits:
        await async_sleep(7.5)
    assert waits == [7.5]
    started = time.monotonic()  # outside the block: real waits (a tiny one here)
    await async_sleep(0.01)
    assert time.monotonic() - started >= 0.009
