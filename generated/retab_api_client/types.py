"""Contains some shared types for properties"""

import datetime
from collections.abc import Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define

from .errors import SchemaError


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


class _Missing:
    """Marks a required field absent from a JSON object (distinct from null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_UTC = datetime.UTC


def parse_datetime(value: Any, path: str = "") -> datetime.datetime:
    """Parse an RFC 3339 date-time; a value without an offset is taken as UTC.

    Added by retab-runs' templates: datetimes are always timezone-aware. On the
    hot path of every listing (twice a run), so it stays a plain function.
    """
    if type(value) is not str:
        raise SchemaError(path, "date-time string", value)
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise SchemaError(
            path, "date-time string", value, "not an RFC 3339 date-time"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)


def parse_list(items: list[Any], parse_item: Callable[..., T], path: str) -> list[T]:
    """Parse each item of a JSON array, naming the failing index in errors.

    The fast path passes no per-item path (no string built per run); only
    when an item fails is the array walked again to find and name it.
    """
    try:
        return [parse_item(item) for item in items]
    except SchemaError:
        for i, item in enumerate(items):
            try:
                parse_item(item)
            except SchemaError as exc:
                raise exc.within(f"{path}[{i}]") from None
        raise


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "MISSING",
    "UNSET",
    "parse_datetime",
    "parse_list",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
]
