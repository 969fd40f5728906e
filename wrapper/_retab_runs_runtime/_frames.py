"""Runs as rows: pandas and polars DataFrames, and the HTML tables notebooks show.

One row per run. The columns come from the spec, not from the data: an
experiment with no runs has them all, and every listing of one model has the
same columns with the same types. They follow the spec's field order; a
nested object the spec describes (a run's `lifecycle`, `timing`) becomes
dotted columns (`lifecycle.status`), the fields of every variant of a union
included. A free-form object (`block_config`) or an array stays one column.
Fields the spec does not name (what the API adds later) follow, sorted, when
some run carries them.

A column names one place in the run's JSON, and an unknown member never
takes a spec column's name: a member name that is not plain text (a dot, a
bracket, a quote, a backslash, a control or bidi character, a formula's
first character, or empty) is written as a JSON string in brackets
(`_text.member_column`), so an unknown top-level member called
`lifecycle.status` is the column `["lifecycle.status"]`, beside the spec's
`lifecycle.status`, and one called `a\x1b` is `["a\u001b"]`.

Both frames read the same column kinds, so they agree column by column:

    kind        pandas                 polars
    integer     Int64                  Int64
    number      Float64                Float64
    boolean     boolean                Boolean
    string      string                 String
    date-time   datetime64[us, UTC]    Datetime("us", "UTC")
    json        object (dicts, lists)  String (JSON text)

`json` is a free-form object, an array, or a value of several kinds; a field
the spec does not name takes the kind its values share (`json` when mixed).
Missing values are nulls (`pd.NA`, `NaT`, polars' null), never NaN.

The HTML table is bounded whatever the server sends (HTML_ROWS rows,
HTML_COLUMNS columns, HTML_CELL characters a cell or header, control and
bidi characters escaped); one run's table is the model's own (`_model`).
"""

from __future__ import annotations

import datetime
import html
import importlib
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from ._errors import MissingDependencyError, UnknownColumnError
from ._model import Model, Unset
from ._schema import COMPONENT_PREFIX, components
from ._text import column_path, escape_unsafe, member_column

__all__ = [
    "HTML_CELL",
    "HTML_COLUMNS",
    "HTML_ROWS",
    "HtmlTable",
    "columns_of",
    "rows_of",
    "to_pandas",
    "to_polars",
]

Kind = Literal["integer", "number", "boolean", "string", "date-time", "json"]

_UTC = datetime.UTC
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)
# numpy's not-a-time, as an int64 (the smallest).
_NAT = -(2**63)
# Nested spec objects are flattened this deep; deeper ones stay one JSON column.
_MAX_NESTING = 8
# `$ref`s followed to reach one schema (the spec's aliases are a step or two),
# and the alternatives of one union read.
_MAX_REFS = 16
_MAX_VARIANTS = 64
# An HTML table shows this many rows and columns, and cells up to this many characters.
HTML_ROWS = 50
HTML_COLUMNS = 40
HTML_CELL = 80
# The notebook table's default columns, a run's essentials: for each, the
# first column the model has (a summary's `status`, a run's `lifecycle.status`).
_COMPACT = (
    ("id",),
    ("status", "lifecycle.status"),
    ("score",),
    ("created_at", "timing.created_at"),
    ("duration_ms", "timing.duration_ms"),
    ("document_count", "total_document_count"),
)
_PANDAS_DTYPES: dict[Kind, str] = {
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "string": "string",
    "date-time": "datetime64[us, UTC]",
    "json": "object",
}


class _Schemas:
    """The spec's schemas as the columns need them: `$ref`s followed, unions flattened.

    A reference to a model reads that model's own schema (its properties in
    spec order; `schema.json` has them sorted), else the component's.
    """

    def __init__(self, package: str) -> None:
        self._components = components(package)
        self._models = importlib.import_module(f"{package}.models")

    def resolve(self, schema: Any) -> dict[str, Any]:
        for _ in range(_MAX_REFS):
            ref = schema.get("$ref") if isinstance(schema, dict) else None
            if not (isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX)):
                break
            name = ref.removeprefix(COMPONENT_PREFIX)
            model = getattr(self._models, name, None)
            if isinstance(model, type) and issubclass(model, Model):
                schema = model.SCHEMA.schema
            else:
                schema = self._components.get(name, {})
        return schema if isinstance(schema, dict) else {}

    def variants(self, schema: Any) -> list[dict[str, Any]]:
        """The non-null alternatives of a schema, unions inside unions flattened."""
        found: list[dict[str, Any]] = []
        pending: list[Any] = [schema]
        while pending and len(found) < _MAX_VARIANTS:
            current = self.resolve(pending.pop())
            members = current.get("anyOf") or current.get("oneOf")
            if isinstance(members, list):
                pending.extend(reversed(members))
            elif current.get("type") != "null":
                found.append(current)
        return found


