"""Example values built from the spec's JSON Schemas, for test data that keeps up with the spec.

`example_of(schema)` gives a small value the schema accepts: its `const`,
`example` or `default` where it has one, else a value of the right type;
objects carry their required members (every member with `full=True`).
`retab_runs.testing`'s sample runs start from it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["example_of"]

_FORMAT_EXAMPLES = {
    "date-time": "2026-05-02T11:00:00Z",
    "date": "2026-05-02",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def example_of(  # noqa: PLR0911, PLR0912 (one answer per JSON Schema keyword)
    schema: Any, schemas: dict[str, Any], *, full: bool = False, depth: int = 0
) -> Any:
    """A small valid value of `schema`; `full`: objects carry every member they declare.

    `allOf` parts are merged, unions take their first non-null member, a
    `$ref` is followed; past a depth of 16 (a recursive model) the value is
    null. Recursion is bounded by that depth, never by the input.
    """
    if not isinstance(schema, dict) or depth > 16:
        return None
    if "$ref" in schema:
        target = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return example_of(target, schemas, full=full, depth=depth + 1)
    for key in ("const", "example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_of(part, schemas, full=full, depth=depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        own = {k: v for k, v in schema.items() if k != "allOf"}
        if own.get("properties") or own.get("required"):
            merged.update(example_of(own, schemas, full=full, depth=depth + 1) or {})
        return merged
    for union in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(union, []) if b.get("type") != "null"]
        if branches:
            return example_of(branches[0], schemas, full=full, depth=depth + 1)
    declared = schema.get("type", "object")
    if isinstance(declared, list):
        if "null" in declared:
            return None
        declared = next((t for t in declared if t != "null"), "null")
    if declared == "object":
        properties = schema.get("properties", {})
        names = list(properties) if full else schema.get("required", [])
        return {
            name: example_of(properties.get(name, {}), schemas, full=full, depth=depth + 1)
            for name in names
        }
    if declared == "array":
        item = example_of(schema.get("items", {}), schemas, full=full, depth=depth + 1)
        return [item] * schema.get("minItems", 0)
    if declared == "string":
        fallback = "x" * max(1, schema.get("minLength", 1))
        return _FORMAT_EXAMPLES.get(schema.get("format", ""), fallback)
    if declared in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        value = max(low, min(0, schema.get("maximum", 0)))
        return int(value) if declared == "integer" else value
    return False if declared == "boolean" else None
