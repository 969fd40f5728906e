"""The generator conformance corpus: each shape Retab's API uses, applied to a copy of the spec.

Every change below is one a maintainer makes when Retab's API moves (a
member named like a model method, an integer path parameter, a date-time
filter, an integer cursor, a top-level array, a bearer-only operation, a
renamed method kept under its old name, a deprecated operation, a new
required parameter on the seed operation). All of them go into one copy of
openapi.yaml, regenerated once; the package must pass `mypy --strict` with
the wrapper and tests/corpus/usage.py, and tests/corpus/checks.py calls each
shape over the fake server (or a mock transport, where the fake has no data
for a new operation) on both clients. Shapes the templates cannot carry
must fail generation naming the thing and the reason, writing nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from test_spec_evolution import mypy_with_wrapper, regenerate, run_checks

from conftest import ROOT, load_spec

CORPUS = ROOT / "tests" / "corpus"
SEED = "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs"
RUNS = "/v1/workflows/experiments/runs"
RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "default": {"$ref": "#/components/responses/OtherError"},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def corpus_spec() -> dict[str, Any]:
    """openapi.yaml with every shape of the corpus applied."""
    spec = load_spec()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    security = [{"ApiKeyAuth": []}, {"BearerAuth": []}]
    # Members named like what every model defines, and Python keywords.
    summary = schemas["ExperimentRunSummary"]["properties"]
    summary["get"] = {"type": "string"}
    summary["to_dict"] = {"type": "integer", "format": "int64"}
    summary["additional_properties"] = {"type": "string"}
    schemas["UpdateExperimentRequest"]["properties"]["class"] = {"type": ["string", "null"]}
    # A date-time filter, and a query parameter named like a keyword.
    paths[RUNS]["get"]["parameters"] += [
        {
            "name": "created_after",
            "in": "query",
            "schema": {"type": "string", "format": "date-time"},
        },
        {"name": "from", "in": "query", "schema": {"type": "string", "minLength": 1}},
    ]
    # An integer path parameter.
    paths[RUNS + "/{run_id}/documents/{index}"] = {
        "get": {
            "operationId": "get_run_document",
            "x-retab-resource": "workflows.experiments.runs",
            "x-retab-method": "document",
            "security": security,
            "parameters": [
                {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "index",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "format": "int64", "minimum": 0},
                },
            ],
            "responses": {"200": _json(_ref("DocumentRef")), **RESPONSES},
        }
    }
    # A top-level array answer.
    paths[RUNS + "/{run_id}/documents"] = {
        "get": {
            "operationId": "list_run_documents",
            "x-retab-resource": "workflows.experiments.runs",
            "x-retab-method": "documents",
            "security": security,
            "parameters": [
                {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _json({"type": "array", "items": _ref("DocumentRef")}),
                **RESPONSES,
            },
        }
    }
    # A listing paged by an integer cursor.
    schemas["DocumentPage"] = {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {"type": "array", "items": _ref("DocumentRef")},
            "next": {"type": ["integer", "null"], "format": "int64"},
        },
        "additionalProperties": True,
    }
    paths["/v1/workflows/documents"] = {
        "get": {
            "operationId": "list_documents",
            "x-retab-resource": "workflows.documents",
            "x-retab-method": "list",
            "x-retab-pagination": {
                "items": "data",
                "cursor_param": "cursor",
                "next_cursor": "next",
                "all_method": "list_all",
                "iter_method": "iter_all",
            },
            "security": security,
            "parameters": [
                {"name": "cursor", "in": "query", "schema": {"type": "integer", "minimum": 0}}
            ],
            "responses": {"200": _json(_ref("DocumentPage")), **RESPONSES},
        }
    }
    # The seed operation: bearer only, and a new required query parameter.
    seed = paths[SEED]["get"]
    seed["security"] = [{"BearerAuth": []}]
    seed["parameters"].append(
        {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    # A method renamed, its old name kept; a deprecated operation and parameter.
    cancel = paths[RUNS + "/{run_id}/cancel"]["post"]
    cancel["x-retab-method"] = "cancel_run"
    cancel["x-retab-aliases"] = ["cancel"]
    paths["/v1/workflows/experiments/results/{result_id}"]["get"]["deprecated"] = True
    for parameter in paths["/v1/workflows/experiments"]["get"]["parameters"]:
        if parameter.get("name") == "block_id":
            parameter["deprecated"] = True
    return spec


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "spec"
    result = regenerate(corpus_spec(), folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_the_corpus_type_checks_with_the_wrapper_and_a_users_code(corpus: Path) -> None:
    """mypy --strict on the regenerated package, the wrapper and tests/corpus/usage.py."""
    result = mypy_with_wrapper(corpus, CORPUS / "usage.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_shape_of_the_corpus_is_callable_on_both_clients(corpus: Path) -> None:
    result = run_checks(corpus, "../corpus/checks.py", CORPUS)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def _with(change: Any) -> dict[str, Any]:
    spec = copy.deepcopy(load_spec())
    change(spec)
    return spec


def _csv(spec: dict[str, Any]) -> None:
    spec["paths"][RUNS + "/{run_id}"]["get"]["responses"]["200"] = {
        "description": "x",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }


def _missing_cursor(spec: dict[str, Any]) -> None:
    spec["paths"][RUNS]["get"]["x-retab-pagination"]["next_cursor"] = "list_metadata.next"


def _object_cursor(spec: dict[str, Any]) -> None:
    spec["paths"][RUNS]["get"]["x-retab-pagination"]["next_cursor"] = "list_metadata"


def _oauth(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["OAuth"] = {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "https://x/token", "scopes": {}}},
    }
    spec["paths"][RUNS + "/{run_id}"]["get"]["security"] = [{"OAuth": []}]


def _two_names(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["ExperimentRunSummary"]["properties"]
    properties["get"] = {"type": "string"}
    properties["get_"] = {"type": "string"}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_csv, "operation get_experiment_run: the 200 response is text/csv: only application/json"),
        (
            _missing_cursor,
            "operation list_workflow_experiment_runs: x-retab-pagination: next_cursor "
            "'list_metadata.next' names no member 'next'",
        ),
        (
            _object_cursor,
            "x-retab-pagination: next_cursor 'list_metadata' must be a string or an integer",
        ),
        (_oauth, "operation get_experiment_run: security scheme 'OAuth' cannot be carried"),
        (_two_names, "ExperimentRunSummary.get_: another JSON name has the same Python name get_"),
    ],
)
def test_a_shape_the_templates_cannot_carry_fails_naming_it(
    tmp_path: Path, change: Any, named: str
) -> None:
    result = regenerate(_with(change), tmp_path / "spec")
    assert result.returncode != 0
    assert named in result.stderr, result.stderr
    assert not list((tmp_path / "spec" / "out").iterdir())
