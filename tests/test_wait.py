"""`wait_for_run`: polling a run until it ends, within a timeout, never sleeping here.

The listing is read until the run is known; from then on each poll is one
`get(run_id)`. The fake server moves a progressing run on one stage per read.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY
from raw_server import RawServer, head
from retab_runs import (
    APIConnectionError,
    AsyncRetab,
    ConfigurationError,
    ExperimentRun,
    NotFoundError,
    ResponseValidationError,
    Retab,
    WaitTimeoutError,
)
from retab_runs._constants import POLL_BACKOFF_AFTER
from retab_runs._wait import Waiter, next_interval, timeout_error
from retab_runs.testing import FakeRetabServer, sample_run

GET_PATH = "/v1/workflows/experiments/runs/"


def status(run: ExperimentRun) -> str:
    return str(run.lifecycle.status)


def documented_run(run_id: str, lifecycle: str) -> dict[str, Any]:
    """The spec's documented ExperimentRun, as `get` answers it, with this id and status."""
    example: dict[str, Any] = ExperimentRun.SCHEMA.schema["example"]
    return {**example, "id": run_id, "lifecycle": {"status": lifecycle}}


@pytest.fixture
def server(retab_server: FakeRetabServer, sleeps: list[float]) -> FakeRetabServer:
    """The shipped fixture, with one finished run (`sleeps` set up after it records the waits)."""
    retab_server.add_runs("wf", "exp", [sample_run("exprun_old", status="completed")])
    return retab_server


def progressing(server: FakeRetabServer, *stages: dict[str, Any], **kwargs: Any) -> None:
    server.progress_run(
        "wf",
        "exp",
        sample_run("exprun_new", status="pending", created_at=None, job_id=None)
        | {"created_at": "2026-06-01T00:00:00Z"},
        list(stages),
        **kwargs,
    )


def test_polls_until_the_run_completes_and_reports_each_change(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    progressing(server, {"status": "running"}, {"status": "running"}, {"status": "completed"})
    seen: list[str] = []
    with server.client() as client:
        run = client.wait_for_run("wf", "exp", on_update=lambda r: seen.append(status(r)))
    assert (run.id, status(run)) == ("exprun_new", "completed")
    # The listing moved the run on once (pending, as added), the first get twice.
    assert seen == ["running", "completed"]  # the unchanged poll is not reported
    paths = [request.path for request in server.requests]
    assert paths[0] == "/v1/workflows/wf/experiments/exp/runs"
    assert paths[1:] == [GET_PATH + "exprun_new"] * 3  # then one run per poll, not the history
    assert sleeps == [2.0, 2.0]


@pytest.mark.parametrize("ending", ["error", "cancelled"])
def test_returns_a_run_that_ended_badly(server: FakeRetabServer, ending: str) -> None:
    progressing(server, {"status": ending})
    with server.client() as client:
        run = client.wait_for_run("wf", "exp", "exprun_new")
    assert status(run) == ending
    assert [request.path for request in server.requests] == [GET_PATH + "exprun_new"] * 2


def test_an_unknown_status_is_not_terminal(server: FakeRetabServer) -> None:
    progressing(
        server, {"status": "queued"}, {"status": "paused_by_admin"}, {"status": "completed"}
    )
    with server.client() as client:
        assert status(client.wait_for_run("wf", "exp")) == "completed"
    assert len(server.requests) == 4


def test_timeout_carries_the_last_run_seen(server: FakeRetabServer, sleeps: list[float]) -> None:
    progressing(server, {"status": "running"})
    with server.client() as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "exp", timeout=10, poll_interval=2)
    assert info.value.last_run is not None and status(info.value.last_run) == "running"
    assert "still running after 10 s" in str(info.value)
    assert info.value.message == str(info.value)
    assert sum(sleeps) == pytest.approx(10, abs=0.5)  # the polls themselves take a little
    # The listing, then five gets (at 0, 2, 4, 6 and 8 s): at 10 s nothing is left to poll in.
    assert len(server.requests) == 6


