"""FakeRetabServer serves the endpoint as openapi.yaml describes it, over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest

from conftest import schema_validator
from retab_runs import ExperimentRunSummary
from retab_runs.testing import FakeRetabServer, sample_data, sample_run

RUNS_PATH = "/v1/workflows/wf_demo/experiments/exp_invoices/runs"


@pytest.fixture
def server() -> Any:
    with FakeRetabServer(sample=True, access_token="tok-fake") as server:
        yield server


def get(server: FakeRetabServer, path: str = RUNS_PATH, **kwargs: Any) -> httpx.Response:
    headers = kwargs.pop("headers", {"Api-Key": server.api_key})
    return httpx.get(server.url + path, headers=headers, timeout=5, **kwargs)


class TestServing:
    def test_binds_loopback_on_a_free_port(self, server: FakeRetabServer) -> None:
        url = httpx.URL(server.url)
        assert url.host == "127.0.0.1" and url.port and url.port > 0

    def test_lists_runs_newest_first_with_a_request_id(self, server: FakeRetabServer) -> None:
        response = get(server)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-request-id"].startswith("req_")
        created = [run["created_at"] for run in response.json()["runs"]]
        assert created == sorted(created, reverse=True) and len(created) == 8

    def test_request_ids_differ(self, server: FakeRetabServer) -> None:
        assert get(server).headers["x-request-id"] != get(server).headers["x-request-id"]

    def test_runs_added_in_any_order_come_back_newest_first(self) -> None:
        with FakeRetabServer() as server:
            server.add_runs("w", "e", [dict(sample_run("old"), created_at="2026-01-01T00:00:00Z")])
            server.add_runs("w", "e", [dict(sample_run("new"), created_at="2027-01-01T00:00:00Z")])
            server.add_runs("w", "e", [dict(sample_run("mid"), created_at="2026-06-01T00:00:00Z")])
            body = get(server, "/v1/workflows/w/experiments/e/runs").json()
        assert [run["id"] for run in body["runs"]] == ["new", "mid", "old"]

    def test_access_token_in_the_query_is_accepted(self, server: FakeRetabServer) -> None:
        response = get(server, headers={}, params={"access_token": "tok-fake"})
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "headers", [{}, {"Api-Key": "sk-wrong"}, {"Authorization": "Bearer whatever"}]
    )
    def test_bad_or_missing_credentials_are_401_json(
        self, server: FakeRetabServer, headers: dict[str, str]
    ) -> None:
        response = get(server, headers=headers)
        assert response.status_code == 401
        assert isinstance(response.json()["detail"], str)
        assert "x-request-id" in response.headers

    @pytest.mark.parametrize(
        "path",
        [
            "/v1/workflows/wf_demo/experiments/exp_nope/runs",
            "/v1/workflows/wf_nope/experiments/exp_invoices/runs",
            "/v1/workflows/wf_demo/experiments/exp_invoices",
            "/v1/workflows/wf_demo/../admin",
        ],
    )
    def test_unknown_paths_are_404(self, server: FakeRetabServer, path: str) -> None:
        response = get(server, path)
        assert response.status_code == 404
        assert "detail" in response.json()

    def test_empty_experiment_lists_no_runs(self, server: FakeRetabServer) -> None:
        server.add_experiment("wf_new", "exp_new")
        assert get(server, "/v1/workflows/wf_new/experiments/exp_new/runs").json() == {"runs": []}

    def test_encoded_ids_are_decoded_per_segment(self, server: FakeRetabServer) -> None:
        server.add_runs("a/b", "c d", [sample_run("exprun_odd")])
        response = get(server, "/v1/workflows/a%2Fb/experiments/c%20d/runs")
        assert [run["id"] for run in response.json()["runs"]] == ["exprun_odd"]

    def test_other_methods_are_405(self, server: FakeRetabServer) -> None:
        response = httpx.post(server.url + RUNS_PATH, headers={"Api-Key": server.api_key})
        assert response.status_code == 405

    def test_records_requests_with_secrets_masked(self, server: FakeRetabServer) -> None:
        get(server, params={"access_token": "tok-fake", "x": "1"})
        (recorded,) = server.requests
        assert recorded.method == "GET" and recorded.path == RUNS_PATH
        assert recorded.headers["Api-Key"] == "***"
        assert recorded.query == {"access_token": "***", "x": "1"}
        assert server.api_key not in repr(server.requests)

    def test_stop_releases_the_port(self) -> None:
        server = FakeRetabServer().start()
        url = server.url
        server.stop()
        with pytest.raises(httpx.ConnectError):
            httpx.get(url + RUNS_PATH, timeout=2)

    @pytest.mark.anyio
    async def test_usable_from_async_code(self) -> None:
        async with FakeRetabServer(sample=True) as server, httpx.AsyncClient() as http:
            response = await http.get(server.url + RUNS_PATH, headers={"Api-Key": server.api_key})
        assert response.status_code == 200


class TestFaults:
    def test_fail_next_with_retry_after_then_recovers(self, server: FakeRetabServer) -> None:
        server.fail_next(2, status=429, retry_after=3)
        first, second, third = get(server), get(server), get(server)
        assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
        assert first.headers["Retry-After"] == "3"

    @pytest.mark.parametrize("kind", ["not_json", "truncated", "empty"])
    def test_malformed_bodies_are_not_json(self, server: FakeRetabServer, kind: Any) -> None:
        server.malformed_next(kind=kind)
        response = get(server)
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)

    def test_malformed_wrong_type_and_missing_field(self, server: FakeRetabServer) -> None:
        server.malformed_next(kind="wrong_type")
        server.malformed_next(kind="missing_field")
        first_required = next(iter(ExperimentRunSummary.SCHEMA.example()))
        wrong = get(server).json()
        assert not ExperimentRunSummary.SCHEMA.is_valid(wrong["runs"][0])
        assert wrong["runs"][0][first_required] == []
        assert first_required not in get(server).json()["runs"][0]

    @pytest.mark.parametrize("after_bytes", [0, 40, 300])
    def test_drop_next_breaks_the_connection(
        self, server: FakeRetabServer, after_bytes: int
    ) -> None:
        server.drop_next(after_bytes=after_bytes)
        with pytest.raises(httpx.TransportError):
            get(server)
        assert get(server).status_code == 200

    def test_delay_next(self, server: FakeRetabServer) -> None:
        server.delay_next(seconds=0.5)
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.url + RUNS_PATH, headers={"Api-Key": server.api_key}, timeout=0.1)

    def test_clear_faults(self, server: FakeRetabServer) -> None:
        server.fail_next(5)
        server.clear_faults()
        assert get(server).status_code == 200


class TestConformsToSpec:
    def test_sample_data_validates(self) -> None:
        validator = schema_validator("ExperimentRunListResponse")
        for runs in sample_data().values():
            validator.validate({"runs": runs})

    def test_every_response_body_validates(self, server: FakeRetabServer) -> None:
        ok = schema_validator("ExperimentRunListResponse")
        error = schema_validator("ErrorResponse")
        ok.validate(get(server).json())
        ok.validate(get(server, "/v1/workflows/wf_demo/experiments/exp_contracts/runs").json())
        error.validate(get(server, headers={}).json())
        error.validate(get(server, "/v1/workflows/x/experiments/y/runs").json())
        server.fail_next(status=503)
        error.validate(get(server).json())

    def test_validator_would_catch_a_bad_body(self) -> None:
        with pytest.raises(jsonschema.ValidationError, match="created_at"):
            schema_validator("ExperimentRunListResponse").validate(
                {"runs": [dict(sample_run("r"), created_at=5)]}
            )


def test_looking_at_the_runs_does_not_move_a_progressing_run() -> None:
    """`server.runs()` is the test's view; only requests move a run on."""
    with FakeRetabServer() as server:
        server.progress_run(
            "wf", "exp", sample_run("r1", status="pending"), [{"status": "running"}]
        )
        for _ in range(3):
            assert [run["status"] for run in server.runs("wf", "exp")] == ["pending"]
