from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class Flow(Model):
    """Flow

    Attributes:
        source (str):
        target (str):
        score (float | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["source", "target"],
            "type": "object",
            "properties": {
                "source": {"type": "string"},
                "target": {"type": "string"},
                "score": {"type": ["number", "null"]},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "source": "source",
        "target": "target",
        "score": "score",
    }

    source: str
    target: str
    score: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["source"] = self.source
        field_dict["target"] = self.target
        field_dict["score"] = self.score
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build Flow from a dict already validated by `SCHEMA` (no checks)."""
        source = d["source"]
        target = d["target"]
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            source,
            target,
            score,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(Flow.FIELDS)
