from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class DocumentCapture(Model):
    """A document taken from a step of an earlier workflow run.

    Attributes:
        run_id (str):
        step_id (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["run_id"],
            "type": "object",
            "properties": {
                "run_id": {"minLength": 1, "type": "string"},
                "step_id": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "A document taken from a step of an earlier workflow run.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "run_id": "run_id",
        "step_id": "step_id",
    }

    run_id: str
    step_id: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["run_id"] = self.run_id
        field_dict["step_id"] = self.step_id
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build DocumentCapture from a dict already validated by `SCHEMA` (no checks)."""
        run_id = d["run_id"]
        v = d.get("step_id", None)
        step_id = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            run_id,
            step_id,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(DocumentCapture.FIELDS)
