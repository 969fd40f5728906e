"""A maintainer's spec change, end to end: edit a copy of openapi.yaml, regenerate, ship.

The change (tests/evolution/next_run_model.yaml) brings the shapes of Retab's
newer run resource (nested objects, a discriminated union with a catch-all,
open value sets inside them, new counters, a new required field) and every
other shape the templates promise: unions without a discriminator, closed
enums, date/uuid formats, int32 and bounds, nullable arrays of objects,
arrays of arrays, typed maps, free-form objects. The regenerated package must
pass mypy --strict together with the wrapper, and behave as
tests/evolution/regenerated_checks.py says, with no edit outside the spec.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, load_spec

CHANGES = ROOT / "tests" / "evolution" / "next_run_model.yaml"
OPERATION_CHANGES = ROOT / "tests" / "evolution" / "operations.yaml"
SEED = "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs"
REGENERATE = [sys.executable, str(ROOT / "scripts" / "regenerate.py")]


def evolved_spec() -> dict[str, Any]:
    """openapi.yaml with the change set applied, as a maintainer would edit it."""
    spec = load_spec()
    changes = yaml.safe_load(CHANGES.read_text())
    schemas = spec["components"]["schemas"]
    schemas.update(changes["schemas"])
    summary = schemas["ExperimentRunSummary"]
    summary["properties"].update(changes["summary_properties"])
    summary["required"] = [*summary["required"], *changes["summary_required"]]
    return spec


def operations_spec() -> dict[str, Any]:
    """openapi.yaml with operation-level changes (tests/evolution/operations.yaml) applied."""
    spec = load_spec()
    changes = yaml.safe_load(OPERATION_CHANGES.read_text())
    spec["paths"].update(changes["paths"])
    spec["paths"][SEED]["get"]["parameters"] += changes["seed_parameters"]
    schemas = spec["components"]["schemas"]
    schemas.update(changes["schemas"])
    for model, names in changes["remove_fields"].items():
        schema = schemas[model]
        for name in names:
            del schema["properties"][name]
            if "required" in schema:
                schema["required"] = [field for field in schema["required"] if field != name]
    summary = schemas["ExperimentRunSummary"]
    for name in changes["remove_schemas"]:
        del schemas[name]
    summary["properties"].update(changes["retype_summary_fields"])
    return spec


def regenerate(spec: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True)
    path = folder / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = folder / "out"
    out.mkdir()
    return subprocess.run(
        [*REGENERATE, "--spec", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the package regenerated from the evolved spec."""
    folder = tmp_path_factory.mktemp("evolved") / "spec"
    result = regenerate(evolved_spec(), folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.fixture(scope="module")
def regenerated_operations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the package regenerated from the operation-level changes."""
    folder = tmp_path_factory.mktemp("operations") / "spec"
    result = regenerate(operations_spec(), folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def mypy_with_wrapper(regenerated: Path, *usage: Path) -> subprocess.CompletedProcess[str]:
    """mypy --strict on the regenerated package, the wrapper, and code written against them."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(regenerated / "out" / "_retab_runs_generated"),
            str(ROOT / "wrapper" / "retab_runs"),
            str(ROOT / "wrapper" / "_retab_runs_runtime"),
            *(str(path) for path in usage),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{regenerated / 'out'}{os.pathsep}{ROOT / 'wrapper'}"},
        cwd=regenerated,
        timeout=300,
    )


