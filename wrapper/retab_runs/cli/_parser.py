"""The `retab-runs` command line's grammar: its commands, their arguments and checks."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from typing import Any

from _retab_runs_runtime import Model

from .._constants import API_KEY_ENV, BASE_URL_ENV, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from .._version import __version__
from ._output import FIELDS, RUN_COLUMNS, TABLE_COLUMNS, clean, unknown_columns

__all__ = ["Usage", "build_parser", "check_columns", "settle_timeouts"]


class Usage(Exception):
    """A command-line mistake found after parsing (exit 2)."""


def settle_timeouts(args: argparse.Namespace) -> None:
    """`--timeout` is per attempt, `--wait-timeout` the whole wait. For one release a
    lone `--timeout` on wait/gate/start keeps its old meaning (the whole wait), with a warning."""
    if not hasattr(args, "wait_timeout"):
        return
    if args.wait_timeout is None and args.timeout is not None:
        print(
            "retab-runs: warning: --timeout here means the whole wait for one more release; "
            "use --wait-timeout for the wait (and --timeout for each request)",
            file=sys.stderr,
        )
        args.wait_timeout, args.timeout = args.timeout, None
    if args.wait_timeout is None:
        args.wait_timeout = DEFAULT_WAIT_TIMEOUT


def check_columns(
    columns: Sequence[str] | None, fields: Sequence[str], runs: Sequence[Model]
) -> None:
    """A usage error (exit 2) for a `--columns` name that is no field, naming the valid ones."""
    bad = unknown_columns(columns or (), fields, runs)
    if bad:
        raise Usage(
            f"unknown column {clean(repr(bad[0]), 60)}; the columns are {', '.join(fields)}"
        )


def _columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected comma-separated field names")
    return names


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _positive(text: str) -> float:
    if not (0 < (value := _number(text)) < float("inf")):
        raise argparse.ArgumentTypeError(f"must be a positive, finite number: {text!r}")
    return value


def _score(text: str) -> float:
    if not (0 <= (value := _number(text)) <= 1):
        raise argparse.ArgumentTypeError(f"scores run from 0 to 1: {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _since(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or ISO date-time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _connection(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--base-url", help=f"default: {BASE_URL_ENV}, else api.retab.com")
    sub.add_argument(
        "--api-key", help=f"discouraged: it lands in shell history; prefer {API_KEY_ENV}"
    )
    sub.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain-http base URL to a host other than this machine",
    )


def _waiting(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--wait-timeout",
        type=_positive,
        default=None,
        help=f"seconds to wait for {what} in all (default {DEFAULT_WAIT_TIMEOUT:g})",
    )
    sub.add_argument(
        "--interval",
        type=_positive,
        default=DEFAULT_POLL_INTERVAL,
        help=f"seconds between polls (default {DEFAULT_POLL_INTERVAL:g})",
    )


def _experiment_commands(commands: Any) -> None:
    """`experiments list|get ID` and `results RUN`: the experiments namespace."""
    experiments = commands.add_parser(
        "experiments",
        help="a workflow's experiments (list WORKFLOW) or one experiment (get EXPERIMENT)",
        description="List a workflow's experiments, or show one.",
        epilog="examples: retab-runs experiments list wf_demo; "
        "retab-runs experiments get exp_invoices --format json",
    )
    experiments.add_argument("action", choices=["list", "get"], help="list or get")
    experiments.add_argument("target", metavar="ID", help="the workflow (list) or experiment (get)")
    results = commands.add_parser(
        "results",
        help="a run's documents: score, the previous run's, and the change, worst first",
        description="One row per document of the run: its status, its score, the score of "
        "the previous completed run and the change, worst drop first.",
        epilog="example: retab-runs results exprun_inv_06 --limit 10",
    )
    results.add_argument("run_id", metavar="RUN", help="the run")
    for sub in (experiments, results):
        _connection(sub)
        sub.add_argument("--format", choices=["table", "json", "csv"], default="table")
        sub.add_argument("--limit", type=_count, help="only the first N rows")
        sub.add_argument(
            "--timeout", type=_positive, default=None, help="seconds per request attempt"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retab-runs",
        description="List, start, wait for, gate on and cancel the runs of Retab experiments.",
        epilog=f"Credentials: {API_KEY_ENV} (and {BASE_URL_ENV}) from the environment. "
        "Exit codes: 0 ok, 2 usage, 3 credentials/configuration, 4 not found, "
        "5 API error, 6 run failed, 7 wait timed out, 8 gate failed.",
    )
    parser.add_argument("--version", action="version", version=f"retab-runs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser(
        "list",
        help="list an experiment's runs (WORKFLOW EXPERIMENT), or runs across them (--all)",
    )
    get = commands.add_parser("get", help="show one run")
    compare = commands.add_parser(
        "compare", help="compare two runs: score, fingerprints, counts, duration (B minus A)"
    )
    start = commands.add_parser(
        "start", help="start a run of an experiment (with --wait, exit 0 completed, 6, 7, 8)"
    )
    cancel = commands.add_parser("cancel", help="cancel a run")
    wait = commands.add_parser("wait", help="wait until a run ends (exit 0 completed, 6, 7)")
    gate = commands.add_parser("gate", help="pass (0) or fail (8) on a run's score")
    demo = commands.add_parser("demo", help="sample runs from a built-in fake Retab server")
    report = commands.add_parser(
        "report", help="write one self-contained HTML file: the score chart and the runs table"
    )
    report.add_argument("workflow_id")
    report.add_argument("experiment_id")
    report.add_argument("-o", "--output", required=True, help="the HTML file to write")
    serve = commands.add_parser(
        "serve", help="keep a fake Retab server running on 127.0.0.1, to try things by hand"
    )
    _experiment_commands(commands)
    serve.add_argument("--port", type=int, default=8765, help="default 8765 (0: any free port)")
    serve.add_argument(
        "--sample", action="store_true", help="seed the sample runs (wf_demo / exp_invoices, ...)"
    )

    listing.add_argument("workflow_id", nargs="?")
    listing.add_argument("experiment_id", nargs="?")
    for sub in (wait, gate):
        sub.add_argument("workflow_id")
        sub.add_argument("experiment_id")
    for sub in (get, cancel):
        sub.add_argument("run_id")
    compare.add_argument("run_a", metavar="RUN_A")
    compare.add_argument("run_b", metavar="RUN_B")
    compare.add_argument("--format", choices=["table", "json"], default="table")
    start.add_argument("experiment_id")
    for sub in (listing, get, compare, report, start, cancel, wait, gate):
        _connection(sub)
    for sub in (listing, demo):
        sub.add_argument("--format", choices=["table", "json", "csv"], default="table")
        sub.add_argument(
            "--columns",
            type=_columns,
            default=None,
            help="table columns, comma-separated JSON field names (default: "
            f"{','.join(TABLE_COLUMNS)}; any of: {','.join(FIELDS)}, or an unknown field; "
            f"with --all: {','.join(RUN_COLUMNS)} or any field of a run, dotted)",
        )
        sub.add_argument(
            "--raw-csv",
            action="store_true",
            help="write CSV cells as sent, without guarding against spreadsheet formulas",
        )
    get.add_argument("--format", choices=["table", "json"], default="table")
    for sub in (listing, demo, get, compare, report, cancel, start, wait, gate):
        sub.add_argument(
            "--timeout", type=_positive, default=None, help="seconds per request attempt"
        )
    listing.add_argument(
        "--all",
        action="store_true",
        help="runs across experiments, filtered by the server (every page is followed)",
    )
    listing.add_argument("--workflow", help="with --all: only this workflow's runs")
    listing.add_argument("--experiment", help="with --all: only this experiment's runs")
    listing.add_argument(
        "--status",
        action="append",
        help="only runs with this status (repeatable; with --all, once, by the server)",
    )
    listing.add_argument("--limit", type=_count, help="only the N newest runs")
    listing.add_argument(
        "--since",
        type=_since,
        help="only runs created at or after this date (with --all, the server's date filter)",
    )

    start.add_argument("--workflow", help="the experiment's workflow (checked by Retab)")
    start.add_argument("--wait", action="store_true", help="wait for the run to end")
    start.add_argument("--min-score", type=_score, help="with --wait: fail (8) below this score")
    for sub, what in ((wait, "the run to end"), (gate, "the run to end"), (start, "the run")):
        _waiting(sub, what)
    wait.add_argument("--run", dest="run_id", help="the run (default: the newest run)")
    gate.add_argument(
        "--run",
        dest="run_id",
        help="the run (default: the newest completed run; with --wait, the newest run)",
    )
    gate.add_argument("--min-score", type=_score, help="the lowest passing score")
    gate.add_argument(
        "--max-drop", type=_score, help="fail when the score is this far below the previous run"
    )
    gate.add_argument("--wait", action="store_true", help="wait for the run to end first")
    gate.add_argument("--format", choices=["text", "markdown"], default="text")
    return parser
