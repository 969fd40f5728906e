from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import SchemaError
from ..types import MISSING

T = TypeVar("T", bound="ValidationError")


@_attrs_define
class ValidationError:
    """One failed check, FastAPI style.

    Attributes:
        loc (list[int | str]):
        msg (str):
        type_ (str):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    loc: list[int | str]
    msg: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object, unknown fields included."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["loc"] = self.loc
        field_dict["msg"] = self.msg
        field_dict["type"] = self.type_
        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], path: str = "") -> T:
        """Build ValidationError from decoded JSON, checking every field.

        Raises SchemaError (a ValueError) naming the field, prefixed by
        `path`, when a required field is missing or a value has the wrong
        JSON type. Unknown fields are kept, never rejected.
        """
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise SchemaError(path, "object", src_dict)
        d = dict(src_dict)
        prefix = path + "." if path else ""
        v = d.pop("loc", MISSING)
        if not (
            type(v) is list
            and all(
                (
                    type(x) is str
                    or (
                        type(x) is int
                        and -0x8000000000000000 <= x <= 0x7FFFFFFFFFFFFFFF
                    )
                )
                for x in v
            )
        ):
            raise SchemaError(prefix + "loc", "list[int | str]", v)
        loc = v
        v = d.pop("msg", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "msg", "str", v)
        msg = v
        v = d.pop("type", MISSING)
        if not (type(v) is str):
            raise SchemaError(prefix + "type", "str", v)
        type_ = v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            loc,
            msg,
            type_,
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
