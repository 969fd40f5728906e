"""What a call gives back besides the runs: `RunList` and `RawResponse`.

`list_runs` returns a `RunList`: a plain list of runs that also knows the
request id of the response that carried it (openai-python's `_request_id`).
`client.with_raw_response.list_runs(...)` returns a `RawResponse`: status,
headers, request id, timing and HTTP version of the successful response,
with `parse()` giving the usual result.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Generic, TypeVar

import httpx

from _retab_runs_generated.models import ExperimentRunSummary

__all__ = ["RawResponse", "RunList"]

T = TypeVar("T")


class RunList(list[ExperimentRunSummary]):
    """The runs of one experiment, newest first: a list, plus `request_id`.

    `request_id` is Retab's `x-request-id` of the response (None if it sent
    none); quote it when asking Retab about a listing.
    """

    request_id: str | None

    def __init__(
        self, runs: Iterable[ExperimentRunSummary] = (), request_id: str | None = None
    ) -> None:
        super().__init__(runs)
        self.request_id = request_id

    @classmethod
    def of(cls, response: httpx.Response, runs: Iterable[ExperimentRunSummary]) -> RunList:
        """The runs a response carried, with its `x-request-id`."""
        return cls(runs, response.headers.get("x-request-id"))


class RawResponse(Generic[T]):
    """A successful response's metadata, and its parsed result (`parse()`).

    The body was already read, checked and parsed when the call returned, so
    `parse()` is free and never raises.
    """

    def __init__(self, response: httpx.Response, parsed: T, retries_taken: int = 0) -> None:
        self._response = response
        self._parsed = parsed
        self._retries_taken = retries_taken

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """Retab's `x-request-id` for this response, if it sent one."""
        request_id: str | None = self._response.headers.get("x-request-id")
        return request_id

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

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"
