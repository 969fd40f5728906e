"""The runs resource: the flat listing returned whole or lazily, get, create, cancel.

Over the fake server (real HTTP on loopback) unless a case needs bytes the
fake will not send (raw sockets, tests/raw_server.py).
"""

from __future__ import annotations

import collections
import datetime
import gc
import json
import socket
import tracemalloc
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest

from _retab_runs_generated.operations import GET_EXPERIMENT_RUN, LIST_WORKFLOW_EXPERIMENT_RUNS
from _retab_runs_runtime import Pagination
from raw_server import RawServer
from retab_runs import (
    AioHttpClient,
    AsyncRetab,
    ConfigurationError,
    ExperimentRun,
    ExperimentRunPage,
    NotFoundError,
    PagedList,
    PaginationError,
    ResponseValidationError,
    Retab,
)
from retab_runs._paging import Cursor
from retab_runs.testing import FakeRetabServer, sample_run

T0 = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
FLAT = "/v1/workflows/experiments/runs"
MANY = 1_234


def many_runs(count: int, prefix: str = "exprun_") -> list[dict[str, Any]]:
    return [
        sample_run(f"{prefix}{i:05d}", created_at=T0 + datetime.timedelta(minutes=i),
                   status="completed" if i % 3 else "error")
        for i in range(count)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def big() -> Iterator[FakeRetabServer]:
    with FakeRetabServer() as fake:
        fake.add_runs("wf_big", "exp_a", many_runs(MANY // 2, "exprun_a"))
        fake.add_runs("wf_big", "exp_b", many_runs(MANY - MANY // 2, "exprun_b"))
        yield fake


@pytest.fixture
def server(retab_sample_server: FakeRetabServer, sleeps: list[float]) -> FakeRetabServer:
    """The shipped fixture (`sleeps`, set up after it, records the retry waits)."""
    return retab_sample_server


def flat_requests(server: FakeRetabServer, since: int = 0) -> list[dict[str, str]]:
    return [r.query for r in server.requests[since:] if r.path == FLAT]


class TestListAll:
    def test_every_run_comes_back_whole_and_in_order(self, big: FakeRetabServer) -> None:
        """1,234 runs in pages of 20: all of them, newest first, each page's request id kept."""
        before = len(big.requests)
        with big.client() as client:
            runs = client.workflows.experiments.runs.list_all(limit=20)
        assert isinstance(runs, PagedList) and len(runs) == MANY
        created = [run.timing.created_at for run in runs]
        assert created == sorted(created, reverse=True)
        assert len({run.id for run in runs}) == MANY
        pages = flat_requests(big, before)
        assert len(pages) == len(runs.request_ids) == 62  # ceil(1234 / 20)
        assert "after" not in pages[0] and all(page["limit"] == "20" for page in pages)
        assert [page["after"] for page in pages[1:]] == [runs[i * 20 - 1].id for i in range(1, 62)]

    def test_filters_reach_the_server_on_every_page(self, big: FakeRetabServer) -> None:
        before = len(big.requests)
        with big.client() as client:
            runs = client.workflows.experiments.runs.list_all(
                experiment_id="exp_a", status="error", limit=50
            )
        assert runs and {str(run.lifecycle.status) for run in runs} == {"error"}
        assert {run.experiment_id for run in runs} == {"exp_a"}
        pages = flat_requests(big, before)
        assert len(pages) > 1
        assert all(p["experiment_id"] == "exp_a" and p["status"] == "error" for p in pages)

    def test_max_items_stops_early(self, big: FakeRetabServer) -> None:
        before = len(big.requests)
        with big.client() as client:
            runs = client.workflows.experiments.runs.list_all(limit=20, max_items=45)
        assert len(runs) == 45 and len(flat_requests(big, before)) == 3

    def test_iter_all_reads_a_page_only_when_it_is_needed(self, big: FakeRetabServer) -> None:
        before = len(big.requests)
        with big.client() as client:
            runs = client.workflows.experiments.runs.iter_all(limit=20)
            assert flat_requests(big, before) == []  # nothing sent before the first item
            first = [next(runs) for _ in range(20)]
            assert len(flat_requests(big, before)) == 1
            next(runs)
            assert len(flat_requests(big, before)) == 2
            rest = list(runs)
        assert len(first) + 1 + len(rest) == MANY
        assert all(isinstance(run, ExperimentRun) for run in first)

    def test_bad_arguments_are_refused_when_iter_all_is_called(self, big: FakeRetabServer) -> None:
        with big.client() as client, pytest.raises(ConfigurationError):
            client.workflows.experiments.runs.iter_all(timeout=-1)
        with big.client() as client, pytest.raises(ConfigurationError, match="max_items"):
            client.workflows.experiments.runs.list_all(max_items=0)

    def test_a_503_on_page_7_is_retried_without_reading_pages_1_to_6_again(
        self, big: FakeRetabServer, sleeps: list[float]
    ) -> None:
        before = len(big.requests)
        with big.client() as client:
            runs = client.workflows.experiments.runs.iter_all(limit=20)
            for _ in range(6 * 20):
                next(runs)
            big.fail_next(1, status=503)
            assert sum(1 for _ in runs) == MANY - 120
        pages = flat_requests(big, before)
        assert len(pages) == 62 + 1  # page 7 twice, nothing else again
        assert pages[6] == pages[7] and "after" in pages[6]
        assert sum("after" not in page for page in pages) == 1
        assert len(sleeps) == 1

    def test_exclude_status_leaves_out_exactly_that_status(self, big: FakeRetabServer) -> None:
        """exp_a holds 617 runs, every third one an error: 411 are left, all completed."""
        with big.client() as client:
            runs = client.workflows.experiments.runs.list_all(
                experiment_id="exp_a", exclude_status="error", limit=100
            )
        assert len(runs) == 411 and {str(run.lifecycle.status) for run in runs} == {"completed"}

    @pytest.mark.parametrize("experiment_id", [None, "exp_a"])
    def test_a_before_cursor_gives_the_runs_just_before_it(
        self, big: FakeRetabServer, experiment_id: str | None
    ) -> None:
        """The page before run 10 is runs 7, 8, 9 (unfiltered: the fake's index; else a scan)."""
        with big.client() as client:
            runs = client.workflows.experiments.runs
            first = runs.list_page(experiment_id=experiment_id, limit=12).data
            page = runs.list_page(experiment_id=experiment_id, before=first[10].id, limit=3)
            start = runs.list_page(experiment_id=experiment_id, before=first[2].id, limit=3)
        assert [run.id for run in page.data] == [run.id for run in first[7:10]]
        assert (page.list_metadata.before, page.list_metadata.after) == (first[7].id, first[9].id)
        # Fewer than `limit` runs before the cursor: the page starts at the first run.
        assert [run.id for run in start.data] == [run.id for run in first[:3]]
        assert start.list_metadata.before is None

    @pytest.mark.anyio
    async def test_async_list_all_and_iter_all(self, big: FakeRetabServer) -> None:
        async with big.async_client() as client:
            runs = await client.workflows.experiments.runs.list_all(limit=100)
            lazy = [run async for run in client.workflows.experiments.runs.iter_all(limit=100)]
        assert len(runs) == len(lazy) == MANY
        assert [run.id for run in runs] == [run.id for run in lazy]


def paged_server(pages: list[dict[str, Any]]) -> RawServer:
    """A server answering each request with the next of `pages` (JSON), then 404s."""
    answers = iter(pages)

    def respond(sock: socket.socket, head: bytes) -> None:
        page = next(answers, None)
        body = json.dumps(page).encode() if page is not None else b'{"detail": "gone"}'
        status = b"200 OK" if page is not None else b"404 Not Found"
        sock.sendall(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
        )

    return RawServer(respond)


def page_of(runs: list[dict[str, Any]], after: str | None) -> dict[str, Any]:
    return {"data": runs, "list_metadata": {"before": None, "after": after}}


def a_run(run_id: str) -> dict[str, Any]:
    example: dict[str, Any] = ExperimentRun.SCHEMA.schema["example"]
    return {**example, "id": run_id}


class TestPaginationErrors:
    def test_a_cursor_that_repeats_is_a_pagination_error(self) -> None:
        pages = [page_of([a_run("r1")], "c1"), page_of([a_run("r2")], "c1")]
        with (
            paged_server(pages) as raw,
            Retab("sk-test", base_url=raw.url) as client,
            pytest.raises(PaginationError) as info,
        ):
            client.workflows.experiments.runs.list_all()
        assert len(raw.requests) == 2
        assert str(info.value) == (
            "the listing's cursor came back on page 2 after being followed already; "
            "stopped rather than loop"
        )

    def test_an_empty_page_with_a_cursor_is_a_pagination_error(self) -> None:
        pages = [page_of([a_run("r1")], "c1"), page_of([], "c2")]
        with (
            paged_server(pages) as raw,
            Retab("sk-test", base_url=raw.url) as client,
            pytest.raises(PaginationError) as info,
        ):
            list(client.workflows.experiments.runs.iter_all())
        assert str(info.value) == (
            "page 2 of the listing was empty but named a next cursor; stopped rather than loop"
        )

    def test_a_null_cursor_ends_the_listing(self) -> None:
        pages = [page_of([a_run("r1")], "c1"), page_of([a_run("r2")], None)]
        with paged_server(pages) as raw, Retab("sk-test", base_url=raw.url) as client:
            assert [r.id for r in client.workflows.experiments.runs.list_all()] == ["r1", "r2"]
        assert b"after=c1" in raw.requests[1]

    def test_a_cursor_too_long_to_send_back_is_a_pagination_error(self) -> None:
        pages = [page_of([a_run("r1")], "c" * 70_000)]
        with (
            paged_server(pages) as raw,
            Retab("sk-test", base_url=raw.url) as client,
            pytest.raises(PaginationError, match=r"list_metadata\.after.* 'after'"),
        ):
            client.workflows.experiments.runs.list_all()
        assert len(raw.requests) == 1

    def test_big_cursors_keep_memory_bounded(self) -> None:
        """Every cursor followed is remembered (to see it come back) as a digest: 32 KiB
        cursors grow nothing once the listing runs (stdlib's bounded URL cache filled)."""
        warm, measured = 140, 140
        cursors = [f"{i:06d}" + "c" * 32 * 1024 for i in range(warm + measured - 1)]
        pages = [page_of([a_run(f"r{i}")], c) for i, c in enumerate([*cursors, None])]
        with paged_server(pages) as raw, Retab("sk-test", base_url=raw.url) as client:
            raw.requests = collections.deque(maxlen=1)  # type: ignore[assignment]
            runs = client.workflows.experiments.runs.iter_all()
            tracemalloc.start()
            try:
                for _ in range(warm):
                    next(runs)
                gc.collect()
                before = tracemalloc.get_traced_memory()[0]
                for _ in range(measured - 1):  # the listing still on: its cursors live
                    next(runs)
                gc.collect()
                grown = tracemalloc.get_traced_memory()[0] - before
            finally:
                tracemalloc.stop()
            assert [run.id for run in runs] == [f"r{warm + measured - 1}"]
        assert grown < 2**20, f"{grown / 2**20:.1f} MiB for {measured} cursors of 32 KiB"

    def test_an_empty_cursor_ends_the_listing(self) -> None:
        pages = [page_of([a_run("r1")], "")]
        with paged_server(pages) as raw, Retab("sk-test", base_url=raw.url) as client:
            assert [r.id for r in client.workflows.experiments.runs.list_all()] == ["r1"]
        assert len(raw.requests) == 1

    def test_max_items_of_one_is_one_item_and_zero_is_refused(self, big: FakeRetabServer) -> None:
        with big.client() as client:
            assert len(client.workflows.experiments.runs.list_all(limit=5, max_items=1)) == 1
            with pytest.raises(ConfigurationError) as info:
                client.workflows.experiments.runs.list_all(max_items=0)
        assert str(info.value) == "max_items must be 1 or more, not 0"


URL = httpx.URL("https://api.retab.com/v1/workflows/experiments/runs")


class TestCursor:
    """What no generated method can send the cursor, checked on the cursor itself."""

    def test_an_operation_without_pages_or_a_cursor_parameter_is_refused(self) -> None:
        with pytest.raises(ConfigurationError) as info:
            Cursor(GET_EXPERIMENT_RUN, {}, URL)
        assert str(info.value) == "get is not a paged operation"
        pagination = Pagination("data", "nope", ("list_metadata", "after"))
        odd = attrs.evolve(LIST_WORKFLOW_EXPERIMENT_RUNS, pagination=pagination)
        with pytest.raises(ConfigurationError) as info:
            Cursor(odd, {}, URL)
        assert str(info.value) == "list_page has no cursor parameter"

    def test_an_answer_that_is_not_a_page_is_a_pagination_error(self) -> None:
        with pytest.raises(PaginationError) as info:
            Cursor(LIST_WORKFLOW_EXPERIMENT_RUNS, {}, URL).items([a_run("r1")])
        assert str(info.value) == "page 1 of the listing is not a page"

    def test_a_cursor_path_through_a_plain_value_ends_the_listing(self) -> None:
        """`after` is a string: a path going on below it finds no cursor there."""
        deeper = Pagination("data", "after", ("list_metadata", "after", "below"))
        cursor = Cursor(attrs.evolve(LIST_WORKFLOW_EXPERIMENT_RUNS, pagination=deeper), {}, URL)
        page = ExperimentRunPage.from_dict(page_of([a_run("r1")], "c1"))
        assert [run.id for run in cursor.items(page)] == ["r1"]
        assert cursor.next_arguments() is None


class TestOneRunEverywhere:
    def test_a_run_added_once_is_listed_nested_flat_and_by_id(
        self, server: FakeRetabServer
    ) -> None:
        server.add_runs("wf_x", "exp_x", [sample_run("exprun_once", status="running")])
        with server.client() as client:
            nested = client.list_runs("wf_x", "exp_x")
            flat = client.workflows.experiments.runs.list_all(experiment_id="exp_x")
            one = client.workflows.experiments.runs.get("exprun_once")
        assert [r.id for r in nested] == [r.id for r in flat] == [one.id] == ["exprun_once"]
        assert str(one.lifecycle.status) == "running" and one.workflow_id == "wf_x"

    def test_get_of_a_missing_run_is_not_found(self, server: FakeRetabServer) -> None:
        with server.client() as client, pytest.raises(NotFoundError) as info:
            client.workflows.experiments.runs.get("exprun_nope")
        assert info.value.status_code == 404


class TestCreate:
    def test_the_sdk_call_shape_starts_a_run_that_progresses(self, server: FakeRetabServer) -> None:
        with server.client() as client:
            run = client.workflows.experiments.runs.create("exp_invoices")
            assert (run.workflow_id, str(run.lifecycle.status)) == ("wf_demo", "pending")
            reads = [client.workflows.experiments.runs.get(run.id) for _ in range(3)]
        # One stage a read: it is shown as created first, then it moves on.
        assert [str(r.lifecycle.status) for r in reads] == ["pending", "running", "completed"]
        sent = server.requests[0]
        assert sent.method == "POST" and sent.path == FLAT
        assert sent.headers["Idempotency-Key"].startswith("retab-runs-")

    def test_a_workflow_that_is_not_the_experiments_is_not_found(
        self, server: FakeRetabServer
    ) -> None:
        with server.client() as client, pytest.raises(NotFoundError):
            client.workflows.experiments.runs.create("exp_invoices", workflow_id="wf_other")

    def test_a_lost_answer_is_retried_with_the_same_key_and_starts_one_run(
        self, server: FakeRetabServer, sleeps: list[float]
    ) -> None:
        """The connection drops after the run was created: the retry replays, no second run."""
        with server.client() as client:
            before = client.workflows.experiments.runs.list_all(experiment_id="exp_invoices")
            server.drop_next(1, answered=True)
            raw = client.with_raw_response.workflows.experiments.runs.create("exp_invoices")
            after = client.workflows.experiments.runs.list_all(experiment_id="exp_invoices")
        posts = [r for r in server.requests if r.method == "POST"]
        assert len(posts) == 2 and raw.retries_taken == 1 and len(sleeps) == 1
        keys = {post.headers["Idempotency-Key"] for post in posts}
        assert keys == {raw.idempotency_key}
        assert len(after) == len(before) + 1
        assert raw.parse().id in {run.id for run in after}

    @pytest.mark.anyio
    @pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
    async def test_async_a_lost_answer_is_retried_with_the_same_key_and_starts_one_run(
        self, server: FakeRetabServer, sleeps: list[float], transport: str
    ) -> None:
        """The async twin, over both transports: one key for every attempt, one run."""
        http = AioHttpClient() if transport == "aiohttp" else None
        async with AsyncRetab(server.api_key, base_url=server.url, http_client=http) as client:
            runs = client.workflows.experiments.runs
            before = await runs.list_all(experiment_id="exp_invoices")
            server.drop_next(2, answered=True)
            raw = await client.with_raw_response.workflows.experiments.runs.create("exp_invoices")
            after = await runs.list_all(experiment_id="exp_invoices")
        if http is not None:
            await http.aclose()
        posts = [r for r in server.requests if r.method == "POST"]
        assert len(posts) == 3 and raw.retries_taken == 2 and len(sleeps) == 2
        # aiohttp sends header names as httpx keeps them, lowercased.
        keys = {v for p in posts for k, v in p.headers.items() if k.lower() == "idempotency-key"}
        assert len(keys) == 1 and keys == {raw.idempotency_key}
        assert len(after) == len(before) + 1
        assert raw.parse().id in {run.id for run in after}

    def test_the_callers_key_is_sent_as_given(self, server: FakeRetabServer) -> None:
        with server.client() as client:
            first = client.workflows.experiments.runs.create("exp_invoices", idempotency_key="k1")
            again = client.workflows.experiments.runs.create("exp_invoices", idempotency_key="k1")
        assert first.id == again.id  # the fake replays the first answer, as Retab does
        assert {r.headers["Idempotency-Key"] for r in server.requests} == {"k1"}

    def test_a_bad_body_is_refused_before_sending(self, server: FakeRetabServer) -> None:
        with server.client() as client, pytest.raises(ConfigurationError, match="experiment_id"):
            client.workflows.experiments.runs.create("")
        assert server.requests == []


class TestCancel:
    def test_cancel_is_idempotent_on_a_cancelled_run(self, server: FakeRetabServer) -> None:
        with server.client() as client:
            first = client.workflows.experiments.runs.cancel("exprun_inv_07")
            again = client.workflows.experiments.runs.cancel("exprun_inv_07")
            run = client.workflows.experiments.runs.get("exprun_inv_07")
        assert str(first.lifecycle.status) == str(again.lifecycle.status) == "cancelled"
        assert str(run.lifecycle.status) == "cancelled"

    @pytest.mark.parametrize("run_id", ["exprun_inv_06", "exprun_inv_03", "exprun_missing"])
    def test_a_finished_or_missing_run_is_not_found(
        self, server: FakeRetabServer, run_id: str
    ) -> None:
        with server.client() as client, pytest.raises(NotFoundError):
            client.workflows.experiments.runs.cancel(run_id)

    def test_cancel_is_retried_as_idempotent(
        self, server: FakeRetabServer, sleeps: list[float]
    ) -> None:
        server.fail_next(1, status=503)
        with server.client() as client:
            client.workflows.experiments.runs.cancel("exprun_ctr_03")
        assert len(sleeps) == 1


@pytest.mark.anyio
@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_async_get_create_cancel_over_both_transports(
    server: FakeRetabServer, transport: str
) -> None:
    http = AioHttpClient() if transport == "aiohttp" else None
    async with AsyncRetab(server.api_key, base_url=server.url, http_client=http) as client:
        run = await client.workflows.experiments.runs.create("exp_contracts", idempotency_key="k")
        again = await client.workflows.experiments.runs.create("exp_contracts", idempotency_key="k")
        listed = await client.workflows.experiments.runs.list_all(limit=2)
        got = await client.workflows.experiments.runs.get(run.id)
        cancelled = await client.workflows.experiments.runs.cancel(run.id)
    if http is not None:
        await http.aclose()
    assert again.id == got.id == run.id and run.id in {r.id for r in listed}
    assert str(cancelled.lifecycle.status) == "cancelled"


class TestForwardCompatibility:
    def test_an_unknown_status_and_new_fields_are_kept_readable(self) -> None:
        run = {
            **a_run("r1"),
            "lifecycle": {"status": "paused_by_admin", "until": "2026-06-01"},
            "block_type": "summarize",
            "n_consensus": 9,
            "carbon_grams": 1.5,
        }
        with (
            paged_server([page_of([run], None)]) as raw,
            Retab("sk-test", base_url=raw.url) as client,
        ):
            (got,) = client.workflows.experiments.runs.list_all()
        assert got.lifecycle.status == "paused_by_admin"
        assert got.lifecycle["until"] == "2026-06-01"
        assert (got.block_type, got.n_consensus, got["carbon_grams"]) == ("summarize", 9, 1.5)

    def test_a_known_status_must_match_its_variant_and_the_error_names_the_path(self) -> None:
        run = {**a_run("r1"), "lifecycle": {"status": "error", "message": 5}}
        with (
            paged_server([page_of([a_run("r0"), run], None)]) as raw,
            Retab("sk-test", base_url=raw.url) as client,
            pytest.raises(ResponseValidationError) as info,
        ):
            client.workflows.experiments.runs.list_all()
        assert info.value.field == "data[1].lifecycle.message"

    def test_an_error_run_carries_its_details(self) -> None:
        details = {"message": "boom", "block_id": "b1", "context": {"row": 3}, "new": True}
        run = {**a_run("r1"), "lifecycle": {"status": "error", "details": details}}
        with (
            paged_server([page_of([run], None)]) as raw,
            Retab("sk-test", base_url=raw.url) as client,
        ):
            (got,) = client.workflows.experiments.runs.list_all()
        assert got.lifecycle.message == "(no message)"  # the spec's default
        assert got.lifecycle.details.block_id == "b1" and got.lifecycle.details["new"] is True
