"""AsyncRetab: the same behaviour as Retab under `await`, plus list_runs_many."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY, RUNS_URL
from retab_runs import (
    APIError,
    APITimeoutError,
    AsyncRetab,
    ExperimentRunListResponse,
    InternalServerError,
    NotFoundError,
    ResponseValidationError,
)

pytestmark = pytest.mark.anyio


def runs_url(wf: str, exp: str) -> str:
    return f"https://api.retab.com/v1/workflows/{wf}/experiments/{exp}/runs"


class TestParity:
    async def test_list_runs(self, httpx_mock: HTTPXMock, example_body: dict[str, Any]) -> None:
        httpx_mock.add_response(url=RUNS_URL, json=example_body)
        async with AsyncRetab(KEY) as client:
            runs = await client.list_runs("wf_abc123", "exp_abc")
        assert [r.id for r in runs] == ["exprun_2"]
        request = httpx_mock.get_request()
        assert request is not None and request.headers["Api-Key"] == KEY

    async def test_sdk_call_shape(
        self, httpx_mock: HTTPXMock, example_body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", KEY)
        httpx_mock.add_response(url=RUNS_URL, json=example_body)
        async with AsyncRetab() as client:
            response = await client.workflows.experiments.runs.list(
                workflow_id="wf_abc123", experiment_id="exp_abc"
            )
        assert isinstance(response, ExperimentRunListResponse)
        assert response.runs[0].id == "exprun_2"

    async def test_retries_then_succeeds(self, httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
        httpx_mock.add_response(status_code=503)
        httpx_mock.add_exception(httpx.ConnectError("refused"))
        httpx_mock.add_response(json={"runs": []})
        async with AsyncRetab(KEY) as client:
            assert await client.list_runs("w", "e") == []
        assert len(sleeps) == 2

    async def test_timeouts_exhaust_retries(
        self, httpx_mock: HTTPXMock, sleeps: list[float]
    ) -> None:
        for _ in range(2):
            httpx_mock.add_exception(httpx.ReadTimeout("slow"))
        async with AsyncRetab(KEY, max_retries=1) as client:
            with pytest.raises(APITimeoutError):
                await client.list_runs("w", "e")

    async def test_status_and_validation_errors(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(status_code=404, json={"detail": "Experiment not found"})
        httpx_mock.add_response(json={"runs": [{"id": 1}]})
        async with AsyncRetab(KEY) as client:
            with pytest.raises(NotFoundError, match="Experiment not found"):
                await client.list_runs("w", "e")
            with pytest.raises(ResponseValidationError) as info:
                await client.list_runs("w", "e")
        assert info.value.field == "runs[0].id"

    async def test_bad_ids_raise_before_sending(self, httpx_mock: HTTPXMock) -> None:
        async with AsyncRetab(KEY) as client:
            with pytest.raises(ValueError):
                await client.list_runs("", "e")
        assert httpx_mock.get_requests() == []

    async def test_aclose_closes_its_own_pool(self) -> None:
        client = AsyncRetab(KEY)
        await client.aclose()
        assert client._http.is_closed


class TestListRunsMany:
    async def test_results_keyed_by_pair_in_given_order(
        self, httpx_mock: HTTPXMock, example_run: dict[str, Any]
    ) -> None:
        pairs = [(f"wf_{i}", f"exp_{i}") for i in range(5)]
        for wf, exp in pairs:
            body = {"runs": [dict(example_run, id=f"run_of_{exp}")]}
            httpx_mock.add_response(url=runs_url(wf, exp), json=body)
        async with AsyncRetab(KEY) as client:
            results = await client.list_runs_many(pairs)
        assert list(results) == pairs
        for (_, exp), runs in results.items():
            assert not isinstance(runs, APIError)
            assert [r.id for r in runs] == [f"run_of_{exp}"]

    async def test_one_failure_keeps_the_other_results(
        self, httpx_mock: HTTPXMock, sleeps: list[float]
    ) -> None:
        httpx_mock.add_response(url=runs_url("w", "ok"), json={"runs": []})
        httpx_mock.add_response(url=runs_url("w", "gone"), status_code=404, json={"detail": "x"})
        for _ in range(3):
            httpx_mock.add_response(url=runs_url("w", "down"), status_code=503)
        async with AsyncRetab(KEY) as client:
            results = await client.list_runs_many([("w", "ok"), ("w", "gone"), ("w", "down")])
        assert results[("w", "ok")] == []
        assert isinstance(results[("w", "gone")], NotFoundError)
        assert isinstance(results[("w", "down")], InternalServerError)

    async def test_concurrency_is_bounded(self, httpx_mock: HTTPXMock) -> None:
        in_flight = 0
        peak = 0

        async def slow(request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return httpx.Response(200, json={"runs": []})

        httpx_mock.add_callback(slow, is_reusable=True)
        async with AsyncRetab(KEY) as client:
            results = await client.list_runs_many(
                [("w", f"e{i}") for i in range(20)], concurrency=3
            )
        assert len(results) == 20
        assert peak == 3

    async def test_duplicates_are_fetched_once(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=runs_url("w", "e"), json={"runs": []})
        async with AsyncRetab(KEY) as client:
            results = await client.list_runs_many([("w", "e"), ("w", "e")])
        assert list(results) == [("w", "e")]
        assert len(httpx_mock.get_requests()) == 1

    @pytest.mark.parametrize(
        ("pairs", "kwargs", "error"),
        [
            ([("w", "")], {}, ValueError),
            ([("w",)], {}, TypeError),
            (["we"], {}, TypeError),
            ([("w", "e")], {"concurrency": 0}, ValueError),
            ([("w", "e")], {"concurrency": 2.0}, TypeError),
        ],
    )
    async def test_bad_input_raises_before_sending(
        self, httpx_mock: HTTPXMock, pairs: Any, kwargs: dict[str, Any], error: type[Exception]
    ) -> None:
        async with AsyncRetab(KEY) as client:
            with pytest.raises(error):
                await client.list_runs_many([("w", "fine"), *pairs], **kwargs)
        assert httpx_mock.get_requests() == []
