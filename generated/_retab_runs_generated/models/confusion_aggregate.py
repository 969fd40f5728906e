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
class ConfusionAggregate(Model):
    """A split or classifier block's diagonal per label and its flows.

    Attributes:
        diag (Scores): Numbers by name (a path or a label).
        flows (list[Flow] | Unset):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["diag"],
            "type": "object",
            "properties": {
                "diag": {"$ref": "#/components/schemas/Scores"},
                "flows": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Flow"},
                },
            },
            "additionalProperties": True,
            "description": "A split or classifier block's diagonal per label and its flows.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "diag": "diag",
        "flows": "flows",
    }

    diag: Scores
    flows: list[Flow] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        diag = self.diag
        field_dict["diag"] = diag.to_dict()
        if not isinstance(self.flows, Unset):
            flows = self.flows
            field_dict["flows"] = [x0.to_dict() for x0 in flows]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ConfusionAggregate from a dict already validated by `SCHEMA` (no checks)."""
        diag = Scores.from_valid_dict(d["diag"])
        v = d.get("flows", UNSET)
        flows = v if v is UNSET else [Flow.from_valid_dict(x0) for x0 in v]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            diag,
            flows,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ConfusionAggregate.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.flow import Flow  # noqa: E402
from ..models.scores import Scores  # noqa: E402
