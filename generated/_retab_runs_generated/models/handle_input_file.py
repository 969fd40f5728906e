from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class HandleInputFile(Model):
    """HandleInputFile

    Attributes:
        type_ (Literal['file']):
        document (FileRef): A file Retab holds.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["type", "document"],
            "type": "object",
            "properties": {
                "type": {"const": "file", "type": "string"},
                "document": {"$ref": "#/components/schemas/FileRef"},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "type": "type_",
        "document": "document",
    }

    type_: Literal["file"]
    document: FileRef
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["type"] = self.type_
        document = self.document
        field_dict["document"] = document.to_dict()
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build HandleInputFile from a dict already validated by `SCHEMA` (no checks)."""
        type_ = d["type"]
        document = FileRef.from_valid_dict(d["document"])
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            type_,
            document,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(HandleInputFile.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.file_ref import FileRef  # noqa: E402
