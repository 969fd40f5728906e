"""What generated code declares about each operation: `Operation`, `Param`, `Pagination`.

scripts/regenerate writes one `Operation` per operation in openapi.yaml
(`_retab_runs_generated/operations.py`); the client's one request pipeline
reads them. Nothing here sends anything. A success body is a model, one of
several (`Variants`), a list of one (`ListOf`), or nothing (None: a 204).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, TypeVar

import attrs

from ._model import Model
from ._schema import SchemaError

__all__ = ["AuthScheme", "ListOf", "Operation", "Pagination", "Param", "ParamLocation", "Variants"]

T = TypeVar("T")
M = TypeVar("M", bound=Model)
ParamLocation = Literal["path", "query", "header", "body"]


@attrs.frozen
class AuthScheme:
    """How an operation takes the API key: in a header of this name, or as a bearer token.

    From the spec's `security`: an `apiKey` scheme in a header, or an `http`
    `bearer` scheme (`Authorization: Bearer <key>`).
    """

    kind: Literal["header", "bearer"]
    name: str = "Authorization"


@attrs.frozen
class Variants(Generic[T]):
    """A body that is one of several models (`anyOf`/`oneOf`), told apart by `discriminator`.

    `mapping` names the model of each discriminator value; a value it does
    not list, or no discriminator at all, is the first model whose schema
    accepts the body (a catch-all variant last keeps new kinds readable).
    """

    models: tuple[type[Model], ...]
    discriminator: str | None = None
    mapping: Mapping[str, type[Model]] = attrs.field(factory=dict)

    @property
    def schema(self) -> dict[str, Any]:
        return {"anyOf": [dict(m.SCHEMA.schema) for m in self.models]}

    def from_dict(self, value: Any, path: str = "") -> T:
        """The variant built from decoded JSON; SchemaError naming the path when none fits."""
        first = self.models[0]
        if isinstance(value, dict) and self.discriminator is not None:
            first = self.mapping.get(str(value.get(self.discriminator)), first)
        for model in dict.fromkeys((first, *self.models)):
            if model.SCHEMA.is_valid(value):
                return model.from_valid_dict(value)  # type: ignore[return-value]
        first.SCHEMA.validate(value, path)
        raise SchemaError(path, "one of the variants", value)


@attrs.frozen
class ListOf(Generic[M]):
    """A body that is a JSON array of one model."""

    model: type[M]

    @property
    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": dict(self.model.SCHEMA.schema)}

    def from_dict(self, value: Any, path: str = "") -> list[M]:
        """The models of a decoded JSON array, each validated (errors name `[i]`)."""
        if not isinstance(value, list):
            raise SchemaError(path, "an array", value)
        return [self.model.from_dict(item, f"{path}[{i}]") for i, item in enumerate(value)]


@attrs.frozen
class Param:
    """One parameter: its name on the wire and in Python, where it goes, and if it is required.

    `schema` is the spec's schema of its value (the client checks a value
    against it before sending, the fake server on receipt); a body field is
    a `Param` in `body`. `deprecated`: using it warns.
    """

    name: str
    python_name: str
    location: ParamLocation
    required: bool
    schema: Mapping[str, Any] = attrs.field(factory=dict)
    deprecated: bool = False


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
    `x-retab-idempotent`), which the retry decision reads. `auth` lists the
    ways the operation accepts the key, the first preferred (none: it needs
    no credential); `deprecated` and `aliases` (old method names, the spec's
    `x-retab-aliases`) make calls warn.
    """

    operation_id: str
    resource: str
    method_name: str
    http_method: str
    path: str
    params: tuple[Param, ...]
    success: type[T] | Variants[T] | ListOf[Any] | None
    idempotent: bool
    body: type[Model] | None = None
    errors: Mapping[str, type[Model]] = attrs.field(factory=dict)
    pagination: Pagination | None = None
    auth: tuple[AuthScheme, ...] = (AuthScheme("header", "Api-Key"),)
    deprecated: bool = False
    aliases: tuple[str, ...] = ()

    def declares(self, status: int) -> bool:
        """Whether the spec names this exact status for the operation (not a range or default)."""
        return str(status) in self.errors

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
