"""Decoding a body straight into the generated models, in C, wherever the spec allows.

The slow path decodes a body to dicts, validates them with the full JSON
Schema validator and builds the models in Python: three passes, the dict tree
and the models alive together. This one reads the bytes twice with msgspec,
from decoders compiled once per model class out of what the generated code
declares:

1. The check (`_check.py`): the model's schema as msgspec Structs that refuse fields the
   spec does not name, with the spec's closed enums, bounds, int64 ranges,
   date-times (with an offset) and unions of objects (tagged Structs, or one
   Struct for a oneOf whose branch the build then picks by the members
   present) as msgspec constraints. It decides. Whatever it refuses (an
   unknown field, a value out of range, a date-time without an offset, a tag
   the mapping does not list, a body too deep) goes to the slow path, which keeps unknown
   fields in `additional_properties`, reads what the spec allows beyond this
   (`7.0` for an integer) and names the failing path of a body it refuses.
2. The build: msgspec decodes the same bytes into the attrs model classes
   themselves (no `__init__` call, no dict tree). Where a class's attributes
   say more than msgspec can build (a union of models, `X | Unset`, a member
   renamed from its JSON name), it decodes into the class's *build twin*: a
   subclass adding no storage, whose annotations and member names msgspec
   can build (a union of models taken as `msgspec.Raw`, `Unset` left to the
   default, a renamed member stored through the class's own slot); each twin
   object then takes its real class (`__class__`, allowed between classes of
   one layout), so callers only ever see the generated classes. A union's
   `Raw` values are built as the variants the check chose, one decode a
   variant; free-form objects, whose members msgspec cannot see, are filled
   from the check pass.

A model whose shape these passes cannot carry exactly (a union its branches'
members cannot tell apart, a pattern, a format other than date-time, a
free-form body or a map of models at the top, ...) has no fast decoder:
`fast_decoder` says None, naming nothing, and bodies take the slow path.
`tests/test_fast_decoding.py` holds both paths to the same result over every
model of the spec.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any, Union

from ._check import ONE_OF, Unsupported, check_type, models_in
from ._model import Model, Unset
from ._operation import ListOf, Variants
from ._schema import components

__all__ = ["FastDecoder", "fast_decoder"]

# Each step works on every object of one class at one level of the body at once (a
# page's runs, their lifecycles, ...): `gather` reads the check's Structs into a flat
# list, `fill` finishes the built objects from it, both in the same order.
Gather = Callable[[list[Any], list[Any]], None]
Fill = Callable[[list[Any], Iterator[Any]], None]


def _members(hint: Any) -> list[Any]:
    """The members of a union type (the type itself when it is not one)."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        return list(typing.get_args(hint))
    return [hint]


