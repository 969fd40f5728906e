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

from ..models.freshness import Freshness


@_attrs_define(repr=False)
class ExperimentFreshness(Model):
    """Whether the experiment's latest run still matches its definition, and why not.

    Attributes:
        status (Freshness | str | Unset):
        reasons (list[str] | Unset): e.g. validity_changed, inputs_changed, engine_changed, metrics_engine_changed,
            no_baseline.
        validity_fingerprint (None | str):
        input_fingerprint (None | str):
        baseline_run_id (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "status": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Freshness"},
                        {"type": "string"},
                    ]
                },
                "reasons": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "e.g. validity_changed, inputs_changed, engine_changed, metrics_engine_changed, no_baseline.",
                },
                "validity_fingerprint": {"type": ["string", "null"]},
                "input_fingerprint": {"type": ["string", "null"]},
                "baseline_run_id": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "Whether the experiment's latest run still matches its definition, and why not.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "status": "status",
        "reasons": "reasons",
        "validity_fingerprint": "validity_fingerprint",
        "input_fingerprint": "input_fingerprint",
        "baseline_run_id": "baseline_run_id",
    }

    status: Freshness | str | Unset = UNSET
    reasons: list[str] | Unset = UNSET
    validity_fingerprint: None | str = None
    input_fingerprint: None | str = None
    baseline_run_id: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        if not isinstance(self.status, Unset):
            field_dict["status"] = self.status
        if not isinstance(self.reasons, Unset):
            field_dict["reasons"] = self.reasons
        field_dict["validity_fingerprint"] = self.validity_fingerprint
        field_dict["input_fingerprint"] = self.input_fingerprint
        field_dict["baseline_run_id"] = self.baseline_run_id
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentFreshness from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("status", UNSET)
        status = v
        v = d.get("reasons", UNSET)
        reasons = v
        v = d.get("validity_fingerprint", None)
        validity_fingerprint = v
        v = d.get("input_fingerprint", None)
        input_fingerprint = v
        v = d.get("baseline_run_id", None)
        baseline_run_id = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            status,
            reasons,
            validity_fingerprint,
            input_fingerprint,
            baseline_run_id,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentFreshness.FIELDS)
