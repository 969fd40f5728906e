"""Shared types and the validation every model's `from_dict` runs.

retab-runs' override of the stock types.py (scripts/templates/): only what
the generated models use (`Unset`, `parse_datetime`) plus `SchemaCheck`, the
JSON Schema validator compiled once from the spec (`schema.json`, written
by scripts/regenerate beside this file). Validation happens in one pass in
jsonschema-rs before any object is built, so the model code that follows
trusts its input and stays a plain, fast constructor.
"""

import datetime
import json
import reprlib
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from .errors import SchemaError


class Unset:
    """The type of `UNSET`: an optional field the response did not carry."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

_UTC = datetime.UTC
_COMPONENT = "#/components/schemas/"
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def parse_datetime(value: str) -> datetime.datetime:
    """An RFC 3339 date-time (already validated); without an offset it is UTC.

    Datetimes are always timezone-aware. On the hot path (several a run), so
    it is a plain function over `fromisoformat`.
    """
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)


def _is_datetime(value: str) -> bool:
    # The date-time format as this client reads it: what `parse_datetime`
    # accepts, with a time part (a bare date is not a date-time).
    if len(value) < 11 or value[10] not in "Tt ":
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _prepared(node: Any) -> Any:
    """The spec's schema as JSON Schema that says everything the spec means.

    OpenAPI integer formats become bounds (JSON Schema ignores `format` on
    numbers), and a `discriminator` mapping becomes if/then rules, so a
    variant chosen by its discriminator value must validate as that variant
    (and an error inside it is reported at its own path).
    """
    if isinstance(node, list):
        return [_prepared(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _prepared(value) for key, value in node.items()}
    bounds = _INT_BOUNDS.get(out.get("format", ""))
    if bounds is not None:
        out["minimum"] = max(bounds[0], out.get("minimum", bounds[0]))
        out["maximum"] = min(bounds[1], out.get("maximum", bounds[1]))
    discriminator = out.get("discriminator")
    if isinstance(discriminator, dict) and discriminator.get("mapping"):
        name = discriminator["propertyName"]
        out["allOf"] = [
            *out.get("allOf", []),
            *(
                {
                    "if": {"properties": {name: {"const": value}}, "required": [name]},
                    "then": {"$ref": target if "#" in target else _COMPONENT + target},
                }
                for value, target in discriminator["mapping"].items()
            ),
        ]
    return out


_components: dict[str, Any] | None = None


def _schemas() -> dict[str, Any]:
    global _components  # noqa: PLW0603 - loaded once, on first validation
    if _components is None:
        # Imported here: importlib.resources costs ~15 ms of cold start.
        from importlib import resources  # noqa: PLC0415

        text = resources.files(__package__).joinpath("schema.json").read_text("utf-8")
        _components = json.loads(text)
    return _components


def _path(parts: list[str | int]) -> str:
    out = ""
    for part in parts:
        out += (
            f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        )
    return out


def _leaves(error: Any) -> list[Any]:
    """The error, then the errors inside each branch of a failed anyOf/oneOf.

    A union reports its failure at its own path; the branch errors say where
    inside the value it went wrong (`annotations[1].note`).
    """
    found = [error]
    for branch in error.kind.as_dict().get("context") or ():
        for inner in branch:
            found += _leaves(inner)
    return found


class SchemaCheck:
    """The validator of one model's schema, compiled on first use.

    `validate` raises `SchemaError` naming the deepest failing path
    (`runs[3].lifecycle.finished_at`); messages never quote a value.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self._schema = schema
        self._validator: Any = None

    def _compiled(self) -> Any:
        if self._validator is None:
            # Imported on first use: it brings `inspect` along (~15 ms of cold start).
            import jsonschema_rs  # noqa: PLC0415

            root = _prepared({**self._schema, "components": {"schemas": _schemas()}})
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            self._validator = jsonschema_rs.validator_for(
                root,
                validate_formats=True,
                formats={"date-time": _is_datetime},
                mask="the value",
            )
        return self._validator

    def example(self) -> Any:
        """A small value this schema accepts, for test data that keeps up with the spec.

        Each part is the schema's `const`, `example` or `default` where it has
        one, else a value of the right type; objects carry only their required
        members.
        """
        return _example(self._schema)

    def is_valid(self, data: Any) -> bool:
        return bool(self._compiled().is_valid(data))

    def validate(self, data: Any, path: str = "") -> None:
        validator = self._compiled()
        if validator.is_valid(data):
            return
        deepest: Any = None
        for count, error in enumerate(validator.iter_errors(data)):
            for leaf in _leaves(error):
                if deepest is None or len(leaf.instance_path) > len(
                    deepest.instance_path
                ):
                    deepest = leaf
            if count >= 50:
                break
        parts = list(deepest.instance_path)
        kind = deepest.kind
        if kind.name == "required":
            missing = kind.as_dict().get("property")
            parts.append(missing if isinstance(missing, str) else str(missing))
            reason = "required field is missing"
        else:
            reason = deepest.message
        where = _path(parts)
        if path:
            where = path + ("" if where.startswith("[") or not where else ".") + where
        raise SchemaError(where, kind.name, deepest.instance, reason)


