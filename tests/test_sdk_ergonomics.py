"""What a user coming from openai-python reaches for: raw responses, options, logging, errors."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY, RUNS_URL
from raw_server import RawServer, head
from retab_runs import (
    APIError,
    AsyncRetab,
    ClientClosedError,
    ConfigurationError,
    ConfigurationTypeError,
    ExperimentRun,
    MissingCredentialsError,
    NotFoundError,
    RawResponse,
    Retab,
    RetabError,
    RunList,
)
from retab_runs.testing import FakeRetabServer, sample_run


@pytest.fixture
def server() -> Any:
    with FakeRetabServer() as fake:
        fake.add_runs("wf_1", "exp_1", [sample_run("exprun_1"), sample_run("exprun_2")])
        yield fake


class TestRawResponse:
    def test_sync_raw_response_has_the_metadata_and_parses(self, server: FakeRetabServer) -> None:
        with server.client() as client:
            raw = client.with_raw_response.list_runs("wf_1", "exp_1")
        assert isinstance(raw, RawResponse)
        assert raw.status_code == 200
        assert raw.headers["content-type"] == "application/json"
        assert raw.request_id is not None and raw.request_id.startswith("req_fake_")
        assert isinstance(raw.elapsed, datetime.timedelta)
        assert raw.http_version == "HTTP/1.1"
        assert raw.retries_taken == 0
        runs = raw.parse()
        assert isinstance(runs, RunList) and [r.id for r in runs] == ["exprun_1", "exprun_2"]
        assert runs.request_id == raw.request_id

    @pytest.mark.anyio
    async def test_async_raw_response_counts_retries(self, server: FakeRetabServer) -> None:
        server.fail_next(status=503)
        async with server.async_client() as client:
            raw = await client.with_raw_response.list_runs("wf_1", "exp_1", max_retries=1)
        assert raw.retries_taken == 1
        assert raw.status_code == 200 and len(raw.parse()) == 2

    def test_plain_result_is_a_list_that_knows_its_request_id(
        self, server: FakeRetabServer
    ) -> None:
        with server.client() as client:
            runs = client.list_runs("wf_1", "exp_1")
        assert isinstance(runs, list)
        assert runs == list(runs)
        assert runs.request_id == "req_fake_000001"


class TestOptions:
    def test_with_options_shares_the_pool_and_changes_only_what_is_given(
        self, server: FakeRetabServer
    ) -> None:
        with server.client(max_retries=3) as client:
            fast = client.with_options(timeout=2.5, default_headers={"X-Team": "evals"})
            assert fast._http is client._http
            assert fast.timeout.read == 2.5 and fast.max_retries == 3
            assert client.timeout.read == 30.0
            fast.list_runs("wf_1", "exp_1")
            fast.close()
            assert not client.is_closed
            client.list_runs("wf_1", "exp_1")
        first, second = server.requests
        assert first.headers["X-Team"] == "evals"
        assert "X-Team" not in second.headers
        with pytest.raises(ClientClosedError):
            fast.list_runs("wf_1", "exp_1")

    def test_default_and_extra_headers_and_query_are_sent(self, server: FakeRetabServer) -> None:
        with server.client(default_headers={"X-Default": "1"}) as client:
            client.list_runs(
                "wf_1", "exp_1", extra_headers={"X-Call": "2"}, extra_query={"trace": "on"}
            )
            client.list_runs("wf_1", "exp_1")
        first, second = server.requests
        assert (first.headers["X-Default"], first.headers["X-Call"]) == ("1", "2")
        assert first.query == {"trace": "on"}
        assert "X-Call" not in second.headers and second.query == {}

    def test_per_call_max_retries_overrides_the_client(self, server: FakeRetabServer) -> None:
        server.fail_next(3, status=503)
        with server.client(max_retries=5) as client, pytest.raises(APIError):
            client.list_runs("wf_1", "exp_1", max_retries=0)
        assert len(server.requests) == 1

    def test_a_credential_header_given_as_an_option_is_masked(self, httpx_mock: HTTPXMock) -> None:
        secret = "Bearer sk-proxy-SECRET-123"
        httpx_mock.add_response(status_code=404, json={"detail": f"bad token {secret}"})
        with Retab(KEY) as client, pytest.raises(NotFoundError) as info:
            client.list_runs("wf", "exp", extra_headers={"Authorization": secret})
        assert secret not in str(info.value)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"extra_headers": {"X-Bad": "a\nb"}}, ConfigurationError),
            ({"extra_headers": {"X Bad": "v"}}, ConfigurationError),
            ({"extra_headers": {"X": 1}}, ConfigurationTypeError),
            ({"extra_query": ["a"]}, ConfigurationTypeError),
            ({"max_retries": -1}, ConfigurationError),
            ({"max_retries": 1.5}, ConfigurationTypeError),
            ({"timeout": float("nan")}, ConfigurationError),
        ],
    )
    def test_bad_per_call_options_are_refused_before_sending(
        self, httpx_mock: HTTPXMock, kwargs: dict[str, Any], error: type[Exception]
    ) -> None:
        with Retab(KEY) as client, pytest.raises(error):
            client.list_runs("wf", "exp", **kwargs)
        assert httpx_mock.get_requests() == []


def _run_server(failures: int) -> RawServer:
    """Answers `failures` requests with a 503, then every one with a run (JSON)."""
    body = json.dumps(ExperimentRun.SCHEMA.schema["example"]).encode()
    answered = iter(range(failures))

    def respond(sock: socket.socket, request_head: bytes) -> None:
        if next(answered, None) is not None:
            sock.sendall(head("503 Service Unavailable", content_length=0, connection="close"))
        else:
            sock.sendall(head(content_length=len(body), content_type="application/json") + body)

    return RawServer(respond)


def _sent(request_head: bytes, name: str) -> list[str]:
    """The values of header `name` in a request head as it crossed the wire."""
    lines = request_head.decode("latin-1").split("\r\n")[1:]
    found = [line.split(":", 1) for line in lines if ":" in line]
    return [value.strip() for key, value in found if key.lower() == name.lower()]


class TestCallerHeaders:
    @pytest.mark.parametrize("name", ["Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY"])
    def test_an_idempotency_key_in_extra_headers_is_the_calls_key(
        self, name: str, sleeps: list[float]
    ) -> None:
        """One key a request, the caller's, the same on every retry of the create."""
        with _run_server(failures=2) as raw, Retab(KEY, base_url=raw.url) as client:
            client.workflows.experiments.runs.create("exp_1", extra_headers={name: "mine-1"})
        assert [_sent(h, "idempotency-key") for h in raw.requests] == [["mine-1"]] * 3

    @pytest.mark.parametrize(
        "options",
        [
            {"idempotency_key": ""},
            {"idempotency_key": " "},
            {"idempotency_key": "\t"},
            {"idempotency_key": " key "},
            {"extra_headers": {"Idempotency-Key": ""}},
            {"extra_headers": {"idempotency-key": "  "}},
        ],
    )
    def test_an_empty_or_blank_idempotency_key_is_refused_before_sending(
        self, options: dict[str, Any]
    ) -> None:
        with (
            _run_server(failures=0) as raw,
            Retab(KEY, base_url=raw.url) as client,
            pytest.raises(ConfigurationError, match=r"(?i)idempotency"),
        ):
            client.workflows.experiments.runs.create("exp_1", **options)
        assert raw.requests == []

    def test_caller_headers_replace_ours_whatever_their_case(self) -> None:
        """`api-key` replaces the client's `Api-Key`, `user-agent` its `User-Agent`, a
        copy's `X-TEAM` its parent's `X-Team`: each header crosses the wire once."""
        default = {"user-agent": "mine/1", "X-Team": "a"}
        with (
            _run_server(failures=0) as raw,
            Retab(KEY, base_url=raw.url, default_headers=default) as client,
        ):
            copy = client.with_options(default_headers={"X-TEAM": "b"})
            client.workflows.experiments.runs.get("r1", extra_headers={"api-key": "sk-call"})
            copy.workflows.experiments.runs.get("r1")
            copy.workflows.experiments.runs.get("r1", extra_headers={"X-team": "c"})
        sent = [
            {name: _sent(h, name) for name in ("api-key", "user-agent", "x-team")}
            for h in raw.requests
        ]
        assert sent == [
            {"api-key": ["sk-call"], "user-agent": ["mine/1"], "x-team": ["a"]},
            {"api-key": [KEY], "user-agent": ["mine/1"], "x-team": ["b"]},
            {"api-key": [KEY], "user-agent": ["mine/1"], "x-team": ["c"]},
        ]

    @pytest.mark.parametrize(
        "name",
        ["Transfer-Encoding", "content-length", "HOST", "Connection", "TE", "Upgrade", "Expect"],
    )
    def test_framing_headers_are_refused_naming_them(self, name: str) -> None:
        """A caller's framing header would contradict the request's own framing (a chunked
        body with a length, a length the body does not have): refused, nothing sent."""
        with _run_server(failures=0) as raw, Retab(KEY, base_url=raw.url) as client:
            with pytest.raises(ConfigurationError, match=name):
                client.workflows.experiments.runs.create("exp_1", extra_headers={name: "0"})
            with pytest.raises(ConfigurationError, match=name):
                client.with_options(default_headers={name: "0"})
            with pytest.raises(ConfigurationError, match=name):
                Retab(KEY, base_url=raw.url, default_headers={name: "0"})
        assert raw.requests == []


