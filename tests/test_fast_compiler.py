"""The fast path's compiler, against the validator it stands in for.

For each schema shape the compiler carries, every value of a table is decoded with the
compiled msgspec type and validated by jsonschema-rs the way `SchemaCheck` does: the
fast path accepts exactly what the validator accepts, except three documented cases
it leaves to the slow path (an integral float for an integer, a date-time without an
offset, a member the schema does not name). Shapes it does not carry are refused with
a message naming them. Then the build pass's side: which members the check may leave
unread, and how free-form members nested in other models are filled.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal, Self

import attrs
import jsonschema_rs
import msgspec
import pytest

from _retab_runs_runtime import UNSET, Model, SchemaCheck, Unset, fast_decoder
from _retab_runs_runtime._check import (
    Unsupported,
    _any_string,
    _any_string_hint,
    _item_hint,
    check_type,
)
from _retab_runs_runtime._fast import _Planner
from _retab_runs_runtime._schema import _is_datetime, _prepared

COMPONENTS: dict[str, Any] = {
    "Kind": {"type": "string", "enum": ["a", "b"]},
    "Text": {"type": "string"},
    "Count": {"type": "integer", "format": "int32"},
    "Alias": {"$ref": "#/components/schemas/Count"},
    "Pair": {
        "type": "object",
        "required": ["pa"],
        "properties": {"pa": {"type": "integer"}, "pb": {"type": ["string", "null"]}},
        "additionalProperties": True,
    },
}

COMPONENTS |= {
    "Cat": {
        "type": "object",
        "required": ["k"],
        "properties": {"k": {"type": "string", "const": "cat"}, "n": {"type": "integer"}},
    },
    "Dog": {
        "type": "object",
        "required": ["k"],
        "properties": {"k": {"enum": ["dog"]}, "pb": {"type": "string"}},
    },
    "Other": {"type": "object", "required": ["k"], "properties": {"k": {"type": "string"}}},
}
COMPONENTS |= {
    "Strict": {  # a rule beside its members: not read through the tag
        "type": "object",
        "required": ["k"],
        "properties": {"k": {"type": "string", "const": "s"}},
        "minProperties": 2,
    },
    "Loose": {  # a rule on the tag's member beside its value
        "type": "object",
        "required": ["k"],
        "properties": {"k": {"type": "string", "const": "l", "minLength": 5}},
    },
}
CAT, DOG = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}
STRICT, LOOSE = {"$ref": "#/components/schemas/Strict"}, {"$ref": "#/components/schemas/Loose"}
TAG_K = {
    "propertyName": "k",
    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
}

SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer"},
    {"type": "integer", "format": "int32"},
    {"type": "integer", "format": "int64"},
    {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10},
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
    {"type": "number"},
    {"type": "number", "minimum": 0, "maximum": 1},
    {"type": "number", "format": "int32"},
    {"type": "number", "format": "float", "exclusiveMaximum": 1},
    {"type": "string"},
    {"type": "string", "minLength": 1, "maxLength": 3},
    {"type": "string", "format": "date-time"},
    {"type": ["string", "null"], "format": "date-time"},
    {"type": "boolean"},
    {"type": "null"},
    {"type": ["string", "null"]},
    {"type": ["integer", "string"]},
    {"enum": ["a", "b"]},
    {"type": "string", "enum": ["a", "b"]},
    {"enum": [1, 2]},
    {"type": "integer", "enum": [1, 2]},
    {"type": ["integer", "string"], "enum": [1, "a"]},
    {"enum": ["a", None]},
    {"type": ["string", "null"], "enum": ["a", None]},
    {"type": "string", "enum": ["a", None]},
    {"const": "a"},
    {"type": "array"},
    {"type": "array", "items": {"type": "integer"}},
    {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
    {"type": "object"},
    {"type": "object", "additionalProperties": True, "description": "free-form"},
    {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
    },
    {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
        "additionalProperties": False,
    },
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
    {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/Pair"}}},
    {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]},
    {"anyOf": [{"$ref": "#/components/schemas/Pair"}, {"type": "null"}]},
    {"anyOf": [{"enum": [3, 5]}, {"type": "integer", "format": "int64"}]},
    {"$ref": "#/components/schemas/Alias"},
    {"$ref": "#/components/schemas/Kind", "description": "annotations beside a $ref"},
    {},
    {"description": "anything", "example": 1, "x-vendor": True},
    {"description": "a key JSON Schema does not know is ignored", "any JSON.": None},
    {"type": "object", "additionalProperties": {"type": "number"}},
    {"type": "object", "additionalProperties": {"type": "integer", "maximum": 1}},
    {
        "anyOf": [CAT, DOG, {"$ref": "#/components/schemas/Other"}, {"type": "null"}],
        "discriminator": TAG_K,
    },
]

VALUES: list[Any] = [
    None, True, False, 0, 1, 2, 3, 5, 10, 11, -1, 0.5, 1.0, 2.5, 7.0,
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1,
    "", "a", "b", "c", "abc", "abcd", "2026-05-02T11:00:00Z", "2026-05-02T11:00:00+02:00",
    "2026-05-02T11:00:00", "2026-05-02", [], [1], [1, 2], ["a"], ["a", "b", "c"], [None],
    {}, {"a": 1}, {"a": "x"}, {"b": "x"}, {"a": 1, "b": "x"}, {"a": 1, "b": None},
    {"a": 1, "z": 1}, {"p": {"pa": 1}}, {"p": {"pa": "x"}}, {"p": {"pa": 1, "c": 2}},
    {"p": {"pb": None}}, {"p": {"pa": 1, "pb": None}}, {"p": None},
    {"k": "cat"}, {"k": "cat", "n": 1}, {"k": "cat", "n": "x"}, {"k": "dog", "pb": "x"},
    {"k": "dog", "pb": 1}, {"k": 1}, {"n": 1}, {"k": "bird"}, {"a": 1.5}, {"a": True},
]  # fmt: skip

# An integral float, a date-time without an offset, a tag the discriminator does not map.
LEFT_TO_THE_SLOW_PATH = (7.0, 1.0, "2026-05-02T11:00:00", {"k": "bird"})


def names(schema: Any) -> set[str]:
    """Every member name the schema (and the components it refers to) describes."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found |= set(node.get("properties") or ())
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                stack.append(COMPONENTS[ref.rsplit("/", 1)[1]])
            stack.extend(v for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            stack.extend(node)
    return found


def unknown_members(schema: Any, value: Any) -> bool:
    """Whether the value holds an object member the schema does not name (the slow path's)."""
    known, stack = names(schema), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.keys() - known:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def validator(schema: dict[str, Any]) -> Any:
    """The schema as `SchemaCheck` compiles it, over this file's components."""
    root = _prepared({**schema, "components": {"schemas": COMPONENTS}})
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return jsonschema_rs.validator_for(
        root, validate_formats=True, formats={"date-time": _is_datetime}
    )


def fast_accepts(decoder: msgspec.json.Decoder[Any], value: Any) -> bool:
    try:
        decoder.decode(json.dumps(value).encode())
    except msgspec.ValidationError:
        return False
    return True


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: json.dumps(s)[:60])
def test_the_check_accepts_what_the_validator_accepts(schema: dict[str, Any]) -> None:
    decoder = msgspec.json.Decoder(check_type(schema, COMPONENTS))
    valid = validator(schema)
    for value in VALUES:
        fast, slow = fast_accepts(decoder, value), valid.is_valid(value)
        assert not fast or slow, f"the fast path accepts {value!r}, which the spec refuses"
        left = value in LEFT_TO_THE_SLOW_PATH and not isinstance(value, bool)
        if not left and not unknown_members(schema, value):
            assert fast == slow, f"{value!r}: fast {fast}, validator {slow}"


