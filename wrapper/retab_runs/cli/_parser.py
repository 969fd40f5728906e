"""The `retab-runs` command line's grammar: its commands, their arguments and checks."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence

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


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's wrapping for descriptions and option help (at spaces only), with the
    examples that end each command's help kept line by line as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(_EXAMPLES):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


_EXAMPLES = "examples:\n"

# Each command: its one-line summary (in `retab-runs --help`), what it does
# (its own --help), and examples.
_COMMANDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "list": (
        "list an experiment's runs (WORKFLOW EXPERIMENT), or runs across them (--all)",
        "List one experiment's runs, newest first, or with --all the runs across "
        "experiments, filtered by the server (every page followed). A table fitted to 80 "
        "columns (on a terminal, followed by the score trend), or every field as json or csv.",
        (
            "retab-runs list wf_demo exp_invoices --status completed --limit 5",
            "retab-runs list wf_demo exp_invoices --format csv --columns id,score,job_id",
            "retab-runs list --all --status running --format json",
        ),
    ),
    "get": (
        "show one run",
        "Show one run of the runs resource: its status, score, documents and times.",
        ("retab-runs get exprun_inv_06", "retab-runs get exprun_inv_06 --format json"),
    ),
    "compare": (
        "compare two runs: score, counts, duration (B minus A), the documents that dropped most",
        "Compare two runs: both scores and the differences B minus A (score, document and "
        "error counts, duration), whether their fingerprints (definition, documents) "
        "match, that is whether their scores compare at all, then each document's score in "
        "both, worst drop first.",
        (
            "retab-runs compare exprun_inv_04 exprun_inv_06",
            "retab-runs compare exprun_inv_04 exprun_inv_06 --documents 3",
        ),
    ),
    "start": (
        "start a run of an experiment (with --wait, exit 0 completed, 6, 7, 8)",
        "Start a run of an experiment (sent once: its retries carry one Idempotency-Key). "
        "With --wait, wait for it to end: exit 0 when it completed, 6 when it failed or was "
        "cancelled, 7 when --wait-timeout passed; with the gate's rules (--min-score, "
        "--max-drop, --max-document-drop) too, judged as gate does (exit 8 when it fails).",
        (
            "retab-runs start exp_invoices --workflow wf_demo",
            "retab-runs start exp_invoices --wait --wait-timeout 900 --min-score 0.85",
            "retab-runs start exp_invoices --wait --max-document-drop 0.2 --format markdown",
        ),
    ),
    "cancel": (
        "cancel a run",
        "Cancel a run; cancelling one that has already ended does no harm.",
        ("retab-runs cancel exprun_inv_07",),
    ),
    "wait": (
        "wait until a run ends (exit 0 completed, 6, 7)",
        "Wait until a run ends, a line per change (redrawn in place on a terminal): the "
        "experiment's newest run, or --run. Exit 0 when it completed, 6 when it failed or "
        "was cancelled, 7 when --wait-timeout passed.",
        (
            "retab-runs wait wf_demo exp_invoices",
            "retab-runs wait wf_demo exp_invoices --run exprun_inv_07 --wait-timeout 600",
        ),
    ),
    "gate": (
        "pass (0) or fail (8) on a run's score",
        "Pass (exit 0) or fail (exit 8) on a run's score: the newest completed run, or "
        "--run. --min-score X fails below X; --max-drop D fails when the score is more than "
        "D below the previous completed run; --max-document-drop D fails when any document "
        "dropped more than D, naming the worst; give any of them. A newest run that ended in "
        "error or was cancelled fails (exit 6) unless --judge-last-completed. With --wait, "
        "the newest run is waited for and judged (exit 6 if it failed, 7 on timeout). The "
        "summary goes to $GITHUB_STEP_SUMMARY on every outcome.",
        (
            "retab-runs gate wf_demo exp_invoices --min-score 0.85 --max-drop 0.03",
            "retab-runs gate wf_demo exp_invoices --min-score 0.8 --max-document-drop 0.3",
            "retab-runs gate wf_demo exp_invoices --wait --max-drop 0.03 --format markdown",
        ),
    ),
    "demo": (
        "sample runs from a built-in fake Retab server",
        "Start a built-in fake Retab server holding sample runs, start a run and wait for "
        "it, then print the sample experiments' runs: what the other commands show, with "
        "nothing to set up and no key.",
        ("retab-runs demo", "retab-runs demo --format csv --columns id,status,score"),
    ),
    "report": (
        "write one self-contained HTML file: the score chart and the runs table",
        "Write one self-contained HTML file (no script, nothing fetched): the experiment's "
        "scores over time, fingerprint changes marked, and its runs table.",
        ("retab-runs report wf_demo exp_invoices -o report.html",),
    ),
    "serve": (
        "keep a fake Retab server running on 127.0.0.1, to try things by hand",
        "Run a fake Retab server on 127.0.0.1 until Ctrl-C, and print the two exports that "
        "point the other commands (and your own code) at it.",
        ("retab-runs serve --sample", "retab-runs serve --port 0"),
    ),
    "experiments": (
        "a workflow's experiments (list WORKFLOW) or one experiment (get EXPERIMENT)",
        "List a workflow's experiments (list WORKFLOW), or show one experiment with every "
        "field the API sends for it (get EXPERIMENT).",
        (
            "retab-runs experiments list wf_demo",
            "retab-runs experiments get exp_invoices --format json",
        ),
    ),
    "results": (
        "a run's documents: score, the previous run's, and the change, worst first",
        "One row per document of the run: its status, its score, the score of the previous "
        "completed run and the change, worst drop first.",
        ("retab-runs results exprun_inv_06 --limit 10",),
    ),
}

_WORKFLOW = "the workflow's id (wf_...)"
_EXPERIMENT = "the experiment's id (exp_...)"


def _ids(sub: argparse.ArgumentParser, optional: bool = False) -> None:
    """WORKFLOW EXPERIMENT, the two ids that name an experiment."""
    extra = "; none with --all" if optional else ""
    nargs = "?" if optional else None
    sub.add_argument("workflow_id", metavar="WORKFLOW", nargs=nargs, help=_WORKFLOW + extra)
    sub.add_argument("experiment_id", metavar="EXPERIMENT", nargs=nargs, help=_EXPERIMENT + extra)


def _listing_output(sub: argparse.ArgumentParser, across: bool) -> None:
    """--format, --columns, --raw-csv: how `list` and `demo` print runs."""
    sub.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table (the default), json (every field, nested) or csv (a row per run)",
    )
    # Names joined with ", ": argparse wraps help at spaces only.
    columns = (
        "the columns of the table and the csv: field names, comma-separated, dotted into "
        f"nested objects (default: {', '.join(TABLE_COLUMNS)}; any of: {', '.join(FIELDS)}, "
        "or a field the spec does not name"
    )
    if across:
        columns += f"; with --all, a run's: default {', '.join(RUN_COLUMNS)}, or any field"
    sub.add_argument("--columns", type=_columns, default=None, metavar="NAMES", help=columns + ")")
    sub.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV cells as sent, without guarding against spreadsheet formulas",
    )


def _experiment_commands(
    experiments: argparse.ArgumentParser, results: argparse.ArgumentParser
) -> None:
    """`experiments list|get ID` and `results RUN`: the experiments namespace."""
    experiments.add_argument(
        "action",
        choices=["list", "get"],
        metavar="{list,get}",
        help="list: a workflow's experiments; get: one experiment",
    )
    experiments.add_argument("target", metavar="ID", help="the workflow (list) or experiment (get)")
    results.add_argument("run_id", metavar="RUN", help="the run (exprun_...)")
    for sub in (experiments, results):
        _connection(sub)
        sub.add_argument(
            "--format",
            choices=["table", "json", "csv"],
            default="table",
            help="table (the default), json (every field, nested) or csv (a row each)",
        )
        sub.add_argument("--limit", type=_count, help="only the first N rows")
        sub.add_argument(
            "--timeout", type=_positive, default=None, help="seconds per request attempt"
        )


def _gate_options(gate: argparse.ArgumentParser, start: argparse.ArgumentParser) -> None:
    """The gate's rules, which `start --wait` takes too."""
    for sub in (gate, start):
        sub.add_argument(
            "--max-drop", type=_score, help="fail when the score is this far below the previous run"
        )
        sub.add_argument(
            "--max-document-drop",
            type=_score,
            help="fail (8) when any document's score is this far below the previous run's, "
            "naming the worst",
        )
        sub.add_argument(
            "--format",
            choices=["text", "markdown"],
            default="text",
            help="text: the one-line verdict and the worst documents (the default); markdown: "
            "a summary table, as appended to $GITHUB_STEP_SUMMARY when it is set",
        )
    gate.add_argument(
        "--judge-last-completed",
        action="store_true",
        help="judge the newest completed run even when a newer one ended in error or was "
        "cancelled (by default that fails the gate, exit 6)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retab-runs",
        description="List, start, wait for, gate on and cancel the runs of Retab experiments.",
        epilog=f"Credentials: {API_KEY_ENV} (and {BASE_URL_ENV}) from the environment. "
        "Exit codes: 0 ok, 2 usage, 3 credentials/configuration, 4 not found, "
        "5 API error, 6 run failed, 7 wait timed out, 8 gate failed. "
        "'retab-runs COMMAND --help' describes a command, with examples.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"retab-runs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subs = {
        name: commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=_EXAMPLES + "".join(f"  {line}\n" for line in examples),
            formatter_class=_HelpFormatter,
        )
        for name, (summary, description, examples) in _COMMANDS.items()
    }
    listing, get, compare, start, cancel = (
        subs[n] for n in ("list", "get", "compare", "start", "cancel")
    )
    wait, gate, demo, report, serve = (subs[n] for n in ("wait", "gate", "demo", "report", "serve"))

    _ids(report)
    report.add_argument("-o", "--output", required=True, help="the HTML file to write")
    _experiment_commands(subs["experiments"], subs["results"])
    serve.add_argument("--port", type=int, default=8765, help="default 8765 (0: any free port)")
    serve.add_argument(
        "--sample", action="store_true", help="seed the sample runs (wf_demo / exp_invoices, ...)"
    )

    _ids(listing, optional=True)
    for sub in (wait, gate):
        _ids(sub)
    for sub, what in ((get, "show"), (cancel, "cancel")):
        sub.add_argument("run_id", metavar="RUN", help=f"the id of the run to {what} (exprun_...)")
    compare.add_argument("run_a", metavar="RUN_A", help="the run compared from (exprun_...)")
    compare.add_argument("run_b", metavar="RUN_B", help="the run compared to: deltas are B - A")
    compare.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table (the default; the worst documents), json (every figure of the comparison, "
        "every document) or csv (every document)",
    )
    compare.add_argument(
        "--documents",
        type=_count,
        default=10,
        metavar="N",
        help="the table shows the N worst documents (default 10)",
    )
    start.add_argument("experiment_id", metavar="EXPERIMENT", help=_EXPERIMENT + " to run")
    for sub in (listing, get, compare, report, start, cancel, wait, gate):
        _connection(sub)
    _listing_output(listing, across=True)
    _listing_output(demo, across=False)
    get.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="table (the default) or json (every field, nested)",
    )
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
    gate.add_argument("--wait", action="store_true", help="wait for the run to end first")
    _gate_options(gate, start)
    return parser
