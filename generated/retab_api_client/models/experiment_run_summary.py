from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import SchemaError
from ..models.block_kind import BlockKind
from ..models.experiment_run_status import (
    ExperimentRunStatus,
)
from ..models.n_consensus import NConsensus
from ..types import MISSING, parse_datetime

T = TypeVar("T", bound="ExperimentRunSummary")


@_attrs_define
class ExperimentRunSummary:
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
        """The JSON-ready dict of this object, unknown fields included."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["id"] = self.id
        field_dict["definition_fingerprint"] = self.definition_fingerprint
        field_dict["documents_fingerprint"] = self.documents_fingerprint
        field_dict["status"] = self.status
        field_dict["block_kind"] = self.block_kind
        field_dict["n_consensus"] = self.n_consensus
        field_dict["created_at"] = self.created_at.isoformat()
        field_dict["parent_run_id"] = self.parent_run_id
        field_dict["block_config"] = (
            self.block_config.to_dict()
            if isinstance(self.block_config, BlockConfig)
            else self.block_config
        )
        field_dict["score"] = self.score
        field_dict["document_count"] = self.document_count
        field_dict["error_count"] = self.error_count
        field_dict["completed_at"] = (
            self.completed_at.isoformat()
            if isinstance(self.completed_at, datetime.datetime)
            else self.completed_at
        )
        field_dict["duration_ms"] = self.duration_ms
        field_dict["job_id"] = self.job_id
        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], path: str = "") -> T:
        """Build ExperimentRunSummary from decoded JSON, checking every field.

        Raises SchemaError (a ValueError) naming the field, prefixed by
        `path`, when a required field is missing or a value has the wrong
        JSON type. Unknown fields are kept, never rejected.
        """
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise SchemaError(path, "object", src_dict)
        d = dict(src_dict)
        prefix = path + "." if path else ""
        v = d.pop("id", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "id", "str", v)
        id = v
        v = d.pop("definition_fingerprint", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "definition_fingerprint", "str", v)
        definition_fingerprint = v
        v = d.pop("documents_fingerprint", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "documents_fingerprint", "str", v)
        documents_fingerprint = v
        v = d.pop("status", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "status", "str", v)
        status = v
        v = d.pop("block_kind", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "block_kind", "str", v)
        block_kind = v
        v = d.pop("n_consensus", MISSING)
        if not (type(v) is int and -0x8000000000000000 <= v <= 0x7FFFFFFFFFFFFFFF):
            raise SchemaError(prefix + "n_consensus", "int", v)
        n_consensus = v
        v = d.pop("created_at", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "created_at", "str", v)
        created_at = parse_datetime(v, prefix + "created_at")
        v = d.pop("parent_run_id", None)
        if not (type(v) is str or v is None):
            raise SchemaError(prefix + "parent_run_id", "None | str", v)
        parent_run_id = v
        v = d.pop("block_config", None)
        if not (type(v) is dict or v is None):
            raise SchemaError(prefix + "block_config", "dict[str, Any] | None", v)
        block_config = (
            BlockConfig.from_dict(v, prefix + "block_config")
            if isinstance(v, dict)
            else v
        )
        v = d.pop("score", None)
        if not ((type(v) is float or type(v) is int) or v is None):
            raise SchemaError(prefix + "score", "float | None", v)
        score = v
        v = d.pop("document_count", 0)
        if not (type(v) is int and -0x8000000000000000 <= v <= 0x7FFFFFFFFFFFFFFF):
            raise SchemaError(prefix + "document_count", "int", v)
        document_count = v
        v = d.pop("error_count", 0)
        if not (type(v) is int and -0x8000000000000000 <= v <= 0x7FFFFFFFFFFFFFFF):
            raise SchemaError(prefix + "error_count", "int", v)
        error_count = v
        v = d.pop("completed_at", None)
        if not (type(v) is str or v is None):
            raise SchemaError(prefix + "completed_at", "None | str", v)
        completed_at = (
            parse_datetime(v, prefix + "completed_at") if isinstance(v, str) else v
        )
        v = d.pop("duration_ms", None)
        if not (
            (type(v) is int and -0x8000000000000000 <= v <= 0x7FFFFFFFFFFFFFFF)
            or v is None
        ):
            raise SchemaError(prefix + "duration_ms", "int | None", v)
        duration_ms = v
        v = d.pop("job_id", None)
        if not (type(v) is str or v is None):
            raise SchemaError(prefix + "job_id", "None | str", v)
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
        obj.additional_properties = d
        return obj

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported last, so that models referring to each other can load.
from ..models.block_config import BlockConfig  # noqa: E402
