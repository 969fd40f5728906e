from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
    select_variant,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.block_kind import BlockKind


@_attrs_define(repr=False)
class ExperimentResult(Model):
    """One document of one run.

    Attributes:
        id (str):
        experiment_run_id (str):
        experiment_id (str):
        document_id (str):
        lifecycle (LifecycleCancelled | LifecycleCompleted | LifecycleError | LifecycleOther | LifecyclePending | LifecycleQueued | LifecycleRunning): Where the document is; the variant is chosen by `status`.
        timing (RunTiming): When the run was created, started and completed.
        block_type (BlockKind | None | str):
        handle_inputs (HandleInputs | None):
        handle_outputs (HandleInputs | None):
        artifact (Artifact | None):
        attempt (int):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": [
                "id",
                "experiment_run_id",
                "experiment_id",
                "document_id",
                "lifecycle",
                "timing",
            ],
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "experiment_run_id": {"type": "string"},
                "experiment_id": {"type": "string"},
                "document_id": {"type": "string"},
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
                    "description": "Where the document is; the variant is chosen by `status`.",
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
                "timing": {"$ref": "#/components/schemas/RunTiming"},
                "block_type": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockKind"},
                        {"type": "string"},
                        {"type": "null"},
                    ]
                },
                "handle_inputs": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/HandleInputs"},
                        {"type": "null"},
                    ]
                },
                "handle_outputs": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/HandleInputs"},
                        {"type": "null"},
                    ]
                },
                "artifact": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Artifact"},
                        {"type": "null"},
                    ]
                },
                "attempt": {"type": "integer", "format": "int64", "default": 0},
            },
            "additionalProperties": True,
            "description": "One document of one run.",
            "example": {
                "id": "expres_1",
                "experiment_run_id": "exprun_2",
                "experiment_id": "exp_abc",
                "document_id": "doc_a",
                "lifecycle": {"status": "completed"},
                "timing": {
                    "created_at": "2026-05-02T11:00:00Z",
                    "completed_at": "2026-05-02T11:01:00Z",
                    "duration_ms": 60000,
                },
                "block_type": "extract",
                "attempt": 0,
            },
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "experiment_run_id": "experiment_run_id",
        "experiment_id": "experiment_id",
        "document_id": "document_id",
        "lifecycle": "lifecycle",
        "timing": "timing",
        "block_type": "block_type",
        "handle_inputs": "handle_inputs",
        "handle_outputs": "handle_outputs",
        "artifact": "artifact",
        "attempt": "attempt",
    }

    id: str
    experiment_run_id: str
    experiment_id: str
    document_id: str
    lifecycle: (
        LifecycleCancelled
        | LifecycleCompleted
        | LifecycleError
        | LifecycleOther
        | LifecyclePending
        | LifecycleQueued
        | LifecycleRunning
    )
    timing: RunTiming
    block_type: BlockKind | None | str = None
    handle_inputs: HandleInputs | None = None
    handle_outputs: HandleInputs | None = None
    artifact: Artifact | None = None
    attempt: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        field_dict["experiment_run_id"] = self.experiment_run_id
        field_dict["experiment_id"] = self.experiment_id
        field_dict["document_id"] = self.document_id
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
        timing = self.timing
        field_dict["timing"] = timing.to_dict()
        field_dict["block_type"] = self.block_type
        handle_inputs = self.handle_inputs
        field_dict["handle_inputs"] = (
            handle_inputs.to_dict()
            if isinstance(handle_inputs, (HandleInputs,))
            else handle_inputs
        )
        handle_outputs = self.handle_outputs
        field_dict["handle_outputs"] = (
            handle_outputs.to_dict()
            if isinstance(handle_outputs, (HandleInputs,))
            else handle_outputs
        )
        artifact = self.artifact
        field_dict["artifact"] = (
            artifact.to_dict() if isinstance(artifact, (Artifact,)) else artifact
        )
        field_dict["attempt"] = self.attempt
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentResult from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        experiment_run_id = d["experiment_run_id"]
        experiment_id = d["experiment_id"]
        document_id = d["document_id"]
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
        timing = RunTiming.from_valid_dict(d["timing"])
        v = d.get("block_type", None)
        block_type = v
        v = d.get("handle_inputs", None)
        handle_inputs = HandleInputs.from_valid_dict(v) if type(v) is dict else v
        v = d.get("handle_outputs", None)
        handle_outputs = HandleInputs.from_valid_dict(v) if type(v) is dict else v
        v = d.get("artifact", None)
        artifact = Artifact.from_valid_dict(v) if type(v) is dict else v
        v = d.get("attempt", 0)
        attempt = v if type(v) is int else int(v)
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            experiment_run_id,
            experiment_id,
            document_id,
            lifecycle,
            timing,
            block_type,
            handle_inputs,
            handle_outputs,
            artifact,
            attempt,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentResult.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.artifact import Artifact  # noqa: E402
from ..models.handle_inputs import HandleInputs  # noqa: E402
from ..models.lifecycle_cancelled import LifecycleCancelled  # noqa: E402
from ..models.lifecycle_completed import LifecycleCompleted  # noqa: E402
from ..models.lifecycle_error import LifecycleError  # noqa: E402
from ..models.lifecycle_other import LifecycleOther  # noqa: E402
from ..models.lifecycle_pending import LifecyclePending  # noqa: E402
from ..models.lifecycle_queued import LifecycleQueued  # noqa: E402
from ..models.lifecycle_running import LifecycleRunning  # noqa: E402
from ..models.run_timing import RunTiming  # noqa: E402
