from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.n_consensus import NConsensus


@_attrs_define(repr=False)
class CreateExperimentRequest(Model):
    """The body of create; a field left out is not sent. A copy names `source_experiment_id` and nothing
    else but `workflow_id`.

    Attributes:
        workflow_id (str):
        block_id (None | str):
        document_captures (list[DocumentCapture] | None):
        documents (list[ExperimentDocument] | None):
        n_consensus (NConsensus | None):
        name (None | str):
        source_experiment_id (None | str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["workflow_id"],
            "type": "object",
            "properties": {
                "workflow_id": {"minLength": 1, "type": "string"},
                "block_id": {"type": ["string", "null"]},
                "document_captures": {
                    "type": ["array", "null"],
                    "items": {"$ref": "#/components/schemas/DocumentCapture"},
                },
                "documents": {
                    "type": ["array", "null"],
                    "items": {"$ref": "#/components/schemas/ExperimentDocument"},
                },
                "n_consensus": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/NConsensus"},
                        {"type": "null"},
                    ]
                },
                "name": {"type": ["string", "null"]},
                "source_experiment_id": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
            "description": "The body of create; a field left out is not sent. A copy names `source_experiment_id` and nothing else but `workflow_id`.",
            "if": {
                "properties": {"source_experiment_id": {"type": "string"}},
                "required": ["source_experiment_id"],
            },
            "then": {
                "properties": {
                    "block_id": {"type": "null"},
                    "document_captures": {"type": "null"},
                    "documents": {"type": "null"},
                    "n_consensus": {"type": "null"},
                    "name": {"type": "null"},
                }
            },
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "workflow_id": "workflow_id",
        "block_id": "block_id",
        "document_captures": "document_captures",
        "documents": "documents",
        "n_consensus": "n_consensus",
        "name": "name",
        "source_experiment_id": "source_experiment_id",
    }

    workflow_id: str
    block_id: None | str = None
    document_captures: list[DocumentCapture] | None = None
    documents: list[ExperimentDocument] | None = None
    n_consensus: NConsensus | None = None
    name: None | str = None
    source_experiment_id: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["workflow_id"] = self.workflow_id
        field_dict["block_id"] = self.block_id
        document_captures = self.document_captures
        field_dict["document_captures"] = (
            [x0.to_dict() for x0 in document_captures]
            if isinstance(document_captures, list)
            else document_captures
        )
        documents = self.documents
        field_dict["documents"] = (
            [x0.to_dict() for x0 in documents]
            if isinstance(documents, list)
            else documents
        )
        field_dict["n_consensus"] = self.n_consensus
        field_dict["name"] = self.name
        field_dict["source_experiment_id"] = self.source_experiment_id
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build CreateExperimentRequest from a dict already validated by `SCHEMA` (no checks)."""
        workflow_id = d["workflow_id"]
        v = d.get("block_id", None)
        block_id = v
        v = d.get("document_captures", None)
        document_captures = (
            [DocumentCapture.from_valid_dict(x0) for x0 in v] if type(v) is list else v
        )
        v = d.get("documents", None)
        documents = (
            [ExperimentDocument.from_valid_dict(x0) for x0 in v]
            if type(v) is list
            else v
        )
        v = d.get("n_consensus", None)
        n_consensus = v
        v = d.get("name", None)
        name = v
        v = d.get("source_experiment_id", None)
        source_experiment_id = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            workflow_id,
            block_id,
            document_captures,
            documents,
            n_consensus,
            name,
            source_experiment_id,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(CreateExperimentRequest.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.document_capture import DocumentCapture  # noqa: E402
from ..models.experiment_document import ExperimentDocument  # noqa: E402
