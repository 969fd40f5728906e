from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class Artifact(Model):
    """What the block produced for the document.

    Attributes:
        operation (str): extraction, split, classification, parse, edit or partition.
        id (str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["operation", "id"],
            "type": "object",
            "properties": {
                "operation": {
                    "type": "string",
                    "description": "extraction, split, classification, parse, edit or partition.",
                },
                "id": {"type": "string"},
            },
            "additionalProperties": True,
            "description": "What the block produced for the document.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "operation": "operation",
        "id": "id",
    }

    operation: str
    id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["operation"] = self.operation
        field_dict["id"] = self.id
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build Artifact from a dict already validated by `SCHEMA` (no checks)."""
        operation = d["operation"]
        id = d["id"]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            operation,
            id,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(Artifact.FIELDS)
