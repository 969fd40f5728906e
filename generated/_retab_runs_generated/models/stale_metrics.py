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
class StaleMetrics(Model):
    """The latest run no longer matches the experiment's definition.

    Attributes:
        kind (Literal['stale_metrics']):
        experiment_id (str):
        error (str | Unset):
        stale_reasons (list[str] | Unset):
        last_run (None | StaleRun):
        current_block_execution_fingerprint (None | str):
        message (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["kind", "experiment_id"],
            "type": "object",
            "properties": {
                "kind": {"const": "stale_metrics", "type": "string"},
                "error": {"type": "string"},
                "experiment_id": {"type": "string"},
                "stale_reasons": {"type": "array", "items": {"type": "string"}},
                "last_run": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/StaleRun"},
                        {"type": "null"},
                    ]
                },
                "current_block_execution_fingerprint": {"type": ["string", "null"]},
                "message": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "The latest run no longer matches the experiment's definition.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "error": "error",
        "experiment_id": "experiment_id",
        "stale_reasons": "stale_reasons",
        "last_run": "last_run",
        "current_block_execution_fingerprint": "current_block_execution_fingerprint",
        "message": "message",
    }

    kind: Literal["stale_metrics"]
    experiment_id: str
    error: str | Unset = UNSET
    stale_reasons: list[str] | Unset = UNSET
    last_run: None | StaleRun = None
    current_block_execution_fingerprint: None | str = None
    message: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["kind"] = self.kind
        if not isinstance(self.error, Unset):
            field_dict["error"] = self.error
        field_dict["experiment_id"] = self.experiment_id
        if not isinstance(self.stale_reasons, Unset):
            field_dict["stale_reasons"] = self.stale_reasons
        last_run = self.last_run
        field_dict["last_run"] = (
            last_run.to_dict() if isinstance(last_run, (StaleRun,)) else last_run
        )
        field_dict["current_block_execution_fingerprint"] = (
            self.current_block_execution_fingerprint
        )
        field_dict["message"] = self.message
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build StaleMetrics from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        experiment_id = d["experiment_id"]
        v = d.get("error", UNSET)
        error = v
        v = d.get("stale_reasons", UNSET)
        stale_reasons = v
        v = d.get("last_run", None)
        last_run = StaleRun.from_valid_dict(v) if type(v) is dict else v
        v = d.get("current_block_execution_fingerprint", None)
        current_block_execution_fingerprint = v
        v = d.get("message", None)
        message = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            experiment_id,
            error,
            stale_reasons,
            last_run,
            current_block_execution_fingerprint,
            message,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(StaleMetrics.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.stale_run import StaleRun  # noqa: E402
