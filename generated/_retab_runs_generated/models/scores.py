from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class Scores(Model):
    """Numbers by name (a path or a label).

    additional_properties (dict[str, float]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "additionalProperties": {"type": "number"},
            "description": "Numbers by name (a path or a label).",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {}

    additional_properties: dict[str, float] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build Scores from a dict already validated by `SCHEMA` (no checks)."""
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls()
        obj.additional_properties = {
            k: (x if type(x) is float else float(x))
            for k, x in d.items()
            if k not in _KNOWN
        }
        return obj


_KNOWN = frozenset(Scores.FIELDS)