class TestErrors:
    @pytest.mark.parametrize(
        ("kwargs", "also"),
        [
            ({"api_key": ""}, ValueError),
            ({"api_key": 3}, TypeError),
            ({"base_url": "ftp://x"}, ValueError),
            ({"base_url": "https://user:pass@api.retab.com"}, ValueError),
            ({"timeout": -1}, ValueError),
            ({"max_retries": "2"}, TypeError),
            ({"default_headers": {"A": "\r"}}, ValueError),
        ],
    )
    def test_configuration_errors_are_retab_errors_and_builtin_ones(
        self, kwargs: dict[str, Any], also: type[Exception]
    ) -> None:
        kwargs = {"api_key": KEY, **kwargs}
        with pytest.raises(RetabError) as info:
            Retab(**kwargs)
        assert isinstance(info.value, ConfigurationError) and isinstance(info.value, also)

    def test_missing_credentials_is_a_configuration_error(self) -> None:
        with pytest.raises(ConfigurationError) as info:
            Retab()
        assert isinstance(info.value, MissingCredentialsError)

    def test_a_closed_client_says_so(self) -> None:
        client = Retab(KEY)
        client.close()
        with pytest.raises(ClientClosedError, match="closed"):
            client.list_runs("wf", "exp")
        assert isinstance(ClientClosedError("x"), RuntimeError)

    def test_a_closed_http_client_of_yours_is_a_client_closed_error(self) -> None:
        http = httpx.Client()
        client = Retab(KEY, http_client=http)
        http.close()
        with pytest.raises(ClientClosedError):
            client.list_runs("wf", "exp")

    @pytest.mark.anyio
    async def test_a_closed_async_client_says_so(self) -> None:
        client = AsyncRetab(KEY)
        await client.aclose()
        with pytest.raises(ClientClosedError):
            await client.list_runs("wf", "exp")

    def test_bad_ids_in_fan_out_are_configuration_errors(self) -> None:
        with Retab(KEY) as client, pytest.raises(ConfigurationError):
            client.list_runs_many([("wf", "")])