def _scalar_kind(schema: dict[str, Any]) -> Kind:
    types = schema.get("type")
    names = {types} if isinstance(types, str) else set(types or ()) - {"null"}
    if not names and "const" in schema:
        names = {_value_kind(schema["const"])}
    if names == {"string"}:
        return "date-time" if schema.get("format") == "date-time" else "string"
    if names <= {"integer", "number"} and names:
        return "number" if "number" in names else "integer"
    return "boolean" if names == {"boolean"} else "json"


def _is_object(schema: dict[str, Any]) -> bool:
    """An object whose members the spec names (a free-form one stays one column)."""
    return bool(schema.get("properties")) and schema.get("type", "object") == "object"


def columns_of(model: type[Model]) -> dict[str, Kind]:
    """The spec's columns of a model's rows, dotted and in spec order, with their kinds.

    Walked with an explicit stack: the spec's depth never becomes recursion.
    """
    schemas = _Schemas(model.SCHEMA.package)
    found: dict[str, Kind] = {}
    stack: list[Iterator[tuple[str, Any]]] = [
        iter(model.SCHEMA.schema.get("properties", {}).items())
    ]
    prefixes = [""]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            prefixes.pop()
            continue
        name, schema = item
        column = prefixes[-1] + name
        variants = schemas.variants(schema)
        if variants and all(_is_object(v) for v in variants) and len(stack) < _MAX_NESTING:
            members: dict[str, Any] = {}
            for variant in variants:
                for member, member_schema in variant["properties"].items():
                    members.setdefault(member, {"anyOf": []})["anyOf"].append(member_schema)
            stack.append(iter(members.items()))
            prefixes.append(column + ".")
            continue
        kinds = {_scalar_kind(v) for v in variants} or {"json"}
        if kinds == {"integer", "number"}:
            kinds = {"number"}
        found.setdefault(column, kinds.pop() if len(kinds) == 1 else "json")
    return found


def _value_kind(value: Any) -> Kind:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "json"


def _unknown_kind(values: Sequence[Any]) -> Kind:
    """The kind a field the spec does not name takes from its values."""
    kinds = {_value_kind(value) for value in values if value is not None}
    for kind in ("integer", "number", "boolean", "string"):
        if kinds == {kind}:
            return kind
    return "number" if kinds == {"integer", "number"} else "json"


def _read(model: Model, column: str) -> Any:
    value: Any = model
    for part in column.split("."):
        value = value.get(part) if isinstance(value, Model) else None
    return value


def _unknown(model: Model, known: Mapping[str, Kind]) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    """(column, the names on its path as sent, value) of each field the spec does not name,
    at any depth the spec's columns reach (no recursion)."""
    stack: list[tuple[str, tuple[str, ...], Model]] = [("", (), model)]
    while stack:
        prefix, path, current = stack.pop()
        for name, value in (getattr(current, "additional_properties", None) or {}).items():
            column = column_path(prefix, member_column(name))
            if column not in known:
                yield column, (*path, name), value
        for name, attribute in current.FIELDS.items():
            column = column_path(prefix, name)
            inner = getattr(current, attribute)
            if isinstance(inner, Model) and column not in known:
                stack.append((column, (*path, name), inner))


def _cast(kind: Kind, value: Any) -> Any:  # noqa: PLR0911 (one conversion per kind)
    """A cell as its column's kind holds it; None for anything missing."""
    if value is None or isinstance(value, Unset):
        return None
    if isinstance(value, Model):
        value = value.to_dict()
    if kind == "json":
        return value
    if kind == "date-time":
        if not isinstance(value, datetime.datetime):
            return None
        try:
            return value.astimezone(_UTC)
        except OverflowError:  # year 1 or 9999 with an offset: the frame converts it
            return value
    if kind == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "number":
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if number else None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else json.dumps(value)


def rows_of(
    models: Sequence[Model], model: type[Model] | None = None
) -> tuple[dict[str, Kind], list[dict[str, Any]]]:
    """The columns (spec ones in order, then unknown ones sorted) and one row per model.

    `model` is the class of the rows, so that no rows still give the spec's
    columns; without it, the first row's class (and no columns when empty).
    """
    kind = model or (type(models[0]) if models else None)
    spec = columns_of(kind) if kind is not None else {}
    unknown: dict[str, list[Any]] = {}
    paths: dict[str, tuple[str, ...]] = {}
    rows = []
    for index, item in enumerate(models):
        row = {column: _read(item, column) for column in spec}
        for column, path, value in _unknown(item, spec):
            unknown.setdefault(column, [None] * index)
            paths[column] = path
            row[column] = value
        for column, values in unknown.items():
            values.append(row.get(column))
        rows.append(row)
    kinds = dict(spec)
    for column in sorted(unknown, key=paths.__getitem__):
        kinds[column] = _unknown_kind(unknown[column])
    return kinds, [{c: _cast(k, row.get(c)) for c, k in kinds.items()} for row in rows]


