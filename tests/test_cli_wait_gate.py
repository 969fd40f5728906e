"""`retab-runs wait`, `gate` and `list`'s filters: exit codes, output forms, a real terminal."""

from __future__ import annotations

import datetime
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run


@pytest.fixture
def server(
    retab_server: FakeRetabServer, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> FakeRetabServer:
    """The shipped fixture: RETAB_API_KEY and RETAB_API_BASE_URL point at it."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return retab_server


def at(minutes: int) -> datetime.datetime:
    return datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=minutes
    )


def history(server: FakeRetabServer, *scores: float | None) -> None:
    """Completed runs r1, r2, ... oldest first, each a re-run of the one before."""
    server.add_runs(
        "wf",
        "exp",
        [
            sample_run(
                f"r{n}",
                created_at=at(n),
                score=score,
                parent_run_id=f"r{n - 1}" if n > 1 else None,
            )
            for n, score in enumerate(scores, start=1)
        ],
    )


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def start_run(server: FakeRetabServer, *stages: dict[str, Any]) -> None:
    server.progress_run(
        "wf",
        "exp",
        sample_run("r9", status="pending", created_at=at(99), parent_run_id="r2"),
        list(stages),
    )


class TestWait:
    def test_completed_exits_0_with_one_plain_line_per_change(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        start_run(server, {"status": "running"}, {"status": "completed", "score": 0.9})
        code, out, err = run_cli(capsys, "wait", "wf", "exp")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        # The listing finds r9 (pending, as added); each get then moves it on a stage.
        assert [line.split()[:2] for line in lines] == [["r9", "running"], ["r9", "completed"]]
        assert "score 0.90" in lines[-1] and "\r" not in out

    @pytest.mark.parametrize("ending", ["error", "cancelled"])
    def test_a_failed_run_exits_6(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], ending: str
    ) -> None:
        start_run(server, {"status": ending})
        code, _, err = run_cli(capsys, "wait", "wf", "exp", "--run", "r9")
        assert code == cli.EXIT_RUN_FAILED == 6
        assert f"r9 ended with status {ending}" in err

    def test_timeout_exits_7_within_the_timeout_and_one_interval(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], sleeps: list[float]
    ) -> None:
        start_run(server, {"status": "running"})
        code, _, err = run_cli(
            capsys, "wait", "wf", "exp", "--wait-timeout", "30", "--interval", "5"
        )
        assert code == cli.EXIT_WAIT_TIMEOUT == 7
        assert "still running after 30 s" in err
        assert sum(sleeps) <= 30 + 5

    def test_a_run_started_long_ago_shows_since_when_not_months_of_minutes(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`wait --run exprun_inv_07` showed `running 312834m08s`: now minus a May start."""
        server.add_runs("wf", "exp", [sample_run("r1", status="running", created_at=at(0))])
        code, out, _ = run_cli(capsys, "wait", "wf", "exp", "--wait-timeout", "1")
        assert code == 7
        assert out == "r1  running  since 2026-05-02 09:00Z  documents 12/12  errors 0\n"

    def test_a_run_the_server_no_longer_finds_is_named_as_the_run(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The listing names r1, then its `get` answers 404: it said `workflow 'wf' / ...`."""
        history(server, 0.8)
        server.delay_next(seconds=0)  # the listing is answered
        server.fail_next(status=404, body={"detail": "Run not found"})  # the run is not
        code, out, err = run_cli(capsys, "wait", "wf", "exp")
        assert (code, out) == (4, "")
        assert err.startswith("retab-runs: error: not found: run 'r1': ")
        server.fail_next(status=404, body={"detail": "Experiment not found"})
        code, out, err = run_cli(capsys, "wait", "wf", "nope")
        assert err.startswith("retab-runs: error: not found: workflow 'wf' / experiment 'nope'")

    def test_unknown_run_exits_4_at_once_naming_it(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], sleeps: list[float]
    ) -> None:
        history(server, 0.8)
        code, _, err = run_cli(capsys, "wait", "wf", "exp", "--run", "nope", "--wait-timeout", "4")
        assert code == cli.EXIT_NOT_FOUND == 4 and "not found: run 'nope'" in err
        assert sleeps == []

    def test_live_line_is_redrawn_in_place_on_a_terminal(self, tmp_path: Path) -> None:
        with FakeRetabServer() as fake:
            fake.progress_run(
                "wf", "exp", sample_run("r1", status="pending"),
                [{"status": "running"}, {"status": "completed", "score": 0.8}],
            )  # fmt: skip
            env = {**os.environ, "RETAB_API_KEY": fake.api_key, "RETAB_API_BASE_URL": fake.url}
            code, out = run_in_terminal(
                [sys.executable, "-m", "retab_runs", "wait", "wf", "exp", "--interval", "0.1"], env
            )
        assert code == 0
        assert out.count("\r\x1b[2K") == 2  # running, completed: redrawn in place
        assert "r1  completed" in out and out.endswith("\n")


def test_on_a_terminal_the_clock_ticks_between_polls_and_shows_the_runs_own_time(
    tmp_path: Path,
) -> None:
    with FakeRetabServer() as fake:
        now = datetime.datetime.now(datetime.UTC).isoformat()
        fake.progress_run(
            "wf", "exp", sample_run("r1", status="running", created_at=now),
            [{"status": "completed", "score": 0.8, "duration_ms": 258_221}],
            seconds_per_stage=2.2,
        )  # fmt: skip
        env = {**os.environ, "RETAB_API_KEY": fake.api_key, "RETAB_API_BASE_URL": fake.url}
        code, out = run_in_terminal(
            [sys.executable, "-m", "retab_runs", "wait", "wf", "exp", "--interval", "3"], env
        )
    assert code == 0
    # Two polls (running, completed), and the wait's clock redrawn in between.
    assert out.count("\r\x1b[2K") >= 3
    since = f"r1  running  since {now[:10]} {now[11:16]}Z  documents 12/12  errors 0  (waiting 0m"
    assert f"{since}00s)" in out and (f"{since}01s)" in out or f"{since}02s)" in out)
    assert "r1  completed  in 4m18s  documents" in out  # the run's duration, not the wait's


def run_in_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as its stdout; (exit code, what it wrote)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    code = process.wait(timeout=30)
    return code, b"".join(chunks).decode().replace("\r\n", "\n")


class TestGate:
    def test_passes_on_a_good_newest_completed_run(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.80, 0.86)
        server.add_runs("wf", "exp", [sample_run("r3", created_at=at(3), status="running")])
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")
        assert code == 0
        assert out.startswith("PASS: run r2 score 0.86, previous r1 0.8 (delta +0.06)")

    def test_fails_below_the_minimum_with_exit_8(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.9, 0.7)
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.75")
        assert code == cli.EXIT_GATE_FAILED == 8
        assert out.startswith("FAIL: run r2 score 0.7") and "below the minimum 0.75" in out

    def test_a_score_equal_to_the_minimum_passes(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.8, 0.85)
        assert run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")[0] == 0
        assert run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.8500001")[0] == 8

    def test_a_drop_equal_to_the_maximum_passes(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.75, 0.5)
        args = ("gate", "wf", "exp", "--min-score", "0.5")
        assert run_cli(capsys, *args, "--max-drop", "0.25")[0] == 0
        assert run_cli(capsys, *args, "--max-drop", "0.2499")[0] == 8

    def test_max_drop_catches_a_regression_against_the_previous_run(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.95, 0.88)
        args = ("gate", "wf", "exp", "--min-score", "0.8")
        assert run_cli(capsys, *args)[0] == 0
        code, out, _ = run_cli(capsys, *args, "--max-drop", "0.05")
        assert code == 8 and "dropped 0.07, more than 0.05" in out
        assert run_cli(capsys, *args, "--max-drop", "0.1")[0] == 0

    def test_previous_is_the_parent_run_when_set(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.7, 0.99)
        server.add_runs(
            "wf", "exp", [sample_run("r3", created_at=at(3), score=0.72, parent_run_id="r1")]
        )
        code, out, _ = run_cli(
            capsys, "gate", "wf", "exp", "--min-score", "0.7", "--max-drop", "0.1"
        )
        assert code == 0 and "previous r1 0.7" in out

    def test_a_run_without_a_score_fails_with_the_reason(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.9, None)
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.5")
        assert code == 8 and "run r2 has no score" in out

    def test_named_run_that_is_not_completed_fails(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.9)
        server.add_runs("wf", "exp", [sample_run("r5", created_at=at(5), status="error")])
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.5", "--run", "r5")
        assert code == 8 and "run r5 is error, not completed" in out

    def test_markdown_summary_goes_to_stdout_and_the_step_summary(
        self,
        server: FakeRetabServer,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        history(server, 0.8, 0.9)
        summary = tmp_path / "summary.md"
        summary.write_text("earlier step\n")
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        code, out, _ = run_cli(
            capsys, "gate", "wf", "exp", "--min-score", "0.85", "--format", "markdown"
        )
        assert code == 0
        assert "| run | status | score | previous | delta | verdict |" in out
        assert "| `r2` | `completed` | 0.9 | `r1` (0.8) | +0.1 | ✅ pass |" in out
        written = summary.read_text()
        assert written.startswith("earlier step\n") and out in written

    @pytest.mark.parametrize("kind", ["fifo", "directory", "missing folder"])
    def test_a_step_summary_that_is_not_a_file_warns_and_keeps_the_verdict(
        self,
        server: FakeRetabServer,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        kind: str,
    ) -> None:
        """A FIFO with no reader, a directory, a missing folder: never a hang, never exit 1."""
        history(server, 0.8, 0.9)
        target = tmp_path / "summary"
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "directory":
            target.mkdir()
        else:
            target = tmp_path / "no" / "summary.md"
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
        started = time.monotonic()
        code, out, err = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")
        assert code == 0 and out.startswith("PASS")
        assert "GITHUB_STEP_SUMMARY" in err and "not written" in err
        assert time.monotonic() - started < 5

    def test_wait_then_judge(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.8, 0.9)
        start_run(server, {"status": "running"}, {"status": "completed", "score": 0.91})
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.9", "--wait")
        assert code == 0
        assert "PASS: run r9 score 0.91, previous r2 0.9" in out

    def test_the_documented_wait_and_max_drop_gate_needs_no_minimum(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`gate WF EXP --wait --max-drop 0.03`, as the docs show it: the drop alone is judged."""
        history(server, 0.8, 0.9)
        start_run(server, {"status": "running"}, {"status": "completed", "score": 0.88})
        code, out, err = run_cli(capsys, "gate", "wf", "exp", "--wait", "--max-drop", "0.03")
        assert (code, err) == (0, "")
        assert "PASS: run r9 score 0.88, previous r2 0.9 (delta -0.02)" in out
        assert "dropped no more than 0.03" in out and "minimum" not in out
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--max-drop", "0.01")
        assert code == 8 and "dropped 0.02, more than 0.01" in out

    def test_a_max_drop_gate_passes_the_first_run_saying_there_was_none_before(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.4)
        code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--max-drop", "0.03")
        assert code == 0 and "no previous completed run to compare with" in out
        code, out, _ = run_cli(
            capsys, "gate", "wf", "exp", "--max-drop", "0.03", "--format", "markdown"
        )
        assert code == 0 and "(maximum drop 0.03)" in out

    def test_a_gate_with_neither_rule_is_a_usage_error(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.9)
        code, out, err = run_cli(capsys, "gate", "wf", "exp")
        assert (code, out) == (2, "")
        assert err == (
            "retab-runs: error: gate needs --min-score, --max-drop, --max-document-drop "
            "or more of them\n"
        )

    def test_wait_on_a_failing_run_exits_6_and_a_timeout_7(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        start_run(server, {"status": "error"})
        assert run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.5", "--wait")[0] == 6
        server.progress_run("wf", "slow", sample_run("s1", status="running"), [])
        code, _, _ = run_cli(
            capsys, "gate", "wf", "slow", "--min-score", "0.5", "--wait", "--wait-timeout", "3"
        )
        assert code == 7


class TestListFilters:
    def test_status_limit_and_since_filter_client_side(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.7, 0.8, 0.9)
        server.add_runs("wf", "exp", [sample_run("e1", created_at=at(4), status="error")])

        def ids(*options: str) -> list[str]:
            out = run_cli(capsys, "list", "wf", "exp", "--format", "json", *options)[1]
            return [run["id"] for run in json.loads(out)["runs"]]

        assert ids("--status", "completed") == ["r3", "r2", "r1"]
        assert ids("--status", "error", "--status", "completed", "--limit", "2") == ["e1", "r3"]
        assert ids("--since", "2026-05-02T09:02:00Z") == ["e1", "r3", "r2"]
        assert ids("--since", "2026-05-03") == []
        assert server.requests[0].query == {}  # nothing filtered server-side

    def test_table_fits_80_columns_with_long_ids_shortened(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        long_id = "exprun_" + "x" * 90
        server.add_runs("wf", "exp", [sample_run(long_id)])
        _, table, _ = run_cli(capsys, "list", "wf", "exp")
        assert all(len(line) <= 80 for line in table.splitlines())
        assert "…" in table
        _, as_json, _ = run_cli(capsys, "list", "wf", "exp", "--format", "json")
        assert json.loads(as_json)["runs"][0]["id"] == long_id

    def test_score_trend_only_on_a_terminal(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history(server, 0.5, 1.0, 0.75)
        _, piped, _ = run_cli(capsys, "list", "wf", "exp")
        assert "score trend" not in piped
        env = {**os.environ, "RETAB_API_KEY": server.api_key, "RETAB_API_BASE_URL": server.url}
        code, out = run_in_terminal([sys.executable, "-m", "retab_runs", "list", "wf", "exp"], env)
        assert code == 0
        assert "score trend (3 completed, oldest to newest): ▁█▅  min 0.50  max 1.00" in out


class TestConfigurationMessages:
    def test_plain_http_is_refused_with_exit_3_naming_the_flag(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", "sk-x")
        code, _, err = run_cli(capsys, "list", "wf", "exp", "--base-url", "http://127.0.0.2:9")
        assert code == 3 and "--allow-insecure-http" in err and "RETAB_API_BASE_URL" in err

    def test_allow_insecure_http_reaches_the_server(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", "sk-x")
        # 127.0.0.2 is this machine but not a name the client trusts for plain http;
        # nothing listens there, so getting as far as a refused connection shows
        # the flag let the request go.
        code, _, err = run_cli(
            capsys, "list", "wf", "exp", "--base-url", "http://127.0.0.2:9",
            "--allow-insecure-http", "--timeout", "2",
        )  # fmt: skip
        assert code == 5 and "Connection refused by 127.0.0.2:9." in err

    def test_a_key_with_bad_characters_exits_3_naming_the_variable(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", "sk-with a space")
        code, out, err = run_cli(capsys, "list", "wf", "exp")
        assert code == 3 and "RETAB_API_KEY" in err and "sk-with a space" not in out + err

    def test_not_found_names_the_ids_and_the_request_id(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "list", "wf_x", "exp_y")
        assert code == 4
        assert "workflow 'wf_x' / experiment 'exp_y'" in err and "request id req_fake_" in err


def test_the_gate_says_when_the_runs_it_compares_are_not_comparable(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    history(server, 0.8)
    server.add_runs(
        "wf", "exp",
        [sample_run("r2", created_at=at(2), score=0.9, documents_fingerprint="new_docs")],
    )  # fmt: skip
    code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")
    assert code == 0
    assert "(delta +0.1; not comparable: documents_fingerprint changed)" in out


def test_a_lone_timeout_on_wait_keeps_its_old_meaning_with_a_warning(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str], sleeps: list[float]
) -> None:
    start_run(server, {"status": "running"})
    code, _, err = run_cli(capsys, "wait", "wf", "exp", "--timeout", "6", "--interval", "2")
    assert code == 7 and "still running after 6 s" in err
    assert "warning: --timeout here means the whole wait" in err and "--wait-timeout" in err


def test_timeout_and_wait_timeout_together_mean_per_attempt_and_whole_wait(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str], sleeps: list[float]
) -> None:
    start_run(server, {"status": "running"})
    argv = ["wait", "wf", "exp", "--timeout", "1", "--wait-timeout", "4", "--interval", "2"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 7 and "after 4 s" in err and "warning" not in err


def test_a_mistyped_gate_run_exits_4_naming_it(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    history(server, 0.9)
    code, out, err = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.5", "--run", "r1x")
    assert (code, out) == (4, "")
    assert "not found: run r1x is not in the listing of wf / exp" in err


def test_without_wait_the_gate_names_newer_runs_still_in_flight(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    history(server, 0.8, 0.9)
    server.add_runs("wf", "exp", [sample_run("r3", created_at=at(3), status="running")])
    code, out, _ = run_cli(capsys, "gate", "wf", "exp", "--min-score", "0.85")
    assert code == 0 and out.startswith("PASS: run r2 score 0.9")
    assert "[newer, still in flight and not judged: r3 running; --wait judges them]" in out


def test_the_markdown_summary_carries_the_whole_verdict(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    long_id = "r_" + "x" * 50
    server.add_runs(
        "wf", "exp",
        [sample_run("r1", created_at=at(1), score=0.9),
         sample_run(long_id, created_at=at(2), score=0.7, parent_run_id="r1")],
    )  # fmt: skip
    code, out, _ = run_cli(
        capsys, "gate", "wf", "exp", "--min-score", "0.75", "--max-drop", "0.1",
        "--format", "markdown",
    )  # fmt: skip
    assert code == 8
    last = out.strip().splitlines()[-1]
    assert last.endswith("below the minimum 0.75` (minimum score 0.75, maximum drop 0.1)")
    assert long_id in last


@pytest.mark.parametrize(
    ("argv", "env", "said", "unsaid"),
    [
        (["--base-url", "127.0.0.1:8080"], {"RETAB_API_KEY": "sk-x"},
         "did you mean --base-url http://127.0.0.1:8080", "allow-insecure"),
        (["--base-url", "http://10.0.0.1"], {"RETAB_API_KEY": "sk-x"},
         "pass --allow-insecure-http", "allow_insecure_http"),
        ([], {}, "set the RETAB_API_KEY environment variable", "api_key=..."),
    ],
)  # fmt: skip
def test_configuration_hints_speak_in_command_line_words(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    said: str,
    unsaid: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run_cli(capsys, "list", "wf", "exp", *argv)
    assert code == 3 and said in err and unsaid not in err
