"""openapi.yaml is a valid OpenAPI 3.1 document that says what the reference says."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from conftest import OPERATION_PATH

# The reference's facts (../shared/reference/list-experiment-runs.md). The spec
# may grow beyond them (a new field is a spec change, not a test change), but
# must keep saying them.
REFERENCE_FIELDS = {
    "id", "parent_run_id", "block_config", "definition_fingerprint", "documents_fingerprint",
    "status", "block_kind", "score", "document_count", "error_count", "n_consensus",
    "created_at", "completed_at", "duration_ms", "job_id",
}  # fmt: skip


class TestSpec:
    def test_is_a_valid_openapi_3_1_document(self, spec: dict[str, Any]) -> None:
        assert spec["openapi"].startswith("3.1")
        validate(spec)

    def test_operation_has_stable_id_tag_and_api_key_security(self, spec: dict[str, Any]) -> None:
        op = spec["paths"][OPERATION_PATH]["get"]
        assert op["operationId"] == "list_experiment_runs"
        assert op["tags"]
        # Either scheme suffices (runs-resource-2026.md): the key as Api-Key, or as a bearer.
        assert op["security"] == [{"ApiKeyAuth": []}, {"BearerAuth": []}]
        scheme = spec["components"]["securitySchemes"]["ApiKeyAuth"]
        assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Api-Key"}
        bearer = spec["components"]["securitySchemes"]["BearerAuth"]
        assert bearer == {**bearer, "type": "http", "scheme": "bearer"}
        assert spec["servers"][0]["url"] == "https://api.retab.com"

    def test_parameters(self, spec: dict[str, Any]) -> None:
        params = {p["name"]: p for p in spec["paths"][OPERATION_PATH]["get"]["parameters"]}
        assert params["workflow_id"]["in"] == "path" and params["workflow_id"]["required"]
        assert params["experiment_id"]["in"] == "path" and params["experiment_id"]["required"]
        token = params["access_token"]
        assert token["in"] == "query" and not token.get("required", False)
        assert token["schema"]["type"] == ["string", "null"]

    def test_summary_has_the_reference_fields_with_documented_requiredness(
        self, spec: dict[str, Any]
    ) -> None:
        summary = spec["components"]["schemas"]["ExperimentRunSummary"]
        assert set(summary["properties"]) >= REFERENCE_FIELDS
        assert set(summary["required"]) >= {
            "id", "definition_fingerprint", "documents_fingerprint", "status", "block_kind",
            "n_consensus", "created_at",
        }  # fmt: skip
        assert summary["properties"]["created_at"]["format"] == "date-time"
        assert summary["properties"]["completed_at"]["format"] == "date-time"
        assert summary["additionalProperties"] is True

    def test_documents_every_error_status(self, spec: dict[str, Any]) -> None:
        responses = spec["paths"][OPERATION_PATH]["get"]["responses"]
        assert {"200", "401", "403", "404", "422", "429", "5XX"} <= set(responses)


RUNS_RESOURCE = {
    ("get", "/v1/workflows/experiments/runs"): ("list_page", None),
    ("post", "/v1/workflows/experiments/runs"): ("create", "ExperimentRun"),
    ("get", "/v1/workflows/experiments/runs/{run_id}"): ("get", "ExperimentRun"),
    ("post", "/v1/workflows/experiments/runs/{run_id}/cancel"): (
        "cancel",
        "ExperimentRunCancelResponse",
    ),
}


def test_the_runs_resource_operations_are_declared(spec: dict[str, Any]) -> None:
    """runs-resource-2026.md's four operations, on the resource Retab's SDK names."""
    for (method, path), (name, answer) in RUNS_RESOURCE.items():
        op = spec["paths"][path][method]
        assert op["x-retab-resource"] == "workflows.experiments.runs"
        assert op["x-retab-method"] == name
        if answer:
            schema = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith(f"/{answer}")
    listing = spec["paths"]["/v1/workflows/experiments/runs"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {
        "workflow_id", "experiment_id", "block_id", "status", "exclude_status", "trigger_type",
        "from_date", "to_date", "sort_by", "order", "limit", "before", "after",
    }  # fmt: skip
    assert listing["x-retab-pagination"]["next_cursor"] == "list_metadata.after"
    body = spec["components"]["schemas"]["ExperimentRunCreateRequest"]
    assert body["required"] == ["experiment_id"]
    assert set(body["properties"]) == {"experiment_id", "workflow_id", "plan_token"}
    mapping = spec["components"]["schemas"]["ExperimentRun"]["properties"]["lifecycle"]
    assert set(mapping["discriminator"]["mapping"]) == {
        "pending", "queued", "running", "completed", "error", "cancelled",
    }  # fmt: skip