def test_the_cases_left_to_the_slow_path_are_the_documented_ones() -> None:
    integer = msgspec.json.Decoder(check_type({"type": "integer"}, COMPONENTS))
    assert not fast_accepts(integer, 7.0) and validator({"type": "integer"}).is_valid(7.0)
    stamp = {"type": "string", "format": "date-time"}
    naive = "2026-05-02T11:00:00"
    dt = msgspec.json.Decoder(check_type(stamp, COMPONENTS))
    assert not fast_accepts(dt, naive) and validator(stamp).is_valid(naive)
    tagged = {"anyOf": [CAT, DOG, {"$ref": "#/components/schemas/Other"}], "discriminator": TAG_K}
    union = msgspec.json.Decoder(check_type(tagged, COMPONENTS))
    assert not fast_accepts(union, {"k": "bird"}) and validator(tagged).is_valid({"k": "bird"})
    assert fast_accepts(union, {"k": "cat"}) and fast_accepts(union, {"k": "dog"})


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (True, "a boolean schema"),
        ({"type": "string", "pattern": "^a", "minLength": 1}, "the keyword pattern"),
        ({"anyOf": [{"type": "string"}], "type": "string"}, "anyOf beside other rules"),
        ({"minimum": 1}, "rules without a type"),
        ({"$ref": "other.yaml#/Thing"}, "a $ref outside the components"),
        ({"$ref": 7}, "a $ref outside the components"),
        ({"$ref": "#/components/schemas/Kind", "type": "string"}, "$ref beside other rules"),
        ({"$ref": "#/components/schemas/Node"}, "the recursive schema Node"),
        ({"$ref": "#/components/schemas/Nope"}, "the missing schema Nope"),
        ({"enum": ["a"], "minLength": 1}, "an enum beside other rules"),
        ({"enum": [True]}, "an enum of values other than strings and integers"),
        ({"enum": [1.5]}, "an enum of values other than strings and integers"),
        ({"type": "integer", "enum": ["a"]}, "an enum value its type excludes"),
        ({"type": "string", "enum": [None]}, "an enum nothing matches"),
        ({"type": "number", "format": "decimal"}, "the number format decimal"),
        ({"type": "string", "format": "email"}, "the string format email"),
        ({"type": "tuple"}, "the type tuple"),
        ({"type": "integer", "minimum": "0"}, "a non-numeric minimum"),
        ({"type": "integer", "maximum": True}, "a non-numeric maximum"),
        ({"type": "number", "exclusiveMinimum": True}, "a non-numeric exclusiveMinimum"),
        ({"type": "number", "exclusiveMaximum": [1]}, "a non-numeric exclusiveMaximum"),
        (
            {"type": "object", "properties": {"a": {}}, "additionalProperties": {}},
            "typed additionalProperties",
        ),
        (
            {"anyOf": [{"$ref": "#/components/schemas/Other"}, CAT], "discriminator": TAG_K},
            "variants the discriminator does not tell apart",
        ),
        (
            {"anyOf": [CAT], "discriminator": TAG_K},
            "a discriminator mapping to a schema outside the union",
        ),
        (
            {"anyOf": [{"type": "object"}], "discriminator": TAG_K},
            "a tagged union of inline schemas",
        ),
        (
            {"anyOf": [CAT, DOG], "discriminator": TAG_K, "type": "object"},
            "a discriminator beside other rules",
        ),
        ({"anyOf": [CAT, STRICT]}, "the keyword minProperties on a union's branch"),
        ({"oneOf": [STRICT, CAT]}, "the keyword minProperties on a union's branch"),
        ({"anyOf": [CAT, LOOSE]}, "a discriminator member with rules beside its value"),
        (
            {"type": "object", "additionalProperties": False},
            "an object with no members described but rules on them",
        ),
        (
            {"type": "object", "required": ["a"], "properties": {"b": {}}},
            "a required member with no schema",
        ),
        ({"type": "object", "properties": {"class": {}}}, "the member name 'class'"),
        ({"type": "object", "properties": {"a-b": {}}}, "the member name 'a-b'"),
        ({"type": "object", "properties": {"_a": {}}}, "the member name '_a'"),
    ],
)
def test_a_shape_the_compiler_cannot_carry_is_named(schema: Any, message: str) -> None:
    components = {
        **COMPONENTS,
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
    }
    with pytest.raises(Unsupported) as caught:
        check_type(schema, components)
    assert str(caught.value) == message


