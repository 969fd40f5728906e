"""The runs-resource commands: `list --all`, `get`, `compare`, `start`, `cancel`.

They send the runs resource's operations by their declarations (`_common.call`);
output goes through `_output` (escaped, fitted, formula-guarded), errors
through `main`'s one-line messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import sys

import attrs

from _retab_runs_generated.models import ExperimentRun
from _retab_runs_generated.operations import (
    CANCEL_EXPERIMENT_RUN,
    CREATE_EXPERIMENT_RUN,
    GET_EXPERIMENT_RUN,
    LIST_WORKFLOW_EXPERIMENT_RUNS,
)

from .._compare import compare_runs
from . import _gate
from ._common import (
    EXIT_GATE_FAILED,
    EXIT_OK,
    call,
    call_all,
    client_for,
    ended_badly,
    wait_with_status,
)
from ._output import RUN_COLUMNS, clean, field_value, format_csv, format_json, format_table
from ._parser import Usage, check_columns

__all__ = ["cancel", "compare", "get", "list_all", "start"]


def _render(args: argparse.Namespace, runs: list[ExperimentRun]) -> str:
    fields = list(ExperimentRun.FIELDS)
    check_columns(args.columns, fields, runs)
    if args.format == "json":
        return format_json(runs)
    if args.format == "csv":
        return format_csv(runs, raw=args.raw_csv, fields=fields, columns=args.columns)
    return format_table(runs, args.columns or RUN_COLUMNS)


def list_all(args: argparse.Namespace) -> int:
    """`list --all`: runs across experiments, filtered by the server, every page followed."""
    if args.workflow_id or args.experiment_id:
        raise Usage("list --all takes no WORKFLOW EXPERIMENT: use --workflow/--experiment")
    if args.status and len(args.status) > 1:
        raise Usage("list --all filters on one --status (the server takes one)")
    with client_for(args, args.timeout) as client:
        runs = call_all(
            client,
            LIST_WORKFLOW_EXPERIMENT_RUNS,
            ExperimentRun,
            args.limit,
            workflow_id=args.workflow,
            experiment_id=args.experiment,
            status=args.status[0] if args.status else None,
            from_date=args.since.date().isoformat() if args.since else None,
            limit=100,
        )
    sys.stdout.write(_render(args, list(runs)))
    return EXIT_OK


def get(args: argparse.Namespace) -> int:
    """`get RUN_ID`: one run."""
    with client_for(args, args.timeout) as client:
        run = call(client, GET_EXPERIMENT_RUN, run_id=args.run_id)
    if args.format == "json":
        sys.stdout.write(format_json([run]))
    else:
        sys.stdout.write(format_table([run], RUN_COLUMNS))
    return EXIT_OK


def _signed(value: float | None, digits: str = "+.4g") -> str:
    return "-" if value is None else format(value, digits)


def compare(args: argparse.Namespace) -> int:
    """`compare RUN_A RUN_B`: what changed from A to B (retab_runs.compare_runs)."""
    with client_for(args, args.timeout) as client:
        run_a, run_b = (
            call(client, GET_EXPERIMENT_RUN, run_id=run_id) for run_id in (args.run_a, args.run_b)
        )
    result = compare_runs(run_a, run_b)
    if args.format == "json":
        sys.stdout.write(json.dumps(attrs.asdict(result) | {"comparable": result.comparable}))
        sys.stdout.write("\n")
        return EXIT_OK
    rows = [
        ("score", _signed(result.score_a, ".4g"), _signed(result.score_b, ".4g"),
         _signed(result.score_delta)),
    ]  # fmt: skip
    rows += [
        (name, str(field_value(run_a, name)), str(field_value(run_b, name)), f"{delta:+d}")
        for name, delta in result.count_deltas.items()
    ]
    if result.duration_delta_ms is not None:
        a, b = (str(field_value(run, "timing.duration_ms")) for run in (run_a, run_b))
        rows.append(("duration_ms", a, b, f"{result.duration_delta_ms:+d}"))
    header = ("", clean(result.a_id, 30), clean(result.b_id, 30), "B - A")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        sys.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        sys.stdout.write("\n")
    if result.comparable:
        sys.stdout.write("comparable: same definition and documents\n")
    else:
        changed = ", ".join(result.changed_fingerprints)
        sys.stdout.write(f"not comparable: {changed} changed\n")
    return EXIT_OK


def cancel(args: argparse.Namespace) -> int:
    """`cancel RUN_ID`: cancel a run (again: no harm)."""
    with client_for(args, args.timeout) as client:
        answer = call(client, CANCEL_EXPERIMENT_RUN, run_id=args.run_id)
    status = str(answer.lifecycle.status)
    print(f"run {clean(answer.id, 60)} {clean(status, 20)}")
    return EXIT_OK


def start(args: argparse.Namespace) -> int:
    """`start EXPERIMENT`: create a run; with --wait, wait for it, then gate on --min-score."""
    if args.min_score is not None and not args.wait:
        raise Usage("--min-score needs --wait (a run has no score until it ends)")
    with client_for(args, args.timeout) as client:
        run = call(
            client,
            CREATE_EXPERIMENT_RUN,
            experiment_id=args.experiment_id,
            workflow_id=args.workflow,
        )
        print(f"started run {clean(run.id, 60)} of {clean(run.experiment_id, 60)}")
        if not args.wait:
            return EXIT_OK
        run = wait_with_status(client, run.workflow_id, run.experiment_id, run.id, args)
        if str(run.lifecycle.status) != "completed":
            return ended_badly(run)
        if args.min_score is None:
            return EXIT_OK
        runs = client.list_runs(run.workflow_id, run.experiment_id)
    verdict = _gate.judge(runs, min_score=args.min_score, run_id=run.id)
    print(verdict.line())
    return EXIT_OK if verdict.passed else EXIT_GATE_FAILED
