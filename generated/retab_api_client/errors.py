"""Errors raised by the generated client.

`SchemaError` is this project's addition (see scripts/templates/): models
raise it from `from_dict` when a response does not match the spec, naming the
field, so callers never see a bare KeyError or AttributeError.
"""

from typing import Any


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


def _describe(value: Any) -> str:
    """A short description of a JSON value: its JSON type, never the value itself."""
    from .types import MISSING  # noqa: PLC0415

    if value is MISSING:
        return "nothing (the field is missing)"
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
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class SchemaError(ValueError):
    """A decoded JSON value does not match the spec.

    `path` names the field (`runs[3].created_at`), `expected` the type the
    spec asks for. The message describes the value's type, not its content,
    so a response cannot smuggle text into logs through it.
    """

    def __init__(self, path: str, expected: str, value: Any, reason: str = "") -> None:
        self.path = path
        self.expected = expected
        self.reason = reason or f"expected {expected}, got {_describe(value)}"
        super().__init__(f"{path or 'response body'}: {self.reason}")

    def within(self, prefix: str) -> "SchemaError":
        """The same error with its path prefixed by an enclosing field or index."""
        path = (
            f"{prefix}.{self.path}"
            if self.path and not self.path.startswith("[")
            else prefix + self.path
        )
        return SchemaError(path, self.expected, None, self.reason)


__all__ = ["SchemaError", "UnexpectedStatus"]
