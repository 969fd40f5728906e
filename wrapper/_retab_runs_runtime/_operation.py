"""What generated code declares about each operation: `Operation`, `Param`, `Pagination`.

scripts/regenerate writes one `Operation` per operation in openapi.yaml
(`_retab_runs_generated/operations.py`); the client's one request pipeline
reads them. Nothing here sends anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, TypeVar

import attrs

from ._model import Model

__all__ = ["Operation", "Pagination", "Param", "ParamLocation"]

T = TypeVar("T", bound=Model)
ParamLocation = Literal["path", "query", "header"]


@attrs.frozen
class Param:
    """One parameter: its name on the wire and in Python, where it goes, and if it is required.

    `schema` is the spec's schema of its value (the fake server validates with it).
    """

    name: str
    python_name: str
    location: ParamLocation
    required: bool
    schema: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Pagination:
    """How a paged operation continues (the spec's `x-retab-pagination`).

    `items` names the page's list of results, `cursor_param` the query
    parameter that asks for the next page, `next_cursor` the path of fields
    in the page where the next cursor is read (null: the last page).
    """

    items: str
    cursor_param: str
    next_cursor: tuple[str, ...]


@attrs.frozen
class Operation(Generic[T]):
    """One operation of the spec, as the request pipeline needs it.

    `resource` is the dotted path of the resource it hangs on
    (`workflows.experiments.runs`) and `method_name` its Python name there;
    `errors` maps the documented statuses (`"404"`, `"4XX"`, `"default"`) to
    the models of their bodies; `idempotent` says whether sending it twice
    does no more than sending it once (GET, PUT, DELETE, or the spec's
    `x-retab-idempotent`), which the retry decision reads.
    """

    operation_id: str
    resource: str
    method_name: str
    http_method: str
    path: str
    params: tuple[Param, ...]
    success: type[T]
    idempotent: bool
    body: type[Model] | None = None
    errors: Mapping[str, type[Model]] = attrs.field(factory=dict)
    pagination: Pagination | None = None

    def param(self, name: str) -> Param | None:
        """The parameter with this wire name, if the operation has one."""
        return next((p for p in self.params if p.name == name), None)

    def error_models(self, status: int) -> tuple[type[Model], ...]:
        """The models the spec documents for an error body of this status, most specific first.

        The status's own (`"404"`), its range's (`"4XX"`), then `"default"`.
        """
        found = (self.errors.get(key) for key in (str(status), f"{status // 100}XX", "default"))
        return tuple(dict.fromkeys(model for model in found if model is not None))

    def path_for(self, arguments: Mapping[str, object]) -> str:
        """The path with its parameters percent-encoded into their own segments."""
        from urllib.parse import quote  # noqa: PLC0415 (urllib.parse is imported by httpx anyway)

        values = {
            p.name: quote(str(arguments[p.python_name]), safe="")
            for p in self.params
            if p.location == "path"
        }
        return self.path.format_map(values)
