"""`wait_for_run`: polling the listing until a run ends, within a timeout, never sleeping here."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY
from retab_runs import (
    ConfigurationError,
    ExperimentRunSummary,
    NotFoundError,
    Retab,
    WaitTimeoutError,
)
from retab_runs.testing import FakeRetabServer, sample_run


@pytest.fixture
def server(sleeps: list[float]) -> Any:
    with FakeRetabServer() as fake:
        fake.add_runs("wf", "exp", [sample_run("exprun_old", status="completed")])
        yield fake


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
        run = client.wait_for_run("wf", "exp", on_update=lambda r: seen.append(str(r.status)))
    assert (run.id, run.status) == ("exprun_new", "completed")
    assert seen == ["pending", "running", "completed"]  # the unchanged poll is not reported
    assert len(server.requests) == 4
    assert sleeps == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("ending", ["error", "cancelled"])
def test_returns_a_run_that_ended_badly(server: FakeRetabServer, ending: str) -> None:
    progressing(server, {"status": ending})
    with server.client() as client:
        assert client.wait_for_run("wf", "exp", "exprun_new").status == ending


def test_an_unknown_status_is_not_terminal(server: FakeRetabServer) -> None:
    progressing(
        server, {"status": "queued"}, {"status": "paused_by_admin"}, {"status": "completed"}
    )
    with server.client() as client:
        assert client.wait_for_run("wf", "exp").status == "completed"
    assert len(server.requests) == 4


def test_timeout_carries_the_last_run_seen(server: FakeRetabServer, sleeps: list[float]) -> None:
    progressing(server, {"status": "running"})
    with server.client() as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "exp", timeout=10, poll_interval=2)
    assert info.value.last_run is not None and info.value.last_run.status == "running"
    assert "still running after 10 s" in str(info.value)
    assert sum(sleeps) == pytest.approx(10, abs=0.5)  # the polls themselves take a little
    assert len(server.requests) == 6


def test_a_run_that_never_appears_times_out_clearly(server: FakeRetabServer) -> None:
    with server.client() as client, pytest.raises(WaitTimeoutError) as info:
        client.wait_for_run("wf", "exp", "exprun_missing", timeout=6, poll_interval=2)
    assert info.value.last_run is None
    assert "'exprun_missing' did not appear" in str(info.value)


def test_a_run_that_appears_later_is_waited_for(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    later = sample_run("exprun_9", status="completed")
    bodies = iter([{"runs": []}, {"runs": []}, {"runs": [later]}])
    httpx_mock.add_callback(
        lambda request: httpx.Response(200, json=next(bodies)), is_reusable=True
    )
    with Retab(KEY) as client:
        assert client.wait_for_run("wf", "exp", "exprun_9").id == "exprun_9"
    assert len(sleeps) == 2


def test_transient_failures_do_not_end_the_wait_but_404_does(
    server: FakeRetabServer, sleeps: list[float]
) -> None:
    progressing(server, {"status": "completed"})
    server.fail_next(4, status=503)  # the first poll's 3 attempts, and one more
    with server.client() as client:
        assert client.wait_for_run("wf", "exp").status == "completed"
        with pytest.raises(NotFoundError):
            client.wait_for_run("wf", "nope")


def test_retry_after_paces_the_polls(httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "9"})
    httpx_mock.add_response(json={"runs": [sample_run("exprun_1", status="completed")]})
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
    "kwargs",
    [{"timeout": 0}, {"timeout": float("inf")}, {"poll_interval": -1}, {"on_update": 3}],
)
def test_bad_arguments_are_refused_before_polling(
    httpx_mock: HTTPXMock, kwargs: dict[str, Any]
) -> None:
    with Retab(KEY) as client, pytest.raises(ConfigurationError):
        client.wait_for_run("wf", "exp", **kwargs)
    assert httpx_mock.get_requests() == []


@pytest.mark.anyio
async def test_async_twin(server: FakeRetabServer) -> None:
    progressing(server, {"status": "running"}, {"status": "completed", "score": 0.9})
    updates: list[ExperimentRunSummary] = []
    async with server.async_client() as client:
        run = await client.wait_for_run("wf", "exp", on_update=updates.append)
        assert run.score == 0.9 and len(updates) == 3
        with pytest.raises(WaitTimeoutError):
            await client.wait_for_run("wf", "exp", "exprun_none", timeout=4)
