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
class MetricsByDocument(Model):
    """One document's score per target.

    Attributes:
        kind (Literal['by_document']):
        run_id (str):
        document (DocumentRef):
        view (str | Unset):
        score (float | None):
        prior_score (float | None):
        confusion (ConfusionAggregate | None):
        targets (list[TargetScore] | Unset):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["kind", "run_id", "document"],
            "type": "object",
            "properties": {
                "kind": {"const": "by_document", "type": "string"},
                "view": {"type": "string"},
                "run_id": {"type": "string"},
                "document": {"$ref": "#/components/schemas/DocumentRef"},
                "score": {"type": ["number", "null"]},
                "prior_score": {"type": ["number", "null"]},
                "confusion": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ConfusionAggregate"},
                        {"type": "null"},
                    ]
                },
                "targets": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/TargetScore"},
                },
            },
            "additionalProperties": True,
            "description": "One document's score per target.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "view": "view",
        "run_id": "run_id",
        "document": "document",
        "score": "score",
        "prior_score": "prior_score",
        "confusion": "confusion",
        "targets": "targets",
    }

    kind: Literal["by_document"]
    run_id: str
    document: DocumentRef
    view: str | Unset = UNSET
    score: float | None = None
    prior_score: float | None = None
    confusion: ConfusionAggregate | None = None
    targets: list[TargetScore] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["kind"] = self.kind
        if not isinstance(self.view, Unset):
            field_dict["view"] = self.view
        field_dict["run_id"] = self.run_id
        document = self.document
        field_dict["document"] = document.to_dict()
        field_dict["score"] = self.score
        field_dict["prior_score"] = self.prior_score
        confusion = self.confusion
        field_dict["confusion"] = (
            confusion.to_dict()
            if isinstance(confusion, (ConfusionAggregate,))
            else confusion
        )
        if not isinstance(self.targets, Unset):
            targets = self.targets
            field_dict["targets"] = [x0.to_dict() for x0 in targets]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build MetricsByDocument from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        run_id = d["run_id"]
        document = DocumentRef.from_valid_dict(d["document"])
        v = d.get("view", UNSET)
        view = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("prior_score", None)
        prior_score = float(v) if type(v) is int else v
        v = d.get("confusion", None)
        confusion = ConfusionAggregate.from_valid_dict(v) if type(v) is dict else v
        v = d.get("targets", UNSET)
        targets = v if v is UNSET else [TargetScore.from_valid_dict(x0) for x0 in v]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            run_id,
            document,
            view,
            score,
            prior_score,
            confusion,
            targets,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(MetricsByDocument.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.confusion_aggregate import ConfusionAggregate  # noqa: E402
from ..models.document_ref import DocumentRef  # noqa: E402
from ..models.target_score import TargetScore  # noqa: E402
