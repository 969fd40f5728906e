"""`Retab` and `AsyncRetab`: the clients applications use, assembled from their parts.

Every operation of the spec is a generated method (`client.workflows.
experiments.runs.list(...)`, `_retab_runs_generated.resources`) that sends
through the one pipeline of `_base_client.py`. What is written here by hand
is the ergonomic layer on top: `list_runs` (a list with its request id),
`list_runs_many` (fan-out), `wait_for_run` (polling) and `compare_runs`
(two runs and each of their documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from _retab_runs_generated.models import ExperimentRun
from _retab_runs_generated.operations import LIST_EXPERIMENT_RUNS
from _retab_runs_generated.resources import (
    AsyncResources,
    AsyncResourcesWithRawResponse,
    Resources,
    ResourcesWithRawResponse,
)
from _retab_runs_runtime import Model, RawResponse, RequestOptions

from . import _config, _wait
from ._base_client import NOT_GIVEN, AsyncAPIClient, SyncAPIClient, Timeout
from ._compare import RunComparison, compare_runs
from ._constants import (
    DEFAULT_CONCURRENCY,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    MAX_CONNECTIONS,
)
from ._documents import fetch_documents_async
from ._response import RunList
from ._retry import async_sleep, sleep
from ._wait import OnUpdate
from .errors import APIError, ConfigurationError, ConfigurationTypeError

__all__ = ["NOT_GIVEN", "AsyncRetab", "Retab"]

Pair = tuple[str, str]


def _seed_arguments(
    workflow_id: str, experiment_id: str, arguments: Mapping[str, Any]
) -> dict[str, object]:
    """`list_runs`'s arguments for the seed operation, whatever parameters the spec gives it.

    Every parameter the operation declares is taken by keyword (a new one in
    the spec needs no change here); a name it does not declare is refused.
    """
    known = {param.python_name for param in LIST_EXPERIMENT_RUNS.params}
    unknown = sorted(set(arguments) - known)
    if unknown:
        raise ConfigurationTypeError(f"list_runs got an unexpected argument {unknown[0]!r}")
    return {**arguments, "workflow_id": workflow_id, "experiment_id": experiment_id}


def _unique_pairs(pairs: Iterable[Pair], concurrency: object) -> list[Pair]:
    """The distinct pairs in order, every id checked before anything is sent."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int):
        raise ConfigurationTypeError("concurrency must be an int")
    if concurrency < 1:
        raise ConfigurationError("concurrency must be at least 1")
    unique: dict[Pair, None] = {}
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ConfigurationTypeError(
                f"each pair must be a (workflow_id, experiment_id) tuple, "
                f"not {_config.preview(pair)}"
            )
        _config.check_id("workflow_id", pair[0])
        _config.check_id("experiment_id", pair[1])
        unique[pair] = None
    return list(unique)


