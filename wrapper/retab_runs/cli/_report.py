"""`retab-runs report`: one self-contained HTML file, the score over runs and the runs table.

For a CI artifact or a browser: no scripts, no fonts, no network; the chart
is inline SVG drawn here. Every server string is HTML-escaped, its control
and bidi characters escaped too (`clean`). Completed, scored runs are
plotted oldest to newest; a dashed marker shows where the definition or the
documents fingerprint changed from the plotted run before, since scores on
either side compare different things.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence

from _retab_runs_generated.models import ExperimentRunSummary

from .._compare import compare_runs
from ._gate import completed_and_scored
from ._output import FIELDS, cell, clean, field_value

__all__ = ["render_report"]

WIDTH, HEIGHT, PAD = 720, 260, 40
COLUMNS = [
    "id", "status", "score", "document_count", "error_count", "created_at", "duration_ms",
    "definition_fingerprint", "documents_fingerprint",
]  # fmt: skip

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.marker { stroke: #bf8700; stroke-dasharray: 4 3; }
#score-line { fill: none; stroke: #0969da; stroke-width: 2; }
.point { fill: #0969da; }
.axis { stroke: #8c959f; }
.label { font-size: 11px; fill: #57606a; }
"""


def _chart(runs: Sequence[ExperimentRunSummary]) -> str:
    plotted = sorted(
        (run for run in runs if completed_and_scored(run)), key=lambda run: run.created_at
    )
    if not plotted:
        return "<p>No completed, scored run to plot.</p>"
    scores = [float(run.score) for run in plotted]  # type: ignore[arg-type]
    low, high = min(*scores, 0.0), max(*scores, 1.0)
    span = high - low or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(plotted) - 1)

    def x(index: int) -> float:
        return PAD + index * step if len(plotted) > 1 else WIDTH / 2

    def y(score: float) -> float:
        return HEIGHT - PAD - (score - low) / span * (HEIGHT - 2 * PAD)

    bottom = HEIGHT - PAD
    parts = [
        f'<line class="axis" x1="{PAD}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}"/>',
        f'<line class="axis" x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{bottom}"/>',
        f'<text class="label" x="4" y="{y(high) + 4:.1f}">{high:.2f}</text>',
        f'<text class="label" x="4" y="{y(low) + 4:.1f}">{low:.2f}</text>',
    ]
    for index in range(1, len(plotted)):
        changed = compare_runs(plotted[index - 1], plotted[index]).changed_fingerprints
        if changed:
            what = html.escape(", ".join(changed) + " changed")
            parts.append(
                f'<line class="marker" x1="{x(index) - step / 2:.1f}" y1="{PAD}" '
                f'x2="{x(index) - step / 2:.1f}" y2="{HEIGHT - PAD}"><title>{what}</title></line>'
            )
    points = " ".join(f"{x(i):.1f},{y(score):.1f}" for i, score in enumerate(scores))
    parts.append(f'<polyline id="score-line" points="{points}"/>')
    for index, (run, score) in enumerate(zip(plotted, scores, strict=True)):
        tip = html.escape(f"{clean(run.id, 80)}: {score:.3f}")
        parts.append(
            f'<circle class="point" cx="{x(index):.1f}" cy="{y(score):.1f}" r="3">'
            f"<title>{tip}</title></circle>"
        )
    return (
        f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="score over completed runs">{"".join(parts)}</svg>'
    )


def _table(runs: Sequence[ExperimentRunSummary]) -> str:
    names = [name for name in COLUMNS if name in FIELDS]
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    rows = []
    for run in runs:
        as_json = run.to_dict()
        cells = []
        for name in names:
            value = field_value(run, name)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            text = html.escape(cell(name, value, as_json.get(name)))
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_report(
    workflow_id: str, experiment_id: str, runs: Sequence[ExperimentRunSummary]
) -> str:
    """The whole HTML document: title, the score chart, the runs table (newest first)."""
    title = html.escape(f"Retab experiment {workflow_id} / {experiment_id}")
    made = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%MZ")
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{len(runs)} runs; report made {made}.</p>"
        f"<h2>Score over completed runs, oldest to newest</h2>{_chart(runs)}"
        f"<h2>Runs, newest first</h2>{_table(runs)}</body></html>\n"
    )
