"""`scripts/regenerate --check`: CI's drift check fails on any difference from what the spec gives.

Run in process (so mutation testing sees it) against a copy of generated/ in
a temporary folder: the hand edits a maintainer might make are made to the
copy.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Appended, not prepended: mutation testing puts its mutated copy first on the path.
sys.path.append(str(ROOT / "scripts"))
import regenerate  # noqa: E402


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of generated/_retab_runs_generated, which `--check` compares against."""
    copy = tmp_path / "_retab_runs_generated"
    shutil.copytree(regenerate.TARGET, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(regenerate, "TARGET", copy)
    monkeypatch.setattr(sys, "argv", ["regenerate.py", "--check"])
    return copy


def test_an_up_to_date_copy_passes(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert regenerate.main() == 0
    assert capsys.readouterr() == (
        "generated/_retab_runs_generated is up to date with openapi.yaml\n",
        "",
    )


def test_hand_edits_fail_naming_each_file_and_the_fix(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file edited, one deleted, one added: each named, in CI's words."""
    edited = package / "resources.py"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    (package / "models" / "__init__.py").unlink()
    (package / "models" / "mine.py").write_text("X = 1\n")
    assert regenerate.main() == 1
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        "generated/_retab_runs_generated is out of date with openapi.yaml (or was edited by hand):",
        "  missing:  models/__init__.py",
        "  extra:    models/mine.py",
        "  modified: resources.py",
        "fix: run `scripts/regenerate` and commit generated/ (never edit generated/ by hand)",
    ]


def test_a_missing_package_fails(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(package)
    assert regenerate.main() == 1
    assert "  missing:  generated/" in capsys.readouterr().err.splitlines()
