"""Validation against the spec's JSON Schemas, and example values built from them.

Every generated model declares its schema; `SchemaCheck` compiles it once
(jsonschema-rs, with the spec's component schemas from the generated
package's `schema.json`) and validates a decoded body in one pass before any
object is built. `SchemaError` names the deepest failing path and never
quotes a value. (Example values for test data are `_examples`' concern.)
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from ._examples import example_of

__all__ = ["COMPONENT_PREFIX", "INT_BOUNDS", "SchemaCheck", "SchemaError", "components", "describe"]

# Where a `$ref` to one of the spec's component schemas points.
COMPONENT_PREFIX = "#/components/schemas/"
# The bounds an OpenAPI integer format means (JSON Schema ignores `format` on numbers).
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Branch errors of unions searched for the deepest one, and examples built, to this depth.
_MAX_WALK = 64


def describe(value: Any) -> str:  # noqa: PLR0911 (one answer per JSON type)
    """A short description of a JSON value: its JSON type, never the value itself."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return f"a string of {len(value)} characters"
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class SchemaError(ValueError):
    """A decoded JSON value does not match the spec.

    `path` names the field (`runs[3].lifecycle.finished_at`), `expected` the
    JSON Schema rule it broke (`type`, `required`, `format`, ...). The message
    describes the value's type, not its content, so a response cannot smuggle
    text into logs through it.
    """

    def __init__(self, path: str, expected: str, value: Any, reason: str = "") -> None:
        self.path = path
        self.expected = expected
        self.reason = reason or f"expected {expected}, got {describe(value)}"
        if reason and expected != "required":
            self.reason = f"{reason} (got {describe(value)})"
        super().__init__(f"{path or 'response body'}: {self.reason}")


def _is_datetime(value: str) -> bool:
    # The date-time format as this client reads it: what msgspec reads as a
    # datetime (`parse_datetime` and the fast path both use it).
    import msgspec  # noqa: PLC0415 - typing and inspect: ~40 ms of cold start

    try:
        msgspec.convert(value, datetime.datetime)
    except msgspec.ValidationError:
        return False
    return True


def _prepared(schema: Any) -> Any:
    """The spec's schema as JSON Schema that says everything the spec means.

    OpenAPI integer formats become bounds (JSON Schema ignores `format` on
    numbers), and a `discriminator` mapping becomes if/then rules, so a
    variant chosen by its discriminator value must validate as that variant
    (and an error inside it is reported at its own path). Walked with an
    explicit stack: the spec's depth never becomes Python recursion.
    """
    root: dict[str, Any] = {"value": schema}
    stack: list[tuple[Any, Any]] = [(root, "value")]
    while stack:
        parent, key = stack.pop()
        node = parent[key]
        if isinstance(node, list):
            node = list(node)
            parent[key] = node
            stack.extend((node, i) for i in range(len(node)))
            continue
        if not isinstance(node, dict):
            continue
        node = dict(node)
        parent[key] = node
        bounds = INT_BOUNDS.get(node.get("format", ""))
        if bounds is not None:
            node["minimum"] = max(bounds[0], node.get("minimum", bounds[0]))
            node["maximum"] = min(bounds[1], node.get("maximum", bounds[1]))
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and discriminator.get("mapping"):
            name = discriminator["propertyName"]
            node["allOf"] = [
                *node.get("allOf", []),
                *(
                    {
                        "if": {"properties": {name: {"const": value}}, "required": [name]},
                        "then": {"$ref": target if "#" in target else COMPONENT_PREFIX + target},
                    }
                    for value, target in discriminator["mapping"].items()
                ),
            ]
        stack.extend((node, k) for k in node)
    return root["value"]


_components: dict[str, dict[str, Any]] = {}


def components(package: str) -> dict[str, Any]:
    """The component schemas `scripts/regenerate` wrote beside a generated package."""
    found = _components.get(package)
    if found is None:
        # Imported here: importlib.resources costs ~15 ms of cold start.
        from importlib import resources  # noqa: PLC0415

        text = resources.files(package).joinpath("schema.json").read_text("utf-8")
        found = _components.setdefault(package, json.loads(text))
    return found


def _path(parts: list[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _leaves(error: Any) -> list[Any]:
    """The error, then the errors inside each branch of a failed anyOf/oneOf.

    A union reports its failure at its own path; the branch errors say where
    inside the value it went wrong (`annotations[1].note`).
    """
    found, stack = [], [(error, 0)]
    while stack:
        current, depth = stack.pop()
        found.append(current)
        if depth < _MAX_WALK:
            for branch in current.kind.as_dict().get("context") or ():
                stack.extend((inner, depth + 1) for inner in branch)
    return found


class SchemaCheck:
    """The validator of one schema of the spec, compiled on first use.

    `package` is the generated package whose `schema.json` holds the spec's
    component schemas (what `$ref`s point to). `validate` raises SchemaError
    naming the deepest failing path (`runs[3].lifecycle.finished_at`).
    """

    def __init__(self, schema: dict[str, Any], package: str) -> None:
        self.schema = schema
        self.package = package
        self._validator: Any = None

    def _compiled(self) -> Any:
        if self._validator is None:
            # Imported on first use: it brings `inspect` along (~15 ms of cold start).
            import jsonschema_rs  # noqa: PLC0415

            root = _prepared({**self.schema, "components": {"schemas": components(self.package)}})
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
        one, else a value of the right type; objects carry their required
        members (and, with `full=True` on `example_of`, every member).
        """
        # A fresh copy: the value may be the spec's own `example`, shared by every caller.
        return copy.deepcopy(example_of(self.schema, components(self.package)))

    def is_valid(self, data: Any) -> bool:
        return bool(self._compiled().is_valid(data))

    def validate(self, data: Any, path: str = "") -> None:
        validator = self._compiled()
        try:
            if validator.is_valid(data):
                return
        except UnicodeEncodeError:
            # The validator reads strings as UTF-8: a lone surrogate (which
            # an argument can hold, a decoded response never) is not text.
            raise SchemaError(path, "text", data, "not valid text (a lone surrogate?)") from None
        deepest: Any = None
        for count, error in enumerate(validator.iter_errors(data)):
            for leaf in _leaves(error):
                if deepest is None or len(leaf.instance_path) > len(deepest.instance_path):
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
