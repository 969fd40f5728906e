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
class TargetDocument(Model):
    """TargetDocument

    Attributes:
        id (str):
        filename (None | str):
        score (float | None):
        prior_score (float | None):
        value (Any | Unset): The document's value for the target, any JSON.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["id"],
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "filename": {"type": ["string", "null"]},
                "score": {"type": ["number", "null"]},
                "prior_score": {"type": ["number", "null"]},
                "value": {
                    "description": "The document's value for the target, any JSON."
                },
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "filename": "filename",
        "score": "score",
        "prior_score": "prior_score",
        "value": "value",
    }

    id: str
    filename: None | str = None
    score: float | None = None
    prior_score: float | None = None
    value: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        field_dict["filename"] = self.filename
        field_dict["score"] = self.score
        field_dict["prior_score"] = self.prior_score
        if not isinstance(self.value, Unset):
            field_dict["value"] = self.value
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build TargetDocument from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        v = d.get("filename", None)
        filename = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("prior_score", None)
        prior_score = float(v) if type(v) is int else v
        v = d.get("value", UNSET)
        value = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            filename,
            score,
            prior_score,
            value,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(TargetDocument.FIELDS)
