"""One page of a paged listing, as `list_page` and every paged operation's own method return it.

A page is what Retab's SDK users expect of one (its `PaginatedList`): it
iterates its items, has `len`, `data` (the items), `has_more`,
`next_page()` and `auto_paging_iter()` (this page's items, then every
later page's, fetched one at a time); any other member of the page's model
reads through (`page.list_metadata.after`), and `page.page` is the model
itself. The next page is fetched by the client's pipeline that made this
one (`fetch_next`), with the same arguments and the cursor this page named.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar, overload

from ._model import Model

__all__ = ["AsyncPage", "SyncPage"]

P = TypeVar("P")
I = TypeVar("I", bound=Model)  # noqa: E741 (an item of a paged listing)


class _Page(Generic[P, I]):
    """What both pages share: the page's model, its items and its request id."""

    def __init__(self, page: P, items: list[I], request_id: str | None) -> None:
        self._page = page
        self._items = items
        self.request_id = request_id

    @property
    def page(self) -> P:
        """The page as the spec types it (its items, its cursors, anything else it carries)."""
        return self._page

    @property
    def data(self) -> list[I]:
        """This page's items, in the order served."""
        return self._items

    def __iter__(self) -> Iterator[I]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> I: ...
    @overload
    def __getitem__(self, index: slice) -> list[I]: ...
    def __getitem__(self, index: int | slice) -> I | list[I]:
        return self._items[index]

    def __getattr__(self, name: str) -> Any:
        # Members of the page's model (`list_metadata`, ...) read through.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._page, name)

    def __repr__(self) -> str:
        more = getattr(self, "has_more", False)
        return f"<{type(self).__name__} of {len(self._items)} items, has_more={more}>"


class SyncPage(_Page[P, I]):
    """One page of `Retab`'s paged listings."""

    def __init__(
        self,
        page: P,
        items: list[I],
        request_id: str | None,
        fetch_next: Callable[[], SyncPage[P, I]] | None = None,
        iterate_rest: Callable[[], Iterator[I]] | None = None,
    ) -> None:
        super().__init__(page, items, request_id)
        self._fetch_next = fetch_next
        self._iterate_rest = iterate_rest
        self._next: SyncPage[P, I] | None = None

    @property
    def has_more(self) -> bool:
        """Whether the page named a next one."""
        return self._fetch_next is not None

    def next_page(self) -> SyncPage[P, I] | None:
        """The next page (fetched once, then kept), or None after the last one."""
        if self._fetch_next is not None and self._next is None:
            self._next = self._fetch_next()
        return self._next

    def auto_paging_iter(self) -> Iterator[I]:
        """This page's items, then every later page's, one page held at a time.

        The later pages are followed as `iter_all` follows them (a cursor that
        comes back is a PaginationError), each walk on its own.
        """
        yield from self._items
        if self._iterate_rest is not None:
            yield from self._iterate_rest()


class AsyncPage(_Page[P, I]):
    """One page of `AsyncRetab`'s paged listings: `await page.next_page()`."""

    def __init__(
        self,
        page: P,
        items: list[I],
        request_id: str | None,
        fetch_next: Callable[[], Awaitable[AsyncPage[P, I]]] | None = None,
        iterate_rest: Callable[[], AsyncIterator[I]] | None = None,
    ) -> None:
        super().__init__(page, items, request_id)
        self._fetch_next = fetch_next
        self._iterate_rest = iterate_rest
        self._next: AsyncPage[P, I] | None = None

    @property
    def has_more(self) -> bool:
        """Whether the page named a next one."""
        return self._fetch_next is not None

    async def next_page(self) -> AsyncPage[P, I] | None:
        """The next page (fetched once, then kept), or None after the last one."""
        if self._fetch_next is not None and self._next is None:
            self._next = await self._fetch_next()
        return self._next

    async def auto_paging_iter(self) -> AsyncIterator[I]:
        """This page's items, then every later page's, one page held at a time."""
        for item in self._items:
            yield item
        if self._iterate_rest is not None:
            async for item in self._iterate_rest():
                yield item
