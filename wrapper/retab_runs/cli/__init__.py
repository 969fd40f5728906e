"""The `retab-runs` command (also `python -m retab_runs`).

    retab-runs list WORKFLOW EXPERIMENT [--format table|json|csv] [--columns a,b]
                    [--status S]... [--limit N] [--since DATE] [--raw-csv]
    retab-runs wait WORKFLOW EXPERIMENT [--run ID] [--timeout S] [--interval S]
    retab-runs gate WORKFLOW EXPERIMENT --min-score X [--max-drop D] [--run ID]
                    [--wait [--timeout S]] [--format text|markdown]
    retab-runs demo [--format table|json|csv] [--columns a,b]

Credentials come from the environment (RETAB_API_KEY, RETAB_API_BASE_URL), as
for the library. Errors print one line on stderr, never a traceback, with
server text escaped, and exit with a code a script can branch on:

    0 success          2 usage             3 credentials or configuration
    4 not found        5 any other API error (connection, server, bad response)
    6 the run ended in error or was cancelled (wait, gate --wait)
    7 the wait timed out                  8 the gate failed
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from _retab_runs_generated.models import ExperimentRunSummary

from .. import _config
from .._client import Retab
from .._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CLI_MESSAGE_LIMIT,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
)
from .._json import MAX_DEPTH
from .._version import __version__
from ..errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RetabError,
    WaitTimeoutError,
)
from . import _gate
from ._output import (
    FIELDS,
    TABLE_COLUMNS,
    clean,
    field_value,
    format_csv,
    format_json,
    format_table,
    sparkline,
)
from ._output import (
    cell as _cell,
)

__all__ = ["main", "run"]

EXIT_OK, EXIT_USAGE, EXIT_CONFIG, EXIT_NOT_FOUND, EXIT_API = 0, 2, 3, 4, 5
EXIT_RUN_FAILED, EXIT_WAIT_TIMEOUT, EXIT_GATE_FAILED = 6, 7, 8
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


class _Usage(Exception):
    """A command-line mistake found after parsing (exit 2)."""


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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retab-runs",
        description="List, wait for and gate on the runs of a Retab workflow experiment.",
        epilog=f"Credentials: {API_KEY_ENV} (and {BASE_URL_ENV}) from the environment. "
        "Exit codes: 0 ok, 2 usage, 3 credentials/configuration, 4 not found, "
        "5 API error, 6 run failed, 7 wait timed out, 8 gate failed.",
    )
    parser.add_argument("--version", action="version", version=f"retab-runs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list an experiment's runs, newest first")
    wait = commands.add_parser("wait", help="wait until a run ends (exit 0 completed, 6, 7)")
    gate = commands.add_parser("gate", help="pass (0) or fail (8) on a run's score")
    demo = commands.add_parser("demo", help="sample runs from a built-in fake Retab server")

    for sub in (listing, wait, gate):
        sub.add_argument("workflow_id")
        sub.add_argument("experiment_id")
        sub.add_argument("--base-url", help=f"default: {BASE_URL_ENV}, else api.retab.com")
        sub.add_argument(
            "--api-key", help=f"discouraged: it lands in shell history; prefer {API_KEY_ENV}"
        )
        sub.add_argument(
            "--allow-insecure-http",
            action="store_true",
            help="allow a plain-http base URL to a host other than this machine",
        )
    for sub in (listing, demo):
        sub.add_argument("--format", choices=["table", "json", "csv"], default="table")
        sub.add_argument(
            "--columns",
            type=_columns,
            default=None,
            help="table columns, comma-separated JSON field names (default: "
            f"{','.join(TABLE_COLUMNS)}; any of: {','.join(FIELDS)}, or an unknown field)",
        )
        sub.add_argument(
            "--raw-csv",
            action="store_true",
            help="write CSV cells as sent, without guarding against spreadsheet formulas",
        )
    listing.add_argument("--timeout", type=_positive, default=None, help="seconds per attempt")
    listing.add_argument(
        "--status", action="append", help="only runs with this status (repeatable; client-side)"
    )
    listing.add_argument("--limit", type=_count, help="only the N newest runs (client-side)")
    listing.add_argument(
        "--since", type=_since, help="only runs created at or after this date (client-side)"
    )
    demo.add_argument("--timeout", type=_positive, default=None, help="seconds per attempt")

    for sub in (wait, gate):
        sub.add_argument("--run", dest="run_id", help="the run (default: the newest)")
        sub.add_argument(
            "--timeout",
            type=_positive,
            default=DEFAULT_WAIT_TIMEOUT,
            help=f"seconds to wait for the run to end (default {DEFAULT_WAIT_TIMEOUT:g})",
        )
        sub.add_argument(
            "--interval",
            type=_positive,
            default=DEFAULT_POLL_INTERVAL,
            help=f"seconds between polls (default {DEFAULT_POLL_INTERVAL:g})",
        )
    gate.add_argument("--min-score", type=_score, required=True, help="the lowest passing score")
    gate.add_argument(
        "--max-drop", type=_score, help="fail when the score is this far below the previous run"
    )
    gate.add_argument("--wait", action="store_true", help="wait for the run to end first")
    gate.add_argument("--format", choices=["text", "markdown"], default="text")
    return parser


def _client(args: argparse.Namespace, timeout: float | None = None) -> Retab:
    if args.api_key is not None:
        print(
            "retab-runs: warning: --api-key is visible in shell history and process lists; "
            f"prefer the {API_KEY_ENV} environment variable",
            file=sys.stderr,
        )
    for name in ("workflow_id", "experiment_id", "run_id"):
        value = getattr(args, name, None)
        if value is not None:
            try:
                _config.check_id(name, value)
            except ConfigurationError as exc:
                raise _Usage(str(exc)) from None
    return Retab(
        args.api_key,
        base_url=args.base_url,
        timeout=timeout,
        allow_insecure_http=args.allow_insecure_http,
    )


def _filtered(args: argparse.Namespace, runs: list[ExperimentRunSummary]) -> list[Any]:
    if args.status:
        runs = [run for run in runs if run.status in set(args.status)]
    if args.since is not None:
        runs = [run for run in runs if run.created_at >= args.since]
    if args.limit is not None:
        runs = runs[: args.limit]
    return runs


def _render(args: argparse.Namespace, runs: Sequence[ExperimentRunSummary], tty: bool) -> str:
    if args.format == "json":
        return format_json(runs)
    if args.format == "csv":
        return format_csv(runs, raw=args.raw_csv)
    text = format_table(runs, args.columns)
    trend = sparkline(runs) if tty else None
    return text + (trend + "\n" if trend else "")


def _list(args: argparse.Namespace) -> int:
    with _client(args, args.timeout) as client:
        runs = _filtered(args, list(client.list_runs(args.workflow_id, args.experiment_id)))
    sys.stdout.write(_render(args, runs, sys.stdout.isatty()))
    return EXIT_OK


class _StatusLine:
    """The wait's progress: redrawn in place on a terminal, one line per change when piped."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._tty = out.isatty()
        self._started = time.monotonic()
        self._drawn = False

    def __call__(self, run: ExperimentRunSummary) -> None:
        elapsed = int(time.monotonic() - self._started)
        line = (
            f"{clean(run.id, 40)}  {clean(str(run.status), 20)}  "
            f"{elapsed // 60}m{elapsed % 60:02d}s  "
            f"documents {_cell('document_count', field_value(run, 'document_count'))}  "
            f"errors {_cell('error_count', field_value(run, 'error_count'))}"
        )
        if run.status == "completed" and isinstance(run.score, int | float):
            line += f"  score {run.score:.2f}"
        if self._tty:
            self._out.write("\r\x1b[2K" + line)
            self._drawn = True
        else:
            self._out.write(line + "\n")
        self._out.flush()

    def close(self) -> None:
        if self._drawn:
            self._out.write("\n")
            self._out.flush()


