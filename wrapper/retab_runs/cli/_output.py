"""What the command prints: tables, json, csv, markdown, the score trend, all safe to print.

Server text (run fields, error details, request ids) reaches a terminal only
through `clean`: control characters, escape sequences, bidi overrides and
line separators are shown escaped (`\\u001b`, `\\u202e`), so a value cannot
clear the screen, retitle the window, forge a row or reorder a line. CSV
goes through the same escaping, header row included, unless `--raw-csv` is
given: cells and column names, so no line break starts a row; then any that
a spreadsheet would run as a formula (starting `=`, `+`, `-` or `@`) gets a
leading `'`. An unknown member's column is named by `member_column` (as
sent when plain text, else a JSON string in brackets: `["=cmd|x"]`). With
`--raw-csv` every value and name is written as sent, for a program to read:
cells holding a line break (CR or LF) are quoted and rows end in CRLF, as
RFC 4180 has them, so no reader sees a cell start anywhere else.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Sequence
from typing import Any

from _retab_runs_generated.models import ExperimentRunSummary
from _retab_runs_runtime import Model, Unset
from _retab_runs_runtime._text import escape_unsafe, member_column

__all__ = [
    "FIELDS",
    "RUN_COLUMNS",
    "TABLE_COLUMNS",
    "cell",
    "clean",
    "field_value",
    "format_csv",
    "format_json",
    "format_table",
    "sparkline",
    "unknown_columns",
]

# The spec's fields in its order (derived from the generated model); unknown
# fields follow, sorted.
FIELDS = list(ExperimentRunSummary.FIELDS)
# The table's default columns: a curated few; `--columns` picks any field.
TABLE_COLUMNS = [
    "id",
    "status",
    "score",
    "document_count",
    "error_count",
    "created_at",
    "duration_ms",
]
# The columns of a runs-resource run (`ExperimentRun`, from `list --all`, `get`,
# `start`): dotted names read into nested objects.
RUN_COLUMNS = [
    "id",
    "lifecycle.status",
    "experiment_id",
    "score",
    "document_count",
    "error_count",
    "timing.created_at",
]
HEADERS = {
    "lifecycle.status": "STATUS",
    "timing.created_at": "CREATED",
    "experiment_id": "EXPERIMENT",
    "document_count": "DOCS",
    "error_count": "ERRORS",
    "created_at": "CREATED",
    "duration_ms": "DURATION",
}
TABLE_WIDTH = 80
MIN_COLUMN = 6
BARS = "▁▂▃▄▅▆▇█"

# After escaping, no cell starts with a tab or a carriage return: these remain.
_FORMULA_START = ("=", "+", "-", "@")


def clean(text: str, limit: int | None = None) -> str:
    """`text` safe for a terminal: unsafe characters escaped, cut to `limit` characters."""
    safe = escape_unsafe(text)
    if limit is not None and len(safe) > limit:
        return safe[: limit - 1] + "…"
    return safe


def _duration(ms: int) -> str:
    seconds = ms // 1000
    if seconds < 60:
        return f"{ms / 1000:.1f}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def when(moment: datetime.datetime) -> str:
    """A date-time as the table shows it, in UTC (any valid date-time, even year 9999)."""
    try:
        moment = moment.astimezone(datetime.UTC)
    except OverflowError:
        return moment.isoformat()
    return moment.strftime("%Y-%m-%d %H:%MZ")


def cell(name: str, value: Any, json_value: Any = None) -> str:
    """One table cell. Objects and arrays show as compact JSON: `json_value`, the
    field as the run's `to_dict()` gives it (models inside included)."""
    if value is None or isinstance(value, Unset):
        return "-"
    if name == "duration_ms" and isinstance(value, int) and not isinstance(value, bool):
        return _duration(value)
    if name == "score" and isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:.2f}"
    if isinstance(value, datetime.datetime):
        return when(value)
    if hasattr(value, "to_dict") or isinstance(value, dict | list):
        return clean(json.dumps(json_value, separators=(",", ":")))
    return clean(str(value))


def field_value(run: Model, name: str) -> Any:
    """A field by its JSON name; a dotted name reads into nested objects (`timing.created_at`)."""
    value: Any = run
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Model) else None
    return value


