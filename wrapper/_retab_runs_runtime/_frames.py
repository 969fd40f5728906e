"""Runs as rows: pandas and polars DataFrames, and the HTML tables notebooks show.

One row per run. Columns follow the spec's field order; a nested object the
spec describes (a run's `lifecycle`, `timing`) becomes dotted columns
(`lifecycle.status`), its variants' fields included; fields the spec does not
name follow, sorted. Datetimes are timezone-aware, in UTC. Open value sets
(`status`) stay strings. Free-form JSON (`block_config`) stays a dict in
pandas and becomes JSON text in polars, whose columns need one type.
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

__all__ = ["flatten", "html_table", "to_pandas", "to_polars"]

_UTC = datetime.UTC
# Nested spec objects are flattened this deep; deeper ones stay whole.
_MAX_NESTING = 8
# An HTML table shows this many rows, and cells up to this many characters.
HTML_ROWS = 50
HTML_CELL = 80


def _items(model: Model) -> Iterator[tuple[str, Any]]:
    for name, attribute in model.FIELDS.items():
        yield name, getattr(model, attribute)
    extra = getattr(model, "additional_properties", None) or {}
    yield from sorted(extra.items())


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


def flatten(model: Model) -> dict[str, Any]:
    """One run as a row: `{column: value}`, nested models as dotted columns (no recursion)."""
    row: dict[str, Any] = {}
    stack = [("", _items(model))]
    while stack:
        prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        name, value = item
        if isinstance(value, Model) and len(stack) < _MAX_NESTING:
            stack.append((f"{prefix}{name}.", _items(value)))
        else:
            row[f"{prefix}{name}"] = _value(value)
    return row


def _table(models: Sequence[Model]) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [flatten(model) for model in models]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns), rows


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
    if len(text) > HTML_CELL:
        text = text[: HTML_CELL - 1] + "…"
    return html.escape(text)


def html_table(models: Sequence[Model]) -> str:
    """A compact HTML table of runs, every cell escaped; the first HTML_ROWS rows."""
    columns, rows = _table(models[:HTML_ROWS])
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(column))}</td>" for column in columns) + "</tr>"
        for row in rows
    )
    more = len(models) - len(rows)
    note = f"<p>… and {more} more runs</p>" if more > 0 else ""
    count = f"<p>{len(models)} runs</p>" if not more else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note or count}"