def test_members_keep_the_spec_order_and_optional_ones_default_to_none() -> None:
    schema = {
        "type": "object",
        "required": ["z"],
        "properties": {"b": {"type": "integer"}, "z": {"type": "string"}, "a": {}},
    }
    struct = check_type(schema, COMPONENTS)
    fields = msgspec.structs.fields(struct)
    assert [f.name for f in fields] == ["b", "z", "a"]
    assert [f.required for f in fields] == [False, True, False]
    assert [f.default for f in fields if not f.required] == [None, None]
    assert struct.__struct_config__.forbid_unknown_fields


# -- which members the check leaves to the build pass -----------------------------


@pytest.mark.parametrize(
    ("schema", "strings"),
    [
        ({"type": "string"}, (True, False)),
        ({"type": "string", "description": "d"}, (True, False)),
        ({"type": ["string", "null"]}, (True, True)),
        ({"type": ["null", "string"]}, (True, True)),
        ({"$ref": "#/components/schemas/Text"}, (True, False)),
        ({"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]}, (True, False)),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, (True, True)),
        ({"anyOf": [{"type": ["string", "null"]}, {"enum": ["a"]}]}, (True, True)),
        ({"anyOf": [{"enum": ["a"]}, {"type": "null"}]}, (False, False)),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, (False, False)),
        ({"anyOf": [{"type": "string"}], "description": "d", "minLength": 1}, (False, False)),
        ({"anyOf": [{"type": "string"}, {"enum": [1]}]}, (False, False)),
        ({"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a"]}]}, (True, False)),
        ({"anyOf": [{"type": "string"}, {"type": "integer", "enum": ["a"]}]}, (False, False)),
        ({"type": "string", "minLength": 1}, (False, False)),
        ({"type": "string", "format": "date-time"}, (False, False)),
        ({"type": "string", "enum": ["a"]}, (False, False)),
        ({"type": "integer"}, (False, False)),
        ({"type": ["string", "integer"]}, (False, False)),
        ({"type": "null"}, (False, False)),
        ({"$ref": "#/components/schemas/Kind"}, (False, False)),
        ({"$ref": 7}, (False, False)),
        ("string", (False, False)),
    ],
)
def test_a_schema_allows_any_string_only_when_it_says_nothing_more(
    schema: Any, strings: tuple[bool, bool]
) -> None:
    components = {**COMPONENTS, "Text": {"type": "string"}}
    assert _any_string(schema, components) == strings


