"""scripts/spec_operations.py, in process: the operations read from openapi.yaml, and the
shapes it refuses, each named, before anything is generated.

The expectations come from the spec itself (adding an operation changes no
test here); the refusals edit a copy of it.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import load_spec

# Appended, not prepended: mutation testing puts its mutated copy first on the path.
sys.path.append(str(Path(__file__).resolve().parent.parent / "scripts"))
from spec_operations import SpecProblem, read_operations, resource_tree

RUN = "/v1/workflows/experiments/runs/{run_id}"
EXPERIMENT = "/v1/workflows/experiments/{experiment_id}"
SPEC = load_spec()


def declared(spec: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(operationId, resource, method name, HTTP method, path) as the spec writes them."""
    return [
        (op["operationId"], op["x-retab-resource"], op["x-retab-method"], method.upper(), path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]


def test_every_operation_is_read_as_the_spec_declares_it() -> None:
    operations, models = read_operations(copy.deepcopy(SPEC))
    read = [(o.operation_id, o.resource, o.method_name, o.http_method, o.path) for o in operations]
    assert read == declared(SPEC)
    assert models == set().union(*(o.models for o in operations))
    assert "ExperimentRun" in models


def test_the_key_is_taken_as_each_operation_says() -> None:
    """The spec's schemes in order: `Api-Key` first, then `Authorization: Bearer`."""
    spec = copy.deepcopy(SPEC)
    spec["paths"][RUN]["get"]["security"] = [{"BearerAuth": []}, {"ApiKeyAuth": []}]
    operations, _ = read_operations(spec)
    auth = {o.operation_id: o.auth for o in operations}
    assert auth["get_experiment_run"] == [("bearer", "Authorization"), ("header", "Api-Key")]


def test_resources_come_children_first_and_the_root_last() -> None:
    resources = resource_tree(read_operations(copy.deepcopy(SPEC))[0])
    paths = [resource.path for resource in resources]
    assert paths[-1] == "" and len(paths) == len(set(paths))
    for index, path in enumerate(paths[:-1]):
        parent = path.rpartition(".")[0]
        assert paths.index(parent) > index, f"{parent!r} before its child {path!r}"
    named = {resource.path: resource.class_name for resource in resources}
    assert named["workflows.experiments.runs"] == "WorkflowsExperimentsRuns"
    runs = next(r for r in resources if r.path == "workflows.experiments.runs")
    assert [o.operation_id for o in runs.operations] == [
        op for op, resource, *_ in declared(SPEC) if resource == "workflows.experiments.runs"
    ]


def _schemes(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    schemes["basic"] = {"type": "http", "scheme": "basic"}
    spec["paths"][RUN]["get"]["security"] = [{"basic": []}]


EDITS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "method": (
        lambda spec: spec["paths"][RUN].__setitem__("trace", {"operationId": "t"}),
        f"TRACE {RUN}: method 'trace' cannot be carried",
    ),
    "no operationId": (
        lambda spec: spec["paths"][RUN]["get"].pop("operationId"),
        f"operation GET {RUN}: needs an operationId",
    ),
    "same name": (
        lambda spec: spec["paths"][RUN]["get"].__setitem__("x-retab-method", "create"),
        "operation get_experiment_run: workflows.experiments.runs.create is already "
        "operation create_experiment_run",
    ),
    "two schemes at once": (
        lambda spec: spec["paths"][RUN]["get"].__setitem__("security", [{"a": [], "b": []}]),
        "operation get_experiment_run: a security requirement must name exactly one scheme",
    ),
    "unknown scheme": (
        lambda spec: spec["paths"][RUN]["get"].__setitem__("security", [{"nope": []}]),
        "operation get_experiment_run: security scheme 'nope' is not in components/securitySchemes",
    ),
    "basic auth": (
        _schemes,
        "operation get_experiment_run: security scheme 'basic' cannot be carried: only an "
        "apiKey in a header or http bearer",
    ),
    "a method named like a resource": (
        lambda spec: spec["paths"][EXPERIMENT]["get"].__setitem__("x-retab-method", "runs"),
        "resource workflows.experiments: ['runs'] is both a method and a resource",
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_shape_that_cannot_be_carried_is_named(edit: str) -> None:
    change, message = EDITS[edit]
    spec = copy.deepcopy(SPEC)
    change(spec)
    with pytest.raises(SpecProblem) as info:
        resource_tree(read_operations(spec)[0])
    assert str(info.value) == message


def test_every_problem_is_named_at_once() -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"][RUN]["trace"] = {}
    del spec["paths"][RUN]["get"]["operationId"]
    with pytest.raises(SpecProblem) as info:
        read_operations(spec)
    assert str(info.value).splitlines() == [
        f"operation GET {RUN}: needs an operationId",
        f"TRACE {RUN}: method 'trace' cannot be carried",
    ]
