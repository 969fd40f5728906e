from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExperimentRunListResponse(Model):
    """The runs of one experiment, newest first.

    Attributes:
        runs (list[ExperimentRunSummary]): Every run, newest first.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["runs"],
            "type": "object",
            "properties": {
                "runs": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ExperimentRunSummary"},
                    "description": "Every run, newest first.",
                }
            },
            "additionalProperties": True,
            "description": "The runs of one experiment, newest first.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "runs": "runs",
    }

    runs: list[ExperimentRunSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        runs = self.runs
        field_dict["runs"] = [x0.to_dict() for x0 in runs]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentRunListResponse from a dict already validated by `SCHEMA` (no checks)."""
        runs = [ExperimentRunSummary.from_valid_dict(x0) for x0 in d["runs"]]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            runs,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentRunListResponse.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.experiment_run_summary import ExperimentRunSummary  # noqa: E402