class _Plan:
    """How one model is built: the class msgspec decodes into (the model or its twin),
    and what is done to each built object after (`gather` reads the check's Struct,
    `fill` finishes the built object; None where there is nothing to do)."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.build: type = model
        self.free = False
        self.values: list[_Plan] | None = None  # a map of one of these models
        self.gather: Gather | None = None
        self.fill: Fill | None = None
        self.decoder: Any = None  # the build pass of this class alone (a union's variant)

    def built(self, raws: list[Any]) -> list[Any]:
        """The objects decoded (not yet finished) from `msgspec.Raw` values the check
        accepted as this variant, in one decode."""
        if self.decoder is None:
            import msgspec.json  # noqa: PLC0415 - see FastDecoder

            self.decoder = msgspec.json.Decoder(list[self.build])  # type: ignore[name-defined]
        return self.decoder.decode(b"[" + b",".join(raws) + b"]")  # type: ignore[no-any-return]


class _Planner:
    """The plans of a model and every model it holds, each after the models it holds
    (a depth-first walk's post-order, with an explicit stack: the spec's depth never
    becomes Python recursion)."""

    def __init__(self) -> None:
        import msgspec  # noqa: PLC0415 - see FastDecoder

        self.msgspec = msgspec
        self.plans: dict[type[Model], _Plan] = {}

    def plan(self, root: type[Model]) -> _Plan:
        entered: set[type[Model]] = set()
        stack: list[tuple[type[Model], bool]] = [(root, False)]
        while stack:
            model, children_done = stack.pop()
            if model in self.plans:
                continue
            hints = typing.get_type_hints(model)
            if not children_done:
                entered.add(model)
                stack.append((model, True))
                for name in (*model.FIELDS.values(), "additional_properties"):
                    for held in models_in(hints.get(name)):
                        if held in entered and held not in self.plans:
                            raise Unsupported(f"the recursive model {held.__name__}")
                        stack.append((held, False))
                continue
            self.plans[model] = self.compile(model, hints)
        return self.plans[root]

    def compile(self, model: type[Model], hints: dict[str, Any]) -> _Plan:
        plan = _Plan(model)
        if not model.FIELDS:
            values = models_in(hints.get("additional_properties"))
            if values:  # a map of one of several models: built by its holder (`_fill_map`)
                if typing.get_origin(hints["additional_properties"]) is not dict:
                    raise Unsupported(f"{model.__name__}, a map of models in a container")
                plan.values = [self.plans[m] for m in values]
            else:
                plan.free = True
            return plan
        annotations: dict[str, Any] = {}
        gathers: list[Gather] = []
        fills: list[Fill] = []
        for json_name, name in model.FIELDS.items():
            hint = hints[name]
            built = self.field(model, json_name, name, hint, gathers, fills)
            if built is not hint or json_name != name:
                annotations[json_name] = built
        if annotations:
            plan.build = _twin(model, annotations)
            fills.append(_reclass(model))
        plan.gather = _sequence(gathers)
        plan.fill = _sequence(fills)
        return plan

    def field(  # noqa: PLR0912, PLR0917 (one member's whole plan, a branch a shape)
        self,
        model: type[Model],
        json_name: str,
        name: str,
        hint: Any,
        gathers: list[Gather],
        fills: list[Fill],
    ) -> Any:
        """The build pass's type of one member, adding its steps to `gathers`/`fills`."""
        members = [m for m in _members(hint) if m is not Unset]
        rebuilt = Union[tuple(members)] if len(members) > 1 else members[0]  # noqa: UP007
        held = models_in(hint)
        if not held:
            return rebuilt if Unset in _members(hint) else hint
        objects = [m for m in members if m is not type(None)]
        if len(held) > 1:
            if set(objects) != set(held):
                raise Unsupported(f"a union of {model.__name__}'s models inside a container")
            # Told apart by a tag, or the check (which reads the spec) refuses the shape.
            gathers.append(_gather_union(attrgetter(json_name), [self.plans[m] for m in held]))
            fills.append(_fill_union(name, self.msgspec.Raw))
            return self.msgspec.Raw
        plan = self.plans[held[0]]
        built: Any
        if objects == [list[held[0]]]:  # type: ignore[valid-type]
            shape, original, built = "each", objects[0], list[plan.build]  # type: ignore[name-defined]
        elif held[0] in objects:
            shape, original, built = "one", held[0], plan.build
        else:
            raise Unsupported(f"{held[0].__name__} inside a container")
        if built != original or Unset in _members(hint):
            members = [built if m == original else m for m in members]
            hint = Union[tuple(members)] if len(members) > 1 else members[0]  # noqa: UP007
        if plan.values is not None:
            if shape != "one":
                raise Unsupported(f"{held[0].__name__} inside a container")
            gathers.append(_gather_map(attrgetter(json_name), plan.values))
            fills.append(_fill_map(name, plan.model, plan.values))
            members = [dict[str, self.msgspec.Raw] if m is held[0] else m for m in members]  # type: ignore[name-defined]
            return Union[tuple(members)] if len(members) > 1 else members[0]  # noqa: UP007
        if plan.free:
            gathers.append(_gather_free(attrgetter(json_name), shape))
            fills.append(_fill_free(attrgetter(name), shape))
        else:
            if plan.gather is not None:
                gathers.append(_gather_model(attrgetter(json_name), shape, plan.gather))
            if plan.fill is not None:
                fills.append(_fill_model(attrgetter(name), shape, plan.fill, plan.build))
        return hint