class TestSyncFanOut:
    def test_same_contract_as_the_async_one(self, server: FakeRetabServer) -> None:
        server.add_experiment("wf_1", "exp_empty")
        pairs = [("wf_1", "exp_1"), ("wf_1", "missing"), ("wf_1", "exp_empty"), ("wf_1", "exp_1")]
        with server.client(max_retries=0) as client:
            results = client.list_runs_many(pairs, concurrency=4)
        assert list(results) == [("wf_1", "exp_1"), ("wf_1", "missing"), ("wf_1", "exp_empty")]
        ok = results[("wf_1", "exp_1")]
        assert isinstance(ok, RunList) and len(ok) == 2 and ok.request_id
        assert isinstance(results[("wf_1", "missing")], NotFoundError)
        assert results[("wf_1", "exp_empty")] == []
        assert len(server.requests) == 3

    def test_requests_really_run_at_once(self, httpx_mock: HTTPXMock) -> None:
        """Three requests meet at a barrier: they can only pass it together."""
        barrier = threading.Barrier(3, timeout=10)

        def meet(request: httpx.Request) -> httpx.Response:
            barrier.wait()
            return httpx.Response(200, json={"runs": []})

        httpx_mock.add_callback(meet, is_reusable=True)
        with Retab(KEY, max_retries=0) as client:
            results = client.list_runs_many([("wf", f"exp_{n}") for n in range(3)], concurrency=3)
        assert all(value == [] for value in results.values())


def test_retab_log_debug_logs_requests_to_stderr_without_secrets(
    server: FakeRetabServer,
) -> None:
    code = (
        "from retab_runs import Retab; import sys\n"
        f"c = Retab({server.api_key!r}, base_url={server.url!r}, access_token='tok-SECRET-1')\n"
        "c.list_runs('wf_1', 'exp_1')\n"
    )
    env = {**os.environ, "RETAB_LOG": "debug"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "GET /v1/workflows/wf_1/experiments/exp_1/runs -> 200" in result.stderr
    assert "request id req_fake_" in result.stderr
    assert server.api_key not in result.stderr and "tok-SECRET-1" not in result.stderr
    quiet = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "RETAB_LOG"},
        timeout=60,
    )
    assert quiet.stderr == ""


