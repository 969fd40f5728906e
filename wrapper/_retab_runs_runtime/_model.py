"""What every generated model shares: validation on the way in, lookup by JSON name, repr.

Generated models (scripts/templates/model.py.jinja) declare their fields,
their `SCHEMA`, their `FIELDS` and a `from_valid_dict` that builds them from
data `SCHEMA` has accepted; the behaviour lives here, hand-written.
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import reprlib
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, NoReturn, Self

from ._schema import SchemaCheck, SchemaError
from ._text import column_path, escape_unsafe, member_column

__all__ = [
    "NOT_GIVEN",
    "UNSET",
    "Model",
    "NotGiven",
    "Unset",
    "model_repr",
    "parse_datetime",
    "select_variant",
]

_UTC = datetime.UTC
# A notebook's HTML table of one run shows this many fields, each cut to this
# many characters (a run may carry any number of unknown members), nested
# models dotted this deep.
_HTML_FIELDS = 60
_HTML_CELL = 80
_HTML_NESTING = 8


class Unset:
    """The type of `UNSET`: an optional field the response did not carry."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()


class NotGiven:
    """The type of `NOT_GIVEN`: an argument the caller left out.

    A request body tells a member left out (not sent: "unchanged") from one
    given as None (sent as null: "clear it"); `NOT_GIVEN` is the default of
    every optional body member.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: NotGiven = NotGiven()


def parse_datetime(value: str) -> datetime.datetime:
    """An RFC 3339 date-time (already validated); without an offset it is UTC.

    Read by msgspec, as the fast path reads it (`_fast`), so both give the
    same datetime: a `T`, `t` or space between date and time, seconds
    required, a fraction rounded to microseconds. Datetimes are always
    timezone-aware.
    """
    import msgspec  # noqa: PLC0415 - typing and inspect: ~40 ms of cold start

    parsed = msgspec.convert(value, datetime.datetime)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)


# One line while a repr fits this many characters, else one field a line.
_REPR_LINE = 100


class _Repr(reprlib.Repr):
    """reprlib's bounded repr, drawing models inside a value field by field.

    Each value is bounded on its own (strings, numbers, lists and dicts cut
    where reprlib cuts them); a model inside is never cut as a string, so
    every field name shows. Depth is bounded by `maxlevel`: free-form JSON
    can nest a thousand levels deep, and reprlib counts the levels down
    rather than recursing into a RecursionError.
    """

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, Model):
            return self._model(x, level)
        return super().repr1(x, level)

    def _model(self, obj: Model, level: int) -> str:
        name = type(obj).__name__
        if level <= 0:
            return f"{name}(...)"
        parts = [
            f"{field}={self.repr1(getattr(obj, field), level - 1)}"
            for field in obj.FIELDS.values()
            if not isinstance(getattr(obj, field), Unset)
        ]
        extra = getattr(obj, "additional_properties", None)
        if extra:
            parts.append(f"additional_properties={self.repr1(extra, level - 1)}")
        one_line = f"{name}({', '.join(parts)})"
        if len(one_line) <= _REPR_LINE and "\n" not in one_line:
            return one_line
        body = "".join(f"\n    {part.replace(chr(10), chr(10) + '    ')}," for part in parts)
        return f"{name}({body}\n)"


_REPR = _Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist = 8, 30, 30
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 200, 200, 60


def model_repr(obj: Model) -> str:
    """A model's repr: set fields only (no UNSET, no empty extras), one per line when long;
    models inside shown whole, field by field, each value bounded."""
    return _REPR.repr(obj)


def _html_fields(model: Model) -> Iterator[tuple[str, Any]]:
    """(column, JSON value) of each field set: the spec's in order, nested models' fields
    dotted in place, then unknown members (named as `_text.member_column` names them).
    Walked with a stack, to _HTML_NESTING levels: no recursion."""
    stack: list[tuple[str, Iterator[tuple[str, Any]]]] = [("", _html_items(model))]
    while stack:
        prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        column = column_path(prefix, item[0])
        value = item[1]
        if isinstance(value, Model) and len(stack) < _HTML_NESTING:
            stack.append((column, _html_items(value)))
        elif isinstance(value, datetime.datetime):
            yield column, value.isoformat(sep=" ")
        elif not isinstance(value, Unset):
            yield column, value.to_dict() if isinstance(value, Model) else value


def _html_items(model: Model) -> Iterator[tuple[str, Any]]:
    for name, attribute in model.FIELDS.items():
        yield name, getattr(model, attribute)
    for key, value in sorted((getattr(model, "additional_properties", None) or {}).items()):
        yield member_column(key), value


def _html_cell(value: Any) -> str:
    """A value as an HTML cell shows it: JSON unless text, unsafe characters escaped, cut."""
    text = (
        value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)
    )
    text = escape_unsafe(text)
    return html.escape(text if len(text) <= _HTML_CELL else text[: _HTML_CELL - 1] + "…")


class Model:
    """The base of every generated model.

    Each model declares its `SCHEMA`, its `FIELDS` (JSON name to attribute,
    in spec order) and `from_valid_dict`, which builds it from data `SCHEMA`
    has already accepted.
    """

    __slots__ = ()
    SCHEMA: ClassVar[SchemaCheck]
    FIELDS: ClassVar[dict[str, str]]

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], path: str = "") -> Self:
        """Build the model from decoded JSON, after validating it against the spec.

        Raises SchemaError (a ValueError) naming the deepest failing field,
        prefixed by `path`. Unknown fields are kept, never rejected.
        """
        data: Any = src_dict
        if type(data) is not dict and isinstance(data, Mapping):
            data = dict(data)
        cls.SCHEMA.validate(data, path)
        return cls.from_valid_dict(data)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build the model from a dict `SCHEMA` accepted (no checks)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        raise NotImplementedError

    def model_dump(self) -> dict[str, Any]:
        """`to_dict()` under the name pydantic models (and Retab's SDK) use: the JSON-ready
        dict, datetimes as ISO strings (pydantic's `model_dump(mode="json")`)."""
        return self.to_dict()

    def __iter__(self) -> NoReturn:
        """Not iterable: a model is one object, not a sequence of its fields.

        Without this, `for x in run` would call `run[0]`, `run[1]`, ... through
        `__getitem__` (Python's old iteration protocol) and fail with
        `KeyError: 0`.
        """
        raise TypeError(
            f"{type(self).__name__} objects are not iterable: read fields as attributes "
            "(run.id) or by JSON name (run['id']), iterate run.to_dict(), or make a "
            "DataFrame of a listing with runs.to_pandas()"
        )

    def __getitem__(self, key: str) -> Any:
        """A field by its JSON name: a spec field or an unknown one."""
        name = self.FIELDS.get(key)
        if name is not None:
            return getattr(self, name)
        extra = getattr(self, "additional_properties", None)
        if extra is None:
            raise KeyError(key)
        return extra[key]

    def get(self, key: str, default: Any = None) -> Any:
        """A field by its JSON name, or `default` when the model has no such field."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: str) -> bool:
        return key in self.FIELDS or key in (getattr(self, "additional_properties", None) or {})

    def __repr__(self) -> str:
        return model_repr(self)

    def _repr_html_(self) -> str:
        """The fields as a two-column HTML table, for notebooks: nested models as dotted rows
        (`timing.started_at`, not cut JSON), every cell escaped and cut, the first
        _HTML_FIELDS (the spec's first)."""
        fields = list(itertools.islice(_html_fields(self), _HTML_FIELDS + 1))
        rows = "".join(
            f"<tr><th style='text-align:left'>{_html_cell(name)}</th>"
            f"<td>{_html_cell(value)}</td></tr>"
            for name, value in fields[:_HTML_FIELDS]
        )
        note = ""
        if len(fields) > _HTML_FIELDS:
            more = sum(1 for _ in _html_fields(self)) - _HTML_FIELDS
            note = f"<p>… and {more} more fields</p>"
        return f"<table><tbody>{rows}</tbody></table>{note}"


def select_variant(value: Any, variants: tuple[type[Model], ...]) -> Any:
    """Build the first model class of a union whose schema `value` matches.

    The whole body was validated already, so one variant matches; with a
    discriminator the mapped variant is the one that validates.
    """
    for variant in variants:
        if variant.SCHEMA.is_valid(value):
            return variant.from_valid_dict(value)
    raise SchemaError("", "one of the variants", value)
