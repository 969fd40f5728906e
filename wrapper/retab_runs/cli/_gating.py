"""`gate` and `start --wait`: judge a run, print the verdict, and write the step summary.

Every outcome writes the summary (`GITHUB_STEP_SUMMARY`, when set) so a red
CI step explains itself: pass, fail (exit 8), a newest run that ended in
error or was cancelled (6), a wait that timed out (7), an unknown run,
workflow or experiment (4), credentials refused (3), any other API error (5). The decision is
`_gate.judge` (pure); with `--max-document-drop` the judged run is compared
with the previous one document by document (`compare_runs(client=...)`)
and the worst documents are printed and summarized. Server text reaches
markdown only as code (`code_span`: no live links, images or HTML).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence

import attrs

from _retab_runs_generated.models import ExperimentRun, ExperimentRunSummary

from .._client import Retab
from .._compare import compare_runs
from .._wait import status_of
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RetabError,
    WaitTimeoutError,
)
from . import _gate
from ._common import (
    EXIT_API,
    EXIT_CONFIG,
    EXIT_GATE_FAILED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_WAIT_TIMEOUT,
    client_for,
    ended_badly,
    wait_with_status,
)
from ._documents import documents_markdown, documents_text, md
from ._gate import code_span
from ._output import clean
from ._parser import Usage

__all__ = ["STEP_SUMMARY_ENV", "append_summary", "gate", "judge_started"]

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
# The gate prints and summarizes this many of the worst documents.
WORST_DOCUMENTS = 10
# The summary lists at most this many newer runs.
NEWER_RUNS = 20


def append_summary(target: str, text: str) -> None:
    """Append to the step summary if it is a regular file; never block, never change the verdict.

    Opened without blocking (a FIFO with no reader fails at once) and checked
    before writing: a FIFO, a directory or a missing folder gets a warning.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
    else:
        with os.fdopen(fd, "a", encoding="utf-8") as file:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                file.write(text)
                return
        why = "not a regular file"
    print(
        f"retab-runs: warning: {STEP_SUMMARY_ENV} {clean(repr(target), 120)} not written ({why})",
        file=sys.stderr,
    )


def _summarize(text: str) -> None:
    target = os.environ.get(STEP_SUMMARY_ENV)
    if target:
        append_summary(target, text + "\n")


def _outcome(where: tuple[str, str], code: int, sentence: str) -> str:
    """The summary of an outcome that has no verdict table: what happened and the exit code."""
    mark = "✅ pass" if code == EXIT_OK else "❌ fail"
    return (
        f"### Retab experiment gate: {code_span(where[0], 80)} / {code_span(where[1], 80)}\n\n"
        f"{mark} (exit {code}): {code_span(sentence, 400)}\n"
    )


def _newer_markdown(newer: Sequence[ExperimentRunSummary]) -> str:
    lines = ["", "Newer runs, not judged:", "", "| run | status | created |", "|---|---|---|"]
    lines += [
        f"| {md(r.id, 60)} | {md(str(r.status), 30)} | {md(r.created_at.isoformat(), 40)} |"
        for r in newer[:NEWER_RUNS]
    ]
    if len(newer) > NEWER_RUNS:
        lines += ["", f"… and {len(newer) - NEWER_RUNS} more"]
    return "\n".join(lines) + "\n"


def _extras(verdict: _gate.Verdict) -> str:
    """What the summary adds below the verdict: newer runs, the worst documents."""
    newer = [r for r in verdict.newer if verdict.run is None or r.id != verdict.run.id]
    text = _newer_markdown(newer) if newer else ""
    comparison = verdict.comparison
    if comparison is not None and comparison.documents:
        text += (
            f"\nWorst documents, {code_span(comparison.b_id, 60)} against "
            f"{code_span(comparison.a_id, 60)} "
            f"(maximum document drop {verdict.max_document_drop:g}):\n\n"
        )
        text += documents_markdown(comparison.documents, WORST_DOCUMENTS)
    if comparison is not None and comparison.note:
        text += f"\n{code_span(comparison.note, 300)}\n"
    return text


