"""`scripts/regenerate --check`: CI's drift check fails on any difference from what the spec gives.

Run on a copy of the project's spec, generator scripts and generated/ in a
temporary folder, so the edits a maintainer might make by hand (or forget to
regenerate) are made to the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("generated") / "_retab_runs_generated"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what `regenerate.py --check` reads: scripts/, openapi.yaml, generated/."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts", ignore=ignore)
    shutil.copytree(ROOT / "generated", tmp_path / "generated", ignore=ignore)
    shutil.copy2(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    return tmp_path


def check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


def test_an_up_to_date_copy_passes(project: Path) -> None:
    result = check(project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "generated/_retab_runs_generated is up to date with openapi.yaml\n"


def test_hand_edits_fail_naming_each_file_and_the_fix(project: Path) -> None:
    """A file edited, one deleted, one added: each named, in CI's words."""
    package = project / PACKAGE
    edited = package / "resources.py"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    (package / "models" / "__init__.py").unlink()
    (package / "models" / "mine.py").write_text("X = 1\n")
    result = check(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "generated/_retab_runs_generated is out of date with openapi.yaml (or was edited by hand):",
        "  missing:  models/__init__.py",
        "  extra:    models/mine.py",
        "  modified: resources.py",
        "fix: run `scripts/regenerate` and commit generated/ (never edit generated/ by hand)",
    ]
