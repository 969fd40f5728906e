"""The fast path's check pass: a msgspec type that accepts exactly what a schema allows.

`check_type` turns the spec's JSON Schema (with the component schemas it
refers to) into msgspec Structs, `Literal`s and `Meta` constraints: unknown
members refused (the slow path keeps them), closed enums, bounds and int32/
int64 ranges, date-times with an offset, maps of one type, unions of objects
as tagged Structs (by their discriminator, or by a member holding one value a
branch) and a oneOf of objects as one Struct of every member (`ONE_OF`: exact
only with the branch choice `_fast` makes from the members present). Members
the generated class's own attribute types already check (any string) are taken
as `msgspec.Raw`, unread, for the build pass to check. A shape it cannot carry
exactly raises `Unsupported`, naming it; `tests/test_fast_compiler.py` holds
every shape it carries to jsonschema-rs over a table of values. `_fast` is its
user.
"""

from __future__ import annotations

import datetime
import keyword
import types
import typing
from typing import Any, Literal, Union

from ._model import Model
from ._schema import COMPONENT_PREFIX, INT_BOUNDS

__all__ = ["ONE_OF", "Unsupported", "check_type", "models_in"]

# The class attribute of a oneOf's Struct listing its branches: (component, required
# members, members named) each; the build picks the branch from the members present.
ONE_OF = "__one_of__"

# Keywords that only describe: they never make a value invalid.
_ANNOTATIONS = frozenset(
    {"description", "example", "examples", "title", "default", "deprecated", "$comment"}
    | {"readOnly", "writeOnly"}
)
_CHECKED = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "enum", "const"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format", "anyOf"}
    | {"minLength", "maxLength", "minItems", "maxItems", "$ref", "discriminator", "oneOf"}
)
_NUMBER_FORMATS = frozenset({"float", "double"})
# Every keyword JSON Schema gives a meaning to (drafts 4 to 2020-12): one the check does not
# carry is refused. Any other key is ignored by the validator, so by the check too.
_KEYWORDS = _CHECKED | {
    "$defs", "definitions", "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor",
    "$vocabulary", "$recursiveRef", "$recursiveAnchor", "multipleOf", "pattern", "uniqueItems",
    "maxContains", "minContains", "maxProperties", "minProperties", "dependentRequired",
    "dependencies", "dependentSchemas", "patternProperties", "propertyNames", "prefixItems",
    "additionalItems", "contains", "unevaluatedItems", "unevaluatedProperties", "allOf", "oneOf",
    "not", "if", "then", "else", "contentEncoding", "contentMediaType", "contentSchema",
}  # fmt: skip


class Unsupported(Exception):
    """A schema shape the fast path cannot check exactly (the message names it)."""


