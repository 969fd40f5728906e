"""Following a paged listing's cursors: the decisions both clients' loops share.

An operation whose spec declares `x-retab-pagination` is listed whole by
sending it again with its cursor parameter set to the cursor its last page
named (`list_metadata.after`, say), every other argument kept, until a page
names none. A cursor that comes back twice, or an empty page that still
names a cursor, would loop forever: both raise PaginationError, as does a
cursor too long to be sent back in a URL. Each page is its own call,
retried like any other, so a failed page never restarts the listing from
the top.

Memory stays bounded whatever the cursors' size: a cursor followed is kept
as a 16-byte digest, enough to see it come back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import httpx

from _retab_runs_runtime import Model, Operation, Pagination

from . import _config
from .errors import ConfigurationError, PaginationError

__all__ = ["Cursor", "check_max_items"]


def check_max_items(value: object) -> int | None:
    """None (no limit) or a positive int."""
    return None if value is None else _config.check_count("max_items", value, 1)


def _digest(cursor: str) -> bytes:
    return hashlib.blake2b(cursor.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Cursor:
    """Where a listing is: the arguments of its next page, or None once it has ended.

    `url` is the first page's request URL: every later page's is the same
    with the cursor set, so a cursor is checked against it before it is followed.
    """

    def __init__(
        self, operation: Operation[Any], arguments: Mapping[str, object], url: httpx.URL
    ) -> None:
        pagination = operation.pagination
        if pagination is None:
            raise ConfigurationError(f"{operation.method_name} is not a paged operation")
        param = operation.param(pagination.cursor_param)
        if param is None:
            raise ConfigurationError(f"{operation.method_name} has no cursor parameter")
        self._pagination: Pagination = pagination
        self._param = param
        self._url = url
        self._arguments = dict(arguments)
        self._seen: set[bytes] = set()
        self._done = False
        self.pages = 0

    def next_arguments(self) -> dict[str, object] | None:
        """The arguments of the next page to ask for; None when the listing is over."""
        return None if self._done else dict(self._arguments)

    def items(self, page: object) -> list[Any]:
        """The page's items; moves the cursor on (or ends the listing).

        A cursor is any scalar the page names (a string or an integer); null,
        absent or an empty string ends the listing.
        """
        self.pages += 1
        if not isinstance(page, Model):
            raise PaginationError(f"page {self.pages} of the listing is not a page")
        items = page[self._pagination.items]
        value: Any = page
        for name in self._pagination.next_cursor:
            value = value.get(name) if isinstance(value, Model) else None
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            self._done = True
            return list(items)
        digest = _digest(str(value))  # 5 and "5" are one cursor on the wire
        if digest in self._seen:
            raise PaginationError(
                f"the listing's cursor came back on page {self.pages} after being followed "
                "already; stopped rather than loop"
            )
        if not items:
            raise PaginationError(
                f"page {self.pages} of the listing was empty but named a next cursor; "
                "stopped rather than loop"
            )
        self._check_sendable(value)
        self._seen.add(digest)
        self._arguments[self._param.python_name] = value
        return list(items)

    def _check_sendable(self, value: str | int) -> None:
        """Refuse a next cursor the next page's request could not carry (too long for
        httpx's URL; the decoders refuse text a URL cannot encode)."""
        try:
            self._url.copy_set_param(self._param.name, str(value))
        except httpx.InvalidURL:
            raise PaginationError(
                f"the next cursor Retab named on page {self.pages} "
                f"({'.'.join(self._pagination.next_cursor)}, {len(str(value)):,} characters) "
                f"would make the URL too long to send back as {self._param.python_name!r}; "
                "stopped"
            ) from None
