from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    UNSET,
    Model,
    SchemaCheck,
    Unset,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class VoteRow(Model):
    """VoteRow

    Attributes:
        consensus (Any | Unset): The consensus value, any JSON.
        votes (list[Any] | Unset):
        score (float | None):
        row_presence_score (float | None):
        present_voter_count (int | None):
        total_voter_count (int | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "consensus": {"description": "The consensus value, any JSON."},
                "votes": {
                    "type": "array",
                    "items": {"description": "One voter's value, any JSON."},
                },
                "score": {"type": ["number", "null"]},
                "row_presence_score": {"type": ["number", "null"]},
                "present_voter_count": {"type": ["integer", "null"], "format": "int64"},
                "total_voter_count": {"type": ["integer", "null"], "format": "int64"},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "consensus": "consensus",
        "votes": "votes",
        "score": "score",
        "row_presence_score": "row_presence_score",
        "present_voter_count": "present_voter_count",
        "total_voter_count": "total_voter_count",
    }

    consensus: Any | Unset = UNSET
    votes: list[Any] | Unset = UNSET
    score: float | None = None
    row_presence_score: float | None = None
    present_voter_count: int | None = None
    total_voter_count: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        if not isinstance(self.consensus, Unset):
            field_dict["consensus"] = self.consensus
        if not isinstance(self.votes, Unset):
            field_dict["votes"] = self.votes
        field_dict["score"] = self.score
        field_dict["row_presence_score"] = self.row_presence_score
        field_dict["present_voter_count"] = self.present_voter_count
        field_dict["total_voter_count"] = self.total_voter_count
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build VoteRow from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("consensus", UNSET)
        consensus = v
        v = d.get("votes", UNSET)
        votes = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("row_presence_score", None)
        row_presence_score = float(v) if type(v) is int else v
        v = d.get("present_voter_count", None)
        present_voter_count = int(v) if type(v) is float else v
        v = d.get("total_voter_count", None)
        total_voter_count = int(v) if type(v) is float else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            consensus,
            votes,
            score,
            row_presence_score,
            present_voter_count,
            total_voter_count,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(VoteRow.FIELDS)