def _twin(model: type[Model], annotations: dict[str, Any]) -> type:
    """The class msgspec builds in place of `model`: a subclass adding no storage, whose
    members msgspec can build (see the module's docstring). A member renamed from its
    JSON name is declared under the JSON name and stored through the model's own slot."""
    import attrs  # noqa: PLC0415 - the generated classes imported it already

    renamed = {name: json_name for json_name, name in model.FIELDS.items() if json_name != name}
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__annotations__": annotations,
        "__module__": model.__module__,
        "__attrs_attrs__": tuple(
            a.evolve(name=renamed[a.name]) if a.name in renamed else a
            for a in attrs.fields(model)  # type: ignore[arg-type]
        ),
    }
    for name, json_name in renamed.items():
        if json_name in namespace or not json_name.isidentifier():
            raise Unsupported(f"the member name {json_name!r}")
        namespace[json_name] = model.__dict__[name]  # the slot, under the JSON name
    return type(model.__name__, (model,), namespace)


def _sequence(steps: list[Any]) -> Any:
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]

    def run(holders: list[Any], out: Any) -> None:
        for step in steps:
            step(holders, out)

    return run


def _reclass(model: type[Model]) -> Fill:
    def fill(holders: list[Any], members: Iterator[Any]) -> None:
        for holder in holders:
            holder.__class__ = model

    return fill


def _gather_free(get: Callable[[Any], Any], shape: str) -> Gather:
    def gather(holders: list[Any], out: list[Any]) -> None:
        if shape == "one":
            out.extend([value if type(value) is dict else None for value in map(get, holders)])
            return
        for value in map(get, holders):
            if type(value) is list:
                out.extend(value)

    return gather


def _fill_free(get: Callable[[Any], Any], shape: str) -> Fill:
    def fill(holders: list[Any], members: Iterator[Any]) -> None:
        if shape == "one":
            for value, found in zip(map(get, holders), members, strict=False):
                if found is not None:
                    value.additional_properties = found
            return
        for value in map(get, holders):
            if type(value) is list:
                for item, found in zip(value, members, strict=False):
                    item.additional_properties = found

    return fill


def _gather_model(get: Callable[[Any], Any], shape: str, sub: Gather) -> Gather:
    def gather(holders: list[Any], out: list[Any]) -> None:
        if shape == "one":
            held = [value for value in map(get, holders) if hasattr(value, "__struct_fields__")]
        else:
            held = [item for value in map(get, holders) if type(value) is list for item in value]
        if held:
            sub(held, out)

    return gather


def _fill_model(get: Callable[[Any], Any], shape: str, sub: Fill, built: type) -> Fill:
    def fill(holders: list[Any], members: Iterator[Any]) -> None:
        if shape == "one":
            held = [value for value in map(get, holders) if type(value) is built]
        else:
            held = [item for value in map(get, holders) if type(value) is list for item in value]
        if held:
            sub(held, members)

    return fill


class _Variants(dict[type, Any]):
    """The plan of each of a union's variants by the type of its check Struct (None:
    null or absent), found on first sight from the Struct's tag and tag member; a
    oneOf's Struct (`PER_VALUE`) is decided per value, by its members (`pick`)."""

    def __init__(self, plans: list[_Plan]) -> None:
        super().__init__()
        self.plans = plans

    def __missing__(self, kind: type) -> Any:
        config = getattr(kind, "__struct_config__", None)
        plan: Any = None
        if hasattr(kind, ONE_OF):
            plan = _PER_VALUE
        elif config is not None:
            tag = config.tag_field
            plan = next(p for p in self.plans if _single(p.model, tag) == config.tag)
        self[kind] = plan
        return plan

    def pick(self, value: Any) -> _Plan:
        """The one branch of a oneOf whose required members are all present, if no
        member it does not name is (ValueError otherwise: the slow path decides)."""
        import msgspec  # noqa: PLC0415 - see FastDecoder

        present = {f for f in value.__struct_fields__ if getattr(value, f) is not msgspec.UNSET}
        matching = [v for v in getattr(value, ONE_OF) if v[1] <= present]
        if len(matching) != 1 or not present <= matching[0][2]:
            raise ValueError("a oneOf the members present do not decide")
        return next(p for p in self.plans if p.model.__name__ == matching[0][0])


