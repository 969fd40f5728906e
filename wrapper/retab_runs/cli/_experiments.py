"""The experiments-namespace commands: `experiments list WF`, `experiments get EXP`, `results RUN`.

They send the namespace's operations by their declarations (`_common.call`),
so a method renamed in the spec cannot break them. `results` puts each
document's score beside its prior (the previous completed run's, from the
metrics operation), worst drop first; where the run has no metrics
(`no_metrics`, `stale_metrics`) it lists the documents as the results
operation serves them and says why there are no scores.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

from _retab_runs_generated.models import ExperimentResult, MetricsSummary, WorkflowExperiment
from _retab_runs_generated.operations import (
    GET_EXPERIMENT_METRICS,
    GET_WORKFLOW_EXPERIMENT,
    LIST_EXPERIMENT_RESULTS,
    LIST_WORKFLOW_EXPERIMENTS,
)
from _retab_runs_runtime import Model

from ._common import EXIT_OK, call, call_all, client_for
from ._output import _csv_value, clean, format_csv, format_table

__all__ = ["experiment_rows", "experiments", "results"]

EXPERIMENT_COLUMNS = ["id", "name", "status", "score", "document_count"]
RESULT_COLUMNS = ["document", "filename", "status", "score", "prior", "delta"]


def _experiments_out(args: argparse.Namespace, found: Sequence[WorkflowExperiment]) -> str:
    if args.format == "json":
        return json.dumps({"experiments": [e.to_dict() for e in found]}, indent=2) + "\n"
    if args.format == "csv":
        return format_csv(found, fields=list(WorkflowExperiment.FIELDS))
    return format_table(found, EXPERIMENT_COLUMNS)


def experiments(args: argparse.Namespace) -> int:
    """`experiments list WORKFLOW` (every page followed) or `experiments get EXPERIMENT`."""
    with client_for(args, args.timeout) as client:
        if args.action == "get":
            found = [call(client, GET_WORKFLOW_EXPERIMENT, experiment_id=args.target)]
        else:
            found = call_all(
                client,
                LIST_WORKFLOW_EXPERIMENTS,
                WorkflowExperiment,
                args.limit,
                workflow_id=args.target,
            )
    sys.stdout.write(_experiments_out(args, found))
    return EXIT_OK


def _worst_first(row: dict[str, Any]) -> tuple[int, float]:
    """A document that scored before and failed now, then the biggest drops, then the rest."""
    if row["score"] is None and row["prior"] is not None:
        return (0, 0.0)
    return (1, row["delta"]) if row["delta"] is not None else (2, 0.0)


def experiment_rows(
    results: Sequence[ExperimentResult], metrics: Model
) -> tuple[list[dict[str, Any]], str | None]:
    """One row per document (score, prior, delta, status), worst drop first when priors exist.

    Returns the rows and, when the run has no usable metrics, why.
    """
    status = {r.document_id: str(r.lifecycle.status) for r in results}
    rows: list[dict[str, Any]] = []
    if not isinstance(metrics, MetricsSummary):
        why = f"no scores: {metrics.get('kind')}: {metrics.get('message') or ''}".rstrip(": ")
        for document_id, state in status.items():
            rows.append(dict.fromkeys(RESULT_COLUMNS) | {"document": document_id, "status": state})
        return rows, why
    for document in metrics.documents or []:
        score, prior = document.score, document.prior_score
        delta = None if score is None or prior is None else round(score - prior, 4)
        rows.append(
            {
                "document": document.id,
                "filename": document.filename,
                "status": status.get(document.id, "missing"),
                "score": score,
                "prior": prior,
                "delta": delta,
            }
        )
    if any(row["prior"] is not None for row in rows):
        rows.sort(key=_worst_first)
    return rows, None


def _cell(name: str, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:+.2f}" if name == "delta" else f"{value:.2f}"
    return clean(str(value), 40)


def _results_out(args: argparse.Namespace, rows: list[dict[str, Any]]) -> str:
    if args.format == "json":
        return json.dumps({"run_id": args.run_id, "documents": rows}, indent=2) + "\n"
    out = io.StringIO()
    if args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _csv_value(value, False) for key, value in row.items()})
        return out.getvalue()
    table = [[name.upper() for name in RESULT_COLUMNS]]
    table += [[_cell(name, row[name]) for name in RESULT_COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(RESULT_COLUMNS))]
    for line in table:
        out.write("  ".join(text.ljust(widths[i]) for i, text in enumerate(line)).rstrip() + "\n")
    return out.getvalue()


def results(args: argparse.Namespace) -> int:
    """`results RUN`: the run's documents, each with its score and its prior's, worst first."""
    with client_for(args, args.timeout) as client:
        found = call_all(
            client, LIST_EXPERIMENT_RESULTS, ExperimentResult, None, run_id=args.run_id
        )
        metrics = call(client, GET_EXPERIMENT_METRICS, run_id=args.run_id)
    rows, why = experiment_rows(found, metrics)
    if args.limit is not None:
        rows = rows[: args.limit]
    sys.stdout.write(_results_out(args, rows))
    if why is not None and args.format == "table":
        print(f"({clean(why, 80)})")
    return EXIT_OK
