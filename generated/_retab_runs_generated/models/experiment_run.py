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
from ..models.n_consensus import NConsensus


@_attrs_define(repr=False)
class ExperimentRun(Model):
    """One experiment run, as the runs resource returns it.

    Attributes:
        id (str): The run's id, `exprun_...`.
        workflow_id (str):
        workflow_version_id (str):
        trigger (RunTrigger): What started the run.
        experiment_id (str):
        block_id (str):
        block_type (BlockKind | str): The kind of block (the seed's summary calls it `block_kind`).
        n_consensus (int | NConsensus):
        lifecycle (LifecycleCancelled | LifecycleCompleted | LifecycleError | LifecycleOther | LifecyclePending | LifecycleQueued | LifecycleRunning): Where the run is; the variant is chosen by `status`.
        timing (RunTiming): When the run was created, started and completed.
        block_execution_fingerprint (str):
        documents_fingerprint (str):
        parent_run_id (None | str):
        block_version_id (None | str):
        metrics_validity_fingerprint (None | str):
        metrics_validity_fingerprint_version (int | None):
        score (float | None): Consensus score; null until scored.
        total_document_count (int | None):
        completed_document_count (int | None):
        document_count (int | None):
        error_count (int | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": [
                "id",
                "workflow_id",
                "workflow_version_id",
                "trigger",
                "experiment_id",
                "block_id",
                "block_type",
                "n_consensus",
                "lifecycle",
                "timing",
                "block_execution_fingerprint",
                "documents_fingerprint",
            ],
            "type": "object",
            "properties": {
                "id": {"type": "string", "description": "The run's id, `exprun_...`."},
                "workflow_id": {"type": "string"},
                "workflow_version_id": {"type": "string"},
                "trigger": {"$ref": "#/components/schemas/RunTrigger"},
                "experiment_id": {"type": "string"},
                "block_id": {"type": "string"},
                "block_type": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockKind"},
                        {"type": "string"},
                    ],
                    "description": "The kind of block (the seed's summary calls it `block_kind`).",
                },
                "n_consensus": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/NConsensus"},
                        {"type": "integer", "format": "int64"},
                    ]
                },
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
                    "description": "Where the run is; the variant is chosen by `status`.",
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
                "parent_run_id": {"type": ["string", "null"]},
                "block_version_id": {"type": ["string", "null"]},
                "metrics_validity_fingerprint": {"type": ["string", "null"]},
                "metrics_validity_fingerprint_version": {
                    "type": ["integer", "null"],
                    "format": "int64",
                },
                "block_execution_fingerprint": {"type": "string"},
                "documents_fingerprint": {"type": "string"},
                "score": {
                    "type": ["number", "null"],
                    "description": "Consensus score; null until scored.",
                },
                "total_document_count": {
                    "type": ["integer", "null"],
                    "format": "int64",
                    "default": 0,
                },
                "completed_document_count": {
                    "type": ["integer", "null"],
                    "format": "int64",
                    "default": 0,
                },
                "document_count": {
                    "type": ["integer", "null"],
                    "format": "int64",
                    "default": 0,
                },
                "error_count": {
                    "type": ["integer", "null"],
                    "format": "int64",
                    "default": 0,
                },
            },
            "additionalProperties": True,
            "description": "One experiment run, as the runs resource returns it.",
            "example": {
                "id": "exprun_2",
                "workflow_id": "wf_abc123",
                "workflow_version_id": "draft_2026_05_18",
                "trigger": {"type": "api"},
                "experiment_id": "exp_abc",
                "block_id": "extract-invoice",
                "block_type": "extract",
                "n_consensus": 5,
                "lifecycle": {"status": "completed"},
                "timing": {
                    "created_at": "2026-05-02T11:00:00Z",
                    "started_at": "2026-05-02T11:00:01Z",
                    "completed_at": "2026-05-02T11:04:18Z",
                    "duration_ms": 258221,
                },
                "parent_run_id": "exprun_1",
                "block_execution_fingerprint": "0ff93ddc7cefcb42",
                "documents_fingerprint": "ddd95baadce6045f",
                "score": 0.87,
                "total_document_count": 12,
                "completed_document_count": 12,
                "document_count": 12,
                "error_count": 0,
            },
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "workflow_id": "workflow_id",
        "workflow_version_id": "workflow_version_id",
        "trigger": "trigger",
        "experiment_id": "experiment_id",
        "block_id": "block_id",
        "block_type": "block_type",
        "n_consensus": "n_consensus",
        "lifecycle": "lifecycle",
        "timing": "timing",
        "parent_run_id": "parent_run_id",
        "block_version_id": "block_version_id",
        "metrics_validity_fingerprint": "metrics_validity_fingerprint",
        "metrics_validity_fingerprint_version": "metrics_validity_fingerprint_version",
        "block_execution_fingerprint": "block_execution_fingerprint",
        "documents_fingerprint": "documents_fingerprint",
        "score": "score",
        "total_document_count": "total_document_count",
        "completed_document_count": "completed_document_count",
        "document_count": "document_count",
        "error_count": "error_count",
    }

    id: str
    workflow_id: str
    workflow_version_id: str
    trigger: RunTrigger
    experiment_id: str
    block_id: str
    block_type: BlockKind | str
    n_consensus: int | NConsensus
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
    block_execution_fingerprint: str
    documents_fingerprint: str
    parent_run_id: None | str = None
    block_version_id: None | str = None
    metrics_validity_fingerprint: None | str = None
    metrics_validity_fingerprint_version: int | None = None
    score: float | None = None
    total_document_count: int | None = 0
    completed_document_count: int | None = 0
    document_count: int | None = 0
    error_count: int | None = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        field_dict["workflow_id"] = self.workflow_id
        field_dict["workflow_version_id"] = self.workflow_version_id
        trigger = self.trigger
        field_dict["trigger"] = trigger.to_dict()
        field_dict["experiment_id"] = self.experiment_id
        field_dict["block_id"] = self.block_id
        field_dict["block_type"] = self.block_type
        field_dict["n_consensus"] = self.n_consensus
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
        field_dict["parent_run_id"] = self.parent_run_id
        field_dict["block_version_id"] = self.block_version_id
        field_dict["metrics_validity_fingerprint"] = self.metrics_validity_fingerprint
        field_dict["metrics_validity_fingerprint_version"] = (
            self.metrics_validity_fingerprint_version
        )
        field_dict["block_execution_fingerprint"] = self.block_execution_fingerprint
        field_dict["documents_fingerprint"] = self.documents_fingerprint
        field_dict["score"] = self.score
        field_dict["total_document_count"] = self.total_document_count
        field_dict["completed_document_count"] = self.completed_document_count
        field_dict["document_count"] = self.document_count
        field_dict["error_count"] = self.error_count
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentRun from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        workflow_id = d["workflow_id"]
        workflow_version_id = d["workflow_version_id"]
        trigger = RunTrigger.from_valid_dict(d["trigger"])
        experiment_id = d["experiment_id"]
        block_id = d["block_id"]
        block_type = d["block_type"]
        n_consensus = (
            int(d["n_consensus"])
            if type(d["n_consensus"]) is float
            else d["n_consensus"]
        )
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
        block_execution_fingerprint = d["block_execution_fingerprint"]
        documents_fingerprint = d["documents_fingerprint"]
        v = d.get("parent_run_id", None)
        parent_run_id = v
        v = d.get("block_version_id", None)
        block_version_id = v
        v = d.get("metrics_validity_fingerprint", None)
        metrics_validity_fingerprint = v
        v = d.get("metrics_validity_fingerprint_version", None)
        metrics_validity_fingerprint_version = int(v) if type(v) is float else v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("total_document_count", 0)
        total_document_count = int(v) if type(v) is float else v
        v = d.get("completed_document_count", 0)
        completed_document_count = int(v) if type(v) is float else v
        v = d.get("document_count", 0)
        document_count = int(v) if type(v) is float else v
        v = d.get("error_count", 0)
        error_count = int(v) if type(v) is float else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            workflow_id,
            workflow_version_id,
            trigger,
            experiment_id,
            block_id,
            block_type,
            n_consensus,
            lifecycle,
            timing,
            block_execution_fingerprint,
            documents_fingerprint,
            parent_run_id,
            block_version_id,
            metrics_validity_fingerprint,
            metrics_validity_fingerprint_version,
            score,
            total_document_count,
            completed_document_count,
            document_count,
            error_count,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentRun.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.lifecycle_cancelled import LifecycleCancelled  # noqa: E402
from ..models.lifecycle_completed import LifecycleCompleted  # noqa: E402
from ..models.lifecycle_error import LifecycleError  # noqa: E402
from ..models.lifecycle_other import LifecycleOther  # noqa: E402
from ..models.lifecycle_pending import LifecyclePending  # noqa: E402
from ..models.lifecycle_queued import LifecycleQueued  # noqa: E402
from ..models.lifecycle_running import LifecycleRunning  # noqa: E402
from ..models.run_timing import RunTiming  # noqa: E402
from ..models.run_trigger import RunTrigger  # noqa: E402
