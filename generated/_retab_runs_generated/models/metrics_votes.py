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
class MetricsVotes(Model):
    """Each voter's value for one target of one document.

    Attributes:
        kind (Literal['votes']):
        run_id (str):
        document (DocumentRef):
        target (str):
        view (str | Unset):
        score (float | None):
        prior_score (float | None):
        rows (list[VoteRow] | Unset):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["kind", "run_id", "document", "target"],
            "type": "object",
            "properties": {
                "kind": {"const": "votes", "type": "string"},
                "view": {"type": "string"},
                "run_id": {"type": "string"},
                "document": {"$ref": "#/components/schemas/DocumentRef"},
                "target": {"type": "string"},
                "score": {"type": ["number", "null"]},
                "prior_score": {"type": ["number", "null"]},
                "rows": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/VoteRow"},
                },
            },
            "additionalProperties": True,
            "description": "Each voter's value for one target of one document.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "kind": "kind",
        "view": "view",
        "run_id": "run_id",
        "document": "document",
        "target": "target",
        "score": "score",
        "prior_score": "prior_score",
        "rows": "rows",
    }

    kind: Literal["votes"]
    run_id: str
    document: DocumentRef
    target: str
    view: str | Unset = UNSET
    score: float | None = None
    prior_score: float | None = None
    rows: list[VoteRow] | Unset = UNSET
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
        field_dict["target"] = self.target
        field_dict["score"] = self.score
        field_dict["prior_score"] = self.prior_score
        if not isinstance(self.rows, Unset):
            rows = self.rows
            field_dict["rows"] = [x0.to_dict() for x0 in rows]
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build MetricsVotes from a dict already validated by `SCHEMA` (no checks)."""
        kind = d["kind"]
        run_id = d["run_id"]
        document = DocumentRef.from_valid_dict(d["document"])
        target = d["target"]
        v = d.get("view", UNSET)
        view = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("prior_score", None)
        prior_score = float(v) if type(v) is int else v
        v = d.get("rows", UNSET)
        rows = v if v is UNSET else [VoteRow.from_valid_dict(x0) for x0 in v]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            kind,
            run_id,
            document,
            target,
            view,
            score,
            prior_score,
            rows,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(MetricsVotes.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.document_ref import DocumentRef  # noqa: E402
from ..models.vote_row import VoteRow  # noqa: E402
