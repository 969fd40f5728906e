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
class ExperimentDrift(Model):
    """How far the block's schema moved since the experiment was made.

    Attributes:
        status (str | Unset): none, drifted, broken or unknown.
        affected_targets (list[str] | Unset):
        detail (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "status": {
                    "type": "string",
                    "description": "none, drifted, broken or unknown.",
                },
                "affected_targets": {"type": "array", "items": {"type": "string"}},
                "detail": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "How far the block's schema moved since the experiment was made.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "status": "status",
        "affected_targets": "affected_targets",
        "detail": "detail",
    }

    status: str | Unset = UNSET
    affected_targets: list[str] | Unset = UNSET
    detail: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        if not isinstance(self.status, Unset):
            field_dict["status"] = self.status
        if not isinstance(self.affected_targets, Unset):
            field_dict["affected_targets"] = self.affected_targets
        field_dict["detail"] = self.detail
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentDrift from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("status", UNSET)
        status = v
        v = d.get("affected_targets", UNSET)
        affected_targets = v
        v = d.get("detail", None)
        detail = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            status,
            affected_targets,
            detail,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentDrift.FIELDS)