def test_the_last_pause_is_cut_to_the_time_left(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    """A timeout the interval does not divide: the wait still ends at the timeout, not after."""
    progressing(server, {"status": "running"})
    with server.client() as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", timeout=5, poll_interval=2)
    assert sum(sleeps) <= 5
    assert sum(sleeps) == pytest.approx(5, abs=0.5)
    assert sleeps[:2] == [2.0, 2.0] and sleeps[2] < 1.01


def test_a_run_id_that_does_not_exist_fails_at_once(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    with server.client() as client, pytest.raises(NotFoundError):
        client.wait_for_run("wf", "exp", "exprun_missing", timeout=6, poll_interval=2)
    assert sleeps == [] and len(server.requests) == 1


def test_an_experiment_without_runs_times_out_clearly(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    server.add_experiment("wf", "empty")
    with server.client() as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "empty", timeout=6, poll_interval=2)
    assert info.value.last_run is None
    assert "'wf'/'empty' had no runs within 6 s" in str(info.value)


def test_a_run_that_appears_later_is_waited_for(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    later = sample_run("exprun_9", status="completed")
    bodies = iter([{"runs": []}, {"runs": []}, {"runs": [later]}])

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith(GET_PATH):
            return httpx.Response(200, json=documented_run("exprun_9", "completed"))
        return httpx.Response(200, json=next(bodies))

    httpx_mock.add_callback(answer, is_reusable=True)
    with Retab(KEY) as client:
        assert client.wait_for_run("wf", "exp").id == "exprun_9"
    assert len(sleeps) == 2


def test_transient_failures_do_not_end_the_wait_but_404_does(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    progressing(server, {"status": "completed"})
    server.fail_next(4, status=503)  # the first poll's 3 attempts, and one more
    with server.client() as client:
        assert status(client.wait_for_run("wf", "exp")) == "completed"
        with pytest.raises(NotFoundError):
            client.wait_for_run("wf", "nope")


def test_retry_after_paces_the_polls(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "9"})
    httpx_mock.add_response(json={"runs": [sample_run("exprun_1", status="completed")]})
    httpx_mock.add_response(json=documented_run("exprun_1", "completed"))
    with Retab(KEY, max_retries=0) as client:
        client.wait_for_run("wf", "exp", poll_interval=1)
    assert sleeps == [9.0]


def test_long_waits_back_off_gently(server: FakeRetabServer, sleeps: list[float]) -> None:
    progressing(server, {"status": "running"})
    with server.client() as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", timeout=180, poll_interval=2)
    assert set(sleeps[:30]) == {2.0}  # the first minute
    assert max(sleeps) == pytest.approx(15.0)
    assert sleeps[30:33] == sorted(sleeps[30:33])  # growing, not jumping
    assert len(server.requests) < 60  # 90 polls without the back-off


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"poll_interval": -1}, "poll_interval"),
        ({"on_update": 3}, "on_update must be a callable"),
        ({"run_id": ""}, "run_id"),
        ({"run_id": 7}, "run_id"),
    ],
)
def test_bad_arguments_are_refused_before_polling_naming_them(
    httpx_mock: HTTPXMock, kwargs: dict[str, Any], named: str
) -> None:
    with Retab(KEY) as client, pytest.raises(ConfigurationError) as info:
        client.wait_for_run("wf", "exp", **kwargs)
    assert str(info.value).startswith(named)
    assert httpx_mock.get_requests() == []


def test_a_run_that_cannot_be_read_times_out_naming_it(
    httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(status_code=503, is_reusable=True)
    with Retab(KEY, max_retries=0) as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "exp", "exprun_x", timeout=5, poll_interval=2)
    error = info.value
    assert str(error) == "run 'exprun_x' could not be read within 5 s"
    assert (error.run_id, error.timeout, error.last_run) == ("exprun_x", 5, None)


