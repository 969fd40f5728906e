"""The real client over the loopback socket against the fake server."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from retab_runs import (
    APIConnectionError,
    APITimeoutError,
    AsyncRetab,
    AuthenticationError,
    ExperimentRunSummary,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    Retab,
)
from retab_runs.testing import FakeRetabServer


@pytest.fixture
def server() -> Any:
    with FakeRetabServer(sample=True, access_token="tok-e2e-secret") as server:
        yield server


@pytest.fixture
def client(server: FakeRetabServer) -> Any:
    with server.client() as client:
        yield client


def test_lists_sample_runs_newest_first(client: Retab) -> None:
    runs = client.list_runs("wf_demo", "exp_invoices")
    assert [r.id for r in runs][:2] == ["exprun_inv_08", "exprun_inv_07"]
    assert runs[1].status == "running" and runs[1].completed_at is None
    assert runs[-1].parent_run_id is None and runs[1].parent_run_id == "exprun_inv_06"
    assert all(a.created_at >= b.created_at for a, b in itertools.pairwise(runs))


def test_access_token_authenticates(server: FakeRetabServer) -> None:
    with Retab(access_token="tok-e2e-secret", base_url=server.url) as client:
        assert len(client.list_runs("wf_demo", "exp_contracts")) == 3
    assert server.requests[-1].query == {"access_token": "***"}


def test_wrong_key_is_authentication_error(server: FakeRetabServer) -> None:
    with (
        Retab("sk-wrong", base_url=server.url) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.list_runs("wf_demo", "exp_invoices")
    assert info.value.request_id == "req_fake_000001"  # the one request's, as the fake numbers them
    assert server.received == 1  # not retried (a refused request is not recorded)


def test_unknown_experiment_is_not_found(client: Retab) -> None:
    with pytest.raises(NotFoundError, match="Experiment not found"):
        client.list_runs("wf_demo", "exp_missing")


def test_retries_an_injected_503(
    server: FakeRetabServer, client: Retab, sleeps: list[float]
) -> None:
    server.fail_next(status=503)
    assert len(client.list_runs("wf_demo", "exp_invoices")) == 8
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_503_burst_longer_than_the_budget(
    server: FakeRetabServer, client: Retab, sleeps: list[float]
) -> None:
    server.fail_next(5, status=503)
    with pytest.raises(InternalServerError):
        client.list_runs("wf_demo", "exp_invoices")
    assert len(server.requests) == 3


def test_429_with_retry_after(server: FakeRetabServer, client: Retab, sleeps: list[float]) -> None:
    server.fail_next(status=429, retry_after=2)
    client.list_runs("wf_demo", "exp_invoices")
    assert sleeps == [2.0]


def test_429_beyond_the_cap_raises_at_once(
    server: FakeRetabServer, client: Retab, sleeps: list[float]
) -> None:
    server.fail_next(status=429, retry_after=3600)
    with pytest.raises(RateLimitError):
        client.list_runs("wf_demo", "exp_invoices")
    assert sleeps == [] and len(server.requests) == 1


@pytest.mark.parametrize("after_bytes", [0, 60])
def test_dropped_connection_is_retried(
    server: FakeRetabServer, client: Retab, sleeps: list[float], after_bytes: int
) -> None:
    server.drop_next(after_bytes=after_bytes)
    assert len(client.list_runs("wf_demo", "exp_invoices")) == 8
    assert len(sleeps) == 1


def test_connections_that_keep_dropping_give_connection_error(
    server: FakeRetabServer, client: Retab, sleeps: list[float]
) -> None:
    server.drop_next(3)
    with pytest.raises(APIConnectionError):
        client.list_runs("wf_demo", "exp_invoices")
    assert len(server.requests) == 3


def test_slow_response_hits_the_timeout(server: FakeRetabServer, sleeps: list[float]) -> None:
    server.delay_next(2, seconds=1.0)
    with server.client(timeout=0.2, max_retries=1) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.list_runs("wf_demo", "exp_invoices")
        elapsed = time.monotonic() - started
    assert len(server.requests) == 2
    assert elapsed < 1.5  # two 0.2 s attempts, not the server's 1 s delays


# The fake's malformed bodies break the spec's first required field.
FIRST_REQUIRED = next(iter(ExperimentRunSummary.SCHEMA.example()))


@pytest.mark.parametrize(
    ("kind", "field"),
    [("not_json", None), ("truncated", None), ("empty", None),
     ("wrong_type", f"runs[0].{FIRST_REQUIRED}"), ("missing_field", f"runs[0].{FIRST_REQUIRED}")],
)  # fmt: skip
def test_malformed_bodies_are_validation_errors(
    server: FakeRetabServer, client: Retab, kind: Any, field: str | None
) -> None:
    server.malformed_next(kind=kind)
    with pytest.raises(ResponseValidationError) as info:
        client.list_runs("wf_demo", "exp_invoices")
    assert info.value.field == field
    assert info.value.request_id == "req_fake_000001"


def test_one_connection_serves_many_calls(server: FakeRetabServer, client: Retab) -> None:
    for _ in range(20):
        client.list_runs("wf_demo", "exp_contracts")
    assert len(server.requests) == 20


@pytest.mark.anyio
async def test_async_client_and_list_runs_many(server: FakeRetabServer) -> None:
    server.fail_next(status=404, body={"detail": "Experiment not found"})
    async with AsyncRetab(server.api_key, base_url=server.url) as client:
        results = await client.list_runs_many(
            [("wf_demo", "exp_invoices"), ("wf_demo", "exp_contracts")], concurrency=1
        )
    assert isinstance(results[("wf_demo", "exp_invoices")], NotFoundError)
    contracts = results[("wf_demo", "exp_contracts")]
    assert isinstance(contracts, list) and len(contracts) == 3
