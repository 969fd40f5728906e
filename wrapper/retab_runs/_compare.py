"""`compare_runs(a, b)`: what changed from one run to another, and whether scores compare.

Two runs' scores compare when they scored the same thing: the same
definition (block, prompt, schema) on the same documents. Retab fingerprints
both; a changed fingerprint makes a score delta a different question, so the
result says which changed. Works on either run shape: the seed listing's
`ExperimentRunSummary` and the runs resource's `ExperimentRun`.
"""

from __future__ import annotations

from typing import Any

import attrs

from _retab_runs_runtime import Model

__all__ = ["RunComparison", "compare_runs"]


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _duration_ms(run: Model) -> int | None:
    value = run.get("duration_ms")
    timing = run.get("timing")
    if value is None and isinstance(timing, Model):
        value = timing.get("duration_ms")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@attrs.frozen
class RunComparison:
    """How run `b` differs from run `a` (deltas are b minus a).

    `comparable`: no fingerprint changed, so `score_delta` measures the same
    thing twice. `changed_fingerprints` names the fingerprint fields that
    differ (`definition_fingerprint`, `documents_fingerprint`, ...).
    `count_deltas` has each count field (`document_count`, `error_count`, ...)
    both runs carry; `score_delta` and `duration_delta_ms` are None when
    either run lacks the value.
    """

    a_id: str
    b_id: str
    score_a: float | None
    score_b: float | None
    score_delta: float | None
    changed_fingerprints: tuple[str, ...]
    count_deltas: dict[str, int]
    duration_delta_ms: int | None

    @property
    def comparable(self) -> bool:
        return not self.changed_fingerprints


def compare_runs(a: Model, b: Model) -> RunComparison:
    """Compare two runs (either shape): score, fingerprints, counts and duration."""
    names = [name for name in a.FIELDS if name in b.FIELDS]
    changed = tuple(
        name for name in names if name.endswith("_fingerprint") and a.get(name) != b.get(name)
    )
    counts = {}
    for name in names:
        before, after = a.get(name), b.get(name)
        if name.endswith("_count") and isinstance(before, int) and isinstance(after, int):
            counts[name] = after - before
    score_a, score_b = _number(a.get("score")), _number(b.get("score"))
    delta = None if score_a is None or score_b is None else score_b - score_a
    duration_a, duration_b = _duration_ms(a), _duration_ms(b)
    return RunComparison(
        a_id=str(a.get("id")),
        b_id=str(b.get("id")),
        score_a=score_a,
        score_b=score_b,
        score_delta=delta,
        changed_fingerprints=changed,
        count_deltas=counts,
        duration_delta_ms=(
            None if duration_a is None or duration_b is None else duration_b - duration_a
        ),
    )
