"""Checks run against a *regenerated* _retab_runs_generated (see test_spec_evolution.py).

Not collected by the main run: test_spec_evolution.py regenerates the package
from an evolved copy of the spec and runs this file in a subprocess whose
PYTHONPATH puts that package first, with RETAB_EVOLVED_SPEC and
RETAB_EVOLUTION naming the evolved spec and the change set.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import json
import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import _retab_runs_generated
from _retab_runs_runtime import SchemaError
from conftest import KEY
from retab_runs import ResponseValidationError, Retab, cli, models
from retab_runs.testing import FakeRetabServer
from spec_oracle import Oracle

SPEC: dict[str, Any] = yaml.safe_load(Path(os.environ["RETAB_EVOLVED_SPEC"]).read_text())
CHANGES: dict[str, Any] = yaml.safe_load(Path(os.environ["RETAB_EVOLUTION"]).read_text())
ORACLE = Oracle(SPEC)
SUMMARY = SPEC["components"]["schemas"]["ExperimentRunSummary"]
OPERATION = SPEC["paths"]["/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs"]["get"]
EXAMPLE_RUN = OPERATION["responses"]["200"]["content"]["application/json"]["example"]["runs"][0]
FULL_RUN = {**EXAMPLE_RUN, **CHANGES["full_run"]}


def full_body() -> dict[str, Any]:
    return {"runs": [copy.deepcopy(FULL_RUN), copy.deepcopy(FULL_RUN)]}


def test_the_regenerated_package_is_under_test() -> None:
    assert Path(os.environ["RETAB_REGENERATED"]) in Path(_retab_runs_generated.__file__).parents
    assert hasattr(models, "RunTiming") and hasattr(models, "LifecycleCompleted")


def test_new_shapes_parse_to_typed_values() -> None:
    run = models.ExperimentRunListResponse.from_dict(full_body()).runs[0]
    assert isinstance(run.workflow, models.RunWorkflow)
    assert run.workflow.name_at_run_time == "Invoice workflow"
    assert isinstance(run.lifecycle, models.LifecycleCompleted)
    assert run.lifecycle.finished_at.tzinfo is not None
    assert isinstance(run.timing, models.RunTiming)
    assert isinstance(run.timing.started_at, datetime.datetime)
    assert isinstance(run.source, models.UrlSource)
    assert run.run_date == datetime.date(2026, 5, 2)
    assert run.trace_id == uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
    assert isinstance(run.annotations, list)
    assert isinstance(run.annotations[0], models.Annotation)
    assert run.annotations[0].at == datetime.datetime(2026, 5, 2, 10, 0, tzinfo=datetime.UTC)
    assert run.checkpoints is not None and run.checkpoints[1].tzinfo == datetime.UTC
    assert run.confusion == [[10, 1], [0, 1]]
    assert run.metrics.additional_properties == {"f1": 0.91, "recall": 1}
    assert run.labels["team"] == "finance"
    assert run["total_document_count"] == 12
    assert (run.is_baseline, run.priority, run.block_type) == (True, "high", "extract")


def test_round_trip_is_json_equal_to_the_input_in_spec_order() -> None:
    sent = full_body()
    again = models.ExperimentRunListResponse.from_dict(copy.deepcopy(sent)).to_dict()
    json.dumps(again)
    for original, run in zip(sent["runs"], again["runs"], strict=True):
        assert ORACLE.canonical(SUMMARY, run) == ORACLE.canonical(SUMMARY, original)
        assert list(run) == ORACLE.key_order(SUMMARY, original)


@pytest.mark.parametrize(
    ("lifecycle", "variant"),
    [
        ({"status": "queued"}, "LifecycleOther"),
        ({"status": "paused_by_admin", "why": "x"}, "LifecycleOther"),
        ({"status": "pending", "queued_at": None}, "LifecyclePending"),
        ({"status": "error", "error": {"message": "boom"}}, "LifecycleError"),
    ],
)
def test_union_members_are_chosen_by_discriminator_or_shape(
    lifecycle: dict[str, Any], variant: str
) -> None:
    body = full_body()
    body["runs"][0]["lifecycle"] = lifecycle
    body["runs"][0]["trigger"] = {"type": "webhook"}
    body["runs"][0]["brand_new_field"] = {"x": [1]}
    run = models.ExperimentRunListResponse.from_dict(body).runs[0]
    assert type(run.lifecycle).__name__ == variant
    assert run.trigger is not None and run.trigger["type"] == "webhook"
    assert run.additional_properties == {"brand_new_field": {"x": [1]}}


@pytest.mark.parametrize(("field", "value", "path"), CHANGES["bad"])
def test_bad_values_name_their_path(field: str, value: Any, path: str) -> None:
    body = full_body()
    body["runs"][1][field] = value
    with pytest.raises(SchemaError) as info:
        models.ExperimentRunListResponse.from_dict(body)
    assert info.value.path == f"runs[1].{path}"
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    with (
        Retab(KEY, max_retries=0, http_client=httpx.Client(transport=transport)) as client,
        pytest.raises(ResponseValidationError) as through_client,
    ):
        client.list_runs("wf", "exp")
    assert through_client.value.field == f"runs[1].{path}"


def test_new_required_field_missing_is_named() -> None:
    body = full_body()
    del body["runs"][1]["total_document_count"]
    with pytest.raises(SchemaError, match=r"runs\[1\]\.total_document_count: required"):
        models.ExperimentRunListResponse.from_dict(body)


def test_fake_server_sample_data_conforms_to_the_new_spec() -> None:
    with FakeRetabServer(sample=True) as server, server.client() as client:
        runs = client.list_runs("wf_demo", "exp_invoices")
    assert runs
    for run in runs:
        assert isinstance(run.workflow, models.RunWorkflow)
        assert isinstance(run.total_document_count, int)


def _demo(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(["demo", *args]) == 0
    return capsys.readouterr().out


def test_cli_json_carries_every_field_in_spec_order(capsys: pytest.CaptureFixture[str]) -> None:
    runs = json.loads(_demo(capsys, "--format", "json"))["runs"]
    spec_order = list(SUMMARY["properties"])
    for run in runs:
        known = [key for key in run if key in SUMMARY["properties"]]
        assert known == [key for key in spec_order if key in run]
        assert set(SUMMARY["required"]) <= set(run)


def test_cli_csv_header_is_the_spec_fields(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(io.StringIO(_demo(capsys, "--format", "csv"))))
    assert rows[0][: len(SUMMARY["properties"])] == list(SUMMARY["properties"])
    lifecycle = rows[0].index("lifecycle")
    assert json.loads(rows[1][lifecycle])["status"]


def test_cli_table_shows_new_fields_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    out = _demo(capsys, "--columns", "id,lifecycle,total_document_count")
    assert "LIFECYCLE" in out and "TOTAL_DOCUMENT_COUNT" in out


def test_cli_table_shows_nested_models_as_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeRetabServer() as server:
        server.add_runs("wf", "exp", [copy.deepcopy(FULL_RUN)])
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        assert cli.main(["list", "wf", "exp", "--columns", "annotations,lifecycle"]) == 0
    out = capsys.readouterr().out
    assert '[{"author":"ana"' in out and '{"status":"completed"' in out
    assert "Annotation(" not in out
