"""Which documents regressed, on the command line: `compare`, `gate --max-document-drop`, `start`.

And the step summary every outcome of `gate` and `start --wait` writes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import cmarkgfm  # type: ignore[import-untyped]
import pytest
from cmarkgfm.cmark import Options  # type: ignore[import-untyped]
from test_cli_wait_gate import at, history, run_cli, start_run

from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run

HOSTILE = "[x](https://evil.example) ![i](http://a/i.png) <img src=x> www.evil.example"

# r2's average rose (0.80 -> 0.86), but d1, d2 and d3 dropped by more than 0.2; d4 by exactly it.
SCORES_R1: dict[str, float | None] = {
    "d1": 0.9, "d2": 0.95, "d3": 0.7, "d4": 0.9, "d5": 0.5, "d6": 0.45, "d7": 0.5, "d8": 0.6,
}  # fmt: skip
SCORES_R2: dict[str, float | None] = {
    "d1": 0.6, "d2": None, "d3": 0.45, "d4": 0.7, "d5": 1.0, "d6": 1.0, "d7": 1.0, "d8": 1.0,
}  # fmt: skip


@pytest.fixture
def summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "summary.md"
    target.write_text("")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    return target


@pytest.fixture
def server(retab_server: FakeRetabServer, sleeps: list[float]) -> FakeRetabServer:
    return retab_server


@pytest.fixture
def regressed(server: FakeRetabServer) -> FakeRetabServer:
    history(server, 0.80, 0.86)
    server.set_document_scores("r1", SCORES_R1)
    server.set_document_scores("r2", SCORES_R2)
    return server


GATE = ("gate", "wf", "exp", "--min-score", "0.8")


@pytest.mark.usefixtures("regressed")
def test_the_gate_fails_naming_exactly_the_documents_that_dropped_worst_first(
    capsys: pytest.CaptureFixture[str], summary: Path
) -> None:
    """The done-when of issue 32: the average rose, three documents fell by more than 0.2."""
    assert run_cli(capsys, *GATE)[0] == 0
    code, out, _ = run_cli(capsys, *GATE, "--max-document-drop", "0.2")
    assert code == cli.EXIT_GATE_FAILED == 8
    first = out.splitlines()[0]
    assert first.startswith(
        "FAIL: 3 documents dropped by more than 0.2: d2 failed (was 0.95), d1 -0.30, d3 -0.25; "
        "run r2 score 0.86, previous r1 0.8 (delta +0.06)"
    )
    table = out.splitlines()[1:]
    assert table[0].split() == ["DOCUMENT", "FILENAME", "A", "B", "DELTA", "IN", "A", "IN", "B"]
    assert [line.split()[0] for line in table[1:5]] == ["d2", "d1", "d3", "d4"]
    written = summary.read_text()
    assert "| `r2` | `completed` | 0.86 | `r1` (0.8) | +0.06 | ❌ fail |" in written
    assert "3 documents dropped by more than 0.2: d2 failed (was 0.95), d1 -0.30, d3" in written
    rows = [line for line in written.splitlines() if line.startswith("| `d")]
    assert [row.split(" | ")[0] for row in rows[:4]] == ["| `d2`", "| `d1`", "| `d3`", "| `d4`"]
    assert rows[0] == "| `d2` | `d2.pdf` | 0.95 | - | - | `scored` | `failed` |"


@pytest.mark.usefixtures("regressed")
def test_a_drop_equal_to_the_maximum_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *GATE, "--max-document-drop", "0.95")
    assert code == 0 and out.startswith("PASS: run r2 score 0.86")
    assert run_cli(capsys, *GATE, "--max-document-drop", "0.9499")[0] == 8


def test_markdown_gets_no_live_link_image_or_tag_from_the_server(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str], summary: Path
) -> None:
    history(server, 0.8, 0.9)
    server.set_document_scores("r1", {HOSTILE: 0.9})
    server.set_document_scores("r2", {HOSTILE: 0.1})
    code, out, _ = run_cli(capsys, *GATE, "--max-document-drop", "0.2", "--format", "markdown")
    assert code == 8 and out == summary.read_text().removesuffix("\n")
    page = cmarkgfm.github_flavored_markdown_to_html(out, options=Options.CMARK_OPT_UNSAFE)
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"h3", "code", "table", "thead", "tbody", "tr", "th", "td", "p"}, page
    cells = re.findall(r"<tr>(.*?)</tr>", page, re.S)[-1]
    assert cells.count("<td>") == 7 and cells.count("<code>[x](https://evil.example)") == 2


def test_without_documents_to_compare_the_gate_says_so(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    history(server, 0.9)
    code, out, _ = run_cli(capsys, *GATE, "--max-document-drop", "0.1")
    assert code == 0 and "[no previous completed run: documents not compared]" in out


class TestCompare:
    def test_the_worst_documents_follow_the_run_rows(
        self, capsys: pytest.CaptureFixture[str], retab_sample_server: FakeRetabServer
    ) -> None:
        code, out, _ = run_cli(capsys, "compare", "exprun_inv_04", "exprun_inv_06")
        runs, _, documents = out.partition("\n\n")
        assert code == 0 and runs.splitlines()[1].split() == ["score", "0.87", "0.93", "+0.06"]
        lines = documents.splitlines()
        assert lines[0] == "worst documents first (A: exprun_inv_04, B: exprun_inv_06):"
        assert [line.split()[0] for line in lines[2:5]] == ["doc_003", "doc_007", "doc_010"]
        assert lines[2].split() == [
            "doc_003", "doc_003.pdf", "0.85", "0.55", "-0.30", "scored", "scored",
        ]  # fmt: skip
        assert len(lines) == 2 + 10 + 2 and lines[-2] == "… and 2 more documents"

    def test_documents_n_and_every_document_in_json_and_csv(
        self, capsys: pytest.CaptureFixture[str], retab_sample_server: FakeRetabServer
    ) -> None:
        argv = ("compare", "exprun_inv_04", "exprun_inv_06")
        _, out, _ = run_cli(capsys, *argv, "--documents", "2")
        assert "doc_007" in out and "doc_010" not in out and "… and 10 more documents" in out
        _, out, _ = run_cli(capsys, *argv, "--format", "json")
        documents = json.loads(out)["documents"]
        assert len(documents) == 12 and documents[0] == {
            "document_id": "doc_003", "filename": "doc_003.pdf", "score_a": 0.85,
            "score_b": 0.55, "delta": -0.3, "drop": 0.3, "status_a": "scored",
            "status_b": "scored", "change": None,
        }  # fmt: skip
        _, out, _ = run_cli(capsys, *argv, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 12 and rows[2]["document_id"] == "doc_010"
        assert rows[2]["delta"] == "-0.25"


class TestSummaryOnEveryOutcome:
    """A red (or green) CI step explains itself: the summary is written whatever happened."""

    def test_pass(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        history(server, 0.8, 0.9)
        assert run_cli(capsys, *GATE)[0] == 0
        assert "✅ pass" in summary.read_text()

    def test_a_run_that_ended_badly_while_waited_for(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        start_run(server, {"status": "cancelled"})
        assert run_cli(capsys, *GATE, "--wait", "--interval", "1")[0] == 6
        assert "❌ fail (exit 6): `run r9 ended with status cancelled`" in summary.read_text()

    def test_timeout(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        server.progress_run("wf", "exp", sample_run("s1", status="running"), [])
        argv = (*GATE, "--wait", "--wait-timeout", "3")
        assert run_cli(capsys, *argv)[0] == 7
        assert "❌ fail (exit 7): `run 's1' is still running after 3 s`" in summary.read_text()

    def test_unknown_run_and_unknown_experiment(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        history(server, 0.9)
        assert run_cli(capsys, *GATE, "--run", "r_nope")[0] == 4
        assert "❌ fail (exit 4): `not found: run r_nope is not in the listing" in (
            summary.read_text()
        )
        assert run_cli(capsys, "gate", "wf", "exp_nope", "--min-score", "0.5")[0] == 4
        assert "`exp_nope`\n\n❌ fail (exit 4): " in summary.read_text()

    def test_credentials_refused_and_a_server_error(
        self,
        server: FakeRetabServer,
        capsys: pytest.CaptureFixture[str],
        summary: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The summary's exit code is the one the command exits with."""
        history(server, 0.9)
        monkeypatch.setenv("RETAB_API_KEY", "sk-wrong")
        assert run_cli(capsys, *GATE)[0] == 3
        assert "❌ fail (exit 3): " in summary.read_text()
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        server.fail_next(5, status=500)
        assert run_cli(capsys, *GATE)[0] == 5
        assert "❌ fail (exit 5): " in summary.read_text()
        assert "sk-wrong" not in summary.read_text()


