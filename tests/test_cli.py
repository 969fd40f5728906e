"""The retab-runs command: formats, exit codes, no tracebacks, no secrets."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from typing import Any

import pytest

from retab_runs import cli
from retab_runs.testing import FakeRetabServer, sample_run


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    with FakeRetabServer(sample=True) as server:
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        yield server


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestList:
    def test_table_is_aligned_and_readable(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "list", "wf_demo", "exp_invoices")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0].split() == [
            "ID", "STATUS", "SCORE", "DOCS", "ERRORS", "CREATED", "DURATION"
        ]  # fmt: skip
        assert len(lines) == 9
        assert lines[1].split()[:3] == ["exprun_inv_08", "pending", "-"]
        assert "0.93" in lines[3] and "6m42s" in lines[3]
        status_column = lines[0].index("STATUS")
        assert all(line[status_column - 2 : status_column] == "  " for line in lines)

    def test_json_round_trips_every_field_including_unknown_ones(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", status="queued", total_document_count=7)])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--format", "json")
        assert code == 0
        (run,) = json.loads(out)["runs"]
        assert run["status"] == "queued" and run["total_document_count"] == 7
        expected = server.runs("w", "e")[0]
        for key in ("created_at", "completed_at"):
            run.pop(key), expected.pop(key)
        assert run == expected

    def test_csv_has_one_row_per_run_and_extra_columns(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1"), sample_run("r2", extra_field="x")])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert code == 0 and len(rows) == 2
        assert rows[0]["id"] in {"r1", "r2"}
        assert json.loads(rows[0]["block_config"])["model"] == "gpt-5"
        assert "extra_field" in rows[0]

    def test_empty_experiment(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_experiment("w", "empty")
        code, out, _ = run_cli(capsys, "list", "w", "empty")
        assert code == 0 and "(no runs)" in out


class TestExitCodes:
    def test_missing_credentials_is_3(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(capsys, "list", "w", "e")
        assert code == cli.EXIT_CONFIG == 3
        assert out == "" and "RETAB_API_KEY" in err and len(err.splitlines()) == 1

    def test_bad_key_is_3_and_never_printed(
        self, server: FakeRetabServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:  # fmt: skip
        monkeypatch.setenv("RETAB_API_KEY", "sk-cli-wrong-SECRET")
        code, out, err = run_cli(capsys, "list", "wf_demo", "exp_invoices")
        assert code == 3
        assert "sk-cli-wrong-SECRET" not in out + err

    def test_not_found_is_4(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "list", "wf_demo", "nope")
        assert code == cli.EXIT_NOT_FOUND == 4
        assert err.startswith("retab-runs: error:") and "Experiment not found" in err

    def test_other_api_errors_are_5_with_request_id(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], sleeps: list[float]
    ) -> None:
        server.fail_next(3, status=500)
        code, _, err = run_cli(capsys, "list", "wf_demo", "exp_invoices", "--timeout", "5")
        assert code == cli.EXIT_API == 5
        assert "request id req_fake_" in err

    def test_bad_id_is_a_usage_error(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run_cli(capsys, "list", "..", "exp")
        assert code == cli.EXIT_USAGE == 2
        assert "workflow_id" in err
        assert server.requests == []

    def test_unknown_format_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as info:
            cli.main(["list", "w", "e", "--format", "xml"])
        assert info.value.code == 2

    def test_api_key_option_warns_and_is_not_echoed(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run_cli(
            capsys, "list", "wf_demo", "exp_invoices", "--api-key", server.api_key
        )
        assert code == 0
        assert "warning" in err and "shell history" in err
        assert server.api_key not in out + err


def test_demo_prints_sample_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "demo")
    assert code == 0
    assert "exprun_inv_08" in out and "exprun_ctr_01" in out
    assert "Fake Retab server at http://127.0.0.1:" in out


def test_module_entry_point_runs_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "retab_runs", "list", "w", "e"],
        capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "RETAB_API_BASE_URL": "http://127.0.0.1:9"},
    )  # fmt: skip
    assert result.returncode == 3
    assert "Traceback" not in result.stderr


def test_importing_the_package_does_not_import_the_cli_or_server() -> None:
    code = (
        "import sys, retab_runs; "
        "print(sorted(m for m in ('retab_runs.cli', 'retab_runs.testing', 'argparse', 'csv',"
        " 'http.server') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


class TestServerTextIsSafeToPrint:
    HOSTILE = "\x1b[2J\x1b]0;pwned\x07evil\r\nFAKE-ROW  completed  1.00\u202eoops"

    def test_table_escapes_control_escape_and_bidi_characters(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", status=self.HOSTILE)])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--columns", "id,status")
        assert code == 0
        assert "\x1b" not in out and "\r" not in out and "\u202e" not in out and "\x07" not in out
        assert len(out.splitlines()) == 2  # header and one row: no forged row
        assert "\\u001b[2J" in out

    @pytest.mark.parametrize(
        ("char", "shown"),
        [
            ("\x9b", "\\u009b"),  # C1 CSI: an escape sequence on its own on some terminals
            ("\x85", "\\u0085"),  # C1 NEL: a line break
            ("\u2028", "\\u2028"),  # LINE SEPARATOR
            ("\u2029", "\\u2029"),  # PARAGRAPH SEPARATOR
            ("\u2066", "\\u2066"),  # LEFT-TO-RIGHT ISOLATE
            ("\ufeff", "\\ufeff"),  # ZERO WIDTH NO-BREAK SPACE
            ("\x7f", "\\u007f"),  # DEL
        ],
        ids=repr,
    )
    def test_every_character_that_moves_or_hides_text_is_shown_escaped(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], char: str, shown: str
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", status=f"a{char}31mb")])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--columns", "id,status")
        assert code == 0
        assert char not in out and f"a{shown}31mb" in out

    def test_error_detail_and_request_id_stay_on_one_escaped_line(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.fail_next(
            status=400,
            body={"detail": "bad\nretab-runs: error: forged\x1b[31m" + "x" * 20_000},
            headers={"x-request-id": "req\x1b]0;t\x07"},
        )
        code, out, err = run_cli(capsys, "list", "wf_demo", "exp_invoices")
        assert code == 5 and out == ""
        assert len(err.splitlines()) == 1 and "\x1b" not in err and "\x07" not in err
        assert len(err) < 600

    def test_csv_cells_that_spreadsheets_would_run_are_neutralized(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        formulas = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]
        server.add_runs("w", "e", [sample_run(f"r{n}", job_id=f) for n, f in enumerate(formulas)])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--format", "csv")
        jobs = {row["job_id"] for row in csv.DictReader(io.StringIO(out))}
        assert code == 0 and jobs == {"'" + f for f in formulas}
        _, raw, _ = run_cli(capsys, "list", "w", "e", "--format", "csv", "--raw-csv")
        assert {row["job_id"] for row in csv.DictReader(io.StringIO(raw))} == set(formulas)

    @pytest.mark.parametrize(
        "hostile",
        ["\r=2+2", "\n=2+2", "x\r\n=2+2", "\t=1", "\r", "ok\r@SUM(A1)", "-1\n+1"],
        ids=repr,
    )
    def test_no_csv_reader_sees_a_cell_start_a_formula(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], hostile: str
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", job_id=hostile, extra=hostile)])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--format", "csv")
        assert code == 0
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert len(rows) == 2  # the header and the run: no line break starts a row
        starts = ("=", "+", "-", "@", "\t", "\r")
        assert not [cell for row in rows for cell in row if cell.startswith(starts)]
        (row,) = csv.DictReader(io.StringIO(out, newline=""))
        escaped = json.dumps(hostile)[1:-1]  # line breaks and tabs shown as \r, \n, \t
        assert row["job_id"] == ("'" + escaped if escaped[0] in "=+-@" else escaped)
        assert row["extra"] == row["job_id"]
        _, raw, _ = run_cli(capsys, "list", "w", "e", "--format", "csv", "--raw-csv")
        (row,) = csv.DictReader(io.StringIO(raw, newline=""))  # quoted: still one row
        assert row["job_id"] == row["extra"] == hostile

    def test_csv_header_and_cells_carry_no_formula_nor_control_character(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Unknown members named like formulas or holding ESC, BEL, U+202E: the header row
        names them `["..."]` (JSON-escaped), their cells are escaped; --raw-csv keeps both."""
        names = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "\x1b]0;t\x07", "a\u202eb"]
        values = {name: "\x1b[2J=1\u202e" for name in names}
        server.add_runs("w", "e", [sample_run("r1", job_id="@SUM(A1)\x07", **values)])
        code, out, _ = run_cli(capsys, "list", "w", "e", "--format", "csv")
        assert code == 0
        assert not {"\x1b", "\x07", "\u202e"} & set(out)
        header, row = csv.reader(io.StringIO(out, newline=""))
        assert not [cell for cell in header + row if cell.startswith(("=", "+", "-", "@"))]
        unknown = dict(zip(header, row, strict=True))
        assert {name: unknown[f"[{json.dumps(name)}]"] for name in names} == dict.fromkeys(
            names, "\\u001b[2J=1\\u202e"
        )
        assert unknown["job_id"] == "'@SUM(A1)\\u0007"
        _, raw, _ = run_cli(capsys, "list", "w", "e", "--format", "csv", "--raw-csv")
        (as_sent,) = csv.DictReader(io.StringIO(raw, newline=""))
        assert {name: as_sent[name] for name in names} == values

    def test_csv_takes_the_chosen_columns_in_their_order(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", extra_field="x")])
        argv = ["list", "w", "e", "--format", "csv", "--columns", "score,id,extra_field"]
        code, out, _ = run_cli(capsys, *argv)
        assert code == 0
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert rows[0] == ["score", "id", "extra_field"]
        assert rows[1][1:] == ["r1", "x"]

    @pytest.mark.parametrize("fmt", ["table", "csv", "json"])
    def test_an_unknown_column_is_a_usage_error_naming_the_columns(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str], fmt: str
    ) -> None:
        code, out, err = run_cli(
            capsys, "list", "wf_demo", "exp_invoices", "--format", fmt, "--columns", "id,scor"
        )
        assert (code, out) == (2, "")
        assert "'scor'" in err and "score" in err and len(err.splitlines()) == 1

    def test_extreme_valid_dates_print(
        self, server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        server.add_runs("w", "e", [sample_run("r1", created_at=None) | {
            "created_at": "9999-12-31T23:59:59-14:00", "completed_at": "0001-01-01T00:00:00+14:00"
        }])  # fmt: skip
        code, out, err = run_cli(
            capsys, "list", "w", "e", "--columns", "id,created_at,completed_at"
        )
        assert (code, err) == (0, "") and "9999-12-31" in out


def test_serve_keeps_a_fake_server_running_until_interrupted() -> None:
    import signal

    from retab_runs import Retab

    process = subprocess.Popen(
        [sys.executable, "-m", "retab_runs", "serve", "--port", "0", "--sample"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        exports = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in lines
            if "export " in line
        )
        assert set(exports) == {"RETAB_API_KEY", "RETAB_API_BASE_URL"}
        with Retab(exports["RETAB_API_KEY"], base_url=exports["RETAB_API_BASE_URL"]) as client:
            runs = client.list_runs("wf_demo", "exp_invoices")
        assert [run.id for run in runs][:1] == ["exprun_inv_08"]
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
    assert code == 0 and "Traceback" not in (process.stderr.read() if process.stderr else "")