class _Compiler:
    """The check pass's types for one schema and the components it refers to."""

    def __init__(self, components: dict[str, Any]) -> None:
        import msgspec  # noqa: PLC0415 - see FastDecoder

        self.msgspec = msgspec
        self.components = components
        self.visiting: set[str] = set()

    def type_of(self, node: Any, hint: Any = None) -> Any:
        """The msgspec type checking exactly what `node` allows (Unsupported otherwise).

        `hint` is the generated attribute's type where known: where the build
        pass enforces all `node` asks (any string), the check takes the value
        as `msgspec.Raw`, unread.
        """
        if not isinstance(node, dict):
            raise Unsupported("a boolean schema")
        unknown = (node.keys() & _KEYWORDS) - _CHECKED
        if unknown:
            raise Unsupported(f"the keyword {sorted(unknown)[0]}")
        if "$ref" in node:
            return self.ref(node, hint)
        if hint is not None:
            strings = _any_string(node, self.components)
            if strings[0] and strings == _any_string_hint(hint):
                return self.msgspec.Raw
        if node.keys() & {"discriminator", "oneOf", "anyOf"}:
            return self.union(node, hint)
        if "enum" in node or "const" in node:
            return self.literal(node)
        kinds = node.get("type")
        if kinds is None:
            if node.keys() & _CHECKED:
                raise Unsupported("rules without a type")
            return Any
        kinds = [kinds] if isinstance(kinds, str) else kinds
        return Union[tuple(self.one_type(kind, node, hint) for kind in kinds)]  # noqa: UP007

    def ref(self, node: dict[str, Any], hint: Any) -> Any:
        target = node["$ref"]
        if not isinstance(target, str) or not target.startswith(COMPONENT_PREFIX):
            raise Unsupported("a $ref outside the components")
        if node.keys() & _CHECKED - {"$ref"}:
            raise Unsupported("$ref beside other rules")
        name = target[len(COMPONENT_PREFIX) :]
        if name in self.visiting:
            raise Unsupported(f"the recursive schema {name}")
        if name not in self.components:
            raise Unsupported(f"the missing schema {name}")
        self.visiting.add(name)
        try:
            return self.type_of(self.components[name], hint)
        finally:
            self.visiting.discard(name)

    def union(self, node: dict[str, Any], hint: Any) -> Any:
        """A value that is one of several schemas: tagged, oneOf or anyOf."""
        if "discriminator" in node:
            return self.tagged(node, hint)
        if "oneOf" in node:
            if node.keys() & _CHECKED - {"oneOf"}:
                raise Unsupported("oneOf beside other rules")
            return self.one_of(node["oneOf"])
        if node.keys() & _CHECKED - {"anyOf"}:
            raise Unsupported("anyOf beside other rules")
        inferred = self.inferred_discriminator(node["anyOf"])
        if inferred is not None:
            return self.tagged({"anyOf": node["anyOf"], "discriminator": inferred}, hint)
        return Union[tuple(self.type_of(branch) for branch in node["anyOf"])]  # noqa: UP007

    def tagged(self, node: dict[str, Any], hint: Any) -> Any:
        """A union of objects told apart by a discriminator: msgspec's tagged Structs.

        Exact only where the tag alone picks the variant the slow path picks (the
        first one in the spec's order that the body matches): each mapped
        variant's member is that one value, and no variant before it allows the
        value. A tag the mapping does not list (a catch-all variant) is refused
        here, so the slow path reads it; so is a variant of a union the tag does
        not decide.
        """
        if node.keys() & _CHECKED - {"anyOf", "discriminator"}:
            raise Unsupported("a discriminator beside other rules")
        found = node["discriminator"]
        name = found.get("propertyName") if isinstance(found, dict) else None
        mapping = found.get("mapping") if isinstance(found, dict) else None
        branches = node.get("anyOf")
        if not isinstance(name, str) or not mapping or not isinstance(branches, list):
            raise Unsupported("a discriminator without a mapping over anyOf")
        order = [self.branch_name(branch) for branch in branches]
        options: list[Any] = []
        for tag, target in mapping.items():
            target_name = target.rsplit("/", 1)[-1]
            if target_name not in order:
                raise Unsupported("a discriminator mapping to a schema outside the union")
            for before in order[: order.index(target_name)]:
                values = None if before is None else self.member_values(before, name)
                if before is not None and (values is None or tag in values):
                    raise Unsupported("variants the discriminator does not tell apart")
            if self.member_values(target_name, name) != {tag}:
                raise Unsupported("a mapped variant whose member allows more than its tag")
            options.append(self.variant(target_name, name, tag, hint))
        # No null, even beside a null branch: the validator reads a mapping as "if the
        # tag is this value then that variant", which a non-object fails.
        return Union[tuple(options)]  # noqa: UP007

    def inferred_discriminator(self, branches: Any) -> dict[str, Any] | None:
        """A discriminator for a union of objects that names none: the first member
        that holds one value (a const) in at least two of the branches. `tagged`
        then checks that this value alone picks the branch the slow path picks."""
        refs = [b.get("$ref") if isinstance(b, dict) else None for b in branches]
        names = [r[len(COMPONENT_PREFIX) :] for r in refs if isinstance(r, str)]
        objects = [n for n in names if self.components.get(n, {}).get("type") == "object"]
        if len(objects) < 2 or len(names) != len(branches):
            return None
        values = {n: self.single_values(n) for n in objects}
        for member in (m for n in objects for m in values[n]):
            mapping = {
                values[n][member]: COMPONENT_PREFIX + n for n in objects if member in values[n]
            }
            if len(mapping) >= 2:
                return {"propertyName": member, "mapping": mapping}
        return None

    def single_values(self, component: str) -> dict[str, Any]:
        """The members of a component that allow one string, and that string."""
        found = {}
        for name in self.components[component].get("properties") or {}:
            allowed = self.member_values(component, name)
            if allowed is not None and len(allowed) == 1:
                (value,) = allowed
                if type(value) is str:
                    found[name] = value
        return found

    def one_of(self, branches: Any) -> Any:
        """Open objects of which exactly one must match, told apart by their members: one
        Struct of every member (a member described alike in every branch that names it),
        absent ones `UNSET`. Exact together with the choice the build makes from the
        members present (`ONE_OF`): one branch's required members all there, and no
        member it does not name (the slow path keeps those)."""
        if not isinstance(branches, list):
            raise Unsupported("a oneOf that is not a list")
        names = [self.branch_name(branch) for branch in branches]
        members: dict[str, Any] = {}
        variants = []
        for name in (n for n in names if n is not None):
            schema = self.open_object(name)
            properties = schema.get("properties") or {}
            required = frozenset(schema.get("required") or ())
            if not required or not required <= properties.keys():
                raise Unsupported("a oneOf branch without required members to tell it by")
            for member, rule in properties.items():
                if members.setdefault(member, rule) != rule:
                    raise Unsupported("oneOf branches that describe a member differently")
            variants.append((name, required, frozenset(properties)))
        unset = self.msgspec.UNSET
        fields = []
        for member, rule in members.items():
            if not member.isidentifier() or keyword.iskeyword(member) or member.startswith("_"):
                raise Unsupported(f"the member name {member!r}")
            absent: Any = self.msgspec.UnsetType
            fields.append((member, Union[self.type_of(rule), absent], unset))  # noqa: UP007
        merged = self.msgspec.defstruct(
            "OneOf",
            fields,
            forbid_unknown_fields=True,
            gc=False,
            kw_only=True,
            namespace={ONE_OF: tuple(variants)},
        )
        return Union[(merged, None)] if None in names else merged  # noqa: UP007

    def branch_name(self, branch: Any) -> str | None:
        """The component a branch of a tagged union names (None: a null branch)."""
        if branch == {"type": "null"}:
            return None
        target = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(target, str) or not target.startswith(COMPONENT_PREFIX):
            raise Unsupported("a tagged union of inline schemas")
        found = target[len(COMPONENT_PREFIX) :]
        if found not in self.components:
            raise Unsupported(f"the missing schema {found}")
        return found

    def open_object(self, component: str) -> dict[str, Any]:
        """A union's branch: an object that keeps members it does not name, with no rule
        beyond its members (a variant's own keywords are not read through `type_of`)."""
        schema: dict[str, Any] = self.components[component]
        rules = schema.keys() & _KEYWORDS - {
            "type",
            "properties",
            "required",
            "additionalProperties",
        }
        if rules:
            raise Unsupported(f"the keyword {sorted(rules)[0]} on a union's branch")
        if schema.get("type") != "object" or schema.get("additionalProperties", True) is not True:
            raise Unsupported("a union's branch that is not an open object")
        return schema

    def member_values(self, component: str, name: str) -> set[Any] | None:
        """The values member `name` of a component may take (a const or enum), or None: any."""
        member = (self.components[component].get("properties") or {}).get(name)
        if isinstance(member, dict) and "const" in member:
            return {member["const"]}
        if isinstance(member, dict) and isinstance(member.get("enum"), list):
            return set(member["enum"])
        return None

    def variant(self, component: str, name: str, tag: str, hint: Any) -> Any:
        """The Struct of one variant, its discriminator read as msgspec's tag."""
        if component in self.visiting:
            raise Unsupported(f"the recursive schema {component}")
        schema = dict(self.open_object(component))
        properties = dict(schema.get("properties") or {})
        tag_rule = properties.pop(name)
        if (
            tag_rule.keys() & _KEYWORDS - {"const", "enum", "type"}
            or tag_rule.get("type", "string") != "string"
        ):
            raise Unsupported("a discriminator member with rules beside its value")
        schema["properties"] = properties
        schema["required"] = [r for r in schema.get("required") or () if r != name]
        model = next((m for m in models_in(hint) if m.__name__ == component), None)
        self.visiting.add(component)
        try:
            return self.object_type(schema, model, (name, tag))
        finally:
            self.visiting.discard(component)

    def literal(self, node: dict[str, Any]) -> Any:
        values = node["enum"] if "enum" in node else [node["const"]]
        if node.keys() & _CHECKED - {"enum", "const", "type"}:
            raise Unsupported("an enum beside other rules")
        allowed = [v for v in values if v is not None]
        if not all(type(v) in (str, int) for v in allowed):
            raise Unsupported("an enum of values other than strings and integers")
        kinds = node.get("type")
        kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
        if kinds and not {"string" if type(v) is str else "integer" for v in allowed} <= kinds:
            raise Unsupported("an enum value its type excludes")
        options: list[Any] = [Literal[tuple(allowed)]] if allowed else []
        if None in values and (not kinds or "null" in kinds):
            options.append(None)
        if not options:
            raise Unsupported("an enum nothing matches")
        return Union[tuple(options)]  # noqa: UP007

    def one_type(self, kind: str, node: dict[str, Any], hint: Any) -> Any:  # noqa: PLR0911 (one per JSON type)
        meta = self.msgspec.Meta
        if kind == "null":
            return None
        if kind == "boolean":
            return bool
        if kind == "integer":
            low, high = INT_BOUNDS.get(node.get("format", ""), (None, None))
            return typing.Annotated[int, meta(**self.bounds(node, low, high))]
        if kind == "number":
            fmt = node.get("format", "double")
            if fmt not in _NUMBER_FORMATS | set(INT_BOUNDS):
                raise Unsupported(f"the number format {fmt}")
            low, high = INT_BOUNDS.get(fmt, (None, None))  # the validator bounds these too
            return typing.Annotated[float, meta(**self.bounds(node, low, high))]
        if kind == "string":
            lengths = {"min_length": node.get("minLength"), "max_length": node.get("maxLength")}
            lengths = {k: v for k, v in lengths.items() if v is not None}
            fmt = node.get("format")
            if fmt == "date-time":
                return typing.Annotated[datetime.datetime, meta(tz=True)]
            if fmt is not None:
                raise Unsupported(f"the string format {fmt}")
            return typing.Annotated[str, meta(**lengths)] if lengths else str
        if kind == "array":
            item = self.type_of(node["items"], _item_hint(hint)) if "items" in node else Any
            sizes = {"min_length": node.get("minItems"), "max_length": node.get("maxItems")}
            sizes = {k: v for k, v in sizes.items() if v is not None}
            items = list.__class_getitem__(item)  # list[item], built at run time
            return typing.Annotated[items, meta(**sizes)] if sizes else items
        if kind == "object":
            return self.object_type(node, hint)
        raise Unsupported(f"the type {kind}")

    @staticmethod
    def bounds(node: dict[str, Any], low: int | None, high: int | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, name, pick in (
            ("minimum", "ge", max),
            ("maximum", "le", min),
            ("exclusiveMinimum", "gt", None),
            ("exclusiveMaximum", "lt", None),
        ):
            value = node.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float, type(None))):
                raise Unsupported(f"a non-numeric {key}")
            limit = low if name == "ge" else high if name == "le" else None
            if pick is not None and limit is not None:
                value = limit if value is None else pick(value, limit)
            if value is not None:
                found[name] = value
        return found

    def object_type(
        self, node: dict[str, Any], hint: Any, tag: tuple[str, str] | None = None
    ) -> Any:
        extra = node.get("additionalProperties", True)
        properties = node.get("properties") or {}
        if isinstance(extra, dict) and not properties and not node.get("required"):
            return dict[str, self.type_of(extra)]  # type: ignore[misc]  # a map: Scores
        if extra is not True and extra is not False:
            raise Unsupported("typed additionalProperties")
        if not properties and tag is None:
            if node.get("required") or extra is False:
                raise Unsupported("an object with no members described but rules on them")
            return dict[str, Any]
        required = set(node.get("required") or ())
        if not required <= properties.keys():
            raise Unsupported("a required member with no schema")
        models = models_in(hint)
        hints = typing.get_type_hints(models[0]) if len(models) == 1 else {}
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for name, schema in properties.items():
            if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
                raise Unsupported(f"the member name {name!r}")
            checked = self.type_of(schema, hints.get(name))
            fields.append((name, checked) if name in required else (name, checked, None))
        # In the spec's order (keyword-only, so required ones may follow optional
        # ones): msgspec looks a member up from where the last one matched, so a
        # body in the spec's order is read without searching. Unknown members are
        # refused: the slow path keeps them.
        return self.msgspec.defstruct(
            "Check",
            fields,
            forbid_unknown_fields=True,
            gc=False,
            kw_only=True,
            tag_field=None if tag is None else tag[0],
            tag=None if tag is None else tag[1],
        )


