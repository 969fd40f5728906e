from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExperimentDocument(Model):
    """A document given inline: its inputs by handle.

    Attributes:
        handle_inputs (HandleInputs): Inputs by handle name.
        provenance (DocumentProvenance | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["handle_inputs"],
            "type": "object",
            "properties": {
                "handle_inputs": {"$ref": "#/components/schemas/HandleInputs"},
                "provenance": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/DocumentProvenance"},
                        {"type": "null"},
                    ]
                },
            },
            "additionalProperties": True,
            "description": "A document given inline: its inputs by handle.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "handle_inputs": "handle_inputs",
        "provenance": "provenance",
    }

    handle_inputs: HandleInputs
    provenance: DocumentProvenance | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        handle_inputs = self.handle_inputs
        field_dict["handle_inputs"] = handle_inputs.to_dict()
        provenance = self.provenance
        field_dict["provenance"] = (
            provenance.to_dict()
            if isinstance(provenance, (DocumentProvenance,))
            else provenance
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentDocument from a dict already validated by `SCHEMA` (no checks)."""
        handle_inputs = HandleInputs.from_valid_dict(d["handle_inputs"])
        v = d.get("provenance", None)
        provenance = DocumentProvenance.from_valid_dict(v) if type(v) is dict else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            handle_inputs,
            provenance,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentDocument.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.document_provenance import DocumentProvenance  # noqa: E402
from ..models.handle_inputs import HandleInputs  # noqa: E402