def _json_value(data: Any, name: str) -> Any:
    for part in name.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _fit(rows: list[list[str]], fixed: set[int], width: int) -> list[list[str]]:
    """Shorten the widest text columns (with an ellipsis) until a row fits `width`;
    `fixed` columns (numbers, dates: cut, they would mislead) are never shortened."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    while sum(widths) + 2 * (len(widths) - 1) > width:
        text = [i for i in range(len(widths)) if i not in fixed and widths[i] > MIN_COLUMN]
        if not text:
            break
        widest = max(text, key=lambda i: widths[i])
        widths[widest] -= 1
    return [
        [
            text if len(text) <= widths[i] else text[: widths[i] - 1] + "…"
            for i, text in enumerate(row)
        ]
        for row in rows
    ]


def format_table(
    runs: Sequence[Model],
    columns: Sequence[str] | None = None,
    width: int = TABLE_WIDTH,
) -> str:
    """An aligned table, newest run first as served, fitted to `width` columns.

    `columns` are JSON field names (spec or unknown); by default a curated
    few of the spec's fields. Long values are shortened with an ellipsis;
    json and csv carry them whole.
    """
    names = list(columns) if columns else [c for c in TABLE_COLUMNS if c in FIELDS]
    header = [clean(HEADERS.get(name, name.upper())) for name in names]
    body = []
    for run in runs:
        as_json = run.to_dict()
        body.append(
            [cell(name, field_value(run, name), _json_value(as_json, name)) for name in names]
        )
    numeric = {
        i
        for i, name in enumerate(names)
        if name == "duration_ms" or (body and all(_is_number(field_value(r, name)) for r in runs))
    }
    dates = {
        i
        for i, name in enumerate(names)
        if body
        and all(isinstance(field_value(r, name), datetime.datetime | None) for r in runs)
        and any(field_value(r, name) is not None for r in runs)
    }
    rows = _fit([header, *body], numeric | dates, width)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    if not body:
        lines.append("(no runs)")
    return "\n".join(lines) + "\n"


def format_json(runs: Sequence[Model]) -> str:
    """`{"runs": [...]}`: every spec field in spec order, then unknown ones as sent."""
    return json.dumps({"runs": [run.to_dict() for run in runs]}, indent=2) + "\n"


def _csv_value(value: Any, raw: bool) -> Any:
    """A cell or a column name as the CSV writes it: escaped and formula-proof unless `raw`."""
    if isinstance(value, dict | list):
        value = json.dumps(value)
    if raw or not isinstance(value, str):
        return value
    value = escape_unsafe(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def format_csv(
    runs: Sequence[Model],
    raw: bool = False,
    fields: Sequence[str] = tuple(FIELDS),
    columns: Sequence[str] | None = None,
) -> str:
    """One row per run; objects as JSON text; unknown fields as extra columns.

    `fields` are the model's spec fields, in order; `columns` (JSON names,
    dotted into nested objects) picks and orders the columns instead. Unless
    `raw` is true, cells and column names are escaped and formula-proof (see
    the module) and unknown members' columns named by `member_column`.
    """
    dicts = [run.to_dict() for run in runs]
    if columns:
        header = list(columns)
        rows = [[_json_value(d, name) for name in header] for d in dicts]
    else:
        unknown = sorted({key for d in dicts for key in d} - set(fields))
        header = [*fields, *(unknown if raw else map(member_column, unknown))]
        rows = [[d.get(name) for name in [*fields, *unknown]] for d in dicts]
    out = io.StringIO()
    # CRLF rows: the writer then quotes any cell with a CR or an LF in it
    # (with "\n" alone, a lone CR went out unquoted and readers split on it).
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_value(name, raw) for name in header])
    writer.writerows([_csv_value(value, raw) for value in row] for row in rows)
    return out.getvalue()


def unknown_columns(
    columns: Sequence[str], fields: Sequence[str], runs: Sequence[Model]
) -> list[str]:
    """The `columns` that name neither a spec field nor a field some run carries."""
    known = set(fields)
    return [
        name
        for name in columns
        if (first := name.split(".")[0]) not in known and not any(first in run for run in runs)
    ]


def sparkline(runs: Sequence[ExperimentRunSummary]) -> str | None:
    """The completed runs' scores, oldest to newest, as one line of bars with min and max."""
    scores = [
        float(run.score)
        for run in sorted(runs, key=lambda run: run.created_at)
        if run.status == "completed" and isinstance(run.score, int | float)
    ]
    if not scores:
        return None
    low, high = min(scores), max(scores)
    span = high - low or 1.0
    bars = "".join(BARS[round((score - low) / span * (len(BARS) - 1))] for score in scores[-60:])
    shown = f"score trend ({len(scores)} completed, oldest to newest): {bars}"
    return f"{shown}  min {low:.2f}  max {high:.2f}"
