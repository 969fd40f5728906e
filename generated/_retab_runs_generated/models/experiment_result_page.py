from __future__ import annotations

from typing import Any, ClassVar, Self

from _retab_runs_runtime import (
    Model,
    SchemaCheck,
)
from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define(repr=False)
class ExperimentResultPage(Model):
    """One page of a run's results.

    Attributes:
        data (list[ExperimentResult]):
        list_metadata (ListMetadata): The cursors around a page (null at either end).
        additional_properties (dict[str, Any]): fields the spec does not (yet) name, kept as sent.
    """

    SCHEMA: ClassVar[SchemaCheck] = SchemaCheck(
        {
            "required": ["data", "list_metadata"],
            "type": "object",
            "properties": {
                "data": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ExperimentResult"},
                },
                "list_metadata": {"$ref": "#/components/schemas/ListMetadata"},
            },
            "additionalProperties": True,
            "description": "One page of a run's results.",
        },
        "_retab_runs_generated",
    )
    FIELDS: ClassVar[dict[str, str]] = {
        "data": "data",
        "list_metadata": "list_metadata",
    }

    data: list[ExperimentResult]
    list_metadata: ListMetadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of this object: spec fields in spec order, then unknown ones."""
        field_dict: dict[str, Any] = {}
        data = self.data
        field_dict["data"] = [x0.to_dict() for x0 in data]
        list_metadata = self.list_metadata
        field_dict["list_metadata"] = list_metadata.to_dict()
        field_dict.update(self.additional_properties)
        return field_dict

    @classmethod
    def from_valid_dict(cls, d: dict[str, Any]) -> Self:
        """Build ExperimentResultPage from a dict already validated by `SCHEMA` (no checks)."""
        data = [ExperimentResult.from_valid_dict(x0) for x0 in d["data"]]
        list_metadata = ListMetadata.from_valid_dict(d["list_metadata"])
        # Positional: the fields are declared in this same order, and a
        # positional call is measurably faster on a 10k-run listing.
        obj = cls(
            data,
            list_metadata,
        )
        if not d.keys() <= _KNOWN:
            obj.additional_properties = {k: x for k, x in d.items() if k not in _KNOWN}
        return obj


_KNOWN = frozenset(ExperimentResultPage.FIELDS)

# Imported last, so that models referring to each other can load.
from ..models.experiment_result import ExperimentResult  # noqa: E402
from ..models.list_metadata import ListMetadata  # noqa: E402