_PER_VALUE = object()


def _single(model: type[Model], name: str) -> Any:
    """The one value member `name` of a model allows (a const or a one-value enum)."""
    member = model.SCHEMA.schema.get("properties", {}).get(name, {})
    values = [member["const"]] if "const" in member else member.get("enum", [None, None])
    return values[0] if len(values) == 1 else None


def _gather_union(get: Callable[[Any], Any], plans: list[_Plan]) -> Gather:
    """Each holder's variant (None for null or absent), then each variant's own members."""
    variants = _Variants(plans)

    def gather(holders: list[Any], out: list[Any]) -> None:
        _gather_variants(variants, list(map(get, holders)), out)

    return gather


def _gather_variants(variants: _Variants, values: list[Any], out: list[Any]) -> None:
    """Each value's variant (None: not an object), then each variant's own members."""
    chosen = list(map(variants.__getitem__, map(type, values)))
    if _PER_VALUE in chosen:
        chosen = [
            variants.pick(v) if p is _PER_VALUE else p for v, p in zip(values, chosen, strict=True)
        ]
    out.extend(chosen)
    for plan in dict.fromkeys(chosen):  # in the order `_built_variants` meets them
        if plan is not None and plan.gather is not None:
            plan.gather([v for v, p in zip(values, chosen, strict=True) if p is plan], out)


def _built_variants(raws: list[Any], members: Iterator[Any]) -> list[Any]:
    """The models of `msgspec.Raw` values, each the variant the check chose (None: null),
    built in one decode a variant and finished."""
    if len(raws) == 1:  # one object (a get): no grouping
        plan = next(members)
        if plan is None:
            return [None]
        built: list[Any] = plan.built(raws)
        if plan.fill is not None:
            plan.fill(built, members)
        return built
    picked: dict[Any, list[int]] = {}  # variant -> the positions it was chosen at
    for i, plan in zip(range(len(raws)), members, strict=False):
        picked.setdefault(plan, []).append(i)
    out: list[Any] = [None] * len(raws)
    for plan, positions in picked.items():
        if plan is None:
            continue
        built = plan.built([raws[i] for i in positions])
        if plan.fill is not None:
            plan.fill(built, members)
        for i, obj in zip(positions, built, strict=True):
            out[i] = obj
    return out


def _fill_union(name: str, raw: type) -> Fill:
    """Each holder's `msgspec.Raw` member replaced by the variant built from it."""
    get = attrgetter(name)

    def fill(holders: list[Any], members: Iterator[Any]) -> None:
        values = list(map(get, holders))
        built = _built_variants(values, members)
        for holder, value, obj in zip(holders, values, built, strict=True):
            if type(value) is raw:  # else absent: the default stays
                setattr(holder, name, obj)

    return fill


def _gather_map(get: Callable[[Any], Any], plans: list[_Plan]) -> Gather:
    """Every value of each holder's map (a dict of the check's tagged Structs), in order."""
    variants = _Variants(plans)

    def gather(holders: list[Any], out: list[Any]) -> None:
        maps = [value for value in map(get, holders) if type(value) is dict]
        _gather_variants(variants, [item for m in maps for item in m.values()], out)

    return gather


def _fill_map(name: str, model: type[Model], plans: list[_Plan]) -> Fill:
    """Each holder's map of `msgspec.Raw` replaced by the model holding the built variants."""
    get = attrgetter(name)

    def fill(holders: list[Any], members: Iterator[Any]) -> None:
        maps = [
            (holder, value)
            for holder, value in zip(holders, map(get, holders), strict=True)
            if type(value) is dict
        ]
        built = iter(_built_variants([item for _, m in maps for item in m.values()], members))
        for holder, value in maps:
            obj = model()
            obj.additional_properties = dict(zip(value, built, strict=False))  # type: ignore[attr-defined]
            setattr(holder, name, obj)

    return fill


