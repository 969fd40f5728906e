"""Following a paged listing's cursors: the decisions both clients' loops share.

An operation whose spec declares `x-retab-pagination` is listed whole by
sending it again with its cursor parameter set to the cursor its last page
named (`list_metadata.after`, say), every other argument kept, until a page
names none. A cursor that comes back twice, or an empty page that still
names a cursor, would loop forever: both raise PaginationError. Each page is
its own call, retried like any other, so a failed page never restarts the
listing from the top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from _retab_runs_runtime import Model, Operation, Pagination

from . import _config
from .errors import ConfigurationError, PaginationError

__all__ = ["Cursor", "check_max_items"]


def check_max_items(value: object) -> int | None:
    """None (no limit) or a positive int."""
    return None if value is None else _config.check_count("max_items", value, 1)


class Cursor:
    """Where a listing is: the arguments of its next page, or None once it has ended."""

    def __init__(self, operation: Operation[Any], arguments: Mapping[str, object]) -> None:
        pagination = operation.pagination
        if pagination is None:
            raise ConfigurationError(f"{operation.method_name} is not a paged operation")
        param = operation.param(pagination.cursor_param)
        if param is None:
            raise ConfigurationError(f"{operation.method_name} has no cursor parameter")
        self._pagination: Pagination = pagination
        self._name = param.python_name
        self._arguments = dict(arguments)
        self._seen: set[str | int] = set()
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
        if value in self._seen:
            raise PaginationError(
                f"the listing's cursor came back on page {self.pages} after being followed "
                "already; stopped rather than loop"
            )
        if not items:
            raise PaginationError(
                f"page {self.pages} of the listing was empty but named a next cursor; "
                "stopped rather than loop"
            )
        self._seen.add(value)
        self._arguments[self._name] = value
        return list(items)
