"""Code a user writes against the package regenerated from the corpus.

tests/test_generator_corpus.py regenerates it. Only type-checked (mypy --strict):
every new shape is a typed method of both clients.
"""

from __future__ import annotations

import datetime
from typing import assert_type

from _retab_runs_generated.models import (
    DocumentRef,
    ExperimentRun,
    ExperimentRunCancelResponse,
    ExperimentRunSummary,
)
from _retab_runs_runtime import Unset
from retab_runs import AsyncRetab, PagedList, RawResponse, Retab, RunList


def sync_calls(client: Retab) -> None:
    document = client.workflows.experiments.runs.document("exprun_1", 3)
    assert_type(document, DocumentRef)
    documents = client.workflows.experiments.runs.documents("exprun_1")
    assert_type(documents, list[DocumentRef])
    pages = client.workflows.documents.list_all(max_items=5)
    assert_type(pages, PagedList[DocumentRef])
    since = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    runs = client.workflows.experiments.runs.list_all(created_after=since, from_="x")
    assert_type(runs, PagedList[ExperimentRun])
    client.workflows.experiments.runs.list_page(created_after="2026-05-01T12:00:00Z")
    assert_type(client.list_runs("wf", "exp", tenant="t"), RunList)
    cancelled = client.workflows.experiments.runs.cancel_run("exprun_1")
    assert_type(cancelled, ExperimentRunCancelResponse)
    assert_type(client.workflows.experiments.runs.cancel("exprun_1"), ExperimentRunCancelResponse)
    client.workflows.experiments.update("exp", class_="x")
    summary = client.list_runs("wf", "exp", tenant="t")[0]
    assert_type(summary, ExperimentRunSummary)
    assert_type(summary.get_, str | Unset)
    raw = client.with_raw_response.workflows.experiments.runs.documents("exprun_1")
    assert_type(raw, RawResponse[list[DocumentRef]])


async def async_calls(client: AsyncRetab) -> None:
    document = await client.workflows.experiments.runs.document("exprun_1", 3)
    assert_type(document, DocumentRef)
    documents = await client.workflows.experiments.runs.documents("exprun_1")
    assert_type(documents, list[DocumentRef])
    async for found in client.workflows.documents.iter_all():
        assert_type(found, DocumentRef)
