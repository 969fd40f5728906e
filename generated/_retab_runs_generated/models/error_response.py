from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ErrorResponse(Model):
    """Retab's error body; `detail` is a message or a structured error.

    Attributes:
        detail (ErrorDetail | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["detail"],
            "type": "object",
            "properties": {
                "detail": {
                    "anyOf": [
                        {"type": "string"},
                        {"$ref": "#/components/schemas/ErrorDetail"},
                    ]
                }
            },
            "additionalProperties": True,
            "description": "Retab's error body; `detail` is a message or a structured error.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "detail": "detail",
    }

    detail: ErrorDetail | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        detail = self.detail
        field_dict["detail"] = (
            detail.to_dict() if isinstance(detail, (ErrorDetail,)) else detail
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ErrorResponse from a dict already validated by `SCHEMA` (no checks)."""
        detail = (
            ErrorDetail.from_valid_dict(d["detail"])
            if type(d["detail"]) is dict
            else d["detail"]
        )
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            detail,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ErrorResponse.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.error_detail import ErrorDetail  # noqa: E402
