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
class TargetConfusion(Model):
    """TargetConfusion

    Attributes:
        self_ (float | None): The share kept on the target itself.
        flow_from (Scores | Unset): Numbers by name (a path or a label).
        flow_to (Scores | Unset): Numbers by name (a path or a label).
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "self": {
                    "type": ["number", "null"],
                    "description": "The share kept on the target itself.",
                },
                "flow_from": {"$ref": "#/components/schemas/Scores"},
                "flow_to": {"$ref": "#/components/schemas/Scores"},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "self": "self_",
        "flow_from": "flow_from",
        "flow_to": "flow_to",
    }

    self_: float | None = None
    flow_from: Scores | Unset = UNSET
    flow_to: Scores | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["self"] = self.self_
        if not isinstance(self.flow_from, Unset):
            flow_from = self.flow_from
            field_dict["flow_from"] = flow_from.to_dict()
        if not isinstance(self.flow_to, Unset):
            flow_to = self.flow_to
            field_dict["flow_to"] = flow_to.to_dict()
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build TargetConfusion from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("self", None)
        self_ = float(v) if type(v) is int else v
        v = d.get("flow_from", UNSET)
        flow_from = v if v is UNSET else Scores.from_valid_dict(v)
        v = d.get("flow_to", UNSET)
        flow_to = v if v is UNSET else Scores.from_valid_dict(v)
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            self_,
            flow_from,
            flow_to,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(TargetConfusion.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.scores import Scores  # noqa: E402