_FORMAT_EXAMPLES = {
    "date-time": "2026-05-02T11:00:00Z",
    "date": "2026-05-02",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def _example(node: Any, depth: int = 0) -> Any:
    if not isinstance(node, dict) or depth > 32:
        return None
    if "$ref" in node:
        return _example(_schemas()[node["$ref"].rsplit("/", 1)[-1]], depth + 1)
    for key in ("const", "example", "default"):
        if key in node:
            return node[key]
    if node.get("examples"):
        return node["examples"][0]
    if node.get("enum"):
        return node["enum"][0]
    for union in ("oneOf", "anyOf"):
        branches = [b for b in node.get(union, []) if b.get("type") != "null"]
        if branches:
            return _example(branches[0], depth + 1)
    declared = node.get("type", "object")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), "null")
    if declared == "object":
        properties = node.get("properties", {})
        return {
            name: _example(properties.get(name, {}), depth + 1)
            for name in node.get("required", [])
        }
    if declared == "array":
        return [_example(node.get("items", {}), depth + 1)] * node.get("minItems", 0)
    if declared == "string":
        return _FORMAT_EXAMPLES.get(
            node.get("format", ""), "x" * max(1, node.get("minLength", 1))
        )
    if declared in ("integer", "number"):
        low = node.get("minimum", node.get("exclusiveMinimum", -1) + 1)
        value = max(low, min(0, node.get("maximum", 0)))
        return int(value) if declared == "integer" else value
    return False if declared == "boolean" else None


# Free-form JSON can nest a thousand levels deep: repr it to a bounded depth
# and length, never into a RecursionError.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist = 8, 30, 30
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 200, 200, 60


def model_repr(obj: Any) -> str:
    """A model's repr: set fields only (no UNSET, no empty extras), one per line when long."""
    parts = [
        f"{name}={_REPR.repr(getattr(obj, name))}"
        for name in obj.FIELDS.values()
        if not isinstance(getattr(obj, name), Unset)
    ]
    extra = getattr(obj, "additional_properties", None)
    if extra:
        parts.append(f"additional_properties={_REPR.repr(extra)}")
    one_line = f"{type(obj).__name__}({', '.join(parts)})"
    if len(one_line) <= 100 and "\n" not in one_line:
        return one_line
    body = "".join(
        f"\n    {part.replace(chr(10), chr(10) + '    ')}," for part in parts
    )
    return f"{type(obj).__name__}({body}\n)"


class Model:
    """What every generated model shares: validation on the way in, lookup by JSON name, repr.

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

    def __getitem__(self, key: str) -> Any:
        """A field by its JSON name: a spec field or an unknown one."""
        name = self.FIELDS.get(key)
        if name is not None:
            return getattr(self, name)
        extra = getattr(self, "additional_properties", None)
        if extra is None:
            raise KeyError(key)
        return extra[key]

    def __contains__(self, key: str) -> bool:
        return key in self.FIELDS or key in (
            getattr(self, "additional_properties", None) or {}
        )

    def __repr__(self) -> str:
        return model_repr(self)


def select_variant(value: Any, variants: tuple[Any, ...]) -> Any:
    """Build the first model class of a union whose schema `value` matches.

    The whole body was validated already, so one variant matches; with a
    discriminator the mapped variant is the one that validates.
    """
    for variant in variants:
        if variant.SCHEMA.is_valid(value):
            return variant.from_valid_dict(value)
    raise SchemaError("", "one of the variants", value)


__all__ = [
    "UNSET",
    "Model",
    "SchemaCheck",
    "Unset",
    "model_repr",
    "parse_datetime",
    "select_variant",
]