def _wait_for(args: argparse.Namespace, client: Retab) -> ExperimentRunSummary:
    status = _StatusLine(sys.stdout)
    try:
        return client.wait_for_run(
            args.workflow_id,
            args.experiment_id,
            args.run_id,
            timeout=args.timeout,
            poll_interval=args.interval,
            on_update=status,
        )
    finally:
        status.close()


def _ended_badly(run: ExperimentRunSummary) -> int:
    print(
        f"retab-runs: run {clean(run.id, 60)} ended {clean(str(run.status), 20)}",
        file=sys.stderr,
    )
    return EXIT_RUN_FAILED


def _wait(args: argparse.Namespace) -> int:
    with _client(args) as client:
        run = _wait_for(args, client)
    return EXIT_OK if run.status == "completed" else _ended_badly(run)


def _gate_command(args: argparse.Namespace) -> int:
    with _client(args) as client:
        run_id = args.run_id
        if args.wait:
            run = _wait_for(args, client)
            if run.status != "completed":
                return _ended_badly(run)
            run_id = run.id
        runs = client.list_runs(args.workflow_id, args.experiment_id)
    verdict = _gate.judge(runs, min_score=args.min_score, max_drop=args.max_drop, run_id=run_id)
    summary = _gate.markdown(verdict, args.workflow_id, args.experiment_id)
    sys.stdout.write(summary if args.format == "markdown" else verdict.line() + "\n")
    target = os.environ.get(STEP_SUMMARY_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as file:
            file.write(summary + "\n")
    return EXIT_OK if verdict.passed else EXIT_GATE_FAILED


def _demo(args: argparse.Namespace) -> int:
    # Only the demo needs the fake server.
    from ..testing import FakeRetabServer, sample_run  # noqa: PLC0415
    from ..testing._data import sample_progress  # noqa: PLC0415

    with FakeRetabServer(sample=True) as server, server.client(timeout=args.timeout) as client:
        if args.format != "table":
            sys.stdout.write(_render(args, client.list_runs("wf_demo", "exp_invoices"), False))
            return EXIT_OK
        print(f"Fake Retab server at {server.url} (sample data, real HTTP)\n")
        started = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        run = sample_run("exprun_inv_09", status="pending", created_at=started, job_id=None)
        stages: list[dict[str, Any]] = [
            {"status": "running", "job_id": "job_inv_09"},
            {"status": "running", "document_count": 12},
            {"status": "completed", "score": 0.95, "duration_ms": 1_200},
        ]
        server.progress_run("wf_demo", "exp_invoices", run, sample_progress(run, stages))
        print("Waiting for the run just started (retab-runs wait wf_demo exp_invoices):")
        status = _StatusLine(sys.stdout)
        client.wait_for_run("wf_demo", "exp_invoices", poll_interval=0.3, on_update=status)
        status.close()
        print()
        for experiment in ("exp_invoices", "exp_contracts"):
            runs = client.list_runs("wf_demo", experiment)
            print(f"Runs of wf_demo / {experiment}, newest first:")
            sys.stdout.write(_render(args, runs, sys.stdout.isatty()))
            print()
    return EXIT_OK


_COMMANDS = {"list": _list, "wait": _wait, "gate": _gate_command, "demo": _demo}


def _config_hint(exc: ConfigurationError) -> str:
    text = str(exc)
    if isinstance(exc, MissingCredentialsError) or "api_key" in text:
        return f"{text} [set {API_KEY_ENV}]"
    if "base_url" in text or "plain http" in text:
        return (
            f"{text} [check {BASE_URL_ENV} or --base-url; --allow-insecure-http for a local server]"
        )
    return text


def _fail(message: str, code: int) -> int:
    print(f"retab-runs: error: {clean(message, CLI_MESSAGE_LIMIT)}", file=sys.stderr)
    return code


def _not_found(args: argparse.Namespace, exc: NotFoundError) -> str:
    where = f"workflow {args.workflow_id!r} / experiment {args.experiment_id!r}"
    suffix = f" (request id {exc.request_id})" if exc.request_id else ""
    return f"not found: {where}: {exc}{suffix}"


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 (one exit per error kind)
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    # Free-form JSON may nest as deep as the decoders accept (1024 levels);
    # writing it back out recurses once a level.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_DEPTH))
    try:
        return _COMMANDS[args.command](args)
    except _Usage as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ConfigurationError as exc:
        return _fail(_config_hint(exc), EXIT_CONFIG)
    except (AuthenticationError, PermissionDeniedError) as exc:
        return _fail(f"{exc} [check {API_KEY_ENV}]", EXIT_CONFIG)
    except NotFoundError as exc:
        return _fail(_not_found(args, exc), EXIT_NOT_FOUND)
    except WaitTimeoutError as exc:
        return _fail(str(exc), EXIT_WAIT_TIMEOUT)
    except APIError as exc:
        suffix = f" (request id {exc.request_id})" if exc.request_id else ""
        return _fail(f"{exc}{suffix}", EXIT_API)
    except RetabError as exc:
        return _fail(str(exc), EXIT_API)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback; the details go to the debug log
        logging.getLogger("retab_runs").debug("unexpected error", exc_info=True)
        return _fail(f"unexpected {type(exc).__name__} (RETAB_LOG=debug shows more)", 1)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
