from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    UNSET,
    Model,
    SchemaCheck,
    Unset,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class HTTPValidationError(Model):
    """FastAPI's validation error body.

    Attributes:
        detail (list[ValidationError] | Unset):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "detail": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ValidationError"},
                }
            },
            "additionalProperties": True,
            "description": "FastAPI's validation error body.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "detail": "detail",
    }

    detail: list[ValidationError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        if not isinstance(self.detail, Unset):
            detail = self.detail
            field_dict["detail"] = [x0.to_dict() for x0 in detail]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build HTTPValidationError from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("detail", UNSET)
        detail = v if v is UNSET else [ValidationError.from_valid_dict(x0) for x0 in v]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            detail,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(HTTPValidationError.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.validation_error import ValidationError  # noqa: E402
