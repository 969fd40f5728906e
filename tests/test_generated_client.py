"""The generated package used bare: operation declarations, parsing, validation, leniency."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from _retab_runs_generated.models import (
    ErrorResponse,
    ExperimentRunListResponse,
    ExperimentRunSummary,
    HTTPValidationError,
)
from _retab_runs_generated.operations import LIST_EXPERIMENT_RUNS, OPERATIONS
from _retab_runs_runtime import SchemaError


class TestOperationDeclarations:
    def test_the_seed_operation_is_declared_as_the_spec_says(self) -> None:
        op = LIST_EXPERIMENT_RUNS
        assert (op.http_method, op.resource, op.method_name) == (
            "GET",
            "workflows.experiments.runs",
            "list",
        )
        assert op.path == "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs"
        assert [(p.name, p.location, p.required) for p in op.params] == [
            ("workflow_id", "path", True),
            ("experiment_id", "path", True),
            ("access_token", "query", False),
        ]
        assert op.success is ExperimentRunListResponse
        assert op in OPERATIONS

    @pytest.mark.parametrize(
        ("raw", "encoded"),
        [("../admin", "..%2Fadmin"), ("a/b", "a%2Fb"), ("x?y#z", "x%3Fy%23z"), ("a b", "a%20b")],
    )
    def test_path_ids_stay_inside_their_segment(self, raw: str, encoded: str) -> None:
        url = LIST_EXPERIMENT_RUNS.path_for({"workflow_id": raw, "experiment_id": raw})
        assert url == f"/v1/workflows/{encoded}/experiments/{encoded}/runs"
        assert urlsplit(url).path.count("/") == 6

    def test_documented_error_statuses_map_to_their_models(self) -> None:
        assert LIST_EXPERIMENT_RUNS.error_models(404) == (ErrorResponse,)
        assert LIST_EXPERIMENT_RUNS.error_models(422) == (HTTPValidationError, ErrorResponse)
        assert LIST_EXPERIMENT_RUNS.error_models(503) == (ErrorResponse,)


class TestParsing:
    def test_parses_the_documented_example_into_typed_values(
        self, example_body: dict[str, Any]
    ) -> None:
        parsed = ExperimentRunListResponse.from_dict(example_body)
        (run,) = parsed.runs
        assert isinstance(run, ExperimentRunSummary)
        assert run.id == "exprun_2"
        assert run.parent_run_id == "exprun_1"
        assert run.status == "completed"
        assert run.block_kind == "extract"
        assert run.n_consensus == 5
        assert run.score == pytest.approx(0.87)
        assert (run.document_count, run.error_count, run.duration_ms) == (12, 0, 258221)
        assert run.job_id == "job_99"
        assert run.block_config is not None and run.block_config["model"] == "gpt-5"
        utc = datetime.UTC
        assert run.created_at == datetime.datetime(2026, 5, 2, 11, 0, tzinfo=utc)
        assert run.completed_at == datetime.datetime(2026, 5, 2, 11, 4, 18, tzinfo=utc)
        assert run.created_at.tzinfo is not None

    def test_optional_fields_default_when_absent(self) -> None:
        run = ExperimentRunSummary.from_dict(
            {
                "id": "exprun_1", "definition_fingerprint": "a", "documents_fingerprint": "b",
                "status": "running", "block_kind": "split", "n_consensus": 3,
                "created_at": "2026-05-02T11:00:00+02:00",
            }
        )  # fmt: skip
        assert (run.parent_run_id, run.block_config, run.score) == (None, None, None)
        assert (run.document_count, run.error_count) == (0, 0)
        assert (run.completed_at, run.duration_ms, run.job_id) == (None, None, None)
        assert run.created_at.utcoffset() == datetime.timedelta(hours=2)

    def test_unknown_status_kind_consensus_and_extra_fields_are_kept(
        self, example_run: dict[str, Any]
    ) -> None:
        example_run.update(
            status="queued", block_kind="route", n_consensus=9, total_document_count=40
        )
        body = {"runs": [example_run], "next_feature": {"x": 1}}
        parsed = ExperimentRunListResponse.from_dict(body)
        run = parsed.runs[0]
        assert (run.status, run.block_kind, run.n_consensus) == ("queued", "route", 9)
        assert run.additional_properties == {"total_document_count": 40}
        assert parsed.additional_properties == {"next_feature": {"x": 1}}
        assert run.to_dict()["total_document_count"] == 40

    def test_to_dict_round_trips(self, example_run: dict[str, Any]) -> None:
        run = ExperimentRunSummary.from_dict(example_run)
        again = ExperimentRunSummary.from_dict(run.to_dict())
        assert again == run

    def test_naive_datetime_is_taken_as_utc(self, example_run: dict[str, Any]) -> None:
        example_run["created_at"] = "2026-05-02T11:00:00"
        run = ExperimentRunSummary.from_dict(example_run)
        assert run.created_at.tzinfo == datetime.UTC


class TestSchemaErrors:
    @pytest.mark.parametrize(
        ("change", "path"),
        [
            ({"id": None}, "runs[1].id"),
            ({"status": 3}, "runs[1].status"),
            ({"n_consensus": "5"}, "runs[1].n_consensus"),
            ({"n_consensus": True}, "runs[1].n_consensus"),
            ({"score": "high"}, "runs[1].score"),
            ({"created_at": "yesterday"}, "runs[1].created_at"),
            ({"completed_at": 17}, "runs[1].completed_at"),
            ({"block_config": [1]}, "runs[1].block_config"),
        ],
    )
    def test_wrong_type_names_the_field(
        self, example_run: dict[str, Any], change: dict[str, Any], path: str
    ) -> None:
        body = {"runs": [dict(example_run), {**example_run, **change}]}
        with pytest.raises(SchemaError) as info:
            ExperimentRunListResponse.from_dict(body)
        assert info.value.path == path
        assert path in str(info.value)

    def test_missing_required_field_names_it(self, example_run: dict[str, Any]) -> None:
        del example_run["created_at"]
        with pytest.raises(SchemaError, match=r"runs\[0\]\.created_at: .*missing"):
            ExperimentRunListResponse.from_dict({"runs": [example_run]})

    @pytest.mark.parametrize("body", [[], "runs", {"runs": {}}, {"runs": [3]}, {}])
    def test_wrong_shapes_are_schema_errors(self, body: Any) -> None:
        with pytest.raises(SchemaError):
            ExperimentRunListResponse.from_dict(body)

    def test_message_does_not_echo_the_value(self, example_run: dict[str, Any]) -> None:
        example_run["created_at"] = "sk-should-not-be-echoed"
        with pytest.raises(SchemaError) as info:
            ExperimentRunSummary.from_dict(example_run)
        assert "sk-should-not-be-echoed" not in str(info.value)
