"""`retab-runs gate`: is a run's score good enough to ship? Pure decisions, no I/O.

The judged run is `--run`, else the newest completed run; newer runs still in
flight are named in the verdict (the command's `--wait` judges the newest run). It passes when its
score is at least `min_score` (when given) and, with `max_drop`, not more than `max_drop`
below the previous completed run: its `parent_run_id` when that run is
completed and scored, else the newest completed, scored run created before it.
A run without a score fails, with the reason. The comparison with the
previous run is `retab_runs.compare_runs`: the line says when a fingerprint
changed, so the delta compares different definitions or documents.

A newest run that ended in error or was cancelled (newer than the newest
completed one) fails the gate by default, naming it (the command exits 6):
a red CI step should not pass on an older run. `judge_last_completed`
judges the newest completed run instead. Either way the verdict keeps every
run newer than the judged one (`newer`). With `max_document_drop`,
`with_documents` fails a run in which any document dropped by more than it
against the previous run, naming the worst.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from _retab_runs_generated.models import ExperimentRunSummary

from .._compare import RunComparison, compare_runs
from .._constants import TERMINAL_STATUSES
from .._documents import DocumentComparison
from ._output import clean

__all__ = [
    "Verdict",
    "code_span",
    "completed_and_scored",
    "judge",
    "markdown",
    "previous_run",
    "with_documents",
]

# A verdict line names at most this many of the documents that dropped.
NAMED_DOCUMENTS = 5


@attrs.frozen
class Verdict:
    passed: bool
    reason: str
    run: ExperimentRunSummary | None
    previous: ExperimentRunSummary | None
    min_score: float | None
    max_drop: float | None
    # Runs newer than the judged one, not yet ended (judged without --wait).
    in_flight: tuple[ExperimentRunSummary, ...] = ()
    # The --run asked for is not in the listing (the command exits 4).
    unknown_run: bool = False
    # Every run newer than the judged one, newest first (whatever its status).
    newer: tuple[ExperimentRunSummary, ...] = ()
    # The newest run ended in error or was cancelled: the verdict is about it (exit 6).
    newest_failed: bool = False
    # The judged run against the previous one, document by document (--max-document-drop).
    comparison: RunComparison | None = None
    max_document_drop: float | None = None

    @property
    def regressed(self) -> tuple[DocumentComparison, ...]:
        """The documents that dropped by more than `max_document_drop`, worst first."""
        if self.comparison is None or self.max_document_drop is None:
            return ()
        return self.comparison.regressed(self.max_document_drop)

    @property
    def delta(self) -> float | None:
        """The judged score minus the previous one."""
        if self.run is None or self.previous is None:
            return None
        return compare_runs(self.previous, self.run).score_delta

    def line(self) -> str:
        """The one-line verdict the command prints."""
        word = "PASS" if self.passed else "FAIL"
        return f"{word}: {self.reason}"


def _scored(run: ExperimentRunSummary) -> bool:
    return isinstance(run.score, int | float) and not isinstance(run.score, bool)


def completed_and_scored(run: ExperimentRunSummary) -> bool:
    """A run the gate can compare with: completed, with a numeric score."""
    return run.status == "completed" and _scored(run)


def previous_run(
    runs: Sequence[ExperimentRunSummary], run: ExperimentRunSummary
) -> ExperimentRunSummary | None:
    """The run `run` is judged against: its completed, scored parent, else the newest
    completed, scored run created before it."""
    by_id = {candidate.id: candidate for candidate in runs}
    parent = by_id.get(run.parent_run_id) if isinstance(run.parent_run_id, str) else None
    if parent is not None and completed_and_scored(parent):
        return parent
    older = [
        candidate
        for candidate in runs
        if candidate.created_at < run.created_at and completed_and_scored(candidate)
    ]
    return max(older, key=lambda candidate: candidate.created_at, default=None)


def _score(run: ExperimentRunSummary) -> str:
    return f"{float(run.score):.4g}" if _scored(run) else "none"  # type: ignore[arg-type]


def judge(
    runs: Sequence[ExperimentRunSummary],
    *,
    min_score: float | None = None,
    max_drop: float | None = None,
    run_id: str | None = None,
    judge_last_completed: bool = False,
) -> Verdict:
    """The gate's verdict on `runs` (one experiment's listing)."""
    verdict = _judge(runs, min_score=min_score, max_drop=max_drop, run_id=run_id)
    newer = tuple(
        candidate
        for candidate in sorted(runs, key=lambda candidate: candidate.created_at, reverse=True)
        if verdict.run is None or candidate.created_at > verdict.run.created_at
    )
    verdict = attrs.evolve(verdict, newer=newer)
    failed = [
        candidate
        for candidate in newer
        if candidate.status in TERMINAL_STATUSES and candidate.status != "completed"
    ]
    if run_id is not None or not failed:
        return verdict
    shown = ", ".join(f"{clean(r.id, 40)} {clean(str(r.status), 20)}" for r in failed[:3])
    shown += f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    if judge_last_completed:
        reason = f"{verdict.reason} [newer, ended and not judged: {shown}]"
        return attrs.evolve(verdict, reason=reason)
    newest = failed[0]
    reason = (
        f"the newest run {clean(newest.id, 60)} ended {clean(str(newest.status), 30)} "
        f"(newer than the last completed run"
        f"{' ' + clean(verdict.run.id, 60) if verdict.run else ''}; "
        "--judge-last-completed judges that one)"
    )
    return attrs.evolve(
        verdict, passed=False, reason=reason, run=newest, previous=verdict.run, newest_failed=True
    )


def _judge(  # noqa: PLR0911 (one verdict per reason)
    runs: Sequence[ExperimentRunSummary],
    *,
    min_score: float | None,
    max_drop: float | None,
    run_id: str | None,
) -> Verdict:
    in_flight: tuple[ExperimentRunSummary, ...] = ()

    def verdict(passed: bool, reason: str, run: ExperimentRunSummary | None = None,
                previous: ExperimentRunSummary | None = None) -> Verdict:  # fmt: skip
        if in_flight:
            shown = ", ".join(
                f"{clean(r.id, 40)} {clean(str(r.status), 20)}" for r in in_flight[:3]
            )
            more = f" and {len(in_flight) - 3} more" if len(in_flight) > 3 else ""
            reason += f" [newer, still in flight and not judged: {shown}{more}; --wait judges them]"
        return Verdict(passed, reason, run, previous, min_score, max_drop, in_flight)

    if run_id is not None:
        run = next((candidate for candidate in runs if candidate.id == run_id), None)
        if run is None:
            reason = f"run {clean(run_id, 60)} is not in the listing"
            return attrs.evolve(verdict(False, reason), unknown_run=True)
    else:
        completed = [candidate for candidate in runs if candidate.status == "completed"]
        run = max(completed, key=lambda candidate: candidate.created_at, default=None)
        in_flight = tuple(
            candidate
            for candidate in sorted(runs, key=lambda candidate: candidate.created_at, reverse=True)
            if candidate.status not in TERMINAL_STATUSES
            and (run is None or candidate.created_at > run.created_at)
        )
        if run is None:
            return verdict(False, "the experiment has no completed run")
    name = clean(run.id, 60)
    if run.status != "completed":
        return verdict(False, f"run {name} is {clean(str(run.status), 30)}, not completed", run)
    if not _scored(run):
        return verdict(False, f"run {name} has no score", run)
    previous = previous_run(runs, run)
    score = float(run.score)  # type: ignore[arg-type]
    shown = f"run {name} score {_score(run)}"
    if previous is not None:
        shown += f", previous {clean(previous.id, 60)} {_score(previous)}"
        comparison = compare_runs(previous, run)
        shown += f" (delta {comparison.score_delta:+.4g}"
        if not comparison.comparable:
            shown += f"; not comparable: {', '.join(comparison.changed_fingerprints)} changed"
        shown += ")"
    if min_score is not None and score < min_score:
        return verdict(False, f"{shown}: below the minimum {min_score:g}", run, previous)
    if max_drop is not None and previous is not None:
        drop = float(previous.score) - score  # type: ignore[arg-type]
        if drop > max_drop + 1e-12:
            return verdict(
                False, f"{shown}: dropped {drop:.4g}, more than {max_drop:g}", run, previous
            )
    return verdict(True, f"{shown}: {_passed(min_score, max_drop, previous)}", run, previous)


def _passed(
    min_score: float | None, max_drop: float | None, previous: ExperimentRunSummary | None
) -> str:
    """What a passing run satisfied, in the verdict's words."""
    met = [f"at least {min_score:g}"] if min_score is not None else []
    if max_drop is not None:
        met.append(
            f"dropped no more than {max_drop:g}" if previous is not None
            else "no previous completed run to compare with"
        )  # fmt: skip
    return ", ".join(met)


