from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
    select_variant,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class HandleInputs(Model):
    """Inputs by handle name.

    additional_properties (dict[str, HandleInputFile | HandleInputJson | HandleInputOther]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"$ref": "#/components/schemas/HandleInputJson"},
                    {"$ref": "#/components/schemas/HandleInputFile"},
                    {"$ref": "#/components/schemas/HandleInputOther"},
                ]
            },
            "description": "Inputs by handle name.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {}

    additional_properties: dict[
        str, HandleInputFile | HandleInputJson | HandleInputOther
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict.update(
            {
                k: (
                    x.to_dict()
                    if isinstance(
                        x,
                        (
                            HandleInputJson,
                            HandleInputFile,
                            HandleInputOther,
                        ),
                    )
                    else x
                )
                for k, x in self.additional_properties.items()
            }
        )
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build HandleInputs from a dict already validated by `SCHEMA` (no checks)."""
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls()
        obj.additional_properties = {
            k: (
                select_variant(
                    x,
                    (
                        HandleInputJson,
                        HandleInputFile,
                        HandleInputOther,
                    ),
                )
                if type(x) is dict
                else x
            )
            for k, x in d.items()
            if k not in _KNOWN
        }
        return obj


_KNOWN = frozenset(HandleInputs.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.handle_input_file import HandleInputFile  # noqa: E402
from ..models.handle_input_json import HandleInputJson  # noqa: E402
from ..models.handle_input_other import HandleInputOther  # noqa: E402