class TestModels:
    def test_known_and_unknown_fields_read_by_name(self) -> None:
        from retab_runs import ExperimentRunSummary

        run = ExperimentRunSummary.from_dict({**sample_run("exprun_1"), "new_counter": 4})
        assert run["status"] == run.status == "completed"
        assert run["new_counter"] == 4
        assert "status" in run and "new_counter" in run and "nope" not in run
        with pytest.raises(KeyError):
            run["nope"]

    def test_repr_is_readable_and_omits_empty_extras(self) -> None:
        from retab_runs import ExperimentRunSummary

        text = repr(ExperimentRunSummary.from_dict(sample_run("exprun_1")))
        assert text.startswith("ExperimentRunSummary(\n    id='exprun_1',\n")
        assert "additional_properties" not in text.splitlines()[-2]
        assert all(len(line) <= 110 for line in text.splitlines())

    def test_repr_shows_every_field_of_a_nested_model(self) -> None:
        """`repr(run)` showed `timing=RunTiming(created_at=..., ...=datetime...)`: cut mid-model."""
        from retab_runs.models import ExperimentRun
        from retab_runs.testing._data import experiment_run

        summary = sample_run("exprun_1")
        run = ExperimentRun.from_dict(experiment_run(summary, workflow_id="w", experiment_id="e"))
        text = repr(run)
        timing = text[text.index("timing=RunTiming(") :]
        for name in ("created_at=", "started_at=", "completed_at=", "duration_ms=258221"):
            assert f"\n        {name}" in timing.split("\n    ),")[0]
        assert "..." not in text.replace("datetime.datetime", "")
        assert text.endswith("    error_count=0,\n)")

    def test_repr_bounds_each_value_and_never_cuts_a_field_name(self) -> None:
        from retab_runs import ExperimentRunSummary

        run = ExperimentRunSummary.from_dict(
            sample_run("exprun_1", block_config={"prompt": "x" * 5000, "model": "gpt-5"})
        )
        text = repr(run)
        assert len(text) < 2500
        config = text[text.index("block_config=") : text.index("definition_fingerprint=")]
        assert "'prompt': 'xxx" in config and "xxx..." in config and len(config) < 400
        assert "'model': 'gpt-5'" in config
        for name in ExperimentRunSummary.FIELDS.values():
            assert f"\n    {name}=" in text

    def test_a_model_is_not_iterable_and_says_what_to_do_instead(self) -> None:
        """`for x in run` raised `KeyError: 0` (`__getitem__` by name, Python's old protocol)."""
        from retab_runs import ExperimentRunSummary

        run = ExperimentRunSummary.from_dict(sample_run("exprun_1"))
        for attempt in (list, tuple, dict, lambda model: [x for x in model]):
            with pytest.raises(TypeError) as info:
                attempt(run)
            assert str(info.value).startswith("ExperimentRunSummary objects are not iterable")
            assert "run.to_dict()" in str(info.value) and "runs.to_pandas()" in str(info.value)
        assert "status" in run and run["status"] == "completed"  # by name, as before

    def test_model_dump_is_to_dict_as_retabs_sdk_calls_it(self, server: FakeRetabServer) -> None:
        with server.client() as client:
            (summary,) = client.list_runs("wf_1", "exp_1")[:1]
            (run,) = client.workflows.experiments.runs.list_all(max_items=1)
        for model in (summary, run, run.timing):
            assert model.model_dump() == model.to_dict()
        assert isinstance(run.model_dump()["timing"]["created_at"], str)  # JSON-ready

    def test_models_compare_by_value_and_are_not_hashable(self) -> None:
        from retab_runs import ExperimentRunSummary

        one = ExperimentRunSummary.from_dict(sample_run("exprun_1"))
        assert one == ExperimentRunSummary.from_dict(sample_run("exprun_1"))
        with pytest.raises(TypeError):
            hash(one)


def test_list_runs_default_client_url(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=RUNS_URL, json={"runs": []}, headers={"x-request-id": "req_1"})
    with Retab(KEY) as client:
        assert client.list_runs("wf_abc123", "exp_abc").request_id == "req_1"