def _pandas_datetimes(pd: Any, values: Sequence[datetime.datetime | None]) -> Any:
    """Datetimes as a `datetime64[us, UTC]` Series, built from microseconds since the epoch:
    pandas' own conversion goes through nanoseconds, which wrap around past 2262."""
    import numpy as np  # noqa: PLC0415 (pandas' own dependency)

    micros = [_NAT if value is None else (value - _EPOCH) // _MICROSECOND for value in values]
    moments = np.array(micros, dtype="int64").view("datetime64[us]")
    return pd.Series(moments, dtype="datetime64[us]").dt.tz_localize("UTC")


def to_pandas(models: Sequence[Model], model: type[Model] | None = None) -> Any:
    """A pandas DataFrame, one row per run (see the module for the columns and types)."""
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415 (an optional extra)
    except ModuleNotFoundError as exc:
        if exc.name != "pandas":  # pandas is there, something it needs is not: say that
            raise
        raise MissingDependencyError("to_pandas()", "pandas", "pandas") from None
    kinds, rows = rows_of(models, model)
    # One frame per kind, then side by side in column order: a Series per column
    # costs ~0.2 ms, which 20,000 unknown members would turn into seconds.
    groups: dict[Kind, dict[str, list[Any]]] = {}
    for column, kind in kinds.items():
        groups.setdefault(kind, {})[column] = [row[column] for row in rows]
    parts = [
        pd.DataFrame({c: _pandas_datetimes(pd, values) for c, values in group.items()})
        if kind == "date-time"
        else pd.DataFrame(group, dtype=_PANDAS_DTYPES[kind])
        for kind, group in groups.items()
    ]
    if not parts:
        return pd.DataFrame(index=range(len(rows)))
    return pd.concat(parts, axis=1)[list(kinds)]


def to_polars(models: Sequence[Model], model: type[Model] | None = None) -> Any:
    """A polars DataFrame, one row per run (see the module for the columns and types)."""
    try:
        import polars as pl  # noqa: PLC0415 (an optional extra, imported when asked for)
    except ModuleNotFoundError as exc:
        if exc.name != "polars":
            raise
        raise MissingDependencyError("to_polars()", "polars", "polars") from None
    dtypes: dict[Kind, Any] = {
        "integer": pl.Int64,
        "number": pl.Float64,
        "boolean": pl.Boolean,
        "string": pl.String,
        "date-time": pl.Datetime("us", "UTC"),
        "json": pl.String,
    }
    kinds, rows = rows_of(models, model)
    series = []
    for column, kind in kinds.items():
        values = [row[column] for row in rows]
        if kind == "json":
            values = [None if value is None else json.dumps(value) for value in values]
        series.append(pl.Series(column, values, dtype=dtypes[kind]))
    return pl.DataFrame(series)


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


def _shown(text: str) -> str:
    """Text as an HTML cell shows it: unsafe characters escaped, cut, HTML-escaped."""
    text = escape_unsafe(text)
    if len(text) > HTML_CELL:
        text = text[: HTML_CELL - 1] + "…"
    return html.escape(text)


def _compact(kinds: Mapping[str, Kind]) -> list[str]:
    chosen = [next((c for c in names if c in kinds), None) for names in _COMPACT]
    return [column for column in chosen if column is not None] or list(kinds)


def _picked(columns: Sequence[str], kinds: Mapping[str, Kind]) -> list[str]:
    if isinstance(columns, str):
        columns = [columns]
    for column in columns:
        if column not in kinds:
            shown = escape_unsafe(", ".join(itertools.islice(kinds, HTML_COLUMNS)))
            shown = shown if len(shown) <= 400 else shown[:399] + "…"
            raise UnknownColumnError(
                f"unknown column {json.dumps(str(column))[:60]}; the columns are {shown}"
            )
    return list(columns)


class HtmlTable:
    """Runs as the HTML table a notebook shows (`_repr_html_`); `html` is its markup.

    Bounded whatever the server sends: every cell and header escaped
    (control and bidi characters too) and cut to HTML_CELL characters; the
    first HTML_ROWS runs and at most HTML_COLUMNS columns, saying how many
    more there are. By default a run's essentials (id, status, score,
    created_at, duration, documents); `columns` picks any of its columns
    instead (UnknownColumnError names the valid ones).
    """

    def __init__(
        self,
        models: Sequence[Model],
        model: type[Model] | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        kinds, rows = rows_of(models[:HTML_ROWS], model)
        picked = _picked(columns, kinds) if columns is not None else _compact(kinds)
        shown = picked[:HTML_COLUMNS]
        head = "".join(f"<th>{_shown(column)}</th>" for column in shown)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(row[column])}</td>" for column in shown) + "</tr>"
            for row in rows
        )
        more = len(models) - len(rows)
        notes = [f"… and {more} more runs" if more > 0 else f"{len(models)} runs"]
        if columns is None and len(shown) < len(kinds):
            notes.append(
                f"{len(shown)} of {len(kinds)} columns: .table(columns=[...]) picks them, "
                ".to_pandas() has them all"
            )
        elif len(shown) < len(picked):
            notes.append(
                f"… and {len(picked) - len(shown)} more columns (to_pandas() has them all)"
            )
        note = "".join(f"<p>{html.escape(text)}</p>" for text in notes)
        self.html = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"

    def _repr_html_(self) -> str:
        return self.html
