"""`Retab.list_runs` and the SDK-compatible call, through pytest-httpx."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY, RUNS_URL, TOKEN
from retab_runs import (
    APIStatusError,
    ExperimentRunListResponse,
    ExperimentRunSummary,
    Retab,
    __version__,
)


@pytest.fixture
def client() -> Retab:
    return Retab(KEY)


def three_runs(example_run: dict[str, Any]) -> dict[str, Any]:
    return {"runs": [dict(example_run, id=f"exprun_{n}") for n in (3, 2, 1)]}


class TestListRuns:
    def test_returns_typed_runs_in_server_order(
        self, client: Retab, httpx_mock: HTTPXMock, example_run: dict[str, Any]
    ) -> None:
        httpx_mock.add_response(url=RUNS_URL, json=three_runs(example_run))
        runs = client.list_runs("wf_abc123", "exp_abc")
        assert [r.id for r in runs] == ["exprun_3", "exprun_2", "exprun_1"]
        assert all(isinstance(r, ExperimentRunSummary) for r in runs)
        assert runs[0].created_at == datetime.datetime(2026, 5, 2, 11, tzinfo=datetime.UTC)

    def test_one_request_for_the_whole_history(
        self, client: Retab, httpx_mock: HTTPXMock, example_run: dict[str, Any]
    ) -> None:
        httpx_mock.add_response(json={"runs": [example_run] * 500})
        assert len(client.list_runs("wf_abc123", "exp_abc")) == 500
        assert len(httpx_mock.get_requests()) == 1

    def test_sends_key_user_agent_and_accept(self, client: Retab, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(json={"runs": []})
        client.list_runs("wf_abc123", "exp_abc")
        request = httpx_mock.get_request()
        assert request is not None
        assert request.headers["Api-Key"] == KEY
        assert request.headers["User-Agent"].startswith(f"retab-runs/{__version__} ")
        assert request.headers["Accept"] == "application/json"
        assert request.url.params.get("access_token") is None

    def test_access_token_goes_in_the_query(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(json={"runs": []})
        Retab(access_token=TOKEN).list_runs("wf_abc123", "exp_abc")
        request = httpx_mock.get_request()
        assert request is not None
        assert request.url.params["access_token"] == TOKEN
        assert "Api-Key" not in request.headers

    @pytest.mark.parametrize(
        "base_url", ["https://proxy.example/retab/", "https://proxy.example/retab"]
    )
    def test_base_url_with_a_path_prefix_is_kept(
        self, httpx_mock: HTTPXMock, base_url: str
    ) -> None:
        httpx_mock.add_response(json={"runs": []})
        Retab(KEY, base_url=base_url).list_runs("w", "e")
        request = httpx_mock.get_request()
        assert request is not None
        assert str(request.url) == "https://proxy.example/retab/v1/workflows/w/experiments/e/runs"

    @pytest.mark.parametrize("base_url", ["https://api.retab.com/v1", "https://api.retab.com/v1/"])
    def test_sdk_style_base_url_with_v1_is_not_doubled(
        self, httpx_mock: HTTPXMock, base_url: str
    ) -> None:
        httpx_mock.add_response(url=RUNS_URL, json={"runs": []})
        Retab(KEY, base_url=base_url).list_runs("wf_abc123", "exp_abc")

    @pytest.mark.parametrize(
        ("raw", "segment"),
        [("../admin", "..%2Fadmin"), ("a/b", "a%2Fb"), ("a?b#c", "a%3Fb%23c"), ("%2F", "%252F")],
    )
    def test_ids_are_encoded_into_their_segment(
        self, client: Retab, httpx_mock: HTTPXMock, raw: str, segment: str
    ) -> None:
        httpx_mock.add_response(json={"runs": []})
        client.list_runs(raw, "exp")
        request = httpx_mock.get_request()
        assert request is not None
        assert request.url.raw_path == f"/v1/workflows/{segment}/experiments/exp/runs".encode()

    @pytest.mark.parametrize(
        ("workflow_id", "experiment_id", "error"),
        [
            ("", "exp", ValueError),
            ("wf", "   ", ValueError),
            ("..", "exp", ValueError),
            ("wf", ".", ValueError),
            (None, "exp", TypeError),
            ("wf", 42, TypeError),
            (b"wf", "exp", TypeError),
        ],
    )
    def test_bad_ids_raise_before_sending(
        self, client: Retab, httpx_mock: HTTPXMock, workflow_id: Any, experiment_id: Any,
        error: type[Exception],
    ) -> None:  # fmt: skip
        with pytest.raises(error):
            client.list_runs(workflow_id, experiment_id)
        assert httpx_mock.get_requests() == []

    def test_unknown_values_and_fields_survive(
        self, client: Retab, httpx_mock: HTTPXMock, example_run: dict[str, Any]
    ) -> None:
        example_run.update(status="queued", block_kind="route", n_consensus=11)
        example_run.update(total_document_count=40, completed_document_count=12)
        httpx_mock.add_response(json={"runs": [example_run]})
        (run,) = client.list_runs("wf_abc123", "exp_abc")
        assert (run.status, run.block_kind, run.n_consensus) == ("queued", "route", 11)
        assert run["total_document_count"] == 40
        assert run.additional_properties == {
            "total_document_count": 40,
            "completed_document_count": 12,
        }


class TestSeedExample:
    def test_retab_sdk_call_shape_runs_unchanged(
        self, monkeypatch: pytest.MonkeyPatch, httpx_mock: HTTPXMock, example_body: dict[str, Any]
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", KEY)
        httpx_mock.add_response(url=RUNS_URL, json=example_body)
        # Retab's documented example, with only its import line changed:
        from retab_runs import Retab

        client = Retab()
        response = client.workflows.experiments.runs.list(
            workflow_id="wf_abc123",
            experiment_id="exp_abc",
        )
        assert isinstance(response, ExperimentRunListResponse)
        assert [run.id for run in response.runs] == ["exprun_2"]


class TestTimeoutsAndPool:
    def test_per_call_timeout_overrides_the_client_default(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(json={"runs": []})
        httpx_mock.add_response(json={"runs": []})
        client = Retab(KEY, timeout=12.0)
        client.list_runs("w", "e")
        client.list_runs("w", "e", timeout=httpx.Timeout(1.5, connect=0.5))
        first, second = httpx_mock.get_requests()
        assert first.extensions["timeout"]["read"] == 12.0
        assert second.extensions["timeout"] == {
            "connect": 0.5, "read": 1.5, "write": 1.5, "pool": 1.5
        }  # fmt: skip

    def test_context_manager_closes_its_own_pool(self) -> None:
        with Retab(KEY) as client:
            http = client._http
        assert http.is_closed

    def test_a_pool_passed_in_is_used_and_left_open(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(json={"runs": []})
        http = httpx.Client(headers={"X-Tenant": "acme"})
        with Retab(KEY, http_client=http) as client:
            client.list_runs("w", "e")
        assert not http.is_closed
        request = httpx_mock.get_request()
        assert request is not None and request.headers["X-Tenant"] == "acme"
        http.close()

    def test_does_not_follow_redirects(self, client: Retab, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(status_code=307, headers={"Location": "https://evil.example/"})
        with pytest.raises(APIStatusError) as info:
            client.list_runs("w", "e")
        assert type(info.value) is APIStatusError and info.value.status_code == 307
        assert [str(r.url.host) for r in httpx_mock.get_requests()] == ["api.retab.com"]