def code_span(text: str, limit: int | None = None, *, in_table: bool = False) -> str:
    """Text as a markdown code span: shown as typed, never a link, an image, HTML or emphasis.

    Backslash escapes would not do: GitHub still turns a bare URL, `www.` or
    an e-mail address in text into a live link; code is left alone. Unsafe
    characters are escaped and the text cut first; a table cell's `|` is
    escaped too (GitHub splits cells on it even inside code).
    """
    shown = clean(text, limit)
    if in_table:
        shown = shown.replace("|", "\\|")
    if not shown:
        return "` `"
    fence = "`" * (max(map(len, re.findall("`+", shown)), default=0) + 1)
    # A space each side when the text starts or ends with a backtick or a
    # space: CommonMark strips exactly one from each side then.
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _dropped(documents: Sequence[DocumentComparison]) -> str:
    named = ", ".join(
        f"{clean(d.document_id, 40)} "
        + (f"{d.delta:+.2f}" if d.delta is not None else f"failed (was {d.score_a:.2f})")
        for d in documents[:NAMED_DOCUMENTS]
    )
    more = len(documents) - NAMED_DOCUMENTS
    return named + (f" and {more} more" if more > 0 else "")


def with_documents(
    verdict: Verdict, comparison: RunComparison, max_document_drop: float
) -> Verdict:
    """The verdict once the judged run's documents are compared with the previous run's.

    Fails (exit 8) when any document dropped by more than `max_document_drop`,
    naming the worst first, then the run-level reason (which a run that
    failed already keeps).
    """
    verdict = attrs.evolve(verdict, comparison=comparison, max_document_drop=max_document_drop)
    regressed = verdict.regressed
    if not regressed:
        if comparison.note:
            return attrs.evolve(verdict, reason=f"{verdict.reason} [{comparison.note}]")
        return verdict
    count = len(regressed)
    said = (
        f"{count} document{'s' if count > 1 else ''} dropped by more than "
        f"{max_document_drop:g}: {_dropped(regressed)}"
    )
    return attrs.evolve(verdict, passed=False, reason=f"{said}; {verdict.reason}")


