"""Runs as rows: pandas and polars DataFrames, and the HTML tables notebooks show.

One row per run. Columns follow the spec's field order; a nested object the
spec describes (a run's `lifecycle`, `timing`) becomes dotted columns
(`lifecycle.status`), its variants' fields included; fields the spec does not
name follow, sorted. Datetimes are timezone-aware, in UTC. Open value sets
(`status`) stay strings. Free-form JSON (`block_config`) stays a dict in
pandas and becomes JSON text in polars, whose columns need one type.

A column names one place in the run's JSON, and an unknown member never
takes a spec column's name: a member name that is not plain text (a dot, a
bracket, a quote, a backslash, a control or bidi character, a formula's
first character, or empty) is written as a JSON string in brackets
(`_text.member_column`), so an unknown top-level member called
`lifecycle.status` is the column `["lifecycle.status"]`, beside the spec's
`lifecycle.status`, and one called `a\x1b` is `["a\u001b"]`.

The HTML table is bounded whatever the server sends: HTML_ROWS rows,
HTML_COLUMNS columns (spec columns first), HTML_CELL characters a cell or
header, control and bidi characters escaped.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import json
from collections.abc import Iterator, Sequence
from typing import Any

from ._errors import MissingDependencyError
from ._model import Model, Unset
from ._text import escape_unsafe, member_column

__all__ = ["flatten", "html_table", "to_pandas", "to_polars"]

_UTC = datetime.UTC
# Nested spec objects are flattened this deep; deeper ones stay whole.
_MAX_NESTING = 8
# An HTML table shows this many rows and columns, and cells up to this many characters.
HTML_ROWS = 50
HTML_COLUMNS = 40
HTML_CELL = 80


def _column(prefix: str, part: str) -> str:
    if not prefix or part.startswith("["):
        return prefix + part
    return f"{prefix}.{part}"


def _items(model: Model) -> Iterator[tuple[str, Any, bool]]:
    """(column part, value, whether the spec names it): spec fields, then unknown ones sorted."""
    for name, attribute in model.FIELDS.items():
        yield name, getattr(model, attribute), True
    extra = getattr(model, "additional_properties", None) or {}
    for key, value in sorted(extra.items()):
        yield member_column(key), value, False


def _value(value: Any) -> Any:
    if isinstance(value, Unset):
        return None
    if isinstance(value, datetime.datetime):
        try:
            return value.astimezone(_UTC)
        except OverflowError:  # year 1 or 9999 with an offset
            return value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [item.to_dict() if isinstance(item, Model) else item for item in value]
    return value


def _cells(model: Model) -> Iterator[tuple[str, Any, bool]]:
    """(column, value, whether it is inside a spec field) of one run, nested models dotted
    (no recursion)."""
    stack = [("", _items(model))]
    while stack:
        prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        part, value, known = item
        column = _column(prefix, part)
        if isinstance(value, Model) and len(stack) < _MAX_NESTING:
            stack.append((column, _items(value)))
        else:
            yield column, _value(value), known or len(stack) > 1


def flatten(model: Model) -> dict[str, Any]:
    """One run as a row: `{column: value}`, nested models as dotted columns (no recursion)."""
    return {column: value for column, value, _ in _cells(model)}


def _table(models: Sequence[Model]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (the spec's fields, then unknown top-level members) and the rows."""
    rows: list[dict[str, Any]] = []
    known: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for model in models:
        row: dict[str, Any] = {}
        for column, value, is_known in _cells(model):
            row[column] = value
            (known if is_known else unknown)[column] = None
        rows.append(row)
    return [*known, *(column for column in unknown if column not in known)], rows


def to_pandas(models: Sequence[Model]) -> Any:
    """A pandas DataFrame, one row per run (see the module for the columns)."""
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415 (an optional extra)
    except ModuleNotFoundError as exc:
        if exc.name != "pandas":  # pandas is there, something it needs is not: say that
            raise
        raise MissingDependencyError("to_pandas()", "pandas", "pandas") from None
    columns, rows = _table(models)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in columns:
        values = [row.get(column) for row in rows]
        if any(isinstance(value, datetime.datetime) for value in values):
            # Beyond pandas' range (year 1 or 9999): kept as datetime objects.
            with contextlib.suppress(ValueError, OverflowError):
                frame[column] = pd.to_datetime(values, utc=True)
    return frame


def to_polars(models: Sequence[Model]) -> Any:
    """A polars DataFrame, one row per run (see the module for the columns)."""
    try:
        import polars as pl  # noqa: PLC0415 (an optional extra, imported when asked for)
    except ModuleNotFoundError as exc:
        if exc.name != "polars":
            raise
        raise MissingDependencyError("to_polars()", "polars", "polars") from None
    columns, rows = _table(models)
    data = {
        column: [
            json.dumps(value) if isinstance(value, dict | list) else value
            for value in (row.get(column) for row in rows)
        ]
        for column in columns
    }
    return pl.DataFrame(data, strict=False)


def _shown(text: str) -> str:
    """Text as an HTML cell shows it: unsafe characters escaped, cut, HTML-escaped."""
    text = escape_unsafe(text)
    if len(text) > HTML_CELL:
        text = text[: HTML_CELL - 1] + "…"
    return html.escape(text)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        text = value.isoformat(sep=" ", timespec="seconds")
    elif isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"), default=str)
    elif isinstance(value, float):
        text = f"{value:.4g}"
    else:
        text = str(value)
    return _shown(text)


def html_table(models: Sequence[Model]) -> str:
    """A compact HTML table of runs, every cell escaped and cut; the first HTML_ROWS rows
    and HTML_COLUMNS columns (DataFrames have them all)."""
    columns, rows = _table(models[:HTML_ROWS])
    shown = columns[:HTML_COLUMNS]
    head = "".join(f"<th>{_shown(column)}</th>" for column in shown)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(column))}</td>" for column in shown) + "</tr>"
        for row in rows
    )
    more = len(models) - len(rows)
    note = f"<p>… and {more} more runs</p>" if more > 0 else f"<p>{len(models)} runs</p>"
    hidden = len(columns) - len(shown)
    if hidden:
        note += f"<p>… and {hidden} more columns (to_pandas() has them all)</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
