from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from _retab_runs_runtime import (
    UNSET,
    Model,
    SchemaCheck,
    Unset,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class NoMetrics(Model):
    """The experiment has no runs, so no metrics.

    Attributes:
        kind (Literal['no_metrics']):
        experiment_id (str):
        error (str | Unset):
        message (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["kind", "experiment_id"],
            "type": "object",
            "properties": {
                "kind": {"const": "no_metrics", "type": "string"},
                "error": {"type": "string"},
                "experiment_id": {"type": "string"},
                "message": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "The experiment has no runs, so no metrics.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "error": "error",
        "experiment_id": "experiment_id",
        "message": "message",
    }

    kind: Literal["no_metrics"]
    experiment_id: str
    error: str | Unset = UNSET
    message: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["kind"] = self.kind
        if not isinstance(self.error, Unset):
            field_dict["error"] = self.error
        field_dict["experiment_id"] = self.experiment_id
        field_dict["message"] = self.message
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build NoMetrics from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        experiment_id = d["experiment_id"]
        v = d.get("error", UNSET)
        error = v
        v = d.get("message", None)
        message = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            experiment_id,
            error,
            message,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(NoMetrics.FIELDS)
