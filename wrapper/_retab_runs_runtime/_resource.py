"""The base of every generated resource, and what it needs from a client.

A generated resource method (`client.workflows.experiments.runs.list(...)`)
is a few lines that hand its `Operation`, its arguments and the per-call
options to the client's one request pipeline (openai-python's `_resource.py`
pattern). `SyncRequester`/`AsyncRequester` say what that pipeline offers.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Protocol, TypedDict, TypeVar

import httpx

from ._model import Model
from ._operation import Operation
from ._page import AsyncPage, SyncPage
from ._response import PagedList, RawResponse

__all__ = [
    "AsyncAPIResource",
    "AsyncRequester",
    "RequestOptions",
    "SyncAPIResource",
    "SyncRequester",
    "warn_deprecated",
]

T = TypeVar("T")
I = TypeVar("I", bound=Model)  # noqa: E741 (an item of a paged listing)


class RequestOptions(TypedDict, total=False):
    """What every call takes besides its parameters."""

    timeout: float | httpx.Timeout | None
    max_retries: int | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, str] | None


class SyncRequester(Protocol):
    def _request(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> T: ...

    def _request_page(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> SyncPage[T, I]: ...

    def _request_raw(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> RawResponse[T]: ...

    def _request_all(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]: ...

    def _iterate(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> Iterator[I]: ...


class AsyncRequester(Protocol):
    async def _request(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> T: ...

    async def _request_page(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncPage[T, I]: ...

    async def _request_raw(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> RawResponse[T]: ...

    async def _request_all(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]: ...

    def _iterate(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncIterator[I]: ...


def warn_deprecated(what: str) -> None:
    """Warn the caller of a generated method that `what` is deprecated (the spec says so).

    `stacklevel=3`: the warning points at the line that called the method.
    """
    warnings.warn(f"{what} is deprecated", DeprecationWarning, stacklevel=3)


class SyncAPIResource:
    """A resource of the sync client: it holds the client its methods send through."""

    def __init__(self, client: SyncRequester) -> None:
        self._client = client


class AsyncAPIResource:
    """A resource of the async client: it holds the client its methods send through."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client
