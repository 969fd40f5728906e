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


def test_regenerated_code_passes_mypy_strict_with_the_wrapper(regenerated: Path) -> None:
    """The regenerated package type-checks, and so does the wrapper against it."""
    result = subprocess.run(
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
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{regenerated / 'out'}{os.pathsep}{ROOT / 'wrapper'}"},
        cwd=regenerated,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_regenerated_code_parses_validates_and_flows_through(regenerated: Path) -> None:
    """Parse, errors, round trip, fake server and CLI on the regenerated package."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(regenerated / "out"), str(ROOT / "tests")]),
        "RETAB_EVOLVED_SPEC": str(regenerated / "openapi.yaml"),
        "RETAB_EVOLUTION": str(CHANGES),
        "RETAB_REGENERATED": str(regenerated / "out"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ROOT),
            str(ROOT / "tests" / "evolution" / "regenerated_checks.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
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
