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
from ._common import (
    EXIT_OK,
    call,
    call_all,
    client_for,
)
from ._documents import documents_csv, documents_text
from ._gating import judge_started
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
        result = compare_runs(run_a, run_b, client=client)
    documents = result.documents or ()
    if args.format == "json":
        sys.stdout.write(json.dumps(attrs.asdict(result) | {"comparable": result.comparable}))
        sys.stdout.write("\n")
        return EXIT_OK
    if args.format == "csv":
        sys.stdout.write(documents_csv(documents))
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
    if documents:
        sys.stdout.write(f"\nworst documents first (A: {clean(result.a_id, 30)}, B: ")
        sys.stdout.write(f"{clean(result.b_id, 30)}):\n")
        sys.stdout.write(documents_text(documents, args.documents))
        if len(documents) > args.documents:
            sys.stdout.write("(--documents N shows more; --format json or csv lists them all)\n")
    if result.note:
        sys.stdout.write(f"({clean(result.note, 200)})\n")
    return EXIT_OK


def cancel(args: argparse.Namespace) -> int:
    """`cancel RUN_ID`: cancel a run (again: no harm)."""
    with client_for(args, args.timeout) as client:
        answer = call(client, CANCEL_EXPERIMENT_RUN, run_id=args.run_id)
    status = str(answer.lifecycle.status)
    print(f"run {clean(answer.id, 60)} {clean(status, 20)}")
    return EXIT_OK


def start(args: argparse.Namespace) -> int:
    """`start EXPERIMENT`: create a run; with --wait, wait for it, then judge it as `gate` does."""
    rules = {"--min-score": args.min_score, "--max-drop": args.max_drop,
             "--max-document-drop": args.max_document_drop}  # fmt: skip
    given = [name for name, value in rules.items() if value is not None]
    if given and not args.wait:
        raise Usage(f"{given[0]} needs --wait (a run has no score until it ends)")
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
        return judge_started(client, args, run)
