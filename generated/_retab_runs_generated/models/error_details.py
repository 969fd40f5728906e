from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    SchemaCheck,
    model_repr,
)


@_attrs_define(repr=False)
class ErrorDetails:
    """Free-form error context.

    additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "additionalProperties": True,
            "description": "Free-form error context.",
        }
    )
    FIELDS: ClassVar[dict[str, str]] = {}

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], path: str = "") -> Self:
        """Build ErrorDetails from decoded JSON, after validating it against the spec.

        Raises SchemaError (a ValueError) naming the deepest failing field,
        prefixed by `path`. Unknown fields are kept, never rejected.
        """
        data: Any = src_dict
        if type(data) is not dict and isinstance(data, Mapping):
            data = dict(data)
        cls.SCHEMA.validate(data, path)
        return cls.from_valid_dict(data)

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ErrorDetails from a dict already validated by `SCHEMA` (no checks)."""
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls()
        # Nothing is known, so the decoded dict is the extra data: no copy.
        obj.additional_properties = d
        return obj

    def __repr__(self) -> str:
        return model_repr(self)

    def __getitem__(self, key: str) -> Any:
        """A field by its JSON name: a spec field or an unknown one."""
        name = self.FIELDS.get(key)
        if name is not None:
            return getattr(self, name)
        return self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.FIELDS or key in self.additional_properties


_KNOWN = frozenset(ErrorDetails.FIELDS)
