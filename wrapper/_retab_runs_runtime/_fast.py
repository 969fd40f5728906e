"""Decoding a body straight into the generated models, in C, wherever the spec allows.

The slow path decodes a body to dicts, validates them with the full JSON
Schema validator and builds the models in Python: three passes, the dict tree
and the models alive together. This one reads the bytes twice with msgspec,
from decoders compiled once per model class out of what the generated code
declares:

1. The check (`_check.py`): the model's schema as msgspec Structs that refuse fields the
   spec does not name, with the spec's closed enums, bounds, int64 ranges and
   date-times (with an offset) as msgspec constraints. It decides. Whatever it
   refuses (an unknown field, a value out of range, a date-time without an
   offset, a body too deep) goes to the slow path, which keeps unknown fields
   in `additional_properties`, reads what the spec allows beyond this (`7.0`
   for an integer) and names the failing path of a body it refuses.
2. The build: msgspec decodes the same bytes into the attrs model classes
   themselves (no `__init__` call, no dict tree). Free-form objects, whose
   members it cannot see, are then filled from the check pass.

A model whose shape these passes cannot carry exactly (a union of objects, a
pattern, a format other than date-time, renamed fields, ...) has no fast
decoder: `fast_decoder` says None, naming nothing, and bodies take the slow
path. `tests/test_fast_decoding.py` holds both paths to the same result.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any, Union

from ._check import Unsupported, check_type, models_in
from ._model import Model, Unset
from ._schema import components

__all__ = ["FastDecoder", "fast_decoder"]


def _fill_step(hint: Any, plans: dict[type[Model], Any]) -> tuple[str, Any] | None:
    """How one field's value takes its free-form members: none, or (shape, model plan)."""
    models = models_in(hint)
    if not models:
        return None
    if len(models) > 1:
        raise Unsupported("a union of objects")
    model = models[0]
    plan = plans[model]
    if plan is None:
        return None
    # The attribute's type without None and Unset: the model, or a list of it.
    members = [hint]
    if typing.get_origin(hint) in (Union, types.UnionType):
        members = [a for a in typing.get_args(hint) if a not in (type(None), Unset)]
    if members == [model]:
        return ("one", plan)
    if members == [list[model]]:  # type: ignore[valid-type]
        return ("each", plan)
    raise Unsupported(f"{model.__name__} inside a container")


def _plans(root: type[Model]) -> dict[type[Model], Any]:
    """For each model under `root`: "free" (free-form), None (nothing to fill) or its fields'
    steps, each model planned after the models it holds (a depth-first walk's post-order,
    with an explicit stack: the spec's depth never becomes Python recursion)."""
    plans: dict[type[Model], Any] = {}
    entered: set[type[Model]] = set()
    stack: list[tuple[type[Model], bool]] = [(root, False)]
    while stack:
        model, children_done = stack.pop()
        if model in plans:
            continue
        hints = typing.get_type_hints(model)
        if not children_done:
            if any(json_name != name for json_name, name in model.FIELDS.items()):
                raise Unsupported(f"{model.__name__} renames a member")
            entered.add(model)
            stack.append((model, True))
            for name in model.FIELDS.values():
                for held in models_in(hints[name]):
                    if held in entered and held not in plans:
                        raise Unsupported(f"the recursive model {held.__name__}")
                    stack.append((held, False))
            continue
        if not model.FIELDS:
            plans[model] = "free"
            continue
        steps = []
        for name in model.FIELDS.values():
            step = _fill_step(hints[name], plans)
            if step is not None:
                steps.append((name, *step))
        plans[model] = steps or None
    return plans


Gather = Callable[[Any, list[Any]], None]
Fill = Callable[[Any, Iterator[Any]], None]


def _present(value: Any) -> bool:
    return value is not None and not isinstance(value, Unset)


