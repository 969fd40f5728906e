"""The public API as users write it, type-checked by `mypy --strict` (never run).

scripts/test type-checks this file: a change that makes any of these lines
stop type-checking, or changes a type they assert, fails the gate. (stamina's
tests/typing/api.py.)
"""

from __future__ import annotations

import datetime
from typing import assert_type

import httpx

import retab_runs
from retab_runs import (
    APIError,
    AsyncRetab,
    DocumentComparison,
    ExperimentRun,
    ExperimentRunCancelResponse,
    ExperimentRunListResponse,
    ExperimentRunPage,
    ExperimentRunSummary,
    PagedList,
    RawResponse,
    Retab,
    RetabError,
    RunComparison,
    RunList,
    SyncPage,
)
from retab_runs.models import BlockConfig
from retab_runs.testing import FakeRetabServer, no_retry_waits, sample_run


def sync_usage() -> None:
    with Retab("sk-key", timeout=5, max_retries=1, default_headers={"X-Team": "a"}) as client:
        runs = client.list_runs("wf", "exp", extra_headers={"X": "1"}, max_retries=0)
        assert_type(runs, RunList)
        assert_type(runs.request_id, str | None)
        run = runs[0]
        assert_type(run, ExperimentRunSummary)
        assert_type(run.id, str)
        assert_type(run.score, float | None)
        assert_type(run.created_at, datetime.datetime)
        assert_type(run.completed_at, datetime.datetime | None)
        assert_type(run.block_config, BlockConfig | None)
        status: str = run.status
        print(status, run["job_id"])
        raw = client.with_raw_response.list_runs("wf", "exp")
        assert_type(raw, RawResponse[RunList])
        assert_type(raw.headers, httpx.Headers)
        assert_type(raw.parse(), RunList)
        listing = client.workflows.experiments.runs.list(workflow_id="wf", experiment_id="exp")
        assert_type(listing, ExperimentRunListResponse)
        quick = client.with_options(timeout=1.0)
        assert_type(quick, Retab)
        many = client.list_runs_many([("wf", "a"), ("wf", "b")], concurrency=4)
        assert_type(many, dict[tuple[str, str], RunList | APIError])
        for value in many.values():
            if isinstance(value, APIError):
                assert_type(value.request_id, str | None)


def runs_resource_usage(client: Retab) -> None:
    """Retab SDK 0.0.160's call shapes, with only the import changed."""
    runs = client.workflows.experiments.runs
    page = runs.list_page(experiment_id="exp", status="completed", limit=50)
    assert_type(page, SyncPage[ExperimentRunPage, ExperimentRun])
    assert_type(page.data, list[ExperimentRun])
    assert_type(page.page, ExperimentRunPage)
    assert_type(page.has_more, bool)
    assert_type(page.next_page(), SyncPage[ExperimentRunPage, ExperimentRun] | None)
    for item in page.auto_paging_iter():
        assert_type(item, ExperimentRun)
    assert_type(len(page), int)
    whole = runs.list_all(workflow_id="wf", status="queued", max_items=500)
    assert_type(whole, PagedList[ExperimentRun])
    assert_type(whole.request_ids, list[str | None])
    for run in runs.iter_all(from_date="2026-05-01", order="asc"):
        assert_type(run, ExperimentRun)
    started = runs.create("exp", "wf", None)
    assert_type(started, ExperimentRun)
    keyed = runs.create(experiment_id="exp", idempotency_key="deploy-42")
    assert_type(keyed.timing.created_at, datetime.datetime)
    assert_type(runs.get("exprun_1"), ExperimentRun)
    assert_type(runs.cancel("exprun_1"), ExperimentRunCancelResponse)
    raw = client.with_raw_response.workflows.experiments.runs.create("exp")
    assert_type(raw.idempotency_key, str | None)
    done = client.wait_for_run("wf", "exp", started.id, timeout=60)
    assert_type(done, ExperimentRun)
    status: str = done.lifecycle.status
    print(status)


async def async_usage() -> None:
    async with AsyncRetab() as client:
        runs = await client.list_runs("wf", "exp")
        assert_type(runs, RunList)
        raw = await client.with_raw_response.list_runs("wf", "exp")
        assert_type(raw.status_code, int)
        many = await client.list_runs_many([("wf", "exp")])
        assert_type(many, dict[tuple[str, str], RunList | APIError])
        assert_type(client.with_options(max_retries=0), AsyncRetab)
        whole = await client.workflows.experiments.runs.list_all(limit=100)
        assert_type(whole, PagedList[ExperimentRun])
        async for run in client.workflows.experiments.runs.iter_all(status="running"):
            assert_type(run, ExperimentRun)
        assert_type(await client.workflows.experiments.runs.get("r"), ExperimentRun)
        compared = await client.compare_runs("r1", "r2")
        assert_type(compared, RunComparison)


def comparing_runs(client: Retab, a: ExperimentRun, b: ExperimentRunSummary) -> None:
    assert_type(retab_runs.compare_runs(a, b), RunComparison)
    compared = retab_runs.compare_runs(a, b, client=client)
    assert_type(compared.documents, tuple[DocumentComparison, ...] | None)
    assert_type(compared.regressed(0.2), tuple[DocumentComparison, ...])
    assert_type(client.compare_runs("r1", b).note, str | None)
    for document in compared.regressed(0.2):
        assert_type(document.delta, float | None)
        assert_type(document.status_b, str)


def errors_and_testing() -> None:
    try:
        Retab(api_key="")
    except retab_runs.ConfigurationError as exc:
        assert_type(exc, retab_runs.ConfigurationError)
        handled: ValueError = exc
        print(handled)
    except RetabError:
        pass
    with FakeRetabServer(sample=True) as server, no_retry_waits() as waits:
        assert_type(waits, list[float])
        server.add_runs("wf", "exp", [sample_run("exprun_1", score=0.5)])
        with server.client() as client:
            assert_type(client, Retab)
            client.list_runs("wf", "exp")
