"""A paged operation's own method returns a page that behaves as Retab's SDK users expect."""

from __future__ import annotations

import pytest

from _retab_runs_generated.models import ExperimentRunPage, WorkflowExperiment
from retab_runs import AsyncPage, SyncPage
from retab_runs.testing import FakeRetabServer

pytestmark = pytest.mark.anyio


def test_a_page_iterates_its_items_and_knows_if_more_follow(
    retab_sample_server: FakeRetabServer,
) -> None:
    with retab_sample_server.client() as client:
        page = client.workflows.experiments.runs.list_page(experiment_id="exp_invoices", limit=3)
    assert isinstance(page, SyncPage) and type(page.page) is ExperimentRunPage
    assert [run.id for run in page] == ["exprun_inv_08", "exprun_inv_07", "exprun_inv_06"]
    assert len(page) == 3 and page[0].id == "exprun_inv_08" and page.data == list(page)
    assert page.has_more and page.list_metadata.after == "exprun_inv_06"
    assert page.request_id is not None
    assert repr(page) == "<SyncPage of 3 items, has_more=True>"


def test_next_page_follows_the_cursor_once(retab_sample_server: FakeRetabServer) -> None:
    with retab_sample_server.client() as client:
        first = client.workflows.experiments.runs.list_page(experiment_id="exp_invoices", limit=5)
        sent = len(retab_sample_server.requests)
        second = first.next_page()
        assert second is not None and first.next_page() is second  # fetched once
        assert len(retab_sample_server.requests) == sent + 1
        assert retab_sample_server.requests[-1].query["after"] == "exprun_inv_04"
        assert [run.id for run in second] == ["exprun_inv_03", "exprun_inv_02", "exprun_inv_01"]
        assert not second.has_more and second.next_page() is None


def test_auto_paging_iter_walks_every_later_page(retab_sample_server: FakeRetabServer) -> None:
    with retab_sample_server.client() as client:
        first = client.workflows.experiments.runs.list_page(experiment_id="exp_invoices", limit=3)
        every = [run.id for run in first.auto_paging_iter()]
        again = [run.id for run in first.auto_paging_iter()]  # each walk on its own
    assert every == again and len(every) == 8 and every[0] == "exprun_inv_08"
    assert every[-1] == "exprun_inv_01"


def test_every_paged_operation_returns_a_page(retab_sample_server: FakeRetabServer) -> None:
    with retab_sample_server.client() as client:
        experiments = client.workflows.experiments.list("wf_demo", limit=1)
        results = client.workflows.experiments.results.list("exprun_inv_06", limit=5)
        raw = client.with_raw_response.workflows.experiments.list("wf_demo")
        assert len(list(results.auto_paging_iter())) == 12
    assert isinstance(experiments[0], WorkflowExperiment) and experiments.has_more
    assert raw.status_code == 200 and len(raw.parse().data) == 2  # the raw form stays the model


def test_a_model_still_reads_by_json_name_but_a_page_member_it_lacks_is_an_error(
    retab_sample_server: FakeRetabServer,
) -> None:
    with retab_sample_server.client() as client:
        page = client.workflows.experiments.list("wf_demo")
    with pytest.raises(AttributeError):
        page.no_such_member  # noqa: B018
    with pytest.raises(AttributeError):
        page._private  # noqa: B018


async def test_the_async_page_awaits_its_next_and_walks_with_async_for(
    retab_sample_server: FakeRetabServer,
) -> None:
    async with retab_sample_server.async_client() as client:
        first = await client.workflows.experiments.runs.list_page(
            experiment_id="exp_invoices", limit=3
        )
        assert isinstance(first, AsyncPage) and first[0].id == "exprun_inv_08"
        second = await first.next_page()
        assert second is not None and await first.next_page() is second
        assert [run.id async for run in first.auto_paging_iter()][-1] == "exprun_inv_01"
        last = await (await second.next_page()).next_page()  # type: ignore[union-attr]
        assert last is None