def test_a_timed_out_wait_names_the_run_and_its_status(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    progressing(server, {"status": "running"})
    with server.client() as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "exp", "exprun_new", timeout=4, poll_interval=2)
    assert str(info.value) == "run 'exprun_new' is still running after 4 s"
    assert (info.value.run_id, info.value.timeout) == ("exprun_new", 4)


def test_each_poll_is_bounded_by_the_time_left_to_the_end(
    httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(json=documented_run("exprun_1", "running"), is_reusable=True)
    with Retab(KEY, timeout=30) as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", "exprun_1", timeout=5, poll_interval=2)
    reads = [request.extensions["timeout"]["read"] for request in httpx_mock.get_requests()]
    assert reads == pytest.approx([5, 3, 1], abs=0.2)  # not the client's 30 s
    assert reads[-1] <= 1.0  # what is left, no floor above it
    with Retab(KEY, timeout=0.5) as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", "exprun_1", timeout=5, poll_interval=2)
    assert httpx_mock.get_requests()[-1].extensions["timeout"]["read"] == 0.5  # the client's


def test_a_last_poll_that_stalls_ends_the_wait_on_time(sleeps: list[float]) -> None:
    """Three polls pass 2.4 s of a 2.5 s wait (counted, not slept); the fourth stalls:
    it gets the 0.1 s left, not a second, so the wait ends on time."""
    body = json.dumps(documented_run("exprun_1", "running")).encode()
    polls = iter(range(3))

    def respond(sock: socket.socket, request_head: bytes) -> None:
        if next(polls, None) is None:
            time.sleep(3)  # the stalled poll: no answer within the wait
        sock.sendall(head(content_length=len(body), content_type="application/json") + body)

    with RawServer(respond) as raw, Retab(KEY, base_url=raw.url) as client:
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError):
            client.wait_for_run("wf", "exp", "exprun_1", timeout=2.5, poll_interval=0.8)
        took = time.monotonic() - started
    # Three pauses of the poll interval; a loaded machine may leave a last short one.
    assert sleeps[:3] == pytest.approx([0.8, 0.8, 0.8]) and sum(sleeps) < 2.5
    # Any poll used to get at least 1 s (this ended at 1.1 s); 0.1 s is left here. The
    # bound leaves room for a loaded machine without letting the old floor pass.
    assert took < 0.95, f"the stalled poll took {took:.2f} s of a 0.1 s wait"


def test_a_poll_answered_with_another_run_is_refused(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=documented_run("exprun_other", "completed"))
    with Retab(KEY) as client, pytest.raises(ResponseValidationError) as info:
        client.wait_for_run("wf", "exp", "exprun_1")
    assert info.value.field == "id" and info.value.status_code == 200
    assert str(info.value) == ("Retab answered a poll of run 'exprun_1' with run 'exprun_other'")


@pytest.mark.anyio
async def test_async_a_poll_answered_with_another_run_is_refused(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=documented_run("exprun_other", "completed"))
    async with AsyncRetab(KEY) as client:
        with pytest.raises(ResponseValidationError, match="with run 'exprun_other'"):
            await client.wait_for_run("wf", "exp", "exprun_1")