def check_type(schema: dict[str, Any], components: dict[str, Any], model: Any = None) -> Any:
    """The msgspec type that checks exactly what `schema` allows; Unsupported otherwise.

    With `model`, the generated class `schema` declares, members whose class
    attribute takes any string are left to the build pass to check."""
    return _Compiler(components).type_of(schema, model)


_NO_STRING = (False, False)


def _item_hint(hint: Any) -> Any:
    """The item type of the one list type in `hint`, if there is one."""
    members = (
        typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else (hint,)
    )
    lists = [typing.get_args(m) for m in members if typing.get_origin(m) is list]
    return lists[0][0] if len(lists) == 1 and len(lists[0]) == 1 else None


def _resolved(node: Any, components: dict[str, Any]) -> Any:
    """`node`, or the component a lone `$ref` names (one level)."""
    if isinstance(node, dict) and node.keys() & _CHECKED == {"$ref"}:
        target = node["$ref"]
        if isinstance(target, str) and target.startswith(COMPONENT_PREFIX):
            return components.get(target[len(COMPONENT_PREFIX) :])
    return node


def _string_kind(node: Any) -> str | None:
    """ "any", "any-or-null", "enum" (of strings), "null", or None for anything else."""
    if not isinstance(node, dict):
        return None
    rules = node.keys() & _CHECKED
    kinds = node.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
    if rules == {"type"}:
        if kinds == {"string"}:
            return "any"
        if kinds == {"string", "null"}:
            return "any-or-null"
        return "null" if kinds == {"null"} else None
    strings = "enum" in node and all(type(v) is str for v in node["enum"])
    return "enum" if strings and rules <= {"type", "enum"} and kinds <= {"string"} else None


