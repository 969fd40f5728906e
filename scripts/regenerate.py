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

import jinja2
import yaml
from spec_operations import SpecProblem, read_operations, resource_tree

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "scripts" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "scripts" / "templates"
TARGET = ROOT / "generated" / "_retab_runs_generated"
GENERATOR_VERSION = "0.29.1"


# Rendered by the generator but not shipped: the stock HTTP client, its
# per-endpoint modules and their types and errors. Requests go through the
# client's own pipeline, driven by operations.py and resources.py (rendered
# below); models import their runtime from _retab_runs_runtime.
PRUNED = ("client.py", "api", "types.py", "errors.py")
# Rendered here, from the spec's operations (scripts/spec_operations.py).
OPERATION_TEMPLATES = ("operations.py.jinja", "resources.py.jinja")
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


def write_operations(spec: Path, out: Path) -> None:
    """Render operations.py and resources.py: every operation, as declarations and methods."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    try:
        operations, models = read_operations(document)
        resources = resource_tree(operations)
    except SpecProblem as exc:
        sys.exit(f"the spec has operations the templates cannot generate:\n{exc}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    for name in OPERATION_TEMPLATES:
        text = env.get_template(name).render(
            operations=operations, resources=resources, models=models
        )
        (out / name.removesuffix(".jinja")).write_text(text, encoding="utf-8")


def format_python(out: Path) -> None:
    """The generator's post-hooks, for the files rendered here."""
    for hook in (
        ["ruff", "check", ".", "--isolated", "--no-cache", "--fix-only", "--quiet",
         "--select", "I,F401,UP"],
        ["ruff", "format", ".", "--isolated", "--no-cache", "--quiet"],
    ):  # fmt: skip
        ruff = Path(sys.executable).parent / hook[0]
        subprocess.run([str(ruff), *hook[1:]], cwd=out, check=True)


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
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    write_schema(spec, out)
    write_operations(spec, out)
    format_python(out)
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
