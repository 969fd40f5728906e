"""Every Python example in README.md and docs/ runs, against the fake server's sample data.

A block that defines pytest tests (`def test_...`) is run by pytest itself
(pytester, in a subprocess, with the plugin our users get); any other block is executed with
RETAB_API_KEY/RETAB_API_BASE_URL pointing at a FakeRetabServer seeded with
the sample data, retry and poll waits recorded instead of slept.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from retab_runs.testing import FakeRetabServer, no_retry_waits

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for number, match in enumerate(_BLOCK.finditer(page.read_text()), 1):
            found.append((f"{page.relative_to(ROOT)}#{number}", match.group(1)))
    return found


EXAMPLES = _examples()


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("where", "code"), EXAMPLES, ids=[where for where, _ in EXAMPLES])
def test_example_runs(
    where: str, code: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if re.search(r"^def test_|^async def test_", code, re.MULTILINE):
        # Only here: pytester unloads, after the test, every module imported during it
        # (numpy cannot be imported twice in one process).
        pytester: pytest.Pytester = request.getfixturevalue("pytester")
        pytester.makepyfile(test_example=code)
        # In a subprocess: an in-process run unloads the modules it imported.
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
        tests = len(re.findall(r"^(?:async )?def test_", code, re.MULTILINE))
        result.assert_outcomes(passed=tests)
        return
    with FakeRetabServer(sample=True) as server:
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        with no_retry_waits(), contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, where, "exec"), {"__name__": "__example__"})