def _any_string(node: Any, components: dict[str, Any]) -> tuple[bool, bool]:
    """Whether `node` allows every string and nothing else but perhaps null: (strings, null)."""
    node = _resolved(node, components)
    if isinstance(node, dict) and node.keys() & _CHECKED == {"anyOf"}:
        kinds = [_string_kind(_resolved(branch, components)) for branch in node["anyOf"]]
    else:
        kinds = [_string_kind(node)]
    if None in kinds or not {"any", "any-or-null"} & set(kinds):
        return _NO_STRING
    return True, bool({"null", "any-or-null"} & set(kinds))


def _any_string_hint(hint: Any) -> tuple[bool, bool]:
    """What the build pass enforces for a class attribute typed `hint`: (any string, null)."""
    members = (
        typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else (hint,)
    )
    strings = [m for m in members if m is str]
    others = [m for m in members if m is not str and m is not type(None)]
    literal = all(
        typing.get_origin(m) is Literal and all(type(v) is str for v in typing.get_args(m))
        for m in others
    )
    if not strings or not literal:
        return _NO_STRING
    return True, type(None) in members


# -- the build pass: the generated classes, and the free-form objects inside them --


def models_in(hint: Any) -> list[type[Model]]:
    found, stack = [], [hint]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, Model):
            found.append(current)
        stack.extend(typing.get_args(current))
    return found
