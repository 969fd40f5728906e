"""Checks run against the package regenerated from tests/evolution/operations.yaml.

Not collected by the main run: test_spec_evolution.py regenerates the package
and runs this file in a subprocess whose PYTHONPATH puts it first. The
change adds operations (one the fake server does not implement), parameters
in the query and in headers, and removes one run field and retypes another.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import _retab_runs_generated
import retab_runs
from retab_runs import APIStatusError, ConfigurationError, cli, models
from retab_runs.testing import FakeRetabServer, sample_data, sample_run

SPEC: dict[str, Any] = yaml.safe_load(Path(os.environ["RETAB_EVOLVED_SPEC"]).read_text())
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Any:
    with FakeRetabServer(sample=True) as fake:
        yield fake


def test_the_regenerated_package_is_under_test() -> None:
    assert Path(os.environ["RETAB_REGENERATED"]) in Path(_retab_runs_generated.__file__).parents
    assert hasattr(models, "ArchiveResult") and not hasattr(models, "NConsensus")
    assert "NConsensus" not in retab_runs.__all__ and "ArchiveResult" in retab_runs.__all__


def test_a_required_query_parameter_and_a_header_reach_the_wire(server: FakeRetabServer) -> None:
    """The new operation is sent as the spec says; the fake names it in a 501."""
    with server.client(max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.workflows.experiments.runs.summary("exprun_9", view="full", x_retab_trace="t-1")
    assert info.value.status_code == 501
    assert "get_run_summary" in str(info.value)
    sent = server.requests[-1]
    assert (sent.method, sent.path) == ("GET", "/v1/workflows/experiments/runs/exprun_9/summary")
    assert sent.query == {"view": "full"} and sent.headers["X-Retab-Trace"] == "t-1"


def test_a_required_parameter_left_out_is_refused_before_sending(
    server: FakeRetabServer,
) -> None:
    with server.client() as client, pytest.raises(ConfigurationError, match="view"):
        client.workflows.experiments.runs.summary("exprun_9", view=None)  # type: ignore[arg-type]
    assert server.requests == []


def test_the_fake_answers_422_naming_a_missing_required_parameter(
    server: FakeRetabServer,
) -> None:
    response = httpx.get(
        f"{server.url}/v1/workflows/experiments/runs/exprun_9/summary",
        headers={"Api-Key": server.api_key},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "view"]


def test_a_post_with_a_json_body_is_callable_and_validated(server: FakeRetabServer) -> None:
    with server.client(max_retries=3) as client:
        with pytest.raises(APIStatusError) as info:
            client.workflows.experiments.archive(
                "wf_demo", "exp_invoices", reason="done", keep_last=2, idempotency_key="k-1"
            )
        assert info.value.status_code == 501 and "archive_experiment" in str(info.value)
        with pytest.raises(ConfigurationError, match=r"body\.reason"):
            client.workflows.experiments.archive("wf_demo", "exp_invoices", reason="")
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 1  # a 501 is not retried
    assert posts[0].headers["Idempotency-Key"] == "k-1"


def test_new_optional_parameters_of_the_seed_operation(server: FakeRetabServer) -> None:
    with server.client() as client:
        listing = client.workflows.experiments.runs.list(
            "wf_demo", "exp_invoices", x_retab_region="eu", include_deleted=True, tag=["a", "b"]
        )
    assert listing.runs  # the fake took the repeated `tag` as the array the spec says
    sent = server.requests[-1]
    assert sent.query == {"include_deleted": "true", "tag": "b"}
    assert sent.headers["X-Retab-Region"] == "eu"


async def test_the_async_client_has_the_new_operations(server: FakeRetabServer) -> None:
    async with server.async_client(max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:
            await client.workflows.experiments.runs.summary("exprun_9", view="slim")
        raw = await client.with_raw_response.workflows.experiments.runs.list(
            "wf_demo", "exp_invoices"
        )
    assert info.value.status_code == 501
    assert raw.status_code == 200 and raw.parse().runs


def test_sample_data_follows_the_removed_and_retyped_fields() -> None:
    for runs in sample_data().values():
        for run in runs:
            models.ExperimentRunSummary.from_dict(run)
            assert "n_consensus" not in run or run["n_consensus"] is not None
            assert isinstance(run["document_count"], str)


def test_faults_break_the_evolved_models(server: FakeRetabServer) -> None:
    from retab_runs.testing._data import malformed_body

    body = json.dumps(models.ArchiveResult.SCHEMA.example()).encode()
    assert models.ArchiveResult.SCHEMA.is_valid(json.loads(body))
    for kind in ("wrong_type", "missing_field"):
        broken = json.loads(malformed_body(kind, body, models.ArchiveResult))
        assert not models.ArchiveResult.SCHEMA.is_valid(broken), kind
    server.malformed_next(kind="wrong_type")
    with server.client() as client, pytest.raises(retab_runs.ResponseValidationError):
        client.list_runs("wf_demo", "exp_invoices")


def test_demo_and_cli_keep_working(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--format", "json"]) == 0
    out = capsys.readouterr().out
    runs = json.loads(out)["runs"]
    assert runs and all(isinstance(run["document_count"], str) for run in runs)
    assert cli.main(["demo"]) == 0
    assert "exprun_inv" in capsys.readouterr().out


def test_sample_run_keeps_what_the_spec_still_takes() -> None:
    run = sample_run("exprun_1", status="running", n_consensus=5, document_count=7)
    models.ExperimentRunSummary.from_dict(run)
    assert run["status"] == "running" and run["n_consensus"] == 5  # now an unknown field, kept
    assert isinstance(run["document_count"], str)


def test_the_contract_run_fails_on_an_operation_the_fake_does_not_implement(
    server: FakeRetabServer, tmp_path: Path
) -> None:
    """Schemathesis over the evolved spec: the 501s of the new operations fail the run."""
    from test_reliability_schemathesis import run_schemathesis

    result = run_schemathesis(Path(os.environ["RETAB_EVOLVED_SPEC"]), server, tmp_path)
    assert result.returncode != 0
    assert "the fake server does not implement GET /v1/workflows/experiments/runs/{run_id}" in (
        result.stdout
    )