class TestNewestRunFailed:
    @pytest.fixture
    def failed(self, server: FakeRetabServer) -> None:
        history(server, 0.9)
        server.add_runs(
            "wf", "exp",
            [sample_run("r2", created_at=at(2), status="error"),
             sample_run("r3", created_at=at(3), status="running")],
        )  # fmt: skip

    @pytest.mark.usefixtures("failed")
    def test_fails_the_gate_naming_it(
        self, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")
        assert code == cli.EXIT_RUN_FAILED == 6
        assert out.startswith("FAIL: the newest run r2 ended error")
        written = summary.read_text()
        assert "| `r2` | `error` | none | `r1` (0.9) | - | ❌ fail |" in written
        assert "| `r3` | `running` |" in written

    @pytest.mark.usefixtures("failed")
    def test_judge_last_completed_judges_the_older_run_and_names_the_newer(
        self, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        argv = ("gate", "wf", "exp", "--min-score", "0.85", "--judge-last-completed")
        code, out, _ = run_cli(capsys, *argv)
        assert code == 0 and out.startswith("PASS: run r1 score 0.9")
        assert "[newer, ended and not judged: r2 error]" in out
        written = summary.read_text()
        assert "| `r3` | `running` |" in written and "| `r2` | `error` |" in written


class TestStart:
    def test_the_gate_options_need_wait(
        self, capsys: pytest.CaptureFixture[str], retab_sample_server: FakeRetabServer
    ) -> None:
        code, _, err = run_cli(capsys, "start", "exp_invoices", "--max-document-drop", "0.2")
        assert code == 2 and "--max-document-drop needs --wait" in err
        assert retab_sample_server.requests == []

    # One start a test: a second run started in a later second would be the first's baseline.
    START = ("start", "exp_invoices", "--wait", "--interval", "0.1")

    @pytest.mark.usefixtures("retab_sample_server")
    def test_start_wait_judges_as_the_gate_and_summarizes(
        self, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        code, out, _ = run_cli(capsys, *self.START, "--max-drop", "0.01", "--format", "markdown")
        assert code == 8 and "| run | status | score | previous | delta | verdict |" in out
        assert "Worst documents" not in out and "dropped 0.03, more than 0.01" in out
        assert out.split("### ", 1)[1] in summary.read_text()

    @pytest.mark.usefixtures("retab_sample_server")
    def test_start_wait_with_max_document_drop(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The new run's documents against exprun_inv_06's, most of which scored 1.0."""
        code, out, _ = run_cli(capsys, *self.START, "--max-document-drop", "0.1")
        verdict = next(line for line in out.splitlines() if line.startswith("FAIL"))
        assert code == 8 and verdict.startswith("FAIL: 5 documents dropped by more than 0.1: ")

    @pytest.mark.usefixtures("retab_sample_server")
    def test_start_wait_without_a_rule_summarizes_too(
        self, capsys: pytest.CaptureFixture[str], summary: Path
    ) -> None:
        assert run_cli(capsys, *self.START)[0] == 0
        assert "✅ pass (exit 0): `run exprun_" in summary.read_text()


def test_compare_csv_guards_document_names_against_spreadsheet_formulas(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    history(server, 0.8, 0.9)
    formula = '=HYPERLINK("https://evil.example","x")'
    server.set_document_scores("r1", {formula: 0.9})
    server.set_document_scores("r2", {formula: 0.5})
    code, out, _ = run_cli(capsys, "compare", "r1", "r2", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["document_id"] == "'" + formula
    assert row["filename"] == "'" + formula + ".pdf" and row["delta"] == "-0.4"
