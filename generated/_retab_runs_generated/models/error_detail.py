from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ErrorDetail(Model):
    """A structured error.

    Attributes:
        message (str): What went wrong.
        code (None | str): A machine-readable error code.
        details (ErrorDetails | None): Extra context, free-form.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["message"],
            "type": "object",
            "properties": {
                "code": {
                    "type": ["string", "null"],
                    "description": "A machine-readable error code.",
                },
                "message": {"type": "string", "description": "What went wrong."},
                "details": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ErrorDetails"},
                        {"type": "null"},
                    ],
                    "description": "Extra context, free-form.",
                },
            },
            "additionalProperties": True,
            "description": "A structured error.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "code": "code",
        "message": "message",
        "details": "details",
    }

    message: str
    code: None | str = None
    details: ErrorDetails | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["code"] = self.code
        field_dict["message"] = self.message
        details = self.details
        field_dict["details"] = (
            details.to_dict() if isinstance(details, (ErrorDetails,)) else details
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ErrorDetail from a dict already validated by `SCHEMA` (no checks)."""
        message = d["message"]
        v = d.get("code", None)
        code = v
        v = d.get("details", None)
        details = ErrorDetails.from_valid_dict(v) if type(v) is dict else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            message,
            code,
            details,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ErrorDetail.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.error_details import ErrorDetails  # noqa: E402
