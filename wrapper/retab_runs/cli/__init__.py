"""The `retab-runs` command (also `python -m retab_runs`).

    retab-runs list WORKFLOW EXPERIMENT [--format table|json|csv] [--columns a,b]
                    [--status S]... [--limit N] [--since DATE] [--raw-csv]
    retab-runs list --all [--workflow W] [--experiment E] [--status S] [--since DATE]
                    [--limit N] [--format table|json|csv] [--columns a,b]
    retab-runs get RUN_ID [--format table|json]
    retab-runs compare RUN_A RUN_B [--format table|json|csv] [--documents N]
    retab-runs start EXPERIMENT [--workflow W] [--wait [--min-score X] [--max-drop D]
                     [--max-document-drop D] [--format text|markdown] [--timeout S]]
    retab-runs cancel RUN_ID
    retab-runs wait WORKFLOW EXPERIMENT [--run ID] [--timeout S] [--interval S]
    retab-runs gate WORKFLOW EXPERIMENT [--min-score X] [--max-drop D] [--max-document-drop D]
                    [--run ID] [--wait [--timeout S]] [--judge-last-completed]
                    [--format text|markdown]
    retab-runs demo [--format table|json|csv] [--columns a,b]
    retab-runs report WORKFLOW EXPERIMENT -o report.html
    retab-runs serve [--port P] [--sample]

Credentials come from the environment (RETAB_API_KEY, RETAB_API_BASE_URL), as
for the library. Errors print one line on stderr, never a traceback, with
server text escaped, and exit with a code a script can branch on:

    0 success          2 usage             3 credentials or configuration
    4 not found        5 any other API error (connection, server, bad response)
    6 the run ended in error or was cancelled (wait, gate --wait, start --wait), or
      the newest run did (gate, unless --judge-last-completed)
    7 the wait timed out                  8 the gate failed (gate, start --wait --min-score ...)
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from _retab_runs_generated.models import ExperimentRun, ExperimentRunSummary
from _retab_runs_generated.operations import (
    CREATE_EXPERIMENT_RUN,
    LIST_WORKFLOW_EXPERIMENT_RUNS,
    OPERATIONS,
)

from .._client import Retab
from .._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CLI_MESSAGE_LIMIT,
)
from .._json import MAX_DEPTH
from .._wait import status_of
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
from . import _experiments, _gating, _runs
from ._common import (
    EXIT_API,
    EXIT_CONFIG,
    EXIT_GATE_FAILED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_USAGE,
    EXIT_WAIT_TIMEOUT,
    StatusLine,
    call,
    call_all,
    client_for,
    ended_badly,
    wait_with_status,
)
from ._output import FIELDS, RUN_COLUMNS, clean, format_csv, format_json, format_table, sparkline
from ._parser import Usage, build_parser, check_columns, settle_timeouts
from ._report import newest_documents, render_report

__all__ = [
    "EXIT_API",
    "EXIT_CONFIG",
    "EXIT_GATE_FAILED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_RUN_FAILED",
    "EXIT_USAGE",
    "EXIT_WAIT_TIMEOUT",
    "main",
    "run",
]


def _filtered(args: argparse.Namespace, runs: list[ExperimentRunSummary]) -> list[Any]:
    if args.status:
        runs = [run for run in runs if run.status in set(args.status)]
    if args.since is not None:
        runs = [run for run in runs if run.created_at >= args.since]
    if args.limit is not None:
        runs = runs[: args.limit]
    return runs


def _render(args: argparse.Namespace, runs: Sequence[ExperimentRunSummary], tty: bool) -> str:
    check_columns(args.columns, FIELDS, runs)
    if args.format == "json":
        return format_json(runs)
    if args.format == "csv":
        return format_csv(runs, raw=args.raw_csv, columns=args.columns)
    text = format_table(runs, args.columns)
    trend = sparkline(runs) if tty else None
    return text + (trend + "\n" if trend else "")


def _list(args: argparse.Namespace) -> int:
    if args.all:
        return _runs.list_all(args)
    if not (args.workflow_id and args.experiment_id):
        raise Usage("list takes WORKFLOW EXPERIMENT, or --all for runs across experiments")
    if args.workflow or args.experiment:
        raise Usage("--workflow/--experiment filter list --all")
    with client_for(args, args.timeout) as client:
        runs = _filtered(args, list(client.list_runs(args.workflow_id, args.experiment_id)))
    sys.stdout.write(_render(args, runs, sys.stdout.isatty()))
    return EXIT_OK


def _wait_for(args: argparse.Namespace, client: Retab) -> ExperimentRun:
    return wait_with_status(client, args.workflow_id, args.experiment_id, args.run_id, args)


def _wait(args: argparse.Namespace) -> int:
    with client_for(args, args.timeout) as client:
        run = _wait_for(args, client)
    return EXIT_OK if status_of(run) == "completed" else ended_badly(run)


def _report(args: argparse.Namespace) -> int:
    with client_for(args, args.timeout) as client:
        runs = client.list_runs(args.workflow_id, args.experiment_id)
        comparison, why = newest_documents(client, runs)
    page = render_report(args.workflow_id, args.experiment_id, runs, comparison, why)
    try:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(page)
    except OSError as exc:
        raise Usage(f"cannot write {args.output!r}: {exc.strerror}") from None
    print(f"wrote {clean(args.output, 200)} ({len(runs)} runs)")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """A fake Retab server until Ctrl-C, with the two lines that point a shell at it."""
    from ..testing import FakeRetabServer  # noqa: PLC0415 (only these commands need it)

    if not 0 <= args.port < 65536:
        raise Usage(f"--port must be 0-65535, not {args.port}")
    try:
        server = FakeRetabServer(sample=args.sample, port=args.port).start()
    except OSError as exc:
        raise Usage(f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror})") from None
    # Ctrl-C at any moment once the server runs, even before the sleep (a
    # client may be answered before this thread gets back from printing), stops it.
    try:
        print(f"Fake Retab server at {server.url} (Ctrl-C to stop). In another shell:")
        print(f"  export {API_KEY_ENV}={server.api_key}")
        print(f"  export {BASE_URL_ENV}={server.url}")
        if args.sample:
            print("  retab-runs list wf_demo exp_invoices")
            print("  retab-runs compare exprun_inv_04 exprun_inv_06  # score up, 3 documents down")
        sys.stdout.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    # Only the demo needs the fake server.
    from ..testing import FakeRetabServer  # noqa: PLC0415

    with FakeRetabServer(sample=True) as server, server.client(timeout=args.timeout) as client:
        if args.format != "table":
            sys.stdout.write(_render(args, client.list_runs("wf_demo", "exp_invoices"), False))
            return EXIT_OK
        print(f"Fake Retab server at {server.url} (sample data, real HTTP)\n")
        started = call(client, CREATE_EXPERIMENT_RUN, experiment_id="exp_invoices")
        print(f"Started {started.id} and waiting for it (retab-runs start exp_invoices --wait):")
        status = StatusLine(sys.stdout)
        client.wait_for_run(
            "wf_demo", "exp_invoices", started.id, timeout=30, poll_interval=0.3, on_update=status
        )
        status.close()
        print()
        for experiment in ("exp_invoices", "exp_contracts"):
            runs = client.list_runs("wf_demo", experiment)
            print(f"Runs of wf_demo / {experiment}, newest first:")
            sys.stdout.write(_render(args, runs, sys.stdout.isatty()))
            print()
        running = call_all(
            client, LIST_WORKFLOW_EXPERIMENT_RUNS, ExperimentRun, None, status="running"
        )
        print("Runs in flight across experiments (retab-runs list --all --status running):")
        sys.stdout.write(format_table(running, RUN_COLUMNS))
    return EXIT_OK


_COMMANDS = {
    "list": _list,
    "get": _runs.get,
    "compare": _runs.compare,
    "start": _runs.start,
    "cancel": _runs.cancel,
    "wait": _wait,
    "gate": _gating.gate,
    "demo": _demo,
    "serve": _serve,
    "report": _report,
    "experiments": _experiments.experiments,
    "results": _experiments.results,
}


# The library's configuration errors speak Python; the command says the same in its words.
_CLI_WORDS = (
    ("pass api_key=... (or access_token=...) to the client, or set", "set"),
    ("pass allow_insecure_http=True", "pass --allow-insecure-http"),
    ("pass api_key instead", f"set {API_KEY_ENV} instead"),
    ("base_url", "the base URL"),
)


def _config_hint(args: argparse.Namespace, exc: ConfigurationError) -> str:
    text = str(exc)
    for library, command in _CLI_WORDS:
        text = text.replace(library, command)
    if isinstance(exc, MissingCredentialsError):
        return f"{text} [or pass --api-key]"
    if "api_key" in text:
        return f"{text} [check {API_KEY_ENV}]"
    base_url = getattr(args, "base_url", None) or ""
    if "base URL" in text and base_url and "://" not in base_url:
        return f"{text} [did you mean --base-url http://{base_url} or https://{base_url}?]"
    if "base URL" in text or "plain http" in text:
        return f"{text} [check {BASE_URL_ENV} or --base-url]"
    return text


def _fail(message: str, code: int) -> int:
    print(f"retab-runs: error: {clean(message, CLI_MESSAGE_LIMIT)}", file=sys.stderr)
    return code


def _asked_for(exc: NotFoundError) -> dict[str, str]:
    """The ids in the path of the request that was not found (`{"run_id": ...}`), read
    against the spec's operations: a wait lists an experiment, then reads a run."""
    request = exc.response.request
    # Still percent-encoded: an id may hold a `/`.
    path = request.url.raw_path.decode("ascii", "replace").partition("?")[0]
    for operation in OPERATIONS:
        names = re.findall(r"\{(\w+)\}", operation.path)
        pattern = re.sub(r"\\\{\w+\\\}", "([^/]+)", re.escape(operation.path))
        found = re.fullmatch(pattern, path)
        if names and found and operation.http_method.upper() == request.method:
            return {name: unquote(value) for name, value in zip(names, found.groups(), strict=True)}
    return {}


def _not_found(args: argparse.Namespace, exc: NotFoundError) -> str:
    """What was not found, named by the request that asked for it."""
    asked = _asked_for(exc)
    if "run_id" in asked:
        where = f"run {asked['run_id']!r}"
    elif "workflow_id" in asked and "experiment_id" in asked:
        where = f"workflow {asked['workflow_id']!r} / experiment {asked['experiment_id']!r}"
    elif getattr(args, "workflow", None) and getattr(args, "experiment_id", None):
        where = f"experiment {args.experiment_id!r} in workflow {args.workflow!r}"
    elif experiment := asked.get("experiment_id") or getattr(args, "experiment_id", None):
        where = f"experiment {experiment!r}"
    else:
        where = ""
    suffix = f" (request id {exc.request_id})" if exc.request_id else ""
    return f"not found: {where}{': ' if where else ''}{exc}{suffix}"


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 (one exit per error kind)
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    settle_timeouts(args)
    # Free-form JSON may nest as deep as the decoders accept (1024 levels);
    # writing it back out recurses once a level.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_DEPTH))
    try:
        return _COMMANDS[args.command](args)
    except Usage as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ConfigurationError as exc:
        return _fail(_config_hint(args, exc), EXIT_CONFIG)
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
