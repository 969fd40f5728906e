"""Mutation testing of the hand-written modules that decide something (mutmut).

    scripts/mutate [--only NAME ...] [--shard NAME] [--max-children N] [--show]

mutmut names a module after its path below `.`, `src/` or `source/`, and
imports the mutated copy from `mutants/src`; our packages live in
`wrapper/`. So the run happens in a workspace, `.mutants-work/`, holding
`src/` (a copy of `wrapper/`, and the generator's modules from `scripts/`
at its top), `generated/`, `tests/`, `scripts/`, `openapi.yaml`, and this
project's pyproject.toml with the `[tool.mutmut]` section below. Each
mutant runs only the tests that reached its function (mutmut's own
coverage), from the test files listed per module.

At the end it prints, per module, how many mutants the tests caught (failed
on, or hung past mutmut's limit), and every survivor that `docs/mutation.md`
does not list as equivalent (`--show`: with its diff). A survivor is either
killed by a new test or listed there with the reason it is equivalent. Exit
1 when the share caught is below 90% or an unexplained survivor remains.
Every module at once takes hours on 2 cores: run one `--shard` (a CI job
each, docs/mutation.md) or `--only` the modules that changed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutants-work"
DOC = ROOT / "docs" / "mutation.md"
TARGET = 0.90
# A mutant the tests fail on, or that hangs them past mutmut's time limit, is caught.
CAUGHT = ("killed", "timeout")

# The modules that hold decisions, and the test files that speak for them.
# Paths below wrapper/, or scripts/ for the generator's own modules.
CLIENT_TESTS = [
    "test_client.py",
    "test_async.py",
    "test_sdk_ergonomics.py",
    "test_runs_resource.py",
    "test_experiments.py",
    "test_end_to_end.py",
]
HTTP_TESTS = [
    "test_reliability_cancellation.py",
    "test_proxies.py",
    "test_reliability_transports.py",
    "test_reliability_hostile.py",
    "test_framing.py",
]
CLI_TESTS = [
    "test_cli.py",
    "test_cli_runs.py",
    "test_cli_wait_gate.py",
    "test_cli_output.py",
    "test_cli_experiments.py",
    "test_report.py",
]
FAKE_TESTS = [
    "test_fake_server.py",
    "test_runs_resource.py",
    "test_experiments.py",
    "test_pytest_plugin.py",
    "test_fake_server_limits.py",
    "test_end_to_end.py",
]
FAKE_MODULES = (
    "_data", "_decoder", "_experiments", "_handler", "_limits", "_routes", "_server", "_state",
    "_store", "_transports", "_waits",
)  # fmt: skip
RUNTIME_TESTS = ["test_generated_client.py", "test_schema.py", "test_analysis.py"]
MODULES: dict[str, list[str]] = {
    "retab_runs/_retry.py": ["test_retry.py", "test_reliability_faults.py", "test_wait.py"],
    "retab_runs/_http/_body.py": ["test_body.py", "test_errors.py"],
    "retab_runs/_http/_deadline.py": ["test_deadline.py", "test_reliability_transports.py"],
    "retab_runs/_wait.py": ["test_wait.py", "test_cli_wait_gate.py"],
    "retab_runs/errors.py": [
        "test_errors.py",
        "test_error_details.py",
        "test_reliability_secrets.py",
        "test_wait.py",
    ],
    "retab_runs/_redact.py": [
        "test_errors.py",
        "test_error_details.py",
        "test_reliability_secrets.py",
        "test_wait.py",
    ],
    "retab_runs/_error_mapping.py": [
        "test_errors.py",
        "test_error_details.py",
        "test_reliability_secrets.py",
        "test_wait.py",
    ],
    "retab_runs/_http/_framing.py": ["test_framing.py"],
    "retab_runs/_json.py": ["test_json_decoder.py", "test_fast_decoding.py"],
    "_retab_runs_runtime/_check.py": ["test_fast_compiler.py", "test_fast_decoding.py"],
    "_retab_runs_runtime/_fast.py": ["test_fast_decoding.py", "test_fast_compiler.py"],
    "retab_runs/cli/_output.py": [
        "test_cli_output.py",
        "test_cli.py",
        "test_cli_runs.py",
        "test_cli_wait_gate.py",
    ],
    "retab_runs/cli/_gate.py": ["test_gate.py", "test_cli_wait_gate.py"],
    "_retab_runs_runtime/_schema.py": ["test_schema.py", "test_generated_client.py"],
    # The client's pipeline: requests, retries, secrets, pages, settings, logs.
    "retab_runs/_base_client.py": [
        *CLIENT_TESTS,
        "test_retry.py",
        "test_reliability_secrets.py",
        "test_error_details.py",
    ],
    "retab_runs/_build.py": [
        *CLIENT_TESTS,
        "test_retry.py",
        "test_reliability_secrets.py",
        "test_error_details.py",
    ],
    "retab_runs/_listing.py": ["test_runs_resource.py", "test_pages.py", "test_experiments.py"],
    "retab_runs/_client.py": [*CLIENT_TESTS, "test_wait.py"],
    "retab_runs/_paging.py": ["test_runs_resource.py", "test_pages.py", "test_pytest_plugin.py"],
    "retab_runs/_params.py": ["test_params.py", "test_experiments.py", *CLIENT_TESTS],
    "retab_runs/_compare.py": ["test_analysis.py", "test_cli_runs.py", "test_report.py"],
    "retab_runs/_config.py": ["test_config.py", *CLIENT_TESTS, "test_reliability_secrets.py"],
    "retab_runs/_logs.py": [
        "test_retry.py",
        "test_reliability_secrets.py",
        "test_sdk_ergonomics.py",
    ],
    # The network: proxies and pools, the transports, aiohttp.
    "retab_runs/_http/_clients.py": ["test_proxies.py"],
    "retab_runs/_http/_aiohttp.py": ["test_reliability_transports.py", "test_runs_resource.py"],
    "retab_runs/_http/_async_pool.py": HTTP_TESTS,
    "retab_runs/_http/_pool_slices.py": HTTP_TESTS,
    "retab_runs/_http/_transport.py": [*HTTP_TESTS, "test_deadline.py", "test_event_loops.py"],
    "retab_runs/_http/_event_loop.py": ["test_event_loops.py"],
    # The command line.
    **{f"retab_runs/cli/{name}.py": CLI_TESTS for name in ("__init__", "_common", "_parser")},
    "retab_runs/cli/_report.py": ["test_report.py", "test_cli.py"],
    "retab_runs/cli/_runs.py": ["test_cli_runs.py", "test_cli.py"],
    "retab_runs/cli/_experiments.py": ["test_cli_experiments.py", "test_cli.py"],
    # The fake server: users' tests trust it.
    **{f"retab_runs/testing/{name}.py": FAKE_TESTS for name in FAKE_MODULES},
    "retab_runs/pytest_plugin.py": ["test_pytest_plugin.py"],
    # The runtime of the generated code.
    **{
        f"_retab_runs_runtime/{name}.py": RUNTIME_TESTS
        for name in ("_examples", "_model", "_operation", "_resource", "_response")
    },
    "_retab_runs_runtime/_frames.py": ["test_analysis.py"],
    "_retab_runs_runtime/_page.py": [
        "test_pages.py",
        "test_experiments.py",
        "test_runs_resource.py",
    ],
    "_retab_runs_runtime/_text.py": ["test_analysis.py", "test_cli_output.py", "test_report.py"],
    # The generator's own modules (imported by tests in process).
    "scripts/spec_operations.py": ["test_spec_operations.py", "test_regenerate_check.py"],
    "scripts/regenerate.py": ["test_regenerate_check.py"],
}

# Groups of modules to run one at a time (`--shard NAME`): each fits a CI job.
SHARDS: dict[str, list[str]] = {
    "decisions": [
        "retab_runs/_retry.py", "retab_runs/_http/_body.py", "retab_runs/_http/_deadline.py",
        "retab_runs/_wait.py", "retab_runs/errors.py",
        "retab_runs/_redact.py", "retab_runs/_error_mapping.py", "retab_runs/_http/_framing.py",
        "retab_runs/_json.py",
    ],
    "client": [
        "retab_runs/_base_client.py", "retab_runs/_build.py", "retab_runs/_listing.py",
        "retab_runs/_client.py", "retab_runs/_paging.py",
        "retab_runs/_compare.py", "retab_runs/_config.py", "retab_runs/_logs.py",
        "retab_runs/_params.py",
    ],
    "network": [
        "retab_runs/_http/_clients.py", "retab_runs/_http/_aiohttp.py",
        "retab_runs/_http/_async_pool.py", "retab_runs/_http/_pool_slices.py",
        "retab_runs/_http/_transport.py",
        "retab_runs/_http/_event_loop.py",
    ],
    "cli": [module for module in MODULES if module.startswith("retab_runs/cli/")],
    "testing": [
        module for module in MODULES
        if module.startswith("retab_runs/testing/") or module == "retab_runs/pytest_plugin.py"
    ],
    "runtime": [module for module in MODULES if module.startswith("_retab_runs_runtime/")],
    "scripts": [module for module in MODULES if module.startswith("scripts/")],
}  # fmt: skip
# The browser test drives chromium in a subprocess, out of mutmut's sight (and
# not on every machine).
DESELECTED = ["tests/test_report.py::test_a_real_browser_draws_the_chart"]

_RESULT = re.compile(r"^\s*(\S+__mutmut_\d+): (.+)$")


def _source(module: str) -> str:
    """Where a module sits in the workspace: wrapper/'s under src/, scripts/' at its top."""
    return f"src/{module.removeprefix('scripts/')}"


def _workspace(modules: list[str]) -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "wrapper", WORK / "src", ignore=ignore)
    for name in ("generated", "tests", "scripts"):
        shutil.copytree(ROOT / name, WORK / name, ignore=ignore)
    # The generator's modules as top-level ones, which the tests import in
    # process (they append scripts/ to sys.path, behind mutmut's mutants/src).
    for module in MODULES:
        if module.startswith("scripts/"):
            shutil.copy2(ROOT / module, WORK / _source(module))
    shutil.copy2(ROOT / "openapi.yaml", WORK / "openapi.yaml")
    tests = sorted({f"tests/{test}" for module in modules for test in MODULES[module]})
    only = ", ".join(f'"{_source(module)}"' for module in modules)
    selection = ", ".join(f'"{test}"' for test in tests)
    deselected = "".join(f', "--deselect", "{test}"' for test in DESELECTED)
    config = (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{only}]\n"
        'also_copy = ["generated", "openapi.yaml", "scripts"]\n'
        f"pytest_add_cli_args_test_selection = [{selection}]\n"
        f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-o", "addopts="{deselected}]\n'
        # Each mutant forks from a process that only collected the tests: what
        # the suite caches on first use (compiled validators) is rebuilt by the
        # mutated code instead of inherited from the stats run.
        'process_isolation = "forkserver"\n'
    )
    text = (ROOT / "pyproject.toml").read_text()
    (WORK / "pyproject.toml").write_text(text + config)


def _equivalents() -> dict[str, str]:
    """Mutants docs/mutation.md lists as equivalent: `- \\`name\\`: reason` lines."""
    if not DOC.exists():
        return {}
    found = re.findall(r"^- `([^`]+__mutmut_\d+)`: (.+)$", DOC.read_text(), re.MULTILINE)
    return dict(found)


def _dotted(module: str) -> str:
    """A module's name in mutmut's mutant names (no `__init__`, scripts/ at the top)."""
    name = _source(module).removeprefix("src/").removesuffix(".py").removesuffix("/__init__")
    return name.replace("/", ".")


def _module_of(mutant: str) -> str:
    dotted = re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]
    return {_dotted(module): module for module in MODULES}.get(dotted, dotted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(MODULES), help="modules to mutate")
    parser.add_argument("--shard", choices=sorted(SHARDS), help="a group of modules to mutate")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    args = parser.parse_args()
    sharded = [module for shard in SHARDS.values() for module in shard]
    if sorted(sharded) != sorted(MODULES):
        parser.error("SHARDS must hold each module of MODULES exactly once")
    modules = sorted({*(args.only or []), *SHARDS.get(args.shard, [])}) or sorted(MODULES)
    _workspace(modules)
    # mutmut puts mutants/src first on sys.path; the editable install's
    # wrapper/ stays behind it.
    run = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)]
    subprocess.run(run, cwd=WORK, check=False, stdout=subprocess.DEVNULL)
    listing = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=WORK,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    results = {
        m.group(1): m.group(2).strip() for m in map(_RESULT.match, listing.splitlines()) if m
    }
    equivalent = _equivalents()
    total = killed = 0
    print(f"\n{'module':<36} {'mutants':>8} {'killed':>7} {'equivalent':>11} {'share':>7}")
    for module in modules:
        names = [name for name in results if _module_of(name) == module]
        dead = [name for name in names if results[name] in CAUGHT]
        same = [name for name in names if name in equivalent and results[name] not in CAUGHT]
        total += len(names) - len(same)
        killed += len(dead)
        share = len(dead) / max(1, len(names) - len(same))
        print(f"{module:<36} {len(names):>8} {len(dead):>7} {len(same):>11} {share:>7.1%}")
    unexplained = [
        name for name, status in results.items() if status not in CAUGHT and name not in equivalent
    ]
    share = killed / max(1, total)
    print(f"{'all':<36} {total:>8} {killed:>7} {'':>11} {share:>7.1%}  (target {TARGET:.0%})")
    print(f"\n{len(unexplained)} survivors not listed as equivalent in docs/mutation.md")
    for name in unexplained:
        print(f"  {name}: {results[name]}")
        if args.show:
            shown = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name],
                cwd=WORK,
                check=False,
                capture_output=True,
                text=True,
            )
            print(shown.stdout.strip())
    return 0 if share >= TARGET and not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())
