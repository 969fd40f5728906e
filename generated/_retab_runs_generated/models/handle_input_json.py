from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class HandleInputJson(Model):
    """HandleInputJson

    Attributes:
        type_ (Literal['json']):
        data (Any): Any JSON value.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["type", "data"],
            "type": "object",
            "properties": {
                "type": {"const": "json", "type": "string"},
                "data": {"description": "Any JSON value."},
            },
            "additionalProperties": True,
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "type": "type_",
        "data": "data",
    }

    type_: Literal["json"]
    data: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["type"] = self.type_
        field_dict["data"] = self.data
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build HandleInputJson from a dict already validated by `SCHEMA` (no checks)."""
        type_ = d["type"]
        data = d["data"]
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            type_,
            data,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(HandleInputJson.FIELDS)
