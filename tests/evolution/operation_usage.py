"""Code a user writes against the regenerated package of tests/evolution/operations.yaml.

Only type-checked (mypy --strict, in test_spec_evolution.py): the new
operations are methods of both clients with the spec's parameters, typed.
"""

from __future__ import annotations

from typing import assert_type

from _retab_runs_generated.models import ArchiveResult, ExperimentRunSummary
from retab_runs import AsyncRetab, RawResponse, Retab


def sync_calls(client: Retab) -> None:
    run = client.workflows.experiments.runs.summary("exprun_1", view="full", x_retab_trace="t")
    assert_type(run, ExperimentRunSummary)
    raw = client.with_raw_response.workflows.experiments.runs.summary("exprun_1", view="slim")
    assert_type(raw, RawResponse[ExperimentRunSummary])
    archived = client.workflows.experiments.archive(
        "wf", "exp", reason="done", keep_last=3, idempotency_key="k", timeout=5
    )
    assert_type(archived, ArchiveResult)
    client.workflows.experiments.runs.list(
        "wf", "exp", x_retab_region="eu", include_deleted=True, tag=["a", "b"]
    )


async def async_calls(client: AsyncRetab) -> None:
    run = await client.workflows.experiments.runs.summary("exprun_1", view="full")
    assert_type(run, ExperimentRunSummary)
    archived = await client.workflows.experiments.archive("wf", "exp", reason="done")
    assert_type(archived, ArchiveResult)
