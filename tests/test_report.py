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


@pytest.fixture
def sample_report(tmp_path: Path, retab_sample_server: FakeRetabServer) -> str:
    """The report of the sample invoices, whose newest completed run rose while 3 documents fell."""
    path = tmp_path / "sample.html"
    assert cli.main(["report", "wf_demo", "exp_invoices", "-o", str(path)]) == 0
    return path.read_text()


def _rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(f'<table id="{table_id}">(.*?)</table>', page, re.S)
    assert table, table_id
    return [
        [html.unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_the_chart_has_axis_titles_ticks_dates_and_a_legend(sample_report: str) -> None:
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', sample_report)
    assert labels[:5] == ["0.60", "0.70", "0.80", "0.90", "1.00"]  # fitted: 0.71 to 0.93
    assert labels[5:8] == ["May 02 09:00", "May 02 10:00", "May 02 11:00"]
    titles = re.findall(r'<text class="title"[^>]*>([^<]*)</text>', sample_report)
    assert titles == ["run created (UTC)", "score"]
    assert "score of a completed run" in labels and any("documents changed" in t for t in labels)


def test_the_runs_table_has_the_columns_a_person_reads(sample_report: str) -> None:
    rows = _rows(sample_report, "runs")
    assert rows[0] == ["id", "status", "score", "Δ", "documents", "duration", "created"]
    assert rows[3] == [
        "exprun_inv_06", "completed", "0.93", "+0.06", "12", "6m42s", "2026-05-02 11:50Z",
    ]  # fmt: skip
    assert rows[1][:4] == ["exprun_inv_08", "pending", "-", "-"]


def test_the_newest_run_documents_against_the_previous_worst_first(sample_report: str) -> None:
    assert "Documents of exprun_inv_06 against exprun_inv_04, worst first" in sample_report
    rows = _rows(sample_report, "documents")
    assert rows[0] == ["document", "filename", "previous", "newest", "Δ", "status"]
    assert rows[1] == ["doc_003", "doc_003.pdf", "0.85", "0.55", "-0.30", "scored"]
    assert [row[0] for row in rows[1:4]] == ["doc_003", "doc_007", "doc_010"]
    assert len(rows) == 13


def test_document_names_from_the_server_are_escaped(
    tmp_path: Path, retab_server: FakeRetabServer
) -> None:
    retab_server.add_runs(
        "wf", "exp",
        [sample_run("r1", created_at="2026-05-01T09:00:00Z", score=0.7),
         sample_run("r2", created_at="2026-05-01T10:00:00Z", score=0.8)],
    )  # fmt: skip
    retab_server.set_document_scores("r1", {HOSTILE: 0.9})
    retab_server.set_document_scores("r2", {HOSTILE: 0.1})
    path = tmp_path / "report.html"
    assert cli.main(["report", "wf", "exp", "-o", str(path)]) == 0
    parsed = _Tags()
    parsed.feed(path.read_text())
    assert not {"script", "img"} & {tag for tag, _ in parsed.tags}
    assert _rows(path.read_text(), "documents")[1][:2] == [HOSTILE, HOSTILE + ".pdf"]