def _text(verdict: _gate.Verdict) -> str:
    text = verdict.line() + "\n"
    comparison = verdict.comparison
    if comparison is not None and comparison.documents:
        text += documents_text(comparison.documents, WORST_DOCUMENTS)
    return text


def _judged(
    client: Retab,
    args: argparse.Namespace,
    where: tuple[str, str],
    run_id: str | None,
) -> int:
    """Judge the experiment's runs, print the verdict, summarize it; the exit code."""
    runs = client.list_runs(*where)
    verdict = _gate.judge(
        runs,
        min_score=args.min_score,
        max_drop=args.max_drop,
        run_id=run_id,
        judge_last_completed=getattr(args, "judge_last_completed", False),
    )
    if verdict.unknown_run:
        message = f"not found: {verdict.reason} of {clean(where[0], 60)} / {clean(where[1], 60)}"
        _summarize(_outcome(where, EXIT_NOT_FOUND, message))
        print(f"retab-runs: error: {message}", file=sys.stderr)
        return EXIT_NOT_FOUND
    judged = verdict.run
    if args.max_document_drop is not None and judged is not None and not verdict.newest_failed:
        if verdict.previous is None:
            reason = f"{verdict.reason} [no previous completed run: documents not compared]"
            verdict = attrs.evolve(verdict, reason=reason)
        elif judged.status == "completed":
            comparison = compare_runs(verdict.previous, judged, client=client)
            verdict = _gate.with_documents(verdict, comparison, args.max_document_drop)
    summary = _gate.markdown(verdict, *where) + _extras(verdict)
    sys.stdout.write(summary if args.format == "markdown" else _text(verdict))
    _summarize(summary)
    if verdict.newest_failed:
        return EXIT_RUN_FAILED
    return EXIT_OK if verdict.passed else EXIT_GATE_FAILED


def _ended_badly(where: tuple[str, str], run: ExperimentRun) -> int:
    sentence = f"run {clean(run.id, 60)} ended with status {clean(status_of(run), 20)}"
    _summarize(_outcome(where, EXIT_RUN_FAILED, sentence))
    return ended_badly(run)


def _summarize_error(where: tuple[str, str], exc: RetabError) -> None:
    """The summary of an error `main` reports on stderr (its exit code as main gives it)."""
    if isinstance(exc, WaitTimeoutError):
        code = EXIT_WAIT_TIMEOUT
    elif isinstance(exc, NotFoundError):
        code = EXIT_NOT_FOUND
    elif isinstance(exc, ConfigurationError | AuthenticationError | PermissionDeniedError):
        code = EXIT_CONFIG
    else:
        code = EXIT_API
    _summarize(_outcome(where, code, str(exc)))


def gate(args: argparse.Namespace) -> int:
    """`gate WORKFLOW EXPERIMENT`: judge (with `--wait`, the newest run); always summarized."""
    if args.min_score is None and args.max_drop is None and args.max_document_drop is None:
        raise Usage("gate needs --min-score, --max-drop, --max-document-drop or more of them")
    where = (args.workflow_id, args.experiment_id)
    try:
        with client_for(args, args.timeout) as client:
            run_id = args.run_id
            if args.wait:
                run = wait_with_status(client, *where, args.run_id, args)
                if status_of(run) != "completed":
                    return _ended_badly(where, run)
                run_id = run.id
            return _judged(client, args, where, run_id)
    except RetabError as exc:
        _summarize_error(where, exc)
        raise


def judge_started(client: Retab, args: argparse.Namespace, run: ExperimentRun) -> int:
    """`start --wait`, once the run exists: wait, then judge it when a gate option is given."""
    where = (run.workflow_id, run.experiment_id)
    try:
        run = wait_with_status(client, *where, run.id, args)
        if status_of(run) != "completed":
            return _ended_badly(where, run)
        if args.min_score is None and args.max_drop is None and args.max_document_drop is None:
            score = f", score {run.score:.4g}" if isinstance(run.score, int | float) else ""
            _summarize(_outcome(where, EXIT_OK, f"run {run.id} completed{score}"))
            return EXIT_OK
        return _judged(client, args, where, run.id)
    except RetabError as exc:
        _summarize_error(where, exc)
        raise
