from __future__ import annotations

import datetime
from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    UNSET,
    Model,
    SchemaCheck,
    Unset,
    parse_datetime,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.block_kind import BlockKind
from ..models.experiment_status import ExperimentStatus
from ..models.freshness import Freshness
from ..models.n_consensus import NConsensus


@_attrs_define(repr=False)
class WorkflowExperiment(Model):
    """One experiment of a workflow.

    Attributes:
        id (str):
        workflow_id (str):
        block_id (str):
        name (str):
        n_consensus (int | NConsensus):
        block_type (BlockKind | str):
        document_count (int):
        last_run_id (None | str):
        created_at (datetime.datetime | None):
        updated_at (datetime.datetime | None):
        status (ExperimentStatus | str):
        score (float | None):
        is_stale (bool):
        freshness (ExperimentFreshness | None):
        freshness_state (Freshness | None | str):
        freshness_reasons (list[str] | Unset):
        run_plan_mode (None | str): run, noop, conflict or unknown.
        rerunnable_document_count (int):
        schema_drift (None | str): none, partial, drifted or unknown.
        schema_drift_detail (None | str):
        drift (ExperimentDrift | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": [
                "id",
                "workflow_id",
                "block_id",
                "name",
                "n_consensus",
                "block_type",
            ],
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "workflow_id": {"type": "string"},
                "block_id": {"type": "string"},
                "name": {"type": "string"},
                "n_consensus": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/NConsensus"},
                        {"type": "integer", "format": "int64"},
                    ]
                },
                "block_type": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockKind"},
                        {"type": "string"},
                    ]
                },
                "document_count": {"type": "integer", "format": "int64", "default": 0},
                "last_run_id": {"type": ["string", "null"]},
                "created_at": {"type": ["string", "null"], "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "status": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ExperimentStatus"},
                        {"type": "string"},
                    ],
                    "default": "draft",
                },
                "score": {"type": ["number", "null"]},
                "is_stale": {"type": "boolean", "default": False},
                "freshness": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ExperimentFreshness"},
                        {"type": "null"},
                    ]
                },
                "freshness_state": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Freshness"},
                        {"type": "string"},
                        {"type": "null"},
                    ]
                },
                "freshness_reasons": {"type": "array", "items": {"type": "string"}},
                "run_plan_mode": {
                    "type": ["string", "null"],
                    "description": "run, noop, conflict or unknown.",
                },
                "rerunnable_document_count": {
                    "type": "integer",
                    "format": "int64",
                    "default": 0,
                },
                "schema_drift": {
                    "type": ["string", "null"],
                    "description": "none, partial, drifted or unknown.",
                },
                "schema_drift_detail": {"type": ["string", "null"]},
                "drift": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ExperimentDrift"},
                        {"type": "null"},
                    ]
                },
            },
            "additionalProperties": True,
            "description": "One experiment of a workflow.",
            "example": {
                "id": "exp_abc",
                "workflow_id": "wf_abc123",
                "block_id": "extract-invoice",
                "name": "Invoices",
                "n_consensus": 5,
                "block_type": "extract",
                "document_count": 12,
                "last_run_id": "exprun_2",
                "created_at": "2026-05-01T09:00:00Z",
                "updated_at": "2026-05-02T11:04:18Z",
                "status": "completed",
                "score": 0.87,
            },
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "workflow_id": "workflow_id",
        "block_id": "block_id",
        "name": "name",
        "n_consensus": "n_consensus",
        "block_type": "block_type",
        "document_count": "document_count",
        "last_run_id": "last_run_id",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "status": "status",
        "score": "score",
        "is_stale": "is_stale",
        "freshness": "freshness",
        "freshness_state": "freshness_state",
        "freshness_reasons": "freshness_reasons",
        "run_plan_mode": "run_plan_mode",
        "rerunnable_document_count": "rerunnable_document_count",
        "schema_drift": "schema_drift",
        "schema_drift_detail": "schema_drift_detail",
        "drift": "drift",
    }

    id: str
    workflow_id: str
    block_id: str
    name: str
    n_consensus: int | NConsensus
    block_type: BlockKind | str
    document_count: int = 0
    last_run_id: None | str = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    status: ExperimentStatus | str = "draft"
    score: float | None = None
    is_stale: bool = False
    freshness: ExperimentFreshness | None = None
    freshness_state: Freshness | None | str = None
    freshness_reasons: list[str] | Unset = UNSET
    run_plan_mode: None | str = None
    rerunnable_document_count: int = 0
    schema_drift: None | str = None
    schema_drift_detail: None | str = None
    drift: ExperimentDrift | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        field_dict["workflow_id"] = self.workflow_id
        field_dict["block_id"] = self.block_id
        field_dict["name"] = self.name
        field_dict["n_consensus"] = self.n_consensus
        field_dict["block_type"] = self.block_type
        field_dict["document_count"] = self.document_count
        field_dict["last_run_id"] = self.last_run_id
        created_at = self.created_at
        field_dict["created_at"] = (
            created_at.isoformat()
            if isinstance(created_at, datetime.datetime)
            else created_at
        )
        updated_at = self.updated_at
        field_dict["updated_at"] = (
            updated_at.isoformat()
            if isinstance(updated_at, datetime.datetime)
            else updated_at
        )
        field_dict["status"] = self.status
        field_dict["score"] = self.score
        field_dict["is_stale"] = self.is_stale
        freshness = self.freshness
        field_dict["freshness"] = (
            freshness.to_dict()
            if isinstance(freshness, (ExperimentFreshness,))
            else freshness
        )
        field_dict["freshness_state"] = self.freshness_state
        if not isinstance(self.freshness_reasons, Unset):
            field_dict["freshness_reasons"] = self.freshness_reasons
        field_dict["run_plan_mode"] = self.run_plan_mode
        field_dict["rerunnable_document_count"] = self.rerunnable_document_count
        field_dict["schema_drift"] = self.schema_drift
        field_dict["schema_drift_detail"] = self.schema_drift_detail
        drift = self.drift
        field_dict["drift"] = (
            drift.to_dict() if isinstance(drift, (ExperimentDrift,)) else drift
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build WorkflowExperiment from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        workflow_id = d["workflow_id"]
        block_id = d["block_id"]
        name = d["name"]
        n_consensus = (
            int(d["n_consensus"])
            if type(d["n_consensus"]) is float
            else d["n_consensus"]
        )
        block_type = d["block_type"]
        v = d.get("document_count", 0)
        document_count = v if type(v) is int else int(v)
        v = d.get("last_run_id", None)
        last_run_id = v
        v = d.get("created_at", None)
        created_at = parse_datetime(v) if type(v) is str else v
        v = d.get("updated_at", None)
        updated_at = parse_datetime(v) if type(v) is str else v
        v = d.get("status", "draft")
        status = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("is_stale", False)
        is_stale = v
        v = d.get("freshness", None)
        freshness = ExperimentFreshness.from_valid_dict(v) if type(v) is dict else v
        v = d.get("freshness_state", None)
        freshness_state = v
        v = d.get("freshness_reasons", UNSET)
        freshness_reasons = v
        v = d.get("run_plan_mode", None)
        run_plan_mode = v
        v = d.get("rerunnable_document_count", 0)
        rerunnable_document_count = v if type(v) is int else int(v)
        v = d.get("schema_drift", None)
        schema_drift = v
        v = d.get("schema_drift_detail", None)
        schema_drift_detail = v
        v = d.get("drift", None)
        drift = ExperimentDrift.from_valid_dict(v) if type(v) is dict else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            workflow_id,
            block_id,
            name,
            n_consensus,
            block_type,
            document_count,
            last_run_id,
            created_at,
            updated_at,
            status,
            score,
            is_stale,
            freshness,
            freshness_state,
            freshness_reasons,
            run_plan_mode,
            rerunnable_document_count,
            schema_drift,
            schema_drift_detail,
            drift,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(WorkflowExperiment.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.experiment_drift import ExperimentDrift  # noqa: E402
from ..models.experiment_freshness import ExperimentFreshness  # noqa: E402
