"""Retab's own SDK (retab==0.0.160), unmodified, against the fake server's experiments namespace.

The fake is what users point their tests at; if Retab's SDK cannot run its
experiments, results and metrics calls against it, the fake has drifted from
Retab's API. The SDK lives in its own venv (`.venv-sdk`, made once, kept
between runs) so its dependencies never meet ours.
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from conftest import ROOT
from retab_runs.testing import FakeRetabServer

SDK = "retab==0.0.160"
VENV = ROOT / ".venv-sdk"
CALLS = ROOT / "tests" / "sdk" / "retab_sdk_calls.py"


def sdk_python() -> Path:
    """The interpreter of a venv holding Retab's SDK, made on first use."""
    python = VENV / "bin" / "python"
    stamp = VENV / f".installed-{SDK}"
    if not stamp.exists():
        venv.create(VENV, with_pip=True, clear=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SDK],
            check=True,
            timeout=600,
            capture_output=True,
        )
        stamp.write_text(SDK)
    return python


@pytest.mark.timeout(900)
def test_retab_sdk_runs_the_experiments_namespace_against_the_fake() -> None:
    """experiments list/get/create/update/delete, results list/get, metrics get in each view."""
    python = sdk_python()
    with FakeRetabServer(sample=True) as server:
        env = {**os.environ, "RETAB_API_KEY": server.api_key, "RETAB_API_BASE_URL": server.url}
        result = subprocess.run(
            [str(python), str(CALLS)],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        methods = {request.method for request in server.requests}
    lines = result.stdout.splitlines()
    assert lines[0] == "experiments.list ['exp_contracts'] exp_contracts"
    assert lines[1] == "experiments.list (all) ['exp_contracts', 'exp_invoices']"
    assert lines[2] == "experiments.get exp_invoices processing 7"
    assert lines[3] == "experiments.create From Retab's SDK 5"
    assert lines[4] == "experiments.update Renamed 5"
    assert lines[5] == "experiments.delete None"
    assert lines[6] == "results.list 5 doc_001"
    assert lines[7].endswith(" doc_001") and lines[7].startswith("results.get expres_")
    assert lines[8:] == [
        "metrics.get summary summary 0.93 0.87",
        "metrics.get by_document by_document 1.0 0.95",
        "metrics.get by_target by_target 0.93 0.87",
        "metrics.get votes votes 1.0 0.95",
        "metrics.get no_metrics no_metrics",
    ]
    assert methods == {"GET", "POST", "PATCH", "DELETE"}
