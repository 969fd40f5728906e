"""Which documents regressed: each document of two runs side by side, worst first.

`compare_runs(a, b, client=...)` (and the clients' `compare_runs`) read run
B's metrics with `prior_run_id=A` (each document's score, and its score in
A, however far apart the runs are) and run A's own metrics (which documents
A had, so a document B lacks shows as missing). A run whose metrics are
`no_metrics` or `stale_metrics` is read from its per-document results
instead: every document and whether it failed, without scores; the
returned note says so. The assembly is decided once; the sync and async
fetches are written out twice, as the clients are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from _retab_runs_generated.models import ExperimentResult, MetricsSummary
from _retab_runs_generated.resources import AsyncResources, Resources
from _retab_runs_runtime import Model

from ._constants import MAX_COMPARED_DOCUMENTS

__all__ = ["DocumentComparison", "fetch_documents", "fetch_documents_async"]

SCORED, FAILED, MISSING = "scored", "failed", "missing"
# Float noise (0.22000000000000008) is rounded away at this many digits.
_DIGITS = 10
_KNOWN_KINDS = ("no_metrics", "stale_metrics")


@attrs.frozen
class DocumentComparison:
    """One document in runs A and B (deltas are B minus A).

    `status_a`/`status_b`: `scored`, `failed` (no score: the document
    failed), `missing` (not in that run), or, read from results when a run
    has no metrics, the result's own status (`completed`, `error`, ...).
    `change`: `new` (only in B), `missing` (only in A), `failed` (failed in
    B, not in A), else None. `drop` is how far the score fell (a document
    that scored in A and failed in B dropped its whole score A); None when
    A has no score or B neither a score nor a failure.
    """

    document_id: str
    filename: str | None
    score_a: float | None
    score_b: float | None
    delta: float | None
    drop: float | None
    status_a: str
    status_b: str
    change: str | None


# One run's view of its documents: id -> (filename, score, status).
Facts = dict[str, tuple[str | None, float | None, str]]


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _from_metrics(metrics: MetricsSummary) -> tuple[Facts, dict[str, float | None]]:
    """Each document's facts in the metrics' run, and its prior score."""
    facts: Facts = {}
    priors: dict[str, float | None] = {}
    for document in metrics.documents or []:
        score = _number(document.score)
        facts[document.id] = (document.filename, score, SCORED if score is not None else FAILED)
        priors[document.id] = _number(document.prior_score)
    return facts, priors


def _filename(result: ExperimentResult) -> str | None:
    """The document's filename among the result's inputs, if one carries it."""
    inputs = result.to_dict().get("handle_inputs")
    for value in inputs.values() if isinstance(inputs, dict) else ():
        document = value.get("document") if isinstance(value, dict) else None
        name = document.get("filename") if isinstance(document, dict) else None
        if isinstance(name, str):
            return name
    return None


def _from_results(results: Iterable[ExperimentResult]) -> Facts:
    """Each document of a run without metrics: its filename and its result's status."""
    facts: Facts = {}
    for result in results:
        status = str(result.lifecycle.status)
        facts[result.document_id] = (_filename(result), None, status)
    return facts


def _why(run_id: str, metrics: Model) -> str:
    kind = metrics.get("kind")
    shown = kind if kind in _KNOWN_KINDS else "no summary metrics"
    return f"run {run_id[:60]} has {shown}: its documents come from its results, without scores"


def _document(document_id: str, a: Facts, b: Facts, prior: float | None) -> DocumentComparison:
    filename_a, score_a, status_a = a.get(document_id, (None, None, MISSING))
    filename_b, score_b, status_b = b.get(document_id, (None, None, MISSING))
    if score_a is None and prior is not None:
        score_a = prior
        status_a = SCORED if status_a == MISSING else status_a
    delta = drop = None
    if score_a is not None and score_b is not None:
        delta = round(score_b - score_a, _DIGITS)
        drop = -delta
    elif score_a is not None and status_b == FAILED:
        drop = score_a
    change = None
    if status_a == MISSING:
        change = "new"
    elif status_b == MISSING:
        change = "missing"
    elif status_b == FAILED and status_a != FAILED:
        change = "failed"
    return DocumentComparison(
        document_id=document_id,
        filename=filename_b or filename_a,
        score_a=score_a,
        score_b=score_b,
        delta=delta,
        drop=drop,
        status_a=status_a,
        status_b=status_b,
        change=change,
    )


def _worst_first(document: DocumentComparison) -> tuple[int, float, str]:
    """The biggest drops first (a failure drops the whole score), then the rest by id."""
    if document.drop is not None:
        return (0, -document.drop, document.document_id)
    return (1, 0.0, document.document_id)


def assemble(
    a: Facts, b: Facts, priors: Mapping[str, float | None]
) -> tuple[DocumentComparison, ...]:
    """Every document of either run, compared, worst first."""
    ids = dict.fromkeys([*b, *a])
    found = [_document(document_id, a, b, priors.get(document_id)) for document_id in ids]
    return tuple(sorted(found, key=_worst_first))


def fetch_documents(
    client: Resources, a_id: str, b_id: str
) -> tuple[tuple[DocumentComparison, ...], str | None]:
    """Both runs' documents compared (see the module), and why scores are missing if they are."""
    metrics = client.workflows.experiments.metrics
    found_b = metrics.get(b_id, view="summary", prior_run_id=a_id)
    found_a = metrics.get(a_id, view="summary", include_prior=False)
    facts: list[Facts] = []
    notes: list[str] = []
    priors: dict[str, float | None] = {}
    for run_id, found in ((a_id, found_a), (b_id, found_b)):
        if isinstance(found, MetricsSummary):
            run_facts, run_priors = _from_metrics(found)
            facts.append(run_facts)
            priors = run_priors if run_id == b_id else priors
            continue
        results = client.workflows.experiments.results.list_all(
            run_id, max_items=MAX_COMPARED_DOCUMENTS
        )
        facts.append(_from_results(results))
        notes.append(_why(run_id, found))
    return assemble(facts[0], facts[1], priors), "; ".join(notes) or None


async def fetch_documents_async(
    client: AsyncResources, a_id: str, b_id: str
) -> tuple[tuple[DocumentComparison, ...], str | None]:
    """`fetch_documents` on the async client."""
    metrics = client.workflows.experiments.metrics
    found_b = await metrics.get(b_id, view="summary", prior_run_id=a_id)
    found_a = await metrics.get(a_id, view="summary", include_prior=False)
    facts: list[Facts] = []
    notes: list[str] = []
    priors: dict[str, float | None] = {}
    for run_id, found in ((a_id, found_a), (b_id, found_b)):
        if isinstance(found, MetricsSummary):
            run_facts, run_priors = _from_metrics(found)
            facts.append(run_facts)
            priors = run_priors if run_id == b_id else priors
            continue
        results = await client.workflows.experiments.results.list_all(
            run_id, max_items=MAX_COMPARED_DOCUMENTS
        )
        facts.append(_from_results(results))
        notes.append(_why(run_id, found))
    return assemble(facts[0], facts[1], priors), "; ".join(notes) or None
