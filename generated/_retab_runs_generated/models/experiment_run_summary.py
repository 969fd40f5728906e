from __future__ import annotations

import datetime
from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
    parse_datetime,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.block_kind import BlockKind
from ..models.experiment_run_status import (
    ExperimentRunStatus,
)
from ..models.n_consensus import NConsensus


@_attrs_define(repr=False)
class ExperimentRunSummary(Model):
    """A slim projection of an experiment run: the fields a runs table needs.

    Attributes:
        id (str): The run's id, `exprun_...`.
        definition_fingerprint (str): Hash of the experiment definition.
        documents_fingerprint (str): Hash of the document set.
        status (ExperimentRunStatus | str): The run's state; a value not listed in ExperimentRunStatus is kept as a string.
        block_kind (BlockKind | str): The kind of block the experiment runs; unknown kinds are kept as strings.
        n_consensus (int | NConsensus): Consensus votes per document; values not listed in NConsensus are kept as integers.
        created_at (datetime.datetime): When the run was created (RFC 3339).
        parent_run_id (None | str): The run this one was re-run from.
        block_config (BlockConfig | None): Free-form configuration of the block (model, json_schema, ...).
        score (float | None): Consensus score from 0.0 to 1.0; null until scored.
        document_count (int): Documents in the run.
        error_count (int): Documents that failed.
        completed_at (datetime.datetime | None): When the run finished; null while it is not finished.
        duration_ms (int | None): Wall time of the run in milliseconds; null while it is not finished.
        job_id (None | str): The job that executed the run.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": [
                "id",
                "definition_fingerprint",
                "documents_fingerprint",
                "status",
                "block_kind",
                "n_consensus",
                "created_at",
            ],
            "type": "object",
            "properties": {
                "id": {"type": "string", "description": "The run's id, `exprun_...`."},
                "parent_run_id": {
                    "type": ["string", "null"],
                    "description": "The run this one was re-run from.",
                },
                "block_config": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockConfig"},
                        {"type": "null"},
                    ],
                    "description": "Free-form configuration of the block (model, json_schema, ...).",
                },
                "definition_fingerprint": {
                    "type": "string",
                    "description": "Hash of the experiment definition.",
                },
                "documents_fingerprint": {
                    "type": "string",
                    "description": "Hash of the document set.",
                },
                "status": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ExperimentRunStatus"},
                        {"type": "string"},
                    ],
                    "description": "The run's state; a value not listed in ExperimentRunStatus is kept as a string.",
                },
                "block_kind": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockKind"},
                        {"type": "string"},
                    ],
                    "description": "The kind of block the experiment runs; unknown kinds are kept as strings.",
                },
                "score": {
                    "maximum": 1.0,
                    "minimum": 0.0,
                    "type": ["number", "null"],
                    "description": "Consensus score from 0.0 to 1.0; null until scored.",
                },
                "document_count": {
                    "type": "integer",
                    "description": "Documents in the run.",
                    "format": "int64",
                    "default": 0,
                },
                "error_count": {
                    "type": "integer",
                    "description": "Documents that failed.",
                    "format": "int64",
                    "default": 0,
                },
                "n_consensus": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/NConsensus"},
                        {"type": "integer", "format": "int64"},
                    ],
                    "description": "Consensus votes per document; values not listed in NConsensus are kept as integers.",
                },
                "created_at": {
                    "type": "string",
                    "description": "When the run was created (RFC 3339).",
                    "format": "date-time",
                },
                "completed_at": {
                    "type": ["string", "null"],
                    "description": "When the run finished; null while it is not finished.",
                    "format": "date-time",
                },
                "duration_ms": {
                    "type": ["integer", "null"],
                    "description": "Wall time of the run in milliseconds; null while it is not finished.",
                    "format": "int64",
                },
                "job_id": {
                    "type": ["string", "null"],
                    "description": "The job that executed the run.",
                },
            },
            "additionalProperties": True,
            "description": "A slim projection of an experiment run: the fields a runs table needs.",
            "example": {
                "id": "exprun_2",
                "parent_run_id": "exprun_1",
                "block_config": {"model": "gpt-5", "json_schema": {"type": "object"}},
                "definition_fingerprint": "0ff93ddc7cefcb42",
                "documents_fingerprint": "ddd95baadce6045f",
                "status": "completed",
                "block_kind": "extract",
                "score": 0.87,
                "document_count": 12,
                "error_count": 0,
                "n_consensus": 5,
                "created_at": "2026-05-02T11:00:00Z",
                "completed_at": "2026-05-02T11:04:18Z",
                "duration_ms": 258221,
                "job_id": "job_99",
            },
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "id": "id",
        "parent_run_id": "parent_run_id",
        "block_config": "block_config",
        "definition_fingerprint": "definition_fingerprint",
        "documents_fingerprint": "documents_fingerprint",
        "status": "status",
        "block_kind": "block_kind",
        "score": "score",
        "document_count": "document_count",
        "error_count": "error_count",
        "n_consensus": "n_consensus",
        "created_at": "created_at",
        "completed_at": "completed_at",
        "duration_ms": "duration_ms",
        "job_id": "job_id",
    }

    id: str
    definition_fingerprint: str
    documents_fingerprint: str
    status: ExperimentRunStatus | str
    block_kind: BlockKind | str
    n_consensus: int | NConsensus
    created_at: datetime.datetime
    parent_run_id: None | str = None
    block_config: BlockConfig | None = None
    score: float | None = None
    document_count: int = 0
    error_count: int = 0
    completed_at: datetime.datetime | None = None
    duration_ms: int | None = None
    job_id: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["id"] = self.id
        field_dict["parent_run_id"] = self.parent_run_id
        block_config = self.block_config
        field_dict["block_config"] = (
            block_config.to_dict()
            if isinstance(block_config, (BlockConfig,))
            else block_config
        )
        field_dict["definition_fingerprint"] = self.definition_fingerprint
        field_dict["documents_fingerprint"] = self.documents_fingerprint
        field_dict["status"] = self.status
        field_dict["block_kind"] = self.block_kind
        field_dict["score"] = self.score
        field_dict["document_count"] = self.document_count
        field_dict["error_count"] = self.error_count
        field_dict["n_consensus"] = self.n_consensus
        created_at = self.created_at
        field_dict["created_at"] = created_at.isoformat()
        completed_at = self.completed_at
        field_dict["completed_at"] = (
            completed_at.isoformat()
            if isinstance(completed_at, datetime.datetime)
            else completed_at
        )
        field_dict["duration_ms"] = self.duration_ms
        field_dict["job_id"] = self.job_id
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentRunSummary from a dict already validated by `SCHEMA` (no checks)."""
        id = d["id"]
        definition_fingerprint = d["definition_fingerprint"]
        documents_fingerprint = d["documents_fingerprint"]
        status = d["status"]
        block_kind = d["block_kind"]
        n_consensus = (
            int(d["n_consensus"])
            if type(d["n_consensus"]) is float
            else d["n_consensus"]
        )
        created_at = parse_datetime(d["created_at"])
        v = d.get("parent_run_id", None)
        parent_run_id = v
        v = d.get("block_config", None)
        block_config = BlockConfig.from_valid_dict(v) if type(v) is dict else v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("document_count", 0)
        document_count = v if type(v) is int else int(v)
        v = d.get("error_count", 0)
        error_count = v if type(v) is int else int(v)
        v = d.get("completed_at", None)
        completed_at = parse_datetime(v) if type(v) is str else v
        v = d.get("duration_ms", None)
        duration_ms = int(v) if type(v) is float else v
        v = d.get("job_id", None)
        job_id = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            id,
            definition_fingerprint,
            documents_fingerprint,
            status,
            block_kind,
            n_consensus,
            created_at,
            parent_run_id,
            block_config,
            score,
            document_count,
            error_count,
            completed_at,
            duration_ms,
            job_id,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentRunSummary.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.block_config import BlockConfig  # noqa: E402
