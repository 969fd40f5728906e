"""What the generated models should do with a value, worked out from the spec alone.

The tests compare the models against this, so no test keeps a list of fields:
a spec change is followed by the expectations too (the spec-evolution test
runs the same checks on a regenerated copy).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import jsonschema_rs

# Values of every JSON type, and strings that break the formats the spec uses.
WRONG_POOL: list[Any] = [
    3, -1, 1.5, True, None, [], [1], {}, {"k": 1}, "x", "not a date", "2026-13-45T99:00:00Z",
    "2026-02-30", "not-a-uuid",
]  # fmt: skip


class Oracle:
    """The component schemas of one spec, and what they say about values."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self._validators: dict[str, Any] = {}

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def is_valid(self, schema: dict[str, Any], value: Any) -> bool:
        key = repr(schema)
        if key not in self._validators:
            root = {**schema, "components": {"schemas": self.schemas}}
            self._validators[key] = jsonschema_rs.validator_for(root, validate_formats=True)
        return bool(self._validators[key].is_valid(value))

    def wrong_values(self, schema: dict[str, Any]) -> list[Any]:
        """Values of the pool the schema rejects (JSON Schema's own verdict)."""
        return [value for value in WRONG_POOL if not self.is_valid(schema, value)]

    def nullable(self, schema: dict[str, Any]) -> bool:
        schema = self.resolve(schema)
        declared = schema.get("type")
        if declared == "null" or (isinstance(declared, list) and "null" in declared):
            return True
        return any(self.nullable(b) for b in schema.get("anyOf", []) + schema.get("oneOf", []))

    def canonical(self, schema: dict[str, Any], value: Any) -> Any:
        """`value` as `to_dict()` gives it back, in a form that compares by meaning.

        Absent optional fields read as their default (declared, else null when
        nullable, else stay absent); date-times compare as instants, uuids as
        UUIDs; union members follow the branch the value matches.
        """
        schema = self.resolve(schema)
        for union in ("oneOf", "anyOf"):
            if schema.get(union):
                branch = next(b for b in schema[union] if self.is_valid(b, value))
                return self.canonical(branch, value)
        if isinstance(value, dict):
            return self._canonical_object(schema, value)
        if isinstance(value, list):
            items = schema.get("items", {})
            return [self.canonical(items, item) for item in value]
        if isinstance(value, str):
            if schema.get("format") == "date-time":
                parsed = datetime.datetime.fromisoformat(value)
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
            if schema.get("format") == "uuid":
                return uuid.UUID(value)
        return value

    def _canonical_object(self, schema: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        out: dict[str, Any] = {}
        for name, prop in properties.items():
            if name in value:
                out[name] = self.canonical(prop, value[name])
            elif "default" in prop:
                out[name] = self.canonical(prop, prop["default"])
            elif name not in schema.get("required", []) and self.nullable(prop):
                out[name] = None
        for name, item in value.items():
            if name not in properties:
                out[name] = self.canonical(extra, item) if isinstance(extra, dict) else item
        return out

    def key_order(self, schema: dict[str, Any], sent: dict[str, Any]) -> list[str]:
        """The keys `to_dict()` gives, in order: spec fields in spec order, then unknown ones."""
        canonical = self.canonical(schema, sent)
        properties = list(self.resolve(schema).get("properties", {}))
        return [n for n in properties if n in canonical] + [n for n in sent if n not in properties]
