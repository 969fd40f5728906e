from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
    select_variant,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExperimentRunCancelResponse(Model):
    """The cancelled run's id and lifecycle.

    Attributes:
        id (str):
        lifecycle (LifecycleCancelled | LifecycleCompleted | LifecycleError | LifecycleOther | LifecyclePending | LifecycleQueued | LifecycleRunning):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["id", "lifecycle"],
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "lifecycle": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/LifecyclePending"},
                        {"$ref": "#/components/schemas/LifecycleQueued"},
                        {"$ref": "#/components/schemas/LifecycleRunning"},
                        {"$ref": "#/components/schemas/LifecycleCompleted"},
                        {"$ref": "#/components/schemas/LifecycleError"},
                        {"$ref": "#/components/schemas/LifecycleCancelled"},
                        {"$ref": "#/components/schemas/LifecycleOther"},
                    ],
                    "discriminator": {
                        "propertyName": "status",
                        "mapping": {
                            "pending": "#/components/schemas/LifecyclePending",
                            "queued": "#/components/schemas/LifecycleQueued",
                            "running": "#/components/schemas/LifecycleRunning",
                            "completed": "#/components/schemas/LifecycleCompleted",
                            "error": "#/components/schemas/LifecycleError",
                            "cancelled": "#/components/schemas/LifecycleCancelled",
                        },
                    },
                },
            },
            "additionalProperties": True,
            "description": "The cancelled run's id and lifecycle.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "lifecycle": "lifecycle",
    }

    id: str
    lifecycle: (
        LifecycleCancelled
        | LifecycleCompleted
        | LifecycleError
        | LifecycleOther
        | LifecyclePending
        | LifecycleQueued
        | LifecycleRunning
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        lifecycle = self.lifecycle
        field_dict["lifecycle"] = (
            lifecycle.to_dict()
            if isinstance(
                lifecycle,
                (
                    LifecyclePending,
                    LifecycleQueued,
                    LifecycleRunning,
                    LifecycleCompleted,
                    LifecycleError,
                    LifecycleCancelled,
                    LifecycleOther,
                ),
            )
            else lifecycle
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentRunCancelResponse from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        lifecycle = (
            select_variant(
                d["lifecycle"],
                (
                    LifecyclePending,
                    LifecycleQueued,
                    LifecycleRunning,
                    LifecycleCompleted,
                    LifecycleError,
                    LifecycleCancelled,
                    LifecycleOther,
                ),
            )
            if type(d["lifecycle"]) is dict
            else d["lifecycle"]
        )
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            lifecycle,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentRunCancelResponse.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.lifecycle_cancelled import LifecycleCancelled  # noqa: E402
from ..models.lifecycle_completed import LifecycleCompleted  # noqa: E402
from ..models.lifecycle_error import LifecycleError  # noqa: E402
from ..models.lifecycle_other import LifecycleOther  # noqa: E402
from ..models.lifecycle_pending import LifecyclePending  # noqa: E402
from ..models.lifecycle_queued import LifecycleQueued  # noqa: E402
from ..models.lifecycle_running import LifecycleRunning  # noqa: E402
