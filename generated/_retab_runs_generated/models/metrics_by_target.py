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
class MetricsByTarget(Model):
    """One target's score per document.

    Attributes:
        kind (Literal['by_target']):
        run_id (str):
        target (str):
        view (str | Unset):
        score (float | None):
        prior_score (float | None):
        confusion (None | TargetConfusion):
        documents (list[TargetDocument] | Unset):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["kind", "run_id", "target"],
            "type": "object",
            "properties": {
                "kind": {"const": "by_target", "type": "string"},
                "view": {"type": "string"},
                "run_id": {"type": "string"},
                "target": {"type": "string"},
                "score": {"type": ["number", "null"]},
                "prior_score": {"type": ["number", "null"]},
                "confusion": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/TargetConfusion"},
                        {"type": "null"},
                    ]
                },
                "documents": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/TargetDocument"},
                },
            },
            "additionalProperties": True,
            "description": "One target's score per document.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "view": "view",
        "run_id": "run_id",
        "target": "target",
        "score": "score",
        "prior_score": "prior_score",
        "confusion": "confusion",
        "documents": "documents",
    }

    kind: Literal["by_target"]
    run_id: str
    target: str
    view: str | Unset = UNSET
    score: float | None = None
    prior_score: float | None = None
    confusion: None | TargetConfusion = None
    documents: list[TargetDocument] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["kind"] = self.kind
        if not isinstance(self.view, Unset):
            field_dict["view"] = self.view
        field_dict["run_id"] = self.run_id
        field_dict["target"] = self.target
        field_dict["score"] = self.score
        field_dict["prior_score"] = self.prior_score
        confusion = self.confusion
        field_dict["confusion"] = (
            confusion.to_dict()
            if isinstance(confusion, (TargetConfusion,))
            else confusion
        )
        if not isinstance(self.documents, Unset):
            documents = self.documents
            field_dict["documents"] = [x0.to_dict() for x0 in documents]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build MetricsByTarget from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        run_id = d["run_id"]
        target = d["target"]
        v = d.get("view", UNSET)
        view = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("prior_score", None)
        prior_score = float(v) if type(v) is int else v
        v = d.get("confusion", None)
        confusion = TargetConfusion.from_valid_dict(v) if type(v) is dict else v
        v = d.get("documents", UNSET)
        documents = (
            v if v is UNSET else [TargetDocument.from_valid_dict(x0) for x0 in v]
        )
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            run_id,
            target,
            view,
            score,
            prior_score,
            confusion,
            documents,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(MetricsByTarget.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.target_confusion import TargetConfusion  # noqa: E402
from ..models.target_document import TargetDocument  # noqa: E402
