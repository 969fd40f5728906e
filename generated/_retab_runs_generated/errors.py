"""The one error the generated models raise.

retab-runs' override of the stock errors.py (scripts/templates/): the stock
`UnexpectedStatus` belongs to the generated HTTP client, which this project
does not ship. `SchemaError` is raised by every model's `from_dict` when a
response does not match the spec, naming the field.
"""

from typing import Any


def _describe(value: Any) -> str:
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
        self.reason = reason or f"expected {expected}, got {_describe(value)}"
        if reason and expected != "required":
            self.reason = f"{reason} (got {_describe(value)})"
        super().__init__(f"{path or 'response body'}: {self.reason}")


__all__ = ["SchemaError"]
