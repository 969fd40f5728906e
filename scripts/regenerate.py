"""Generate _retab_runs_generated from openapi.yaml, or check generated/ is current.

Always generates into a temporary folder first, so a failed run never leaves
generated/ half-written, and `--check` compares exactly what a rewrite would
produce. Run through scripts/regenerate, which provides the pinned tools.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "scripts" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "scripts" / "templates"
TARGET = ROOT / "generated" / "_retab_runs_generated"
GENERATOR_VERSION = "0.29.1"


# Rendered by the generator but not shipped: the wrapper sends requests
# itself, so the stock HTTP client is surface nothing uses.
PRUNED = ("client.py",)
# What a template writes for a shape it cannot build (ours: UNSUPPORTED_SHAPE;
# the stock templates': UNSUPPORTED_UNION_OF_..., UNSUPPORTED_PROPERTY_KIND_...).
UNSUPPORTED = re.compile(r"UNSUPPORTED_SHAPE: ([^\"]*)|UNSUPPORTED_\w+")


def write_schema(spec: Path, out: Path) -> None:
    """Write the spec's component schemas as `schema.json`, which the models validate against."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schemas = document.get("components", {}).get("schemas", {})
    text = json.dumps(schemas, indent=1, sort_keys=True, ensure_ascii=False)
    (out / "schema.json").write_text(text + "\n", encoding="utf-8")


def refuse_unsupported(out: Path) -> None:
    """Fail, naming each schema and property, if a template met a shape it cannot build."""
    found = []
    for path in sorted(out.rglob("*.py")):
        for match in UNSUPPORTED.finditer(path.read_text(encoding="utf-8")):
            found.append(match.group(1) or f"{path.relative_to(out)}: {match.group(0)}")
    if found:
        lines = "\n".join(f"  {line}" for line in dict.fromkeys(found))
        sys.exit(f"the spec uses shapes the templates cannot generate:\n{lines}")


def generate(out: Path, spec: Path = SPEC) -> None:
    """Run the pinned generator on `spec` into `out` (which must not exist)."""
    installed = version("openapi-python-client")
    if installed != GENERATOR_VERSION:
        sys.exit(
            f"openapi-python-client {installed} is installed, {GENERATOR_VERSION} is pinned: "
            "reinstall with `pip install -e '.[dev]'`"
        )
    cmd = [
        sys.executable, "-m", "openapi_python_client", "generate",
        "--path", str(spec),
        "--config", str(CONFIG),
        "--custom-template-path", str(TEMPLATES),
        "--output-path", str(out),
        "--meta", "none",
        "--fail-on-warning",
    ]  # fmt: skip
    # The post-hooks call the pinned ruff, installed beside this interpreter.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0 or not (out / "__init__.py").exists():
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit("openapi-python-client failed: see its output above")
    for name in PRUNED:
        (out / name).unlink()
    write_schema(spec, out)
    refuse_unsupported(out)


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
    parser.add_argument(
        "--spec", type=Path, default=SPEC, help="generate from this spec (default: openapi.yaml)"
    )
    parser.add_argument(
        "--out", type=Path, help="write the package here instead of generated/ (tests use it)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "_retab_runs_generated"
        generate(out, args.spec.resolve())
        if args.out is not None:
            shutil.copytree(out, args.out / "_retab_runs_generated")
            return 0
        if args.check:
            diff = differences(out, TARGET) if TARGET.exists() else ["  missing:  generated/"]
            if diff:
                print(
                    "generated/_retab_runs_generated is out of date with openapi.yaml "
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
            print("generated/_retab_runs_generated is up to date with openapi.yaml")
            return 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(exist_ok=True)
        shutil.copytree(out, TARGET)
        print(f"regenerated {TARGET.relative_to(ROOT)} from {SPEC.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