def _compiled(steps: list[tuple[str, str, Any]]) -> tuple[Gather, Fill]:
    """Two functions over one model's free-form members, in the same order: `gather`
    reads them off the check pass's Structs, `fill` hands them to the built models.

    Nested per the spec's models (a plan has no cycles: recursive schemas have no
    fast decoder), so their depth is the spec's, never the body's. A list of
    models with one free-form member (a listing's runs) is read with `map`.
    """
    gathers: list[Gather] = []
    fills: list[Fill] = []
    for name, shape, inner in steps:
        get = attrgetter(name)
        if inner == "free":
            gathers.append(_gather_free(get, shape))
            fills.append(_fill_free(get, shape))
            continue
        sub_gather, sub_fill = _compiled(inner)
        leaf = inner[0][0] if len(inner) == 1 and inner[0][1:] == ("one", "free") else None
        gathers.append(_gather_model(get, shape, sub_gather, leaf))
        fills.append(_fill_model(get, shape, sub_fill, leaf))

    def gather(holder: Any, out: list[Any]) -> None:
        for step in gathers:
            step(holder, out)

    def fill(holder: Any, members: Iterator[Any]) -> None:
        for step in fills:
            step(holder, members)

    return gather, fill


def _gather_free(get: Callable[[Any], Any], shape: str) -> Gather:
    def gather(holder: Any, out: list[Any]) -> None:
        value = get(holder)
        if shape == "one":
            out.append(value)
        elif type(value) is list:
            out.extend(value)

    return gather


def _fill_free(get: Callable[[Any], Any], shape: str) -> Fill:
    def fill(holder: Any, members: Iterator[Any]) -> None:
        value = get(holder)
        if shape == "one":
            found = next(members)
            if found is not None:
                value.additional_properties = found
        elif type(value) is list:
            for item, found in zip(value, members, strict=False):
                item.additional_properties = found

    return fill


def _gather_model(get: Callable[[Any], Any], shape: str, sub: Gather, leaf: str | None) -> Gather:
    def gather(holder: Any, out: list[Any]) -> None:
        value = get(holder)
        if shape == "one":
            if _present(value):
                sub(value, out)
        elif type(value) is list:
            if leaf is not None:
                out.extend(map(attrgetter(leaf), value))
            else:
                for item in value:
                    sub(item, out)

    return gather


def _fill_model(get: Callable[[Any], Any], shape: str, sub: Fill, leaf: str | None) -> Fill:
    def fill(holder: Any, members: Iterator[Any]) -> None:
        value = get(holder)
        if shape == "one":
            if _present(value):
                sub(value, members)
        elif type(value) is list:
            if leaf is not None:
                for target, found in zip(map(attrgetter(leaf), value), members, strict=False):
                    if found is not None:
                        target.additional_properties = found
            else:
                for item in value:
                    sub(item, members)

    return fill


class FastDecoder:
    """The two msgspec passes for one model class (see the module's docstring)."""

    def __init__(self, model: type[Model], check: Any, plan: Any) -> None:
        import msgspec.json  # noqa: PLC0415 - typing and inspect: ~40 ms of cold start

        self._check = msgspec.json.Decoder(check)
        self._build = msgspec.json.Decoder(model)
        self._steps = None if plan is None else _compiled(plan)

    def decode(self, data: bytes | bytearray) -> Any:
        """The model built from `data`, or None when the slow path must decide."""
        try:
            checked = self._check.decode(data)
        except (ValueError, RecursionError):
            return None
        found: list[Any] = []
        if self._steps is not None:
            self._steps[0](checked, found)
        del checked  # the check's Structs go before the models are built
        try:
            built = self._build.decode(data)
        except (ValueError, RecursionError):  # pragma: no cover - the check accepted it
            return None
        if self._steps is not None:
            self._steps[1](built, iter(found))
        return built


_decoders: dict[type, FastDecoder | None] = {}


def fast_decoder(model: type[Model]) -> FastDecoder | None:
    """The fast decoder of `model`, compiled on first use; None where the spec's shape
    is beyond it (then bodies take the slow path)."""
    if model in _decoders:
        return _decoders[model]
    decoder: FastDecoder | None = None
    try:
        check = check_type(model.SCHEMA.schema, components(model.SCHEMA.package), model)
        root = _plans(model)[model]
        if root != "free":  # a free-form body: the slow path keeps it whole, as cheaply
            decoder = FastDecoder(model, check, root)
    except (Unsupported, TypeError, ValueError, KeyError, NameError):
        # msgspec refuses some shapes itself: a union of objects (TypeError), odd
        # bounds; a class whose annotations do not resolve (NameError) or do not
        # name every field (KeyError) is left to the slow path too, never raised.
        decoder = None
    return _decoders.setdefault(model, decoder)
