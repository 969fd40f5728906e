"""`retab-runs list --all`, `get`, `start`, `cancel`: output forms, exit codes, a terminal."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator

import pytest
from test_cli_wait_gate import run_cli, run_in_terminal

from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run

FLAT = "/v1/workflows/experiments/runs"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, sleeps: list[float]) -> Iterator[FakeRetabServer]:
    with FakeRetabServer(sample=True) as fake:
        monkeypatch.setenv("RETAB_API_KEY", fake.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", fake.url)
        yield fake


class TestListAll:
    def test_table_of_runs_across_experiments(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "list", "--all")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0].split() == [
            "ID", "STATUS", "EXPERIMENT", "SCORE", "DONE", "ERRORS", "CREATED"
        ]  # fmt: skip
        assert len(lines) == 1 + 11 and all(len(line) <= 80 for line in lines)
        assert {"exp_invoices", "exp_contracts"} <= {line.split()[2] for line in lines[1:]}

    def test_filters_go_to_the_server(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(
            capsys, "list", "--all", "--experiment", "exp_invoices", "--status", "completed",
            "--since", "2026-05-02", "--limit", "2", "--format", "json",
        )  # fmt: skip
        runs = json.loads(out)["runs"]
        assert code == 0 and len(runs) == 2
        assert {run["lifecycle"]["status"] for run in runs} == {"completed"}
        query = next(r.query for r in server.requests if r.path == FLAT)
        assert query["experiment_id"] == "exp_invoices" and query["status"] == "completed"
        assert query["from_date"] == "2026-05-02"

    def test_csv_carries_every_field_of_the_run(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
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
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
    ) -> None:
        code, out, err = run_cli(capsys, *argv)
        assert (code, out) == (cli.EXIT_USAGE, "") and err.startswith("retab-runs: error:")
        assert server.requests == []


class TestGet:
    def test_one_run_as_a_table_or_json(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "get", "exprun_inv_06")
        assert code == 0 and out.splitlines()[1].split()[:3] == [
            "exprun_inv_06", "completed", "exp_invoices"
        ]  # fmt: skip
        code, out, _ = run_cli(capsys, "get", "exprun_inv_06", "--format", "json")
        assert code == 0 and json.loads(out)["runs"][0]["score"] == 0.93

    def test_a_missing_run_exits_4_naming_it(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "get", "exprun_nope")
        assert code == cli.EXIT_NOT_FOUND == 4
        assert "not found: run 'exprun_nope'" in err and "request id req_fake_" in err

    def test_server_text_is_escaped(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("wf", "exp", [sample_run("exprun_ok", block_kind="\x1b[2J")])
        code, out, _ = run_cli(capsys, "list", "--all", "--columns", "id,block_type")
        assert code == 0 and "\x1b" not in out and "\\u001b[2J" in out


class TestStart:
    def test_start_prints_the_new_run(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "start", "exp_contracts")
        assert code == 0 and out.startswith("started run exprun_") and "exp_contracts" in out
        post = next(r for r in server.requests if r.method == "POST")
        assert post.headers["Idempotency-Key"].startswith("retab-runs-")

    def test_start_wait_and_gate_in_one_step(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
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

    def test_min_score_without_wait_is_a_usage_error(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "start", "exp_invoices", "--min-score", "0.5")
        assert code == 2 and "--min-score needs --wait" in err and server.requests == []

    def test_an_unknown_experiment_exits_4(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "start", "exp_nope")
        assert code == 4 and "exp_nope" in err

    def test_start_wait_redraws_one_line_on_a_terminal(self, server: FakeRetabServer) -> None:
        env = {**os.environ, "RETAB_API_KEY": server.api_key, "RETAB_API_BASE_URL": server.url}
        argv = [sys.executable, "-m", "retab_runs", "start", "exp_invoices", "--wait"]
        code, out = run_in_terminal([*argv, "--interval", "0.1"], env)
        assert code == 0 and out.count("\r\x1b[2K") >= 2 and "completed" in out


class TestCancel:
    def test_cancel_then_again(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run_cli(capsys, "cancel", "exprun_inv_07")[:2] == (
            0,
            "run exprun_inv_07 cancelled\n",
        )
        assert run_cli(capsys, "cancel", "exprun_inv_07")[0] == 0

    def test_a_finished_run_exits_4(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "cancel", "exprun_inv_06")
        assert code == 4 and "not found: run 'exprun_inv_06'" in err


class TestCompare:
    def test_two_runs_side_by_side(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run_cli(capsys, "list", "--all", "--format", "json", "--limit", "2")
        first, second = (run["id"] for run in json.loads(out)["runs"])
        code, out, err = run_cli(capsys, "compare", first, second)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0].split() == [first, second, "B", "-", "A"]
        assert any(line.startswith("completed_document_count") for line in lines)
        assert lines[-1].startswith(("comparable", "not comparable"))
        code, out, _ = run_cli(capsys, "compare", first, second, "--format", "json")
        result = json.loads(out)
        assert (code, result["a_id"], result["b_id"]) == (0, first, second)
        assert set(result) >= {"score_delta", "changed_fingerprints", "count_deltas", "comparable"}

    def test_an_unknown_run_exits_4(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "compare", "exprun_nope", "exprun_nope2")
        assert (code, out) == (4, "") and "exprun_nope" in err and len(err.splitlines()) == 1