@pytest.mark.parametrize(
    ("hint", "strings"),
    [
        (str, (True, False)),
        (str | None, (True, True)),
        (None | str, (True, True)),
        (Literal["a", "b"] | str, (True, False)),
        (Literal["a"] | str | None, (True, True)),
        (Literal["a"], (False, False)),
        (Literal[1] | str, (False, False)),
        (int | str, (False, False)),
        (int, (False, False)),
        (Any, (False, False)),
        (list[str], (False, False)),
    ],
)
def test_a_class_attribute_takes_any_string_only_when_its_type_says_so(
    hint: Any, strings: tuple[bool, bool]
) -> None:
    assert _any_string_hint(hint) == strings


@pytest.mark.parametrize(
    ("hint", "item"),
    [
        (list[int], int),
        (list[str] | None, str),
        (None | list[str], str),
        (list[int] | list[str], None),
        (list, None),
        (int, None),
        (str | None, None),
    ],
)
def test_the_item_type_of_a_list_attribute(hint: Any, item: Any) -> None:
    assert _item_hint(hint) is item


def test_with_a_class_the_check_reads_only_members_its_types_cannot_vouch_for() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "size": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "kind": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]},
            "strict": {"type": "string"},
            "text": {"$ref": "#/components/schemas/Text"},
            "again": {"$ref": "#/components/schemas/Text"},
        },
    }
    hints = {
        "name": str,
        "size": int,
        "tags": list[str] | None,
        "kind": Literal["a"] | str,
        "text": str,
        "again": str | None,
    }
    fields = {f.name: f.type for f in msgspec.structs.fields(check_type(schema, COMPONENTS))}
    assert msgspec.Raw not in fields.values()
    typed = msgspec.structs.fields(_check_with_model(schema, hints | {"strict": int}))
    raw = {f.name for f in typed if f.type is msgspec.Raw}
    assert raw == {"name", "kind", "text"}  # `again` may be null: a str | None can be
    assert next(f.type for f in typed if f.name == "tags") == list[msgspec.Raw]


