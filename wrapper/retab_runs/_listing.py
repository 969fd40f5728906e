"""Following a paged listing, for both clients: every item, one page, or lazily.

The loops over `Cursor` (`_paging`, which decides where a listing goes
next): `_request_all` gathers every item (at most `max_items`),
`_request_page` returns one page that can fetch the next, `_iterate`
yields items holding one page at a time. Each page is one call of the
client's pipeline, retried like any other. Mixed into `SyncAPIClient` and
`AsyncAPIClient`; written out twice on purpose, as the pipeline's I/O loops are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Protocol, TypeVar

import httpx

from _retab_runs_runtime import (
    AsyncPage,
    AsyncRequester,
    Model,
    Operation,
    PagedList,
    RawResponse,
    RequestOptions,
    SyncPage,
    SyncRequester,
)

from ._build import Prepared
from ._paging import Cursor, check_max_items

__all__ = ["AsyncListing", "SyncListing"]

T = TypeVar("T")
I = TypeVar("I", bound=Model)  # noqa: E741 (an item of a paged listing)


class _SyncPipeline(SyncRequester, Protocol):
    """What the sync loops use of the client they are mixed into: the requester's
    methods (`_retab_runs_runtime`), and the pipeline's steps."""

    def _prepare(
        self, operation: Operation[Any], arguments: Mapping[str, object], options: RequestOptions
    ) -> Prepared: ...

    def _fetch(self, prepared: Prepared) -> tuple[httpx.Response, Any, int]: ...

    def _raw(
        self, prepared: Prepared, response: httpx.Response, parsed: T, retries: int
    ) -> RawResponse[T]: ...


class _AsyncPipeline(AsyncRequester, Protocol):
    """What the async loops use of the client they are mixed into: the requester's
    methods (`_retab_runs_runtime`), and the pipeline's steps."""

    def _prepare(
        self, operation: Operation[Any], arguments: Mapping[str, object], options: RequestOptions
    ) -> Prepared: ...

    async def _fetch(self, prepared: Prepared) -> tuple[httpx.Response, Any, int]: ...

    def _raw(
        self, prepared: Prepared, response: httpx.Response, parsed: T, retries: int
    ) -> RawResponse[T]: ...


class SyncListing:
    """The sync client's paging loops."""

    def _request_all(
        self: _SyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]:
        """Every item of a paged operation, page after page (at most `max_items`)."""
        limit = check_max_items(max_items)
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        found: PagedList[I] = PagedList(item=item)
        prepared: Prepared | None = first  # the first page's request, built above
        while (page_arguments := cursor.next_arguments()) is not None:
            if prepared is None:
                prepared = self._prepare(operation, page_arguments, options)
            raw = self._raw(prepared, *self._fetch(prepared))
            prepared = None
            found.request_ids.append(raw.request_id)
            found.extend(cursor.items(raw.parse()))
            if limit is not None and len(found) >= limit:
                del found[limit:]
                break
        return found

    def _request_page(
        self: _SyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> SyncPage[T, I]:
        """One page of a paged operation; `next_page()` and `auto_paging_iter()` fetch on."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        raw = self._raw(first, *self._fetch(first))  # the request prepared above, sent
        parsed = raw.parse()
        items: list[I] = cursor.items(parsed)
        following = cursor.next_arguments()
        if following is None:
            return SyncPage(parsed, items, raw.request_id)
        return SyncPage(
            parsed,
            items,
            raw.request_id,
            fetch_next=lambda: self._request_page(operation, following, options, item=item),
            iterate_rest=lambda: self._iterate(operation, following, options, item=item),
        )

    def _iterate(
        self: _SyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> Iterator[I]:
        """The items of a paged operation, one page held at a time; arguments checked now."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)

        def pages() -> Iterator[I]:
            prepared: Prepared | None = first  # the first page's request, built above
            while (page_arguments := cursor.next_arguments()) is not None:
                if prepared is None:
                    prepared = self._prepare(operation, page_arguments, options)
                yield from cursor.items(self._fetch(prepared)[1])
                prepared = None

        return pages()


class AsyncListing:
    """The async client's paging loops."""

    async def _request_all(
        self: _AsyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]:
        """Every item of a paged operation, page after page (at most `max_items`)."""
        limit = check_max_items(max_items)
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        found: PagedList[I] = PagedList(item=item)
        prepared: Prepared | None = first  # the first page's request, built above
        while (page_arguments := cursor.next_arguments()) is not None:
            if prepared is None:
                prepared = self._prepare(operation, page_arguments, options)
            raw = self._raw(prepared, *(await self._fetch(prepared)))
            prepared = None
            found.request_ids.append(raw.request_id)
            found.extend(cursor.items(raw.parse()))
            if limit is not None and len(found) >= limit:
                del found[limit:]
                break
        return found

    async def _request_page(
        self: _AsyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncPage[T, I]:
        """One page of a paged operation; `next_page()` and `auto_paging_iter()` fetch on."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        raw = self._raw(first, *(await self._fetch(first)))  # the request prepared above, sent
        parsed = raw.parse()
        items: list[I] = cursor.items(parsed)
        following = cursor.next_arguments()
        if following is None:
            return AsyncPage(parsed, items, raw.request_id)
        return AsyncPage(
            parsed,
            items,
            raw.request_id,
            fetch_next=lambda: self._request_page(operation, following, options, item=item),
            iterate_rest=lambda: self._iterate(operation, following, options, item=item),
        )

    def _iterate(
        self: _AsyncPipeline,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncIterator[I]:
        """The items of a paged operation, one page held at a time; arguments checked now."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)

        async def pages() -> AsyncIterator[I]:
            prepared: Prepared | None = first  # the first page's request, built above
            while (page_arguments := cursor.next_arguments()) is not None:
                if prepared is None:
                    prepared = self._prepare(operation, page_arguments, options)
                page = (await self._fetch(prepared))[1]
                prepared = None
                for found in cursor.items(page):
                    yield found

        return pages()
