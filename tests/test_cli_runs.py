"""`retab-runs list --all`, `get`, `start`, `cancel`: output forms, exit codes, a terminal.

Against the shipped `retab_sample_server` fixture, as a user's CLI tests would be: it
points RETAB_API_KEY and RETAB_API_BASE_URL at the fake and makes retries instant.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from pytest_httpx import HTTPXMock
from test_cli_wait_gate import run_cli, run_in_terminal
from test_wait import documented_run

from conftest import BASE, KEY
from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run

FLAT = "/v1/workflows/experiments/runs"


class TestListAll:
    def test_table_of_runs_across_experiments(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "list", "--all")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0].split() == [
            "ID", "STATUS", "EXPERIMENT", "SCORE", "DOCS", "ERRORS", "CREATED"
        ]  # fmt: skip
        assert len(lines) == 1 + 11 and all(len(line) <= 80 for line in lines)
        assert {"exp_invoices", "exp_contracts"} <= {line.split()[2] for line in lines[1:]}

    def test_a_long_id_is_cut_to_fit_never_a_date(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        experiment = "exp_" + "x" * 40
        retab_sample_server.add_runs("wf", experiment, [sample_run("r1")])
        code, out, _ = run_cli(capsys, "list", "--all", "--experiment", experiment)
        (row,) = out.splitlines()[1:]
        assert code == 0 and len(row) <= 80
        assert row.endswith("  2026-05-02 11:00Z") and "exp_xxx" in row and "…" in row

    def test_filters_go_to_the_server(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(
            capsys, "list", "--all", "--experiment", "exp_invoices", "--status", "completed",
            "--since", "2026-05-02", "--limit", "2", "--format", "json",
        )  # fmt: skip
        runs = json.loads(out)["runs"]
        assert code == 0 and len(runs) == 2
        assert {run["lifecycle"]["status"] for run in runs} == {"completed"}
        query = next(r.query for r in retab_sample_server.requests if r.path == FLAT)
        assert query["experiment_id"] == "exp_invoices" and query["status"] == "completed"
        assert query["from_date"] == "2026-05-02"

    def test_csv_carries_every_field_of_the_run(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "list", "--all", "--format", "csv", "--limit", "3")
        header = out.splitlines()[0].split(",")
        assert code == 0 and header[:3] == ["id", "workflow_id", "workflow_version_id"]
        assert len(out.splitlines()) == 4

    @pytest.mark.parametrize(
        "argv",
        [
            ("list", "--all", "wf", "exp"),
            ("list", "--all", "--status", "running", "--status", "error"),
            ("list",),
            ("list", "wf_demo", "exp_invoices", "--workflow", "wf_demo"),
        ],
    )
    def test_usage_mistakes_exit_2(
        self,
        retab_sample_server: FakeRetabServer,
        capsys: pytest.CaptureFixture[str],
        argv: tuple[str, ...],
    ) -> None:
        code, out, err = run_cli(capsys, *argv)
        assert (code, out) == (cli.EXIT_USAGE, "") and err.startswith("retab-runs: error:")
        assert retab_sample_server.requests == []


class TestGet:
    def test_get_and_both_listings_call_the_documents_column_alike(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`get`, `list --all` (and `demo`) said DONE where `list` said DOCUMENTS: one name now."""
        headers = [
            run_cli(capsys, *argv)[1].splitlines()[0].split()
            for argv in (
                ("get", "exprun_inv_06"),
                ("list", "--all"),
                ("list", "wf_demo", "exp_invoices"),
            )
        ]
        assert all("DOCS" in header and "DONE" not in header for header in headers)
        code, out, _ = run_cli(capsys, "get", "exprun_inv_06")
        assert code == 0 and out.splitlines()[1].split()[4] == "12"

    def test_one_run_as_a_table_or_json(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "get", "exprun_inv_06")
        assert code == 0 and out.splitlines()[1].split()[:3] == [
            "exprun_inv_06", "completed", "exp_invoices"
        ]  # fmt: skip
        code, out, _ = run_cli(capsys, "get", "exprun_inv_06", "--format", "json")
        assert code == 0 and json.loads(out)["runs"][0]["score"] == 0.93

    def test_a_missing_run_exits_4_naming_it(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "get", "exprun_nope")
        assert code == cli.EXIT_NOT_FOUND == 4
        assert "not found: run 'exprun_nope'" in err and "request id req_fake_" in err

    def test_server_text_is_escaped(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        retab_sample_server.add_runs("wf", "exp", [sample_run("exprun_ok", block_kind="\x1b[2J")])
        code, out, _ = run_cli(capsys, "list", "--all", "--columns", "id,block_type")
        assert code == 0 and "\x1b" not in out and "\\u001b[2J" in out


class TestStart:
    def test_start_prints_the_new_run(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "start", "exp_contracts")
        assert code == 0 and out.startswith("started run exprun_") and "exp_contracts" in out
        post = next(r for r in retab_sample_server.requests if r.method == "POST")
        assert post.headers["Idempotency-Key"].startswith("retab-runs-")

    def test_start_wait_and_gate_in_one_step(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(
            capsys, "start", "exp_invoices", "--wait", "--min-score", "0.5", "--interval", "1"
        )
        lines = out.splitlines()
        assert code == 0 and lines[-1].startswith("PASS: run exprun_")
        assert any(" completed " in line for line in lines)
        code, out, _ = run_cli(
            capsys, "start", "exp_invoices", "--wait", "--min-score", "0.95", "--interval", "1"
        )
        assert code == cli.EXIT_GATE_FAILED == 8 and "FAIL" in out.splitlines()[-1]

    @pytest.mark.parametrize("status", ["error", "cancelled"])
    def test_start_wait_on_a_run_that_ends_badly_exits_6(
        self,
        httpx_mock: HTTPXMock,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        sleeps: list[float],
        status: str,
    ) -> None:
        """The fake's started runs always complete: Retab's answers are played here instead."""
        monkeypatch.setenv("RETAB_API_KEY", KEY)
        monkeypatch.setenv("RETAB_API_BASE_URL", BASE)
        httpx_mock.add_response(method="POST", json=documented_run("exprun_bad", "pending"))
        httpx_mock.add_response(method="GET", json=documented_run("exprun_bad", status))
        code, out, err = run_cli(
            capsys, "start", "exp_abc", "--wait", "--min-score", "0.5", "--interval", "1"
        )
        assert code == cli.EXIT_RUN_FAILED == 6
        assert out.splitlines()[0] == "started run exprun_bad of exp_abc"
        assert err == f"retab-runs: run exprun_bad ended with status {status}\n"

    def test_min_score_without_wait_is_a_usage_error(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "start", "exp_invoices", "--min-score", "0.5")
        assert (
            code == 2 and "--min-score needs --wait" in err and retab_sample_server.requests == []
        )

    def test_an_unknown_experiment_exits_4(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "start", "exp_nope")
        assert code == 4 and err.startswith("retab-runs: error: not found: experiment 'exp_nope'")

    def test_an_unknown_workflow_is_named(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """It said `not found: experiment 'exp_invoices'`, which exists."""
        code, _, err = run_cli(capsys, "start", "exp_invoices", "--workflow", "wf_nope")
        assert code == 4
        assert err.startswith(
            "retab-runs: error: not found: experiment 'exp_invoices' in workflow 'wf_nope'"
        )

    def test_the_wait_shows_the_runs_own_times(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """In flight: since when (never `now` minus a start on another clock); ended: how long."""
        code, out, _ = run_cli(capsys, "start", "exp_invoices", "--wait", "--interval", "1")
        *waited, ended = out.splitlines()[1:]
        run_id = ended.split()[0]
        code, got, _ = run_cli(capsys, "get", run_id, "--format", "json")
        timing = json.loads(got)["runs"][0]["timing"]
        created = timing["created_at"].replace("T", " ")[:16] + "Z"
        assert code == 0 and waited[0].startswith(f"{run_id}  pending  created {created}  ")
        assert f"{run_id}  running  since {created}  " in waited[-1]
        seconds = timing["duration_ms"] / 1000
        assert ended.startswith(f"{run_id}  completed  in {seconds:.1f}s  documents ")

    def test_start_wait_redraws_one_line_on_a_terminal(
        self, retab_sample_server: FakeRetabServer
    ) -> None:
        env = dict(os.environ)  # the fixture points RETAB_API_KEY and RETAB_API_BASE_URL at it
        argv = [sys.executable, "-m", "retab_runs", "start", "exp_invoices", "--wait"]
        code, out = run_in_terminal([*argv, "--interval", "0.1"], env)
        assert code == 0 and out.count("\r\x1b[2K") >= 2 and "completed" in out


class TestCancel:
    def test_cancel_then_again(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run_cli(capsys, "cancel", "exprun_inv_07")[:2] == (
            0,
            "run exprun_inv_07 cancelled\n",
        )
        assert run_cli(capsys, "cancel", "exprun_inv_07")[0] == 0

    def test_a_finished_run_exits_4(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "cancel", "exprun_inv_06")
        assert code == 4 and "not found: run 'exprun_inv_06'" in err


class TestCompare:
    @pytest.fixture
    def three(self, retab_sample_server: FakeRetabServer) -> None:
        retab_sample_server.add_runs("wf", "exp", [
            sample_run("exprun_a", score=0.8, document_count=10, error_count=1, duration_ms=1000),
            sample_run("exprun_b", score=0.85, document_count=12, error_count=0, duration_ms=1500),
            sample_run("exprun_c", score=0.9, documents_fingerprint="new_docs",
                       definition_fingerprint="new_def"),
        ])  # fmt: skip

    @pytest.mark.usefixtures("three")
    def test_two_runs_side_by_side(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every row fills A and B (count and duration rows showed the delta alone)."""
        code, out, err = run_cli(capsys, "compare", "exprun_a", "exprun_b")
        assert (code, out.partition("\n\n")[0] + "\n", err) == (0, (
            "                          exprun_a  exprun_b  B - A\n"
            "score                     0.8       0.85      +0.05\n"
            "total_document_count      10        12        +2\n"
            "completed_document_count  10        12        +2\n"
            "document_count            10        12        +2\n"
            "error_count               1         0         -1\n"
            "duration_ms               1000      1500      +500\n"
            "comparable: same definition and documents\n"
        ), "")  # fmt: skip

    @pytest.mark.usefixtures("three")
    def test_a_changed_fingerprint_makes_them_not_comparable(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "compare", "exprun_b", "exprun_c")
        assert code == 0 and out.partition("\n\n")[0].splitlines()[-1] == (
            "not comparable: block_execution_fingerprint, documents_fingerprint changed"
        )

    @pytest.mark.usefixtures("three")
    def test_json_carries_the_whole_comparison(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run_cli(capsys, "compare", "exprun_a", "exprun_b", "--format", "json")
        found = json.loads(out)
        assert len(found.pop("documents")) == 12 and found.pop("note") is None
        assert code == 0 and found == {
            "a_id": "exprun_a",
            "b_id": "exprun_b",
            "score_a": 0.8,
            "score_b": 0.85,
            "score_delta": 0.05,
            "changed_fingerprints": [],
            "count_deltas": {
                "total_document_count": 2,
                "completed_document_count": 2,
                "document_count": 2,
                "error_count": -1,
            },
            "duration_delta_ms": 500,
            "comparable": True,
        }
        code, out, _ = run_cli(capsys, "compare", "exprun_b", "exprun_c", "--format", "json")
        assert json.loads(out)["comparable"] is False

    def test_an_unknown_run_exits_4(
        self, retab_sample_server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "compare", "exprun_nope", "exprun_nope2")
        assert (code, out) == (4, "") and "exprun_nope" in err and len(err.splitlines()) == 1
