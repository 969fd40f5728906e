from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExtractAggregate(Model):
    """An extract block's likelihood per path.

    Attributes:
        likelihoods (Scores): Numbers by name (a path or a label).
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["likelihoods"],
            "type": "object",
            "properties": {"likelihoods": {"$ref": "#/components/schemas/Scores"}},
            "additionalProperties": True,
            "description": "An extract block's likelihood per path.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "likelihoods": "likelihoods",
    }

    likelihoods: Scores
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        likelihoods = self.likelihoods
        field_dict["likelihoods"] = likelihoods.to_dict()
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExtractAggregate from a dict already validated by `SCHEMA` (no checks)."""
        likelihoods = Scores.from_valid_dict(d["likelihoods"])
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            likelihoods,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExtractAggregate.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.scores import Scores  # noqa: E402
