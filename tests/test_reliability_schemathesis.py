"""Schemathesis fuzzes the fake server with openapi.yaml: the fake users test
against cannot drift from the spec (status codes, bodies, headers, methods)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from retab_runs.testing import FakeRetabServer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = 40


def test_fake_server_conforms_to_the_spec(tmp_path: Path) -> None:
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert schemathesis, "schemathesis is a test dependency (pip install -e '.[test]')"
    with FakeRetabServer(sample=True) as server:
        result = subprocess.run(
            [
                schemathesis,
                "--config-file", str(ROOT / "tests" / "data" / "schemathesis.toml"),
                "run", str(ROOT / "openapi.yaml"),
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
            cwd=tmp_path,  # its cache (.schemathesis/) stays out of the work tree
            env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
    assert server.api_key not in result.stdout
