"""Schemathesis fuzzes the fake server with openapi.yaml: the fake users test
against cannot drift from the spec (status codes, bodies, headers, methods),
and every operation of the spec must be implemented (a 501 fails the run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from _retab_runs_generated.operations import OPERATIONS
from retab_runs.testing import FakeRetabServer
from retab_runs.testing._routes import Router

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = 40


def run_schemathesis(spec: Path, server: FakeRetabServer, cwd: Path) -> Any:
    """Run schemathesis on `spec` against `server`, with the 501 check of schemathesis_hooks."""
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert schemathesis, "schemathesis is a test dependency (pip install -e '.[test]')"
    return subprocess.run(
        [
            schemathesis,
            "--config-file", str(DATA / "schemathesis.toml"),
            "run", str(spec),
            "--url", server.url,
            "-H", f"Api-Key: {server.api_key}",
            "--checks", "all",
            "--max-examples", str(EXAMPLES),
            "--seed", "20261128",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,  # its cache (.schemathesis/) stays out of the work tree
        env={
            **os.environ,
            "SCHEMATHESIS_TELEMETRY": "false",
            "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
            "PYTHONPATH": str(DATA),
        },
    )  # fmt: skip


def test_fake_server_conforms_to_the_spec(tmp_path: Path) -> None:
    """Every operation of openapi.yaml is exercised and answered as the spec says."""
    with FakeRetabServer(sample=True) as server:
        result = run_schemathesis(ROOT / "openapi.yaml", server, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
    router = Router()
    reached = {
        match.operation.operation_id
        for request in server.requests
        if (match := router.match(request.method, request.raw_path)) and match.operation
    }
    assert reached == {operation.operation_id for operation in OPERATIONS}
    assert server.api_key not in result.stdout
