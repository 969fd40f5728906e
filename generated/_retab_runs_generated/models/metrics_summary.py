from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from _retab_runs_runtime import (
    UNSET,
    Model,
    SchemaCheck,
    Unset,
    select_variant,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.block_kind import BlockKind


@_attrs_define(repr=False)
class MetricsSummary(Model):
    """The run's score, each document's, and the block's aggregate.

    Attributes:
        kind (Literal['summary']):
        experiment_id (str):
        run_id (str):
        block_execution_fingerprint (str):
        block_type (BlockKind | str):
        view (str | Unset):
        score (float | None):
        prior_score (float | None):
        prior_run_id (None | str):
        documents (list[DocumentScore] | Unset):
        scored_document_count (int):
        total_document_count (int):
        aggregate (ConfusionAggregate | ExtractAggregate | None): Either aggregate shape, told apart by its members (no discriminator).
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": [
                "kind",
                "experiment_id",
                "run_id",
                "block_execution_fingerprint",
                "block_type",
            ],
            "type": "object",
            "properties": {
                "kind": {"const": "summary", "type": "string"},
                "view": {"type": "string"},
                "experiment_id": {"type": "string"},
                "run_id": {"type": "string"},
                "block_execution_fingerprint": {"type": "string"},
                "block_type": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/BlockKind"},
                        {"type": "string"},
                    ]
                },
                "score": {"type": ["number", "null"]},
                "prior_score": {"type": ["number", "null"]},
                "prior_run_id": {"type": ["string", "null"]},
                "documents": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/DocumentScore"},
                },
                "scored_document_count": {
                    "type": "integer",
                    "format": "int64",
                    "default": 0,
                },
                "total_document_count": {
                    "type": "integer",
                    "format": "int64",
                    "default": 0,
                },
                "aggregate": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ExtractAggregate"},
                        {"$ref": "#/components/schemas/ConfusionAggregate"},
                        {"type": "null"},
                    ],
                    "description": "Either aggregate shape, told apart by its members (no discriminator).",
                },
            },
            "additionalProperties": True,
            "description": "The run's score, each document's, and the block's aggregate.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "view": "view",
        "experiment_id": "experiment_id",
        "run_id": "run_id",
        "block_execution_fingerprint": "block_execution_fingerprint",
        "block_type": "block_type",
        "score": "score",
        "prior_score": "prior_score",
        "prior_run_id": "prior_run_id",
        "documents": "documents",
        "scored_document_count": "scored_document_count",
        "total_document_count": "total_document_count",
        "aggregate": "aggregate",
    }

    kind: Literal["summary"]
    experiment_id: str
    run_id: str
    block_execution_fingerprint: str
    block_type: BlockKind | str
    view: str | Unset = UNSET
    score: float | None = None
    prior_score: float | None = None
    prior_run_id: None | str = None
    documents: list[DocumentScore] | Unset = UNSET
    scored_document_count: int = 0
    total_document_count: int = 0
    aggregate: ConfusionAggregate | ExtractAggregate | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["kind"] = self.kind
        if not isinstance(self.view, Unset):
            field_dict["view"] = self.view
        field_dict["experiment_id"] = self.experiment_id
        field_dict["run_id"] = self.run_id
        field_dict["block_execution_fingerprint"] = self.block_execution_fingerprint
        field_dict["block_type"] = self.block_type
        field_dict["score"] = self.score
        field_dict["prior_score"] = self.prior_score
        field_dict["prior_run_id"] = self.prior_run_id
        if not isinstance(self.documents, Unset):
            documents = self.documents
            field_dict["documents"] = [x0.to_dict() for x0 in documents]
        field_dict["scored_document_count"] = self.scored_document_count
        field_dict["total_document_count"] = self.total_document_count
        aggregate = self.aggregate
        field_dict["aggregate"] = (
            aggregate.to_dict()
            if isinstance(
                aggregate,
                (
                    ExtractAggregate,
                    ConfusionAggregate,
                ),
            )
            else aggregate
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build MetricsSummary from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        experiment_id = d["experiment_id"]
        run_id = d["run_id"]
        block_execution_fingerprint = d["block_execution_fingerprint"]
        block_type = d["block_type"]
        v = d.get("view", UNSET)
        view = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("prior_score", None)
        prior_score = float(v) if type(v) is int else v
        v = d.get("prior_run_id", None)
        prior_run_id = v
        v = d.get("documents", UNSET)
        documents = v if v is UNSET else [DocumentScore.from_valid_dict(x0) for x0 in v]
        v = d.get("scored_document_count", 0)
        scored_document_count = v if type(v) is int else int(v)
        v = d.get("total_document_count", 0)
        total_document_count = v if type(v) is int else int(v)
        v = d.get("aggregate", None)
        aggregate = (
            select_variant(
                v,
                (
                    ExtractAggregate,
                    ConfusionAggregate,
                ),
            )
            if type(v) is dict
            else v
        )
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            experiment_id,
            run_id,
            block_execution_fingerprint,
            block_type,
            view,
            score,
            prior_score,
            prior_run_id,
            documents,
            scored_document_count,
            total_document_count,
            aggregate,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(MetricsSummary.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.confusion_aggregate import ConfusionAggregate  # noqa: E402
from ..models.document_score import DocumentScore  # noqa: E402
from ..models.extract_aggregate import ExtractAggregate  # noqa: E402
