from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ErrorDetails(Model):
    """Error context; the members Retab documents, and any other kept as sent.

    Attributes:
        message (None | str):
        stack_trace (None | str):
        block_id (None | str):
        block_name (None | str):
        error_code (None | str):
        context (FreeForm | None):
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "message": {"type": ["string", "null"]},
                "stack_trace": {"type": ["string", "null"]},
                "block_id": {"type": ["string", "null"]},
                "block_name": {"type": ["string", "null"]},
                "error_code": {"type": ["string", "null"]},
                "context": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/FreeForm"},
                        {"type": "null"},
                    ]
                },
            },
            "additionalProperties": True,
            "description": "Error context; the members Retab documents, and any other kept as sent.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "message": "message",
        "stack_trace": "stack_trace",
        "block_id": "block_id",
        "block_name": "block_name",
        "error_code": "error_code",
        "context": "context",
    }

    message: None | str = None
    stack_trace: None | str = None
    block_id: None | str = None
    block_name: None | str = None
    error_code: None | str = None
    context: FreeForm | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        field_dict["message"] = self.message
        field_dict["stack_trace"] = self.stack_trace
        field_dict["block_id"] = self.block_id
        field_dict["block_name"] = self.block_name
        field_dict["error_code"] = self.error_code
        context = self.context
        field_dict["context"] = (
            context.to_dict() if isinstance(context, (FreeForm,)) else context
        )
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ErrorDetails from a dict already validated by `SCHEMA` (no checks)."""
        v = d.get("message", None)
        message = v
        v = d.get("stack_trace", None)
        stack_trace = v
        v = d.get("block_id", None)
        block_id = v
        v = d.get("block_name", None)
        block_name = v
        v = d.get("error_code", None)
        error_code = v
        v = d.get("context", None)
        context = FreeForm.from_valid_dict(v) if type(v) is dict else v
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            message,
            stack_trace,
            block_id,
            block_name,
            error_code,
            context,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ErrorDetails.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.free_form import FreeForm  # noqa: E402
