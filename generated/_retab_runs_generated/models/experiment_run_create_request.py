from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExperimentRunCreateRequest(Model):
    """The body of create.

    Attributes:
        experiment_id (str):
        workflow_id (None | str):
        plan_token (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["experiment_id"],
            "type": "object",
            "properties": {
                "experiment_id": {"minLength": 1, "type": "string"},
                "workflow_id": {"minLength": 1, "type": ["string", "null"]},
                "plan_token": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "The body of create.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "experiment_id": "experiment_id",
        "workflow_id": "workflow_id",
        "plan_token": "plan_token",
    }

    experiment_id: str
    workflow_id: None | str = None
    plan_token: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["experiment_id"] = self.experiment_id
        field_dict["workflow_id"] = self.workflow_id
        field_dict["plan_token"] = self.plan_token
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentRunCreateRequest from a dict already validated by `SCHEMA` (no checks)."""
        experiment_id = d["experiment_id"]
        v = d.get("workflow_id", None)
        workflow_id = v
        v = d.get("plan_token", None)
        plan_token = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            experiment_id,
            workflow_id,
            plan_token,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentRunCreateRequest.FIELDS)
