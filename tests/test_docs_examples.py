"""Every Python example in README.md and docs/ runs, against the fake server's sample data.

A block that defines pytest tests (`def test_...`) is run by pytest itself
(pytester, in a subprocess, with the plugin our users get); any other block is executed with
RETAB_API_KEY/RETAB_API_BASE_URL pointing at a FakeRetabServer seeded with
the sample data, retry and poll waits recorded instead of slept. A block
followed by a paragraph ending in "prints:" and a ```text block must print
exactly that.
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
# The output a block promises: prose (no fence) ending in "prints:", then a text block.
_PRINTS = re.compile(r"\n\n(?:(?!```).)*?prints:\n\n```text\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str, str | None]]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for number, match in enumerate(_BLOCK.finditer(text), 1):
            prints = _PRINTS.match(text, match.end())
            where = f"{page.relative_to(ROOT)}#{number}"
            found.append((where, match.group(1), prints.group(1) if prints else None))
    return found


EXAMPLES = _examples()


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 10


def test_the_comparison_example_promises_its_output() -> None:
    """docs/analysis.md's compare_runs example printed `None ... None True ()`: now it shows it."""
    (prints,) = [prints for where, _, prints in EXAMPLES if "analysis" in where and prints]
    assert "score +0.06" in prints and "None" not in prints


@pytest.mark.parametrize(
    ("where", "code", "prints"), EXAMPLES, ids=[where for where, _, _ in EXAMPLES]
)
def test_example_runs(
    where: str,
    code: str,
    prints: str | None,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
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
        with no_retry_waits(), contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(code, where, "exec"), {"__name__": "__example__"})
    if prints is not None:
        assert out.getvalue() == prints