def markdown(verdict: Verdict, workflow_id: str, experiment_id: str) -> str:
    """A short GitHub-flavoured summary table of the verdict, every server string (ids,
    statuses, the reason that names them) and the given ids as code."""

    def cell(text: str) -> str:
        return code_span(text, 80, in_table=True)

    run, previous = verdict.run, verdict.previous
    delta = verdict.delta
    mark = "✅ pass" if verdict.passed else "❌ fail"
    rules = []
    if verdict.min_score is not None:
        rules.append(f"minimum score {verdict.min_score:g}")
    if verdict.max_drop is not None:
        rules.append(f"maximum drop {verdict.max_drop:g}")
    rows = [
        f"### Retab experiment gate: {code_span(workflow_id, 80)} / {code_span(experiment_id, 80)}",
        "",
        "| run | status | score | previous | delta | verdict |",
        "|---|---|---|---|---|---|",
        "| {} | {} | {} | {} | {} | {} |".format(
            cell(run.id) if run else "-",
            cell(str(run.status)) if run else "-",
            _score(run) if run else "-",
            f"{cell(previous.id)} ({_score(previous)})" if previous else "-",
            f"{delta:+.4g}" if delta is not None else "-",
            mark,
        ),
        "",
        # The whole verdict: it is the point of the summary (ids in it are already cut).
        f"{code_span(verdict.reason)} ({', '.join(rules)})",
    ]
    return "\n".join(rows) + "\n"
