"""Generate retab_api_client from openapi.yaml, or check generated/ is current.

Always generates into a temporary folder first, so a failed run never leaves
generated/ half-written, and `--check` compares exactly what a rewrite would
produce. Run through scripts/regenerate, which provides the pinned tools.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "scripts" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "scripts" / "templates"
TARGET = ROOT / "generated" / "retab_api_client"
GENERATOR_VERSION = "0.29.1"


def generate(out: Path) -> None:
    """Run the pinned generator into `out` (which must not exist)."""
    installed = version("openapi-python-client")
    if installed != GENERATOR_VERSION:
        sys.exit(
            f"openapi-python-client {installed} is installed, {GENERATOR_VERSION} is pinned: "
            "reinstall with `pip install -e '.[dev]'`"
        )
    cmd = [
        sys.executable, "-m", "openapi_python_client", "generate",
        "--path", str(SPEC),
        "--config", str(CONFIG),
        "--custom-template-path", str(TEMPLATES),
        "--output-path", str(out),
        "--meta", "none",
        "--fail-on-warning",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (out / "__init__.py").exists():
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("openapi-python-client failed: see its output above")


def files(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """Describe, one line per file, how `actual` differs from `expected`."""
    want, have = files(expected), files(actual)
    lines = [f"  missing:  {name}" for name in sorted(want - have)]
    lines += [f"  extra:    {name}" for name in sorted(have - want)]
    lines += [
        f"  modified: {name}"
        for name in sorted(want & have)
        if not filecmp.cmp(expected / name, actual / name, shallow=False)
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if generated/ is not what the spec gives"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "retab_api_client"
        generate(out)
        if args.check:
            diff = differences(out, TARGET) if TARGET.exists() else ["  missing:  generated/"]
            if diff:
                print(
                    "generated/retab_api_client is out of date with openapi.yaml "
                    "(or was edited by hand):",
                    file=sys.stderr,
                )
                print("\n".join(f"{line}" for line in diff), file=sys.stderr)
                print(
                    "fix: run `scripts/regenerate` and commit generated/ "
                    "(never edit generated/ by hand)",
                    file=sys.stderr,
                )
                return 1
            print("generated/retab_api_client is up to date with openapi.yaml")
            return 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(exist_ok=True)
        shutil.copytree(out, TARGET)
        print(f"regenerated {TARGET.relative_to(ROOT)} from {SPEC.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
