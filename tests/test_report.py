"""`retab-runs report`: one self-contained HTML file whose chart a real browser draws."""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import headless
from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def report(tmp_path: Path, retab_server: FakeRetabServer) -> Path:
    """The report of five runs, written by the CLI against the shipped fixture's fake."""
    retab_server.add_runs(
        "wf", "exp",
        [
            sample_run("r1", created_at="2026-05-01T09:00:00Z", score=0.7),
            sample_run("r2", created_at="2026-05-01T10:00:00Z", score=0.8),
            sample_run("r3", created_at="2026-05-01T11:00:00Z", score=0.85,
                       documents_fingerprint="new_docs"),
            # Plotted: its id is drawn in the point's tooltip.
            sample_run("r4" + HOSTILE, created_at="2026-05-01T12:00:00Z", score=0.9,
                       documents_fingerprint="new_docs"),
            sample_run("r5", created_at="2026-05-01T13:00:00Z", status=HOSTILE),
        ],
    )  # fmt: skip
    path = tmp_path / "report.html"
    assert cli.main(["report", "wf", "exp", "-o", str(path)]) == 0
    return path


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_report_is_self_contained_and_escapes_every_server_string(report: Path) -> None:
    page = report.read_text()
    parsed = _Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert "script" not in names and "img" not in names and "link" not in names
    assert not [attrs for _, attrs in parsed.tags if {"src", "href"} & set(attrs)]
    assert "&lt;script&gt;" in page  # the hostile status, shown as text
    escaped = html.escape("r4" + HOSTILE)
    assert f"<title>{escaped}: 0.900</title>" in page  # the plotted id, in its tooltip
    assert page.count('class="point"') == 4  # the completed, scored runs
    assert page.count('class="marker"') == 1  # documents_fingerprint changed at r3
    assert "documents_fingerprint changed" in page


def test_a_real_browser_draws_the_chart(report: Path, tmp_path: Path, browser: str) -> None:
    # The test's own probe (the report has no script): the line's drawn size.
    probe = (
        "<script>window.addEventListener('load', () => {"
        "const box = document.getElementById('score-line').getBBox();"
        "document.title = 'drawn ' + Math.round(box.width) + 'x' + Math.round(box.height);"
        "});</script>"
    )
    checked = tmp_path / "checked.html"
    page = report.read_text().replace("default-src 'none'", "default-src 'unsafe-inline'")
    checked.write_text(page.replace("</body>", probe + "</body>"))
    dom = headless(browser, tmp_path / "p", "--dump-dom", checked.as_uri())
    drawn = re.search(r"<title>drawn (\d+)x(\d+)</title>", dom)
    assert drawn, dom[:500]
    width, height = int(drawn.group(1)), int(drawn.group(2))
    assert width > 500 and height > 20  # four points across the chart, scores 0.7 to 0.9
    shot = tmp_path / "report.png"
    headless(
        browser, tmp_path / "p", "--window-size=900,900", f"--screenshot={shot}", report.as_uri()
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000


def test_control_and_bidi_characters_in_run_ids_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A completed run's id in the chart's tooltip and the table: ESC, BEL, U+202E escaped."""
    hostile = "r1\x1b]0;title\x07\u202eevil"
    with FakeRetabServer() as server:
        server.add_runs("wf", "exp", [sample_run(hostile, score=0.7)])
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        path = tmp_path / "report.html"
        assert cli.main(["report", "wf", "exp", "-o", str(path)]) == 0
    page = path.read_text()
    assert not {"\x1b", "\x07", "\u202e"} & set(page)
    assert page.count("r1\\u001b]0;title\\u0007\\u202eevil") == 2  # tooltip and table