class FastDecoder:
    """The two msgspec passes for one answer's shape (see the module's docstring)."""

    def __init__(self, check: Any, build: Any, plan: _Plan, each: bool) -> None:
        import msgspec.json  # noqa: PLC0415 - typing and inspect: ~40 ms of cold start

        self._check = msgspec.json.Decoder(check)
        self._build = msgspec.json.Decoder(build)
        self._gather = plan.gather
        self._fill = plan.fill
        self._each = each

    def decode(self, data: bytes | bytearray) -> Any:
        """The model built from `data`, or None when the slow path must decide."""
        try:
            checked = self._check.decode(data)
        except (ValueError, RecursionError):
            return None
        found: list[Any] = []
        try:
            if self._gather is not None:  # a oneOf's branch is decided here
                self._apply(self._gather, checked, found)
        except ValueError:
            return None
        del checked  # the check's Structs go before the models are built
        try:
            built = self._build.decode(data)
            if self._fill is not None:  # a union's variant is built (and its strings read) here
                self._apply(self._fill, built, iter(found))
        except (ValueError, RecursionError):  # a string the check left to the build
            return None
        return built

    def _apply(self, step: Any, root: Any, out: Any) -> None:
        """`step` over the root, or over the items of a top-level array."""
        step(root if self._each else [root], out)


class _TagDecoder:
    """A body that is one of several models: its tag read first, then that model's decoder."""

    def __init__(self, variants: Variants[Any]) -> None:
        import msgspec  # noqa: PLC0415 - see FastDecoder

        name = variants.discriminator
        if name is None or not name.isidentifier():
            raise Unsupported("variants without a discriminator")
        # The tag picks the variant the slow path picks when no variant before the
        # mapped one allows the tag; checked per tag against the variants' own schemas.
        for tag, model in variants.mapping.items():
            for before in variants.models[: variants.models.index(model)]:
                member = before.SCHEMA.schema.get("properties", {}).get(name, {})
                if member.get("const", tag) == tag:
                    raise Unsupported("variants the discriminator does not tell apart")
        self._mapping = dict(variants.mapping)
        self._tag = msgspec.json.Decoder(
            msgspec.defstruct("Tag", [(name, Any, None)], gc=False)  # others skipped
        )
        self._name = name

    def decode(self, data: bytes | bytearray) -> Any:
        try:
            tag = getattr(self._tag.decode(data), self._name)
        except (ValueError, RecursionError):
            return None
        model = self._mapping.get(tag) if type(tag) is str else None
        decoder = None if model is None else fast_decoder(model)
        return None if decoder is None else decoder.decode(data)


# By class, or by id for a ListOf/Variants (a Variants' mapping is not hashable),
# each kept with its target so an id is never reused while it is a key.
_decoders: dict[Any, tuple[Any, FastDecoder | _TagDecoder | None]] = {}


def _compiled(
    target: type[Model] | ListOf[Any] | Variants[Any],
) -> FastDecoder | _TagDecoder | None:
    if isinstance(target, Variants):
        return _TagDecoder(target)
    model = target.model if isinstance(target, ListOf) else target
    check = check_type(model.SCHEMA.schema, components(model.SCHEMA.package), model)
    plan = _Planner().plan(model)
    if plan.free or plan.values is not None:  # a free-form body, a map of models at the top:
        return None  # the slow path keeps or builds it whole, as cheaply
    if isinstance(target, ListOf):
        return FastDecoder(list[check], list[plan.build], plan, each=True)  # type: ignore[valid-type,name-defined]
    return FastDecoder(check, plan.build, plan, each=False)


def fast_decoder(target: Any) -> FastDecoder | _TagDecoder | None:
    """The fast decoder of a model, a `ListOf` or a `Variants`, compiled on first use;
    None where the spec's shape is beyond it (then bodies take the slow path)."""
    key = target if isinstance(target, type) else id(target)
    if key in _decoders:
        return _decoders[key][1]
    try:
        decoder = _compiled(target)
    except (Unsupported, TypeError, ValueError, KeyError, NameError, AttributeError):
        # msgspec refuses some shapes itself (TypeError), odd bounds; a class whose
        # annotations do not resolve (NameError) or do not name every field (KeyError)
        # is left to the slow path too, never raised.
        decoder = None
    return _decoders.setdefault(key, (target, decoder))[1]
