"""Fixtures shared by the test suite."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from retab_runs.testing import no_retry_waits

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
OPERATION_PATH = "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs"


def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open() as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


_SPEC = load_spec()
INT64 = {"minimum": -(2**63), "maximum": 2**63 - 1}


def int64_as_bounds(schema: Any) -> Any:
    """The schema with `format: int64` spelled out as bounds, which generators honour."""
    if isinstance(schema, dict):
        out = {key: int64_as_bounds(value) for key, value in schema.items()}
        if out.get("format") == "int64":
            out.update(INT64)
        return out
    if isinstance(schema, list):
        return [int64_as_bounds(item) for item in schema]
    return schema


@pytest.fixture
def spec() -> dict[str, Any]:
    """The parsed openapi.yaml (a fresh copy per test)."""
    return copy.deepcopy(_SPEC)


@pytest.fixture
def example_body() -> dict[str, Any]:
    """The documented 200 example from openapi.yaml: `{"runs": [one run]}`."""
    op = _SPEC["paths"][OPERATION_PATH]["get"]
    body: dict[str, Any] = op["responses"]["200"]["content"]["application/json"]["example"]
    return copy.deepcopy(body)


@pytest.fixture
def example_run(example_body: dict[str, Any]) -> dict[str, Any]:
    """The one run of the documented example."""
    run: dict[str, Any] = example_body["runs"][0]
    return run


KEY = "sk-retab-TESTKEY-0123456789"
TOKEN = "tok-retab-TESTTOKEN-9876543210"
BASE = "https://api.retab.com"
RUNS_URL = f"{BASE}/v1/workflows/wf_abc123/experiments/exp_abc/runs"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own Retab settings."""
    monkeypatch.delenv("RETAB_API_KEY", raising=False)
    monkeypatch.delenv("RETAB_API_BASE_URL", raising=False)


@pytest.fixture
def sleeps() -> Iterator[list[float]]:
    """Records the retry waits, sync and async, instead of sleeping them (the public switch)."""
    with no_retry_waits() as waits:
        yield waits


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


pytest_plugins = ["pytester"]


def schema_validator(name: str) -> Any:
    """A JSON Schema validator for components/schemas/<name> of openapi.yaml."""
    from openapi_schema_validator import OAS31Validator

    schema = {"$ref": f"#/components/schemas/{name}", "components": _SPEC["components"]}
    return OAS31Validator(schema)


_POOL_COUNTS = re.compile(
    r"Requests: (\d+) active, (\d+) queued \| Connections: (\d+) active, (\d+) idle"
)


def pool_counts(client: Any) -> dict[str, int]:
    """An AsyncRetab's pool, counted: httpcore's own counts (its repr) summed over the
    slices of the default transport's pool, and the slots held in the queue before them."""
    slices = client._http._transport._pools  # the default mount: the fake is on loopback
    names = ("requests active", "requests queued", "connections active", "connections idle")
    total = dict.fromkeys(names, 0)
    total["slots held"] = slices.in_flight
    for pool in slices.pools:
        found = _POOL_COUNTS.search(repr(pool))
        assert found is not None, repr(pool)
        for name, count in zip(names, map(int, found.groups()), strict=True):
            total[name] += count
    return total


# What scripts/_browser.sh looks for, in the same order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"


@pytest.fixture(scope="session")
def browser() -> str:
    """A Chromium or Chrome for the tests that render HTML as a reader sees it.

    `RETAB_RUNS_BROWSER` (scripts/test sets it), else the first of BROWSERS on
    PATH, else Chrome's macOS app. Without one the test skips, saying why; with
    `CI=true` it fails, so CI always renders.
    """
    given = os.environ.get("RETAB_RUNS_BROWSER", "")
    found = [given] if given else [shutil.which(name) for name in BROWSERS]
    found.append(MAC_CHROME if os.access(MAC_CHROME, os.X_OK) else None)
    path = next((path for path in found if path), None)
    if path is not None:
        return path
    why = (
        f"no Chromium or Chrome ({', '.join(BROWSERS)} on PATH, or RETAB_RUNS_BROWSER); "
        "scripts/test installs Debian's chromium as root or with passwordless sudo"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs a browser: {why}")
    pytest.skip(why)


def headless(browser: str, profile: Path, *arguments: str) -> str:
    """Run the browser headless with `arguments`; what it printed (`--dump-dom`: the page)."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}"]
    done = subprocess.run(
        [browser, *flags, *arguments], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout
