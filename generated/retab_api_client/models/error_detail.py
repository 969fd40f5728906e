from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import SchemaError
from ..types import MISSING

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """A structured error.

    Attributes:
        message (str): What went wrong.
        code (None | str): A machine-readable error code.
        details (ErrorDetails | None): Extra context, free-form.
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    message: str
    code: None | str = None
    details: ErrorDetails | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object, unknown fields included."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["message"] = self.message
        field_dict["code"] = self.code
        field_dict["details"] = (
            self.details.to_dict()
            if isinstance(self.details, ErrorDetails)
            else self.details
        )
        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], path: str = "") -> T:
        """Build ErrorDetail from decoded JSON, checking every field.

        Raises SchemaError (a ValueError) naming the field, prefixed by
        `path`, when a required field is missing or a value has the wrong
        JSON type. Unknown fields are kept, never rejected.
        """
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise SchemaError(path, "object", src_dict)
        d = dict(src_dict)
        prefix = path + "." if path else ""
        v = d.pop("message", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "message", "str", v)
        message = v
        v = d.pop("code", None)
        if not (type(v) is str or v is None):
            raise SchemaError(prefix + "code", "None | str", v)
        code = v
        v = d.pop("details", None)
        if not (type(v) is dict or v is None):
            raise SchemaError(prefix + "details", "dict[str, Any] | None", v)
        details = (
            ErrorDetails.from_dict(v, prefix + "details") if isinstance(v, dict) else v
        )
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            message,
            code,
            details,
        )
        obj.additional_properties = d
        return obj

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported last, so that models referring to each other can load.
from ..models.error_details import ErrorDetails  # noqa: E402
