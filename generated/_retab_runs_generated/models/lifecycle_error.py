from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class LifecycleError(Model):
    """LifecycleError

    Attributes:
        status (Literal['error']):
        message (None | str):
        details (ErrorDetails | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["status"],
            "type": "object",
            "properties": {
                "status": {"const": "error", "type": "string"},
                "message": {"type": ["string", "null"], "default": "(no message)"},
                "details": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ErrorDetails"},
                        {"type": "null"},
                    ]
                },
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "status": "status",
        "message": "message",
        "details": "details",
    }

    status: Literal["error"]
    message: None | str = "(no message)"
    details: ErrorDetails | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["status"] = self.status
        field_dict["message"] = self.message
        details = self.details
        field_dict["details"] = (
            details.to_dict() if isinstance(details, (ErrorDetails,)) else details
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build LifecycleError from a dict already validated by `SCHEMA` (no checks)."""
        status = d["status"]
        v = d.get("message", "(no message)")
        message = v
        v = d.get("details", None)
        details = ErrorDetails.from_valid_dict(v) if type(v) is dict else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            status,
            message,
            details,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(LifecycleError.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.error_details import ErrorDetails  # noqa: E402