def run_checks(regenerated: Path, checks: str, changes: Path) -> subprocess.CompletedProcess[str]:
    """Run tests/evolution/<checks> in a subprocess that imports the regenerated package."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(regenerated / "out"), str(ROOT / "tests")]),
        "RETAB_EVOLVED_SPEC": str(regenerated / "openapi.yaml"),
        "RETAB_EVOLUTION": str(changes),
        "RETAB_REGENERATED": str(regenerated / "out"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ROOT),
            str(ROOT / "tests" / "evolution" / checks),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_regenerated_code_passes_mypy_strict_with_the_wrapper(regenerated: Path) -> None:
    """The regenerated package type-checks, and so does the wrapper against it."""
    result = mypy_with_wrapper(regenerated)
    assert result.returncode == 0, result.stdout + result.stderr


def test_regenerated_code_parses_validates_and_flows_through(regenerated: Path) -> None:
    """Parse, errors, round trip, fake server and CLI on the regenerated package."""
    result = run_checks(regenerated, "regenerated_checks.py", CHANGES)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_new_operations_type_check_with_the_wrapper(regenerated_operations: Path) -> None:
    """New operations, parameters, a removed and a retyped field: mypy --strict, wrapper too."""
    usage = ROOT / "tests" / "evolution" / "operation_usage.py"
    result = mypy_with_wrapper(regenerated_operations, usage)
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_operations_reach_the_wire_and_the_product_keeps_working(
    regenerated_operations: Path,
) -> None:
    """Both clients call the new operations; the fake, demo and CLI survive the model changes."""
    result = run_checks(regenerated_operations, "operation_checks.py", OPERATION_CHANGES)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.parametrize(
    ("schema", "named"),
    [
        ({"type": "string", "format": "binary"}, "ExperimentRunSummary.raw: property kind"),
        (
            {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string"}]},
            "ExperimentRunSummary.raw: a union of several string formats",
        ),
    ],
)
def test_unsupported_shape_fails_generation_naming_it(
    tmp_path: Path, schema: dict[str, Any], named: str
) -> None:
    spec = load_spec()
    spec["components"]["schemas"]["ExperimentRunSummary"]["properties"]["raw"] = schema
    result = regenerate(spec, tmp_path / "spec")
    assert result.returncode != 0
    assert named in result.stderr
    assert not list((tmp_path / "spec" / "out").iterdir())


def _seed_with(change: Any) -> dict[str, Any]:
    spec = load_spec()
    change(spec["paths"][SEED]["get"], spec)
    return spec


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda op, spec: op.pop("x-retab-resource"),
            "operation list_experiment_runs: needs x-retab-resource",
        ),
        (
            lambda op, spec: op.update({"x-retab-method": "with_raw_response"}),
            "operation list_experiment_runs: needs x-retab-method",
        ),
        (
            lambda op, spec: op["parameters"].append(
                {"name": "session", "in": "cookie", "schema": {"type": "string"}}
            ),
            "operation list_experiment_runs: parameter 'session' in 'cookie' cannot be carried",
        ),
        (
            lambda op, spec: op["parameters"].append(
                {"name": "filter", "in": "query", "schema": {"type": "object"}}
            ),
            "operation list_experiment_runs: parameter 'filter' has a shape",
        ),
        (
            lambda op, spec: op["parameters"].extend(
                [
                    {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
                    {"name": "timeout_", "in": "query", "schema": {"type": "integer"}},
                ]
            ),
            "operation list_experiment_runs: 'timeout_' would be the keyword 'timeout_' twice",
        ),
        (
            lambda op, spec: op["responses"].update(
                {"200": {"description": "x", "content": {"application/json": {"schema": {}}}}}
            ),
            "operation list_experiment_runs: the 200 response must be a $ref",
        ),
        (
            lambda op, spec: spec["paths"].update(
                {"/v1/other": {"get": {**op, "operationId": "other", "parameters": []}}}
            ),
            "operation other: workflows.experiments.runs.list is already operation",
        ),
    ],
)
def test_an_operation_the_templates_cannot_carry_fails_generation_naming_it(
    tmp_path: Path, change: Any, named: str
) -> None:
    """No silent drops: generation stops, names the operation, and writes nothing."""
    result = regenerate(_seed_with(change), tmp_path / "spec")
    assert result.returncode != 0
    assert named in result.stderr, result.stderr
    assert not list((tmp_path / "spec" / "out").iterdir())
