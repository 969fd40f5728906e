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
class RunTiming(Model):
    """When the run was created, started and completed.

    Attributes:
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        duration_ms (int | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["created_at"],
            "type": "object",
            "properties": {
                "created_at": {"type": "string", "format": "date-time"},
                "started_at": {"type": ["string", "null"], "format": "date-time"},
                "completed_at": {"type": ["string", "null"], "format": "date-time"},
                "duration_ms": {"type": ["integer", "null"], "format": "int64"},
            },
            "additionalProperties": True,
            "description": "When the run was created, started and completed.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "created_at": "created_at",
        "started_at": "started_at",
        "completed_at": "completed_at",
        "duration_ms": "duration_ms",
    }

    created_at: datetime.datetime
    started_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    duration_ms: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        created_at = self.created_at
        field_dict["created_at"] = created_at.isoformat()
        started_at = self.started_at
        field_dict["started_at"] = (
            started_at.isoformat()
            if isinstance(started_at, datetime.datetime)
            else started_at
        )
        completed_at = self.completed_at
        field_dict["completed_at"] = (
            completed_at.isoformat()
            if isinstance(completed_at, datetime.datetime)
            else completed_at
        )
        field_dict["duration_ms"] = self.duration_ms
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build RunTiming from a dict already validated by `SCHEMA` (no checks)."""
        created_at = parse_datetime(d["created_at"])
        v = d.get("started_at", None)
        started_at = parse_datetime(v) if type(v) is str else v
        v = d.get("completed_at", None)
        completed_at = parse_datetime(v) if type(v) is str else v
        v = d.get("duration_ms", None)
        duration_ms = int(v) if type(v) is float else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            created_at,
            started_at,
            completed_at,
            duration_ms,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(RunTiming.FIELDS)