class _RawResponses(ResourcesWithRawResponse):
    """`client.with_raw_response`: every call, returning `RawResponse`."""

    def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> RawResponse[RunList]:
        """`list_runs`, with the response's status, headers, request id and timing."""
        options = RequestOptions(
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        values = _seed_arguments(workflow_id, experiment_id, arguments)
        raw = self._client._request_raw(LIST_EXPERIMENT_RUNS, values, options)
        return raw.with_result(RunList(raw.parse().runs, raw.request_id))


class _AsyncRawResponses(AsyncResourcesWithRawResponse):
    """`client.with_raw_response` of `AsyncRetab`."""

    async def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> RawResponse[RunList]:
        """`list_runs`, with the response's status, headers, request id and timing."""
        options = RequestOptions(
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        values = _seed_arguments(workflow_id, experiment_id, arguments)
        raw = await self._client._request_raw(LIST_EXPERIMENT_RUNS, values, options)
        return raw.with_result(RunList(raw.parse().runs, raw.request_id))


class Retab(SyncAPIClient, Resources):
    """A client for Retab's experiment runs.

    Args:
        api_key: Retab API key; default: the RETAB_API_KEY environment variable.
        base_url: default: RETAB_API_BASE_URL, else https://api.retab.com.
        access_token: an alternative credential, sent as the `access_token` query parameter.
        timeout: seconds (or an httpx.Timeout) per attempt; default 30 s read, 5 s connect.
        max_retries: retries of connection errors, timeouts, 408, 409, 429 and 5xx (0: none).
        default_headers: headers sent with every request (a credential header is masked
            like the key).
        max_response_size: the largest (decoded) body read, in bytes; default 40 MiB
            (decoding may take up to 48x that in memory).
        http_client: an httpx.Client to send through (yours to close); default: one of ours.
        allow_insecure_http: permit a plain-http base_url to a host other than this machine.

    Every operation of the spec is a method: `client.workflows.experiments.runs.list(...)`;
    `client.with_raw_response.<same>` returns the response's metadata too. Use
    as a context manager, or call close(), to release the connection pool.
    """

    with_raw_response: _RawResponses

    def _attach(self) -> None:
        self._attach_resources(self)
        self.with_raw_response = _RawResponses(self)

    def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> RunList:
        """Every run of the experiment, newest first, in one call (no pages to handle).

        The result is a list with the response's `request_id`. Per call:
        `timeout`, `max_retries`, and `extra_headers`/`extra_query` sent with
        this request only; any other parameter the spec gives the operation
        (`access_token`, ...) by keyword.
        """
        raw = self.with_raw_response.list_runs(
            workflow_id,
            experiment_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            **arguments,
        )
        return raw.parse()

    def wait_for_run(
        self,
        workflow_id: str,
        experiment_id: str,
        run_id: str | None = None,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> ExperimentRun:
        """Poll the run until it ends (completed, error or cancelled); return it.

        Returns the run as `client.workflows.experiments.runs.get` last
        returned it: an `ExperimentRun` (its status is `run.lifecycle.status`).
        `run_id` None means the newest run of the experiment (the one newest
        at the first poll of its listing that saw any); once the run is
        known, each poll is one `get(run_id)`, not the whole history.
        `on_update(run)` is called each time the run changes. Polls every
        `poll_interval` s, backing off gently after a minute; a poll is sent
        once, and one that failed in a way the retry policy would retry
        (connection, 429, 5xx) is followed by the next poll, so the wait ends
        on time whatever the server says (a poll's timeout is what is left of
        the wait); a run id that does not exist raises NotFoundError, and a
        poll answered with another run ResponseValidationError. Raises
        WaitTimeoutError (with `.last_run`) after `timeout` seconds, whether
        the run was unfinished or the experiment had none.
        """
        waiter = _wait.Waiter(
            workflow_id,
            experiment_id,
            run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
        )
        while True:
            try:
                if waiter.run_id is None:
                    timeout_now = waiter.poll_timeout(self.timeout)
                    runs = self.list_runs(
                        workflow_id, experiment_id, timeout=timeout_now, max_retries=0
                    )
                    waiter.listed(runs)
                if waiter.run_id is not None:
                    raw = self.with_raw_response.workflows.experiments.runs.get(
                        waiter.run_id, timeout=waiter.poll_timeout(self.timeout), max_retries=0
                    )
                    run = waiter.answered(raw)
                    if waiter.polled(run) is not None:
                        return run
            except APIError as exc:
                pause = waiter.failed(exc)
            else:
                pause = waiter.pause()
            sleep(pause)
            waiter.waited(pause)

    def compare_runs(self, a: str | Model, b: str | Model) -> RunComparison:
        """Compare run `b` with run `a` (ids or runs), each document included.

        `retab_runs.compare_runs(a, b, client=self)`, reading a run given by
        id first: the comparison's `documents` are worst first, read through
        the metrics operation (B's with `prior_run_id=A`).
        """
        run_a = self.workflows.experiments.runs.get(a) if isinstance(a, str) else a
        run_b = self.workflows.experiments.runs.get(b) if isinstance(b, str) else b
        return compare_runs(run_a, run_b, client=self)

    def list_runs_many(
        self,
        pairs: Iterable[Pair],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: Timeout | None = None,
    ) -> dict[Pair, RunList | APIError]:
        """The runs of many (workflow_id, experiment_id) pairs, on a pool of threads.

        Same contract as `AsyncRetab.list_runs_many`: a dict in the order the
        pairs were given (duplicates fetched once), each value a `RunList` or
        the pair's `APIError` (after retries). Bad ids raise ConfigurationError
        before anything is sent. The threads share this client's connection
        pool; more than its size (100) do not run at once.
        """
        unique = _unique_pairs(pairs, concurrency)
        if timeout is not None:
            _config.to_timeout(timeout)
        if not unique:
            return {}
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 (only fan-out needs it)

        def one(pair: Pair) -> RunList | APIError:
            try:
                return self.list_runs(pair[0], pair[1], timeout=timeout)
            except APIError as exc:
                return exc

        workers = min(concurrency, len(unique), MAX_CONNECTIONS)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="retab-runs") as pool:
            return dict(zip(unique, pool.map(one, unique), strict=True))


class AsyncRetab(AsyncAPIClient, AsyncResources):
    """The asyncio twin of `Retab`: same arguments, `await` the calls.

    `http_client`, if given, must be an httpx.AsyncClient. Use `async with`,
    or `await client.aclose()`, to release the connection pool.
    """

    with_raw_response: _AsyncRawResponses

    def _attach(self) -> None:
        self._attach_resources(self)
        self.with_raw_response = _AsyncRawResponses(self)

    async def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> RunList:
        """Every run of the experiment, newest first, in one call (no pages to handle)."""
        raw = await self.with_raw_response.list_runs(
            workflow_id,
            experiment_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            **arguments,
        )
        return raw.parse()

    async def wait_for_run(
        self,
        workflow_id: str,
        experiment_id: str,
        run_id: str | None = None,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> ExperimentRun:
        """Poll the run until it ends; the twin of `Retab.wait_for_run`."""
        waiter = _wait.Waiter(
            workflow_id,
            experiment_id,
            run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
        )
        while True:
            try:
                if waiter.run_id is None:
                    timeout_now = waiter.poll_timeout(self.timeout)
                    runs = await self.list_runs(
                        workflow_id, experiment_id, timeout=timeout_now, max_retries=0
                    )
                    waiter.listed(runs)
                if waiter.run_id is not None:
                    raw = await self.with_raw_response.workflows.experiments.runs.get(
                        waiter.run_id, timeout=waiter.poll_timeout(self.timeout), max_retries=0
                    )
                    run = waiter.answered(raw)
                    if waiter.polled(run) is not None:
                        return run
            except APIError as exc:
                pause = waiter.failed(exc)
            else:
                pause = waiter.pause()
            await async_sleep(pause)
            waiter.waited(pause)

    async def compare_runs(self, a: str | Model, b: str | Model) -> RunComparison:
        """Compare run `b` with run `a` (ids or runs); the twin of `Retab.compare_runs`."""
        run_a = await self.workflows.experiments.runs.get(a) if isinstance(a, str) else a
        run_b = await self.workflows.experiments.runs.get(b) if isinstance(b, str) else b
        result = compare_runs(run_a, run_b)
        documents, note = await fetch_documents_async(self, result.a_id, result.b_id)
        return attrs.evolve(result, documents=documents, note=note)

    async def list_runs_many(
        self,
        pairs: Iterable[Pair],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: Timeout | None = None,
    ) -> dict[Pair, RunList | APIError]:
        """The runs of many (workflow_id, experiment_id) pairs, at most `concurrency` at a time.

        Returns a dict keyed by pair, in the order the pairs were given
        (duplicates fetched once). A pair whose fetch failed maps to its
        APIError (after retries) instead of a list, so one failure never loses
        the other results: check with `isinstance(value, APIError)`. Bad ids
        raise ConfigurationError before any request is sent. At most 100
        requests (the pool's size) are in flight, whatever `concurrency` says.
        """
        unique = _unique_pairs(pairs, concurrency)
        if timeout is not None:
            _config.to_timeout(timeout)
        import asyncio  # noqa: PLC0415  (cold start: only async users pay for asyncio)

        gate = asyncio.Semaphore(min(concurrency, MAX_CONNECTIONS))

        async def one(pair: Pair) -> RunList | APIError:
            async with gate:
                try:
                    return await self.list_runs(pair[0], pair[1], timeout=timeout)
                except APIError as exc:
                    return exc

        results = await asyncio.gather(*(one(pair) for pair in unique))
        return dict(zip(unique, results, strict=True))
