"""What a call gives back besides the runs: `RunList` and `RawResponse`.

`list_runs` returns a `RunList`: a plain list of runs that also knows the
request id of the response that carried it (openai-python's `_request_id`).
`client.with_raw_response.<any call>(...)` returns a `RawResponse`
(`_retab_runs_runtime`): status, headers, request id, timing and HTTP version
of the successful response, with `parse()` giving the usual result.
"""

from __future__ import annotations

from collections.abc import Iterable

from _retab_runs_generated.models import ExperimentRunSummary
from _retab_runs_runtime import AsyncPage, ModelList, PagedList, RawResponse, SyncPage

__all__ = ["AsyncPage", "PagedList", "RawResponse", "RunList", "SyncPage"]


class RunList(ModelList[ExperimentRunSummary]):
    """The runs of one experiment, newest first: a list, plus `request_id`,
    `to_pandas()`, `to_polars()` and an HTML table in notebooks.

    `request_id` is Retab's `x-request-id` of the response (None if it sent
    none); quote it when asking Retab about a listing.
    """

    model = ExperimentRunSummary
    request_id: str | None

    def __init__(
        self, runs: Iterable[ExperimentRunSummary] = (), request_id: str | None = None
    ) -> None:
        super().__init__(runs)
        self.request_id = request_id