def _check_with_model(schema: dict[str, Any], hints: dict[str, Any]) -> Any:
    """check_type with a model class whose attributes are typed `hints`."""
    model = type("Hinted", (Model,), {"__annotations__": hints, "__slots__": ()})
    return check_type(schema, COMPONENTS, model)


# -- free-form members nested in other models: gathered, then filled ---------------

PACKAGE = "_retab_runs_generated"
FREE = {"type": "object"}
LEAF = {
    "type": "object",
    "properties": {
        "note": {"anyOf": [FREE, {"type": "null"}]},
        "notes": {"type": "array", "items": FREE},
        "label": {"type": "string"},
    },
}
ROOT = {
    "type": "object",
    "required": ["leaf"],
    "properties": {
        "leaf": LEAF,
        "maybe": {"anyOf": [LEAF, {"type": "null"}]},
        "leaves": {"type": "array", "items": LEAF},
        "unset": LEAF,
    },
}


@attrs.define(repr=False)
class Note(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(FREE, PACKAGE)
    FIELDS: ClassVar[dict[str, str]] = {}
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        obj = cls()
        obj.additional_properties = d
        return obj

    def to_dict(self) -> dict[str, Any]:
        return dict(self.additional_properties)


@attrs.define(repr=False)
class Leaf(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(LEAF, PACKAGE)
    FIELDS: ClassVar[dict[str, str]] = {"note": "note", "notes": "notes", "label": "label"}
    note: Note | None = None
    notes: list[Note] | None = None
    label: str | None = None
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        note, notes = d.get("note"), d.get("notes")
        return cls(
            None if note is None else Note.from_valid_dict(note),
            None if notes is None else [Note.from_valid_dict(n) for n in notes],
            d.get("label"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "note": None if self.note is None else self.note.to_dict(),
            "notes": None if self.notes is None else [n.to_dict() for n in self.notes],
            "label": self.label,
        }


@attrs.define(repr=False)
class Root(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(ROOT, PACKAGE)
    FIELDS: ClassVar[dict[str, str]] = {
        "leaf": "leaf", "maybe": "maybe", "leaves": "leaves", "unset": "unset",
    }  # fmt: skip
    leaf: Leaf
    maybe: Leaf | None = None
    leaves: list[Leaf] | None = None
    unset: Leaf | None = None
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        maybe, leaves, unset = d.get("maybe"), d.get("leaves"), d.get("unset")
        return cls(
            Leaf.from_valid_dict(d["leaf"]),
            None if maybe is None else Leaf.from_valid_dict(maybe),
            None if leaves is None else [Leaf.from_valid_dict(x) for x in leaves],
            None if unset is None else Leaf.from_valid_dict(unset),
        )

    def to_dict(self) -> dict[str, Any]:
        def one(leaf: Leaf | None) -> Any:
            return None if leaf is None else leaf.to_dict()

        return {
            "leaf": self.leaf.to_dict(),
            "maybe": one(self.maybe),
            "leaves": None if self.leaves is None else [x.to_dict() for x in self.leaves],
            "unset": one(self.unset),
        }


def _planned(root: type[Model]) -> dict[type[Model], Any]:
    planner = _Planner()
    planner.plan(root)
    return planner.plans


def test_every_model_is_planned_whatever_order_the_members_come_in() -> None:
    @attrs.define(repr=False)
    class Mixed(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck({"type": "object"}, PACKAGE)
        FIELDS: ClassVar[dict[str, str]] = {"x": "x", "y": "y", "z": "z"}
        x: Leaf | None = None
        y: Note | None = None
        z: Note | None = None

    plans = _planned(Mixed)
    assert set(plans) == {Mixed, Leaf, Note}
    assert plans[Note].free and not plans[Leaf].free
    assert plans[Mixed].gather is not None and plans[Mixed].fill is not None


def test_nested_free_form_members_are_planned_per_model() -> None:
    plans = _planned(Root)
    assert plans[Note].free and plans[Note].gather is None
    assert plans[Leaf].gather is not None and plans[Leaf].fill is not None
    # No member msgspec cannot build: every class is built as itself, no twin.
    assert all(plan.build is model for model, plan in plans.items())


# One test over every body: the decoder is compiled once a process (mutation testing
# runs only the tests that reached the compiler, so one test must hold every case).
BODIES: list[dict[str, Any]] = [
    {"leaf": {"note": {"n": 1}, "notes": [{"a": 1}, {"b": [2]}], "label": "x"}},
    {"leaf": {"note": None}, "maybe": None, "leaves": []},
    {"leaf": {}, "maybe": {"note": {"m": 1}}, "leaves": [{"notes": [{"c": 3}]}, {"note": {}}]},
    {
        "leaf": {"notes": []},
        "maybe": {"notes": [{"x": 1}, {"y": 2}]},
        "leaves": [{"note": {"q": 1}, "notes": [{"r": 2}]}, {}, {"note": None}],
        "unset": {"note": {"u": 1}},
    },
]


def test_nested_free_form_members_come_out_as_the_slow_path_builds_them() -> None:
    decoder = fast_decoder(Root)
    assert decoder is not None
    for body in BODIES:
        data = json.dumps(body).encode()
        fast = decoder.decode(data)
        assert fast is not None, body
        slow = Root.from_dict(json.loads(data))
        assert fast == slow, body
        assert fast.to_dict() == slow.to_dict() == _with_defaults(body)


def _with_defaults(body: dict[str, Any]) -> dict[str, Any]:
    def leaf(value: dict[str, Any] | None) -> Any:
        if value is None:
            return None
        return {"note": None, "notes": None, "label": None} | value

    leaves = body.get("leaves")
    return {
        "leaf": leaf(body["leaf"]),
        "maybe": leaf(body.get("maybe")),
        "leaves": None if leaves is None else [leaf(x) for x in leaves],
        "unset": leaf(body.get("unset")),
    }


def test_a_model_with_an_unset_default_is_built_through_its_twin() -> None:
    # msgspec builds no union of a class of its own (Unset) with anything but None:
    # its twin declares the member `str`, and an absent member keeps the default.
    @attrs.define(repr=False)
    class Sparse(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"x": {"type": "string"}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"x": "x"}
        x: str | Unset = UNSET

    decoder = fast_decoder(Sparse)
    assert decoder is not None
    absent, given = decoder.decode(b"{}"), decoder.decode(b'{"x": "y"}')
    assert type(absent) is Sparse and absent.x is UNSET
    assert type(given) is Sparse and given.x == "y"
    assert decoder.decode(b'{"x": 1}') is None


def test_a_model_holding_two_kinds_of_object_in_one_member_needs_a_tag() -> None:
    @attrs.define(repr=False)
    class Either(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"x": {"anyOf": [LEAF, FREE]}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"x": "x"}
        x: Leaf | Note | None = None

    assert fast_decoder(Either) is None  # msgspec checks no untagged union of objects


def test_a_model_inside_another_container_has_no_fast_decoder() -> None:
    @attrs.define(repr=False)
    class Keyed(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"x": {"type": "object"}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"x": "x"}
        x: dict[str, Note] | None = None

    with pytest.raises(Unsupported) as caught:
        _planned(Keyed)
    assert str(caught.value) == "Note inside a container"


def test_a_renamed_member_is_read_under_its_json_name_into_its_attribute() -> None:
    @attrs.define(repr=False)
    class Renamed(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"type": {"type": ["string", "null"]}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"type": "type_"}
        type_: str | None = None
        additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    decoder = fast_decoder(Renamed)
    assert decoder is not None
    built = decoder.decode(b'{"type": "api"}')
    assert type(built) is Renamed and built == Renamed(type_="api")
    assert not hasattr(built, "type") and built.additional_properties == {}
    assert decoder.decode(b'{"type_": "api"}') is None  # not the JSON name: the slow path's
    assert fast_decoder(Note) is None  # a free-form body: the slow path keeps it whole
    assert fast_decoder(Note) is None  # and the answer is kept


def test_a_keyword_member_name_is_left_to_the_slow_path() -> None:
    @attrs.define(repr=False)
    class Keyword(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"from": {"type": "string"}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"from": "from_"}
        from_: str | None = None

    assert fast_decoder(Keyword) is None


@attrs.define(repr=False)
class Tree(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck({"type": "object"}, PACKAGE)
    FIELDS: ClassVar[dict[str, str]] = {"child": "child"}
    child: Tree | None = None


def test_a_model_holding_itself_is_named_not_walked_forever() -> None:
    with pytest.raises(Unsupported) as caught:
        _planned(Tree)
    assert str(caught.value) == "the recursive model Tree"


@attrs.define(repr=False)
class Bag(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {"type": "object", "properties": {"notes": {"type": "array", "items": FREE}}}, PACKAGE
    )
    FIELDS: ClassVar[dict[str, str]] = {"notes": "notes"}
    notes: list[Note] | None = None
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        notes = d.get("notes")
        return cls(None if notes is None else [Note.from_valid_dict(n) for n in notes])

    def to_dict(self) -> dict[str, Any]:
        return {"notes": None if self.notes is None else [n.to_dict() for n in self.notes]}


TAG = {"type": "object", "properties": {"note": {"anyOf": [FREE, {"type": "null"}]}}}


@attrs.define(repr=False)
class Tag(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(TAG, PACKAGE)
    FIELDS: ClassVar[dict[str, str]] = {"note": "note"}
    note: Note | None = None
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        note = d.get("note")
        return cls(None if note is None else Note.from_valid_dict(note))

    def to_dict(self) -> dict[str, Any]:
        return {"note": None if self.note is None else self.note.to_dict()}


@attrs.define(repr=False)
class Shelf(Model):
    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "bags": {"type": "array", "items": Bag.SCHEMA.schema},
                "tags": {"type": "array", "items": TAG},
                "last": {"anyOf": [FREE, {"type": "null"}]},
            },
        },
        PACKAGE,
    )
    FIELDS: ClassVar[dict[str, str]] = {"bags": "bags", "tags": "tags", "last": "last"}
    bags: list[Bag] | None = None
    tags: list[Tag] | None = None
    last: Note | None = None
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        bags, tags, last = d.get("bags"), d.get("tags"), d.get("last")
        return cls(
            None if bags is None else [Bag.from_valid_dict(b) for b in bags],
            None if tags is None else [Tag.from_valid_dict(x) for x in tags],
            None if last is None else Note.from_valid_dict(last),
        )


def test_lists_of_models_with_one_member_to_fill_are_filled_in_order() -> None:
    # Bag's one member is a list of free-form objects, Tag's a single one (as a
    # listing's runs), and members follow both lists: each takes exactly its own.
    decoder = fast_decoder(Shelf)
    assert decoder is not None
    body = {
        "bags": [{"notes": [{"a": 1}, {"b": 2}]}, {}, {"notes": [{"c": 3}]}],
        "tags": [{"note": {"d": 4}}, {"note": None}, {"note": {"e": 5}}],
        "last": {"f": 6},
    }
    fast = decoder.decode(json.dumps(body).encode())
    assert fast is not None
    assert fast == Shelf.from_dict(body)
    assert fast.bags is not None and fast.bags[2].notes is not None
    assert fast.bags[2].notes[0]["c"] == 3
    assert fast.tags is not None and fast.tags[2].note is not None
    assert fast.tags[2].note["e"] == 5
    assert fast.last is not None and fast.last["f"] == 6
    plans = _planned(Shelf)
    assert plans[Tag].fill is not None and plans[Bag].fill is not None


def test_a_class_whose_annotations_do_not_resolve_takes_the_slow_path() -> None:
    @attrs.define(repr=False)
    class Dangling(Model):
        SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
            {"type": "object", "properties": {"x": {"type": "string"}}}, PACKAGE
        )
        FIELDS: ClassVar[dict[str, str]] = {"x": "x"}
        x: NotDefinedAnywhere | None = None  # type: ignore[name-defined]  # noqa: F821

    assert fast_decoder(Dangling) is None