def test_a_change_after_the_first_minute_brings_the_polls_back_to_the_interval(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    stages = [{"status": "running"}] * 40 + [{"status": "running", "error_count": 1}]
    progressing(server, *stages)
    with server.client() as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", "exprun_new", timeout=150, poll_interval=2)
    first_slow = next(i for i, pause in enumerate(sleeps) if pause > 2.0)
    assert 25 <= first_slow <= 32  # slower after a minute without change
    assert 2.0 in sleeps[first_slow:]  # the change (error_count 1) brings it back


@pytest.mark.anyio
async def test_async_twin(server: FakeRetabServer) -> None:
    progressing(server, {"status": "running"}, {"status": "completed", "score": 0.9})
    updates: list[ExperimentRun] = []
    async with server.async_client() as client:
        run = await client.wait_for_run("wf", "exp", on_update=updates.append)
        assert run.score == 0.9 and [status(r) for r in updates] == ["running", "completed"]
        with pytest.raises(NotFoundError):
            await client.wait_for_run("wf", "exp", "exprun_none", timeout=4)


# The listing (no run id yet) and the `get` poll (a known run id).
POLLED = {None: "/v1/workflows/wf/experiments/exp/runs", "exprun_old": GET_PATH + "exprun_old"}


@pytest.mark.parametrize("run_id", list(POLLED))
def test_the_wait_ends_on_time_whatever_the_server_asks(
    server: FakeRetabServer, sleeps: list[float], run_id: str | None
) -> None:
    """A 503 with Retry-After: 10 against timeout=2: polls are not retried inside the wait."""
    server.fail_next(50, status=503, retry_after=10)
    with server.client() as client, pytest.raises(WaitTimeoutError):
        client.wait_for_run("wf", "exp", run_id, timeout=2, poll_interval=1)
    assert sleeps[0] == 1 and 0 < sleeps[1] <= 1 and len(sleeps) == 2  # never the server's 10 s
    # One request a poll, at 0 and 1 s (none once no time is left): none retried.
    assert [r.path for r in server.requests] == [POLLED[run_id]] * 2


@pytest.mark.anyio
@pytest.mark.parametrize("run_id", list(POLLED))
async def test_async_the_wait_ends_on_time_whatever_the_server_asks(
    server: FakeRetabServer, sleeps: list[float], run_id: str | None
) -> None:
    server.fail_next(50, status=503, retry_after=10)
    async with server.async_client() as client:
        with pytest.raises(WaitTimeoutError):
            await client.wait_for_run("wf", "exp", run_id, timeout=2, poll_interval=1)
    assert sleeps[0] == 1 and 0 < sleeps[1] <= 1 and len(sleeps) == 2
    assert [r.path for r in server.requests] == [POLLED[run_id]] * 2


def _waiter(run_id: str | None = None) -> Waiter:
    return Waiter("wf", "exp", run_id, timeout=600, poll_interval=2, on_update=None)


def test_after_a_minute_unchanged_polls_back_off_from_the_first_pause(sleeps: list[float]) -> None:
    # A minute gone before the first pause (a slow listing, a slow first poll):
    # the interval grows from poll_interval, whatever happened before.
    listing = _waiter()
    listing.waited(61)  # counted as spent: the `sleeps` fixture makes waits instant
    listing.listed([])
    assert listing.pause() == pytest.approx(2.4)
    assert listing.pause() == pytest.approx(2.88)
    failing = _waiter("exprun_1")
    failing.waited(61)
    assert failing.failed(APIConnectionError()) == pytest.approx(2.4)  # a failure is no change
    assert failing.failed(APIConnectionError()) == pytest.approx(2.88)


def test_backoff_starts_at_exactly_a_minute() -> None:
    assert next_interval(2, 2, POLL_BACKOFF_AFTER, False, None) == pytest.approx(2.4)
    assert next_interval(2, 2, POLL_BACKOFF_AFTER - 0.001, False, None) == 2


def test_a_client_without_a_read_timeout_polls_with_the_time_left() -> None:
    timeout = _waiter("exprun_1").poll_timeout(httpx.Timeout(None))
    assert timeout.read == pytest.approx(600, abs=5)


def test_a_long_unknown_status_is_cut_in_the_timeout_message() -> None:
    run = ExperimentRun.from_dict(documented_run("exprun_x", "X" * 100))
    error = timeout_error("wf", "exp", "exprun_x", run, 10)
    assert str(error) == f"run 'exprun_x' is still {'X' * 38}… after 10 s"
