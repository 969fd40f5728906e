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


@_attrs_define(repr=False)
class StaleRun(Model):
    """StaleRun

    Attributes:
        run_id (str):
        block_execution_fingerprint (None | str):
        score (float | None):
        created_at (datetime.datetime | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["run_id"],
            "type": "object",
            "properties": {
                "run_id": {"type": "string"},
                "block_execution_fingerprint": {"type": ["string", "null"]},
                "score": {"type": ["number", "null"]},
                "created_at": {"type": ["string", "null"], "format": "date-time"},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "run_id": "run_id",
        "block_execution_fingerprint": "block_execution_fingerprint",
        "score": "score",
        "created_at": "created_at",
    }

    run_id: str
    block_execution_fingerprint: None | str = None
    score: float | None = None
    created_at: datetime.datetime | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["run_id"] = self.run_id
        field_dict["block_execution_fingerprint"] = self.block_execution_fingerprint
        field_dict["score"] = self.score
        created_at = self.created_at
        field_dict["created_at"] = (
            created_at.isoformat()
            if isinstance(created_at, datetime.datetime)
            else created_at
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build StaleRun from a dict already validated by `SCHEMA` (no checks)."""
        run_id = d["run_id"]
        v = d.get("block_execution_fingerprint", None)
        block_execution_fingerprint = v
        v = d.get("score", None)
        score = float(v) if type(v) is int else v
        v = d.get("created_at", None)
        created_at = parse_datetime(v) if type(v) is str else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            run_id,
            block_execution_fingerprint,
            score,
            created_at,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(StaleRun.FIELDS)
