"""`RawResponse` (what `client.with_raw_response.<...>` gives back) and the lists of runs.

`ModelList` is a plain list of models that notebooks and analyses can use
directly: `to_pandas()`, `to_polars()` and an HTML table (`_frames`). It
knows the class of its models, so an empty one still has the spec's columns.
`PagedList` is one, with the request ids of the pages that filled it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import httpx

from ._frames import HtmlTable, to_pandas, to_polars
from ._model import Model

__all__ = ["ModelList", "PagedList", "RawResponse"]

T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=Model)


class RawResponse(Generic[T]):
    """A successful response's metadata, and its parsed result (`parse()`).

    The body was already read, checked and parsed when the call returned, so
    `parse()` is free and never raises. `request_id` is masked like every
    other text a server sends back (see `retab_runs.errors`).
    """

    def __init__(
        self,
        response: httpx.Response,
        parsed: T,
        retries_taken: int = 0,
        request_id: str | None = None,
    ) -> None:
        self._response = response
        self._parsed = parsed
        self._retries_taken = retries_taken
        self._request_id = request_id

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """Retab's `x-request-id` for this response, if it sent one."""
        return self._request_id

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the request to the end of the response, for the last attempt."""
        return self._response.elapsed

    @property
    def http_version(self) -> str:
        return self._response.http_version

    @property
    def retries_taken(self) -> int:
        """How many retries the call needed before this response (0: the first attempt)."""
        return self._retries_taken

    def parse(self) -> T:
        """The result the plain call would have returned."""
        return self._parsed

    @property
    def idempotency_key(self) -> str | None:
        """The `Idempotency-Key` the request carried (the caller's, or one the client made)."""
        key: str | None = self._response.request.headers.get("idempotency-key")
        return key

    def with_result(self, parsed: U) -> RawResponse[U]:
        """The same response carrying another result (what an ergonomic call makes of it)."""
        return RawResponse(self._response, parsed, self._retries_taken, self._request_id)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"


class ModelList(list[M]):
    """A list of models (runs) that becomes a DataFrame or an HTML table on request.

    `model` is the class of its items (subclasses name it; a `PagedList` is
    told), so that an empty list still has the spec's columns.
    """

    model: ClassVar[type[Model] | None] = None

    def _model(self) -> type[Model] | None:
        return self.model

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per run: the spec's columns whatever the data (nested
        objects dotted), nullable types, datetimes in UTC. Needs the `pandas` extra."""
        return to_pandas(self, self._model())

    def to_polars(self) -> Any:
        """A polars DataFrame with the same columns and types as `to_pandas` (free-form JSON as
        text). Needs the `polars` extra."""
        return to_polars(self, self._model())

    def table(self, columns: Sequence[str] | None = None) -> HtmlTable:
        """The HTML table a notebook shows: a run's essentials by default (id, status, score,
        created_at, duration, documents), or the `columns` named (dotted: `timing.started_at`)."""
        return HtmlTable(self, self._model(), columns)

    def _repr_html_(self) -> str:
        return self.table().html


class PagedList(ModelList[M]):
    """Every item of a paged listing, in order: a list, plus the `request_ids` of its pages."""

    request_ids: list[str | None]

    def __init__(
        self,
        items: Iterable[M] = (),
        request_ids: Iterable[str | None] = (),
        *,
        item: type[M] | None = None,
    ) -> None:
        super().__init__(items)
        self.request_ids = list(request_ids)
        self._item = item

    def _model(self) -> type[Model] | None:
        return self._item
