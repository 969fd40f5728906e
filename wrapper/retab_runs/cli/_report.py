"""`retab-runs report`: one self-contained HTML file a person reads in ten seconds.

For a CI artifact or a browser: no scripts, no fonts, no network; the chart
is inline SVG drawn here. Every server string is HTML-escaped, its control
and bidi characters escaped too (`clean`). The chart plots completed, scored
runs at the time they were created: a score axis fitted to the scores (so a
rise from 0.71 to 0.93 does not look flat) with ticks and a title, a time
axis with dated ticks, and a legend; a dashed marker shows where the
definition or the documents fingerprint changed from the plotted run
before, since scores on either side compare different things. Below it,
the runs table with the columns a person reads, then each document of the
newest completed run against the previous one, worst first.
"""

from __future__ import annotations

import datetime
import html
import math
from collections.abc import Sequence

from _retab_runs_generated.models import ExperimentRunSummary

from .._client import Retab
from .._compare import RunComparison, compare_runs
from ..errors import APIError
from ._gate import completed_and_scored, previous_run
from ._output import cell, clean, when

__all__ = ["newest_documents", "render_report"]

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 48, 44, 60
# Dated ticks on the time axis, at most.
TIME_TICKS = 6
# The documents table shows this many of the worst documents.
REPORT_DOCUMENTS = 200
COLUMNS = ("id", "status", "score", "Δ", "documents", "duration", "created")

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.down { color: #cf222e; } td.up { color: #1a7f37; }
.marker, .legend-marker { stroke: #bf8700; stroke-dasharray: 4 3; stroke-width: 1.5; }
#score-line { fill: none; stroke: #0969da; stroke-width: 2; }
.point { fill: #0969da; }
.axis { stroke: #57606a; }
.grid { stroke: #eaeef2; }
.label { font-size: 11px; fill: #57606a; }
.title { font-size: 12px; fill: #1f2328; }
"""


def _score_range(scores: Sequence[float]) -> tuple[float, float, float]:
    """The score axis: a low and high bound around the scores, and the tick step."""
    low = max(0.0, math.floor((min(scores) - 0.05) * 10) / 10)
    high = min(1.0, math.ceil((max(scores) + 0.05) * 10) / 10)
    if high - low < 0.2:
        low, high = max(0.0, high - 0.2), max(high, min(1.0, low + 0.2))
    step = 0.05 if high - low <= 0.3 else 0.1 if high - low <= 0.6 else 0.2
    return low, high, step


# Spacings of dated ticks, in minutes: the smallest that gives at most TIME_TICKS ticks.
_TICK_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200)


def _time_ticks(first: datetime.datetime, last: datetime.datetime) -> list[datetime.datetime]:
    """Round times between `first` and `last` (whole minutes, hours or days, in UTC)."""
    if last <= first:
        return [first]
    span_minutes = (last - first).total_seconds() / 60
    minutes = next((m for m in _TICK_MINUTES if span_minutes / m <= TIME_TICKS - 1), None)
    if minutes is None:
        minutes = math.ceil(span_minutes / (TIME_TICKS - 1) / 43200) * 43200
    spacing = datetime.timedelta(minutes=minutes)
    epoch = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    tick = epoch + math.ceil((first - epoch) / spacing) * spacing
    ticks = []
    while tick <= last:
        ticks.append(tick)
        tick += spacing
    return ticks


def _date_label(moment: datetime.datetime, span: datetime.timedelta) -> str:
    moment = moment.astimezone(datetime.UTC)
    if span >= datetime.timedelta(days=3):
        return moment.strftime("%b %d")
    return moment.strftime("%b %d %H:%M")


def _legend(markers: bool) -> str:
    y = 18
    parts = [
        f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + 24}" y2="{y}" stroke="#0969da" stroke-width="2"/>',
        f'<text class="label" x="{LEFT + 30}" y="{y + 4}">score of a completed run</text>',
    ]
    x = LEFT + 200
    said = "scores either side compare different things" if markers else "none in these runs"
    parts += [
        f'<line class="legend-marker" x1="{x + 10}" y1="{y - 9}" x2="{x + 10}" y2="{y + 9}"/>',
        f'<text class="label" x="{x + 22}" y="{y + 4}">definition or documents changed '
        f"({said})</text>",
    ]
    return f'<g id="legend">{"".join(parts)}</g>'


def _chart(runs: Sequence[ExperimentRunSummary]) -> str:
    plotted = sorted(
        (run for run in runs if completed_and_scored(run)), key=lambda run: run.created_at
    )
    if not plotted:
        return "<p>No completed, scored run to plot.</p>"
    scores = [float(run.score) for run in plotted]  # type: ignore[arg-type]
    low, high, step = _score_range(scores)
    first, last = plotted[0].created_at, plotted[-1].created_at
    span = last - first
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(moment: datetime.datetime) -> float:
        if not span:
            return (LEFT + right) / 2
        return LEFT + (moment - first) / span * (right - LEFT)

    def y(score: float) -> float:
        return bottom - (score - low) / (high - low) * (bottom - TOP)

    parts = []
    for index in range(round((high - low) / step) + 1):
        tick = low + index * step
        parts += [
            f'<line class="grid" x1="{LEFT}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}"/>',
            f'<text class="label" x="{LEFT - 8}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick:.2f}</text>',
        ]
    ticks = _time_ticks(first, last)

    for moment in ticks:
        parts += [
            f'<line class="axis" x1="{x(moment):.1f}" y1="{bottom}" x2="{x(moment):.1f}" '
            f'y2="{bottom + 5}"/>',
            f'<text class="label" x="{x(moment):.1f}" y="{bottom + 18}" '
            f'text-anchor="middle">{html.escape(_date_label(moment, span))}</text>',
        ]
    parts += [
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
        f'<text class="title" x="{(LEFT + right) / 2:.1f}" y="{HEIGHT - 14}" '
        'text-anchor="middle">run created (UTC)</text>',
        f'<text class="title" transform="translate(16 {(TOP + bottom) / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">score</text>',
    ]
    markers = 0
    for index in range(1, len(plotted)):
        changed = compare_runs(plotted[index - 1], plotted[index]).changed_fingerprints
        if changed:
            markers += 1
            middle = (x(plotted[index - 1].created_at) + x(plotted[index].created_at)) / 2
            what = html.escape(", ".join(changed) + " changed")
            parts.append(
                f'<line class="marker" x1="{middle:.1f}" y1="{TOP}" x2="{middle:.1f}" '
                f'y2="{bottom}"><title>{what}</title></line>'
            )
    points = " ".join(
        f"{x(run.created_at):.1f},{y(score):.1f}"
        for run, score in zip(plotted, scores, strict=True)
    )
    parts.append(f'<polyline id="score-line" points="{points}"/>')
    for run, score in zip(plotted, scores, strict=True):
        tip = html.escape(f"{clean(run.id, 80)}: {score:.3f}")
        parts.append(
            f'<circle class="point" cx="{x(run.created_at):.1f}" cy="{y(score):.1f}" r="3.5">'
            f"<title>{tip}</title></circle>"
        )
    parts.append(_legend(markers > 0))
    return (
        f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="score over completed runs">{"".join(parts)}</svg>'
    )


def _td(text: str, numeric: bool = False, change: float | None = None) -> str:
    classes = ["num"] if numeric else []
    if change is not None and change:
        classes.append("down" if change < 0 else "up")
    attribute = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attribute}>{html.escape(text)}</td>"


def _head(names: Sequence[str], numeric: Sequence[str]) -> str:
    cells = "".join(
        f'<th class="num">{html.escape(n)}</th>' if n in numeric else f"<th>{html.escape(n)}</th>"
        for n in names
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _table(runs: Sequence[ExperimentRunSummary]) -> str:
    rows = []
    for run in runs:
        previous = previous_run(runs, run) if completed_and_scored(run) else None
        delta = None
        if previous is not None:
            delta = compare_runs(previous, run).score_delta
        cells = [
            _td(clean(run.id, 80)),
            _td(clean(str(run.status), 40)),
            _td(cell("score", run.score), numeric=True),
            _td("-" if delta is None else f"{delta:+.2f}", numeric=True, change=delta),
            _td(cell("document_count", run.document_count), numeric=True),
            _td(cell("duration_ms", run.duration_ms), numeric=True),
            _td(when(run.created_at)),
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = _head(COLUMNS, ("score", "Δ", "documents", "duration"))
    return f'<table id="runs">{head}<tbody>{"".join(rows)}</tbody></table>'


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _documents(comparison: RunComparison | None, why: str | None) -> str:
    if comparison is None:
        return f"<p>{html.escape(why or 'No two completed runs to compare.')}</p>"
    title = (
        f"<h2>Documents of {html.escape(clean(comparison.b_id, 80))} against "
        f"{html.escape(clean(comparison.a_id, 80))}, worst first</h2>"
    )
    note = f"<p>{html.escape(clean(comparison.note, 300))}</p>" if comparison.note else ""
    documents = comparison.documents or ()
    if not documents:
        return f"{title}{note}<p>No documents.</p>"
    names = ("document", "filename", "previous", "newest", "Δ", "status")
    rows = []
    for document in documents[:REPORT_DOCUMENTS]:
        status = document.change or document.status_b
        rows.append(
            "<tr>"
            + _td(clean(document.document_id, 80))
            + _td(clean(document.filename or "-", 80))
            + _td(_score(document.score_a), numeric=True)
            + _td(_score(document.score_b), numeric=True)
            + _td(
                "-" if document.delta is None else f"{document.delta:+.2f}",
                numeric=True,
                change=document.delta,
            )
            + _td(clean(status, 40))
            + "</tr>"
        )
    more = len(documents) - REPORT_DOCUMENTS
    tail = f"<p>… and {more} more documents</p>" if more > 0 else ""
    head = _head(names, ("previous", "newest", "Δ"))
    table = f'<table id="documents">{head}<tbody>{"".join(rows)}</tbody></table>'
    return f"{title}{note}{table}{tail}"


def newest_documents(
    client: Retab, runs: Sequence[ExperimentRunSummary]
) -> tuple[RunComparison | None, str | None]:
    """The newest completed, scored run against the run the gate compares it with, document
    by document; else None and why. A server that cannot answer costs the table, not the report.
    """
    scored = [run for run in runs if completed_and_scored(run)]
    newest = max(scored, key=lambda run: run.created_at, default=None)
    previous = previous_run(runs, newest) if newest is not None else None
    if newest is None or previous is None:
        return None, "No two completed, scored runs to compare document by document."
    try:
        return compare_runs(previous, newest, client=client), None
    except APIError as exc:
        return None, f"The documents could not be read: {clean(str(exc), 200)}"


def render_report(
    workflow_id: str,
    experiment_id: str,
    runs: Sequence[ExperimentRunSummary],
    comparison: RunComparison | None = None,
    why: str | None = None,
) -> str:
    """The whole HTML document: title, the score chart, the runs table (newest first), and
    the documents of `comparison` (the newest completed run against the previous one) or
    `why` there are none."""
    title = html.escape(f"Retab experiment {clean(workflow_id, 80)} / {clean(experiment_id, 80)}")
    made = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%MZ")
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{len(runs)} runs; report made {made}.</p>"
        f"<h2>Score of the completed runs over time</h2>{_chart(runs)}"
        f"<h2>Runs, newest first</h2>{_table(runs)}"
        f"{_documents(comparison, why)}</body></html>\n"
    )
