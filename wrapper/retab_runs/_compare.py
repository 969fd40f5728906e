"""`compare_runs(a, b)`: what changed from one run to another, and whether scores compare.

Two runs' scores compare when they scored the same thing: the same
definition (block, prompt, schema) on the same documents. Retab fingerprints
both; a changed fingerprint makes a score delta a different question, so the
result says which changed. Works on either run shape: the seed listing's
`ExperimentRunSummary` and the runs resource's `ExperimentRun`.

Given a client, the comparison also says which documents moved
(`documents`, worst first, `regressed(threshold)`; `_documents`). In a
notebook it shows as a table: the run-level rows, then the worst documents.
"""

from __future__ import annotations

import html
from typing import Any

import attrs

from _retab_runs_generated.resources import Resources
from _retab_runs_runtime import MissingDependencyError, Model

from ._documents import DocumentComparison, fetch_documents
from .errors import ConfigurationTypeError

__all__ = ["DocumentComparison", "RunComparison", "compare_runs"]

# Float noise (0.22000000000000008) is rounded away at this many digits.
_DIGITS = 10
# A notebook shows this many of the worst documents.
HTML_DOCUMENTS = 20
_DOCUMENT_COLUMNS = [field.name for field in attrs.fields(DocumentComparison)]


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


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.4g}"


@attrs.frozen(repr=False)
class RunComparison:
    """How run `b` differs from run `a` (deltas are b minus a).

    `comparable`: no fingerprint changed, so `score_delta` measures the same
    thing twice. `changed_fingerprints` names the fingerprint fields that
    differ (`definition_fingerprint`, `documents_fingerprint`, ...).
    `count_deltas` has each count field (`document_count`, `error_count`, ...)
    both runs carry; `score_delta` and `duration_delta_ms` are None when
    either run lacks the value.

    `documents` (only when compared with a client): every document of
    either run, worst drop first (`DocumentComparison`); None without a
    client. `note` says why scores are missing when a run had no metrics
    and its documents came from its results.
    """

    a_id: str
    b_id: str
    score_a: float | None
    score_b: float | None
    score_delta: float | None
    changed_fingerprints: tuple[str, ...]
    count_deltas: dict[str, int]
    duration_delta_ms: int | None
    documents: tuple[DocumentComparison, ...] | None = None
    note: str | None = None

    @property
    def comparable(self) -> bool:
        return not self.changed_fingerprints

    def regressed(self, threshold: float = 0.0) -> tuple[DocumentComparison, ...]:
        """The documents whose score fell by more than `threshold`, worst first.

        A document that scored in A and failed in B fell by its whole score.
        Empty when the comparison has no documents (made without a client).
        """
        return tuple(
            document
            for document in self.documents or ()
            if document.drop is not None and document.drop > threshold + 1e-12
        )

    def __repr__(self) -> str:
        def short(value: float | None) -> str:
            return "None" if value is None else repr(round(value, 4))

        documents = "None" if self.documents is None else str(len(self.documents))
        return (
            f"RunComparison(a_id={self.a_id!r}, b_id={self.b_id!r}, "
            f"score_a={short(self.score_a)}, score_b={short(self.score_b)}, "
            f"score_delta={short(self.score_delta)}, comparable={self.comparable}, "
            f"changed_fingerprints={self.changed_fingerprints!r}, "
            f"count_deltas={self.count_deltas!r}, duration_delta_ms={self.duration_delta_ms!r}, "
            f"documents={documents}, regressed={len(self.regressed())})"
        )

    def _repr_html_(self) -> str:
        """The run-level rows, then the worst documents: every cell escaped."""
        esc = html.escape
        rows = [("score", _shown(self.score_a), _shown(self.score_b), _signed(self.score_delta))]
        rows += [(name, "", "", f"{delta:+d}") for name, delta in self.count_deltas.items()]
        if self.duration_delta_ms is not None:
            rows.append(("duration_ms", "", "", f"{self.duration_delta_ms:+d}"))
        head = f"<tr><th></th><th>{esc(self.a_id[:60])}</th><th>{esc(self.b_id[:60])}</th>"
        parts = [f"<table><thead>{head}<th>B - A</th></tr></thead><tbody>"]
        parts += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
        changed = ", ".join(self.changed_fingerprints)
        parts.append(f"<p>not comparable: {esc(changed)} changed</p>" if changed else "")
        if self.documents:
            shown = self.documents[:HTML_DOCUMENTS]
            parts.append(
                "<table><thead><tr>"
                + "".join(f"<th>{esc(name)}</th>" for name in _DOCUMENT_COLUMNS)
                + "</tr></thead><tbody>"
            )
            for document in shown:
                values = attrs.astuple(document)
                cells = "".join(f"<td>{esc(_shown(value)[:80])}</td>" for value in values)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody></table>")
            more = len(self.documents) - len(shown)
            parts.append(f"<p>… and {more} more documents</p>" if more else "")
        if self.note:
            parts.append(f"<p>{esc(self.note)}</p>")
        return "".join(parts)

    def to_pandas(self) -> Any:
        """The documents as a pandas DataFrame, worst first (empty without documents)."""
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415 (an optional extra)
        except ModuleNotFoundError as exc:
            if exc.name != "pandas":
                raise
            raise MissingDependencyError("to_pandas()", "pandas", "pandas") from None
        rows = [attrs.asdict(document) for document in self.documents or ()]
        return pd.DataFrame.from_records(rows, columns=_DOCUMENT_COLUMNS)


def compare_runs(a: Model, b: Model, *, client: Resources | None = None) -> RunComparison:
    """Compare two runs (either shape): score, fingerprints, counts and duration.

    With `client` (a `Retab`), also each document (`documents`), read through
    the metrics operation; an `AsyncRetab` compares with
    `await client.compare_runs(a, b)`.
    """
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
    delta = None if score_a is None or score_b is None else round(score_b - score_a, _DIGITS)
    duration_a, duration_b = _duration_ms(a), _duration_ms(b)
    result = RunComparison(
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
    if client is None:
        return result
    if not isinstance(client, Resources):  # an AsyncRetab's calls are coroutines
        raise ConfigurationTypeError(
            "compare_runs(client=) takes a Retab; with an AsyncRetab, "
            "await client.compare_runs(a, b)"
        )
    documents, note = fetch_documents(client, result.a_id, result.b_id)
    return attrs.evolve(result, documents=documents, note=note)
