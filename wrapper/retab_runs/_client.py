"""`Retab` and `AsyncRetab`: the clients applications use.

Both build the request with the generated client's request builder
(`retab_api_client.api.experiments.list_experiment_runs`), send it through one
pooled httpx client with the retry policy of `_retry.py`, map failures with
`errors.py`, and parse the body into the generated models. Nothing here
re-declares a model.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self

import httpx

from retab_api_client.api.experiments import list_experiment_runs as _endpoint
from retab_api_client.errors import SchemaError
from retab_api_client.models import ExperimentRunListResponse, ExperimentRunSummary

from . import _config, _json
from ._logs import logger, protect_httpx_logs
from ._retry import RetryPolicy
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ResponseValidationError,
    status_error,
)

# Module-level so tests can replace them and never really wait.
_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    # asyncio is imported here, not at the top: it costs ~25 ms at import
    # time and only AsyncRetab users need it (cold start is a benchmark).
    import asyncio  # noqa: PLC0415

    await asyncio.sleep(seconds)


USER_AGENT = (
    f"retab-runs/{__version__} httpx/{httpx.__version__} "
    f"python/{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
)

Timeout = float | httpx.Timeout
Pair = tuple[str, str]


class _Base:
    """What the sync and async clients share: settings, request building, parsing."""

    def __init__(
        self,
        api_key: str | None,
        *,
        base_url: str | httpx.URL | None,
        access_token: str | None,
        timeout: Timeout | None,
        max_retries: int,
        allow_insecure_http: bool,
    ) -> None:
        self._settings = _config.resolve(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        self._policy = RetryPolicy(max_retries=self._settings.max_retries)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._settings.api_key is not None:
            headers["Api-Key"] = self._settings.api_key
        self._headers = headers
        self._url_prefix = str(self._settings.base_url).rstrip("/")
        if self._settings.access_token is not None:
            protect_httpx_logs()

    @property
    def base_url(self) -> httpx.URL:
        """The server requests go to."""
        return self._settings.base_url

    @property
    def max_retries(self) -> int:
        """How many times a failed request is retried (0: never)."""
        return self._settings.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """The default timeout of each attempt."""
        return self._settings.timeout

    def __repr__(self) -> str:
        auth = "api_key" if self._settings.api_key else "access_token"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, auth={auth!r}, "
            f"max_retries={self.max_retries})"
        )

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        workflow_id: object,
        experiment_id: object,
        timeout: Timeout | None,
    ) -> httpx.Request:
        kwargs: dict[str, Any] = _endpoint.build_request_kwargs(
            _config.check_id("workflow_id", workflow_id),
            _config.check_id("experiment_id", experiment_id),
            access_token=self._settings.access_token,
        )
        # Plain concatenation: the spec's paths are absolute (/v1/...) and a
        # base URL may carry a prefix (https://proxy/retab) that URL joining
        # would drop; one string also means httpx parses the URL once.
        return http.build_request(
            kwargs["method"],
            self._url_prefix + kwargs["url"],
            params=kwargs["params"],
            headers=self._headers,
            timeout=self._settings.timeout if timeout is None else _config.to_timeout(timeout),
        )

    def _parse(self, response: httpx.Response, content: bytes) -> ExperimentRunListResponse:
        request_id = response.headers.get("x-request-id")
        try:
            body = _json.loads(content)
        except (ValueError, RecursionError):
            raise ResponseValidationError(
                f"Retab answered {response.status_code} with a body that is not valid JSON",
                field=None,
                status_code=response.status_code,
                request_id=request_id,
            ) from None
        try:
            return ExperimentRunListResponse.from_dict(body)
        except SchemaError as exc:
            raise ResponseValidationError(
                f"Retab's response does not match the spec: {exc}",
                field=exc.path or None,
                status_code=response.status_code,
                request_id=request_id,
            ) from None

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return status_error(response, secrets=self._settings.secrets)

    def _wait_or_raise(
        self, request: httpx.Request, error: APIError, cause: BaseException | None, retry: int
    ) -> float:
        """Seconds to wait before retry number `retry`, logged; raises `error` to give up."""
        if isinstance(error, APIStatusError):
            delay = self._policy.delay_after_status(retry - 1, error.status_code, error.retry_after)
        else:
            delay = self._policy.delay_after_error(retry - 1)
        if delay is None:
            raise error from cause
        why = f"status {error.status_code}" if isinstance(error, APIStatusError) else error.message
        logger.info(
            "Retrying GET %s in %.2f s after %s (retry %d of %d)",
            request.url.path,
            delay,
            why,
            retry,
            self._policy.max_retries,
        )
        return delay


def _transport_error(exc: httpx.TransportError) -> APIConnectionError:
    # httpx's own message may quote the URL (and with it the access token): not reused.
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out ({type(exc).__name__}).")
    return APIConnectionError(f"Connection error ({type(exc).__name__}).")


def _deadline(request: httpx.Request) -> float:
    """When this attempt must have its whole response: the read timeout from now.

    httpx's read timeout bounds each read, so a server dripping a byte at a
    time could hold a call forever; this bounds the response as a whole.
    """
    read = request.extensions.get("timeout", {}).get("read")
    return time.monotonic() + read if read is not None else float("inf")


def _check_deadline(deadline: float, request: httpx.Request) -> None:
    if time.monotonic() > deadline:
        raise httpx.ReadTimeout("the response took longer than the read timeout", request=request)


def _complete(response: httpx.Response, content: bytes) -> httpx.Response:
    """A fully read copy of a closed streamed response, for an error to keep.

    Only error responses need one (APIStatusError.response); a success is
    parsed straight from the bytes, sparing a copy of a large body.
    """
    headers = response.headers.copy()
    # The chunks are already decoded: the copy must not decode them again.
    for name in ("content-encoding", "content-length", "transfer-encoding"):
        headers.pop(name, None)
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions={
            key: response.extensions[key]
            for key in ("http_version", "reason_phrase")
            if key in response.extensions
        },
    )


class _Runs:
    def __init__(self, client: Retab) -> None:
        self._client = client

    def list(
        self, workflow_id: str, experiment_id: str, *, timeout: Timeout | None = None
    ) -> ExperimentRunListResponse:
        """Every run of the experiment, newest first (`.runs`), as Retab's SDK names it."""
        return self._client._fetch(workflow_id, experiment_id, timeout)


class _Experiments:
    def __init__(self, client: Retab) -> None:
        self.runs = _Runs(client)


class _Workflows:
    def __init__(self, client: Retab) -> None:
        self.experiments = _Experiments(client)


class Retab(_Base):
    """A client for Retab's List Experiment Runs endpoint.

    Args:
        api_key: Retab API key; default: the RETAB_API_KEY environment variable.
        base_url: default: RETAB_API_BASE_URL, else https://api.retab.com.
        access_token: an alternative credential, sent as the `access_token` query parameter.
        timeout: seconds (or an httpx.Timeout) per attempt; default 30 s read, 5 s connect.
        max_retries: retries of connection errors, timeouts, 408, 409, 429 and 5xx (0: none).
        http_client: an httpx.Client to send through (yours to close); default: one of ours.
        allow_insecure_http: permit a plain-http base_url to a host other than this machine.

    Use as a context manager, or call close(), to release the connection pool.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        access_token: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            access_token=access_token,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError("http_client must be an httpx.Client (use AsyncRetab for async)")
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(follow_redirects=False)
        self.workflows = _Workflows(self)

    def list_runs(
        self, workflow_id: str, experiment_id: str, *, timeout: Timeout | None = None
    ) -> list[ExperimentRunSummary]:
        """Every run of the experiment, newest first, in one call (no pages to handle)."""
        return self._fetch(workflow_id, experiment_id, timeout).runs

    def _fetch(
        self, workflow_id: str, experiment_id: str, timeout: Timeout | None
    ) -> ExperimentRunListResponse:
        request = self._request(self._http, workflow_id, experiment_id, timeout)
        retries = 0
        while True:
            try:
                response, content = self._send(request)
            except httpx.TransportError as exc:
                error: APIError = _transport_error(exc)
                cause: BaseException | None = exc
            else:
                if response.is_success:
                    return self._parse(response, content)
                error, cause = self._status_error(_complete(response, content)), None
            retries += 1
            _sleep(self._wait_or_raise(request, error, cause, retries))

    def _send(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """Send one attempt; read the whole body within its deadline. Returns (head, body)."""
        deadline = _deadline(request)
        response = self._http.send(request, stream=True, follow_redirects=False)
        try:
            chunks = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                _check_deadline(deadline, request)
        finally:
            response.close()
        return response, b"".join(chunks)

    def close(self) -> None:
        """Release the connection pool (not a pool you passed in as http_client)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _AsyncRuns:
    def __init__(self, client: AsyncRetab) -> None:
        self._client = client

    async def list(
        self, workflow_id: str, experiment_id: str, *, timeout: Timeout | None = None
    ) -> ExperimentRunListResponse:
        """Every run of the experiment, newest first (`.runs`), as Retab's SDK names it."""
        return await self._client._fetch(workflow_id, experiment_id, timeout)


class _AsyncExperiments:
    def __init__(self, client: AsyncRetab) -> None:
        self.runs = _AsyncRuns(client)


class _AsyncWorkflows:
    def __init__(self, client: AsyncRetab) -> None:
        self.experiments = _AsyncExperiments(client)


class AsyncRetab(_Base):
    """The asyncio twin of `Retab`: same arguments, `await` the calls.

    `http_client`, if given, must be an httpx.AsyncClient. Use `async with`,
    or `await client.aclose()`, to release the connection pool.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        access_token: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            access_token=access_token,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError("http_client must be an httpx.AsyncClient (use Retab for sync)")
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(follow_redirects=False)
        self.workflows = _AsyncWorkflows(self)

    async def list_runs(
        self, workflow_id: str, experiment_id: str, *, timeout: Timeout | None = None
    ) -> list[ExperimentRunSummary]:
        """Every run of the experiment, newest first, in one call (no pages to handle)."""
        return (await self._fetch(workflow_id, experiment_id, timeout)).runs

    async def list_runs_many(
        self,
        pairs: Iterable[Pair],
        *,
        concurrency: int = 8,
        timeout: Timeout | None = None,
    ) -> dict[Pair, list[ExperimentRunSummary] | APIError]:
        """The runs of many (workflow_id, experiment_id) pairs, at most `concurrency` at a time.

        Returns a dict keyed by pair, in the order the pairs were given
        (duplicates fetched once). A pair whose fetch failed maps to its
        APIError (after retries) instead of a list, so one failure never loses
        the other results: check with `isinstance(value, APIError)`. Bad ids
        raise ValueError/TypeError before any request is sent.
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError("concurrency must be an int")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        unique: dict[Pair, None] = {}
        for pair in pairs:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise TypeError(
                    f"each pair must be a (workflow_id, experiment_id) tuple, not {pair!r}"
                )
            _config.check_id("workflow_id", pair[0])
            _config.check_id("experiment_id", pair[1])
            unique[pair] = None
        import asyncio  # noqa: PLC0415  (see _async_sleep)

        gate = asyncio.Semaphore(concurrency)

        async def one(pair: Pair) -> list[ExperimentRunSummary] | APIError:
            async with gate:
                try:
                    return (await self._fetch(pair[0], pair[1], timeout)).runs
                except APIError as exc:
                    return exc

        results = await asyncio.gather(*(one(pair) for pair in unique))
        return dict(zip(unique, results, strict=True))

    async def _fetch(
        self, workflow_id: str, experiment_id: str, timeout: Timeout | None
    ) -> ExperimentRunListResponse:
        request = self._request(self._http, workflow_id, experiment_id, timeout)
        retries = 0
        while True:
            try:
                response, content = await self._send(request)
            except httpx.TransportError as exc:
                error: APIError = _transport_error(exc)
                cause: BaseException | None = exc
            else:
                if response.is_success:
                    return self._parse(response, content)
                error, cause = self._status_error(_complete(response, content)), None
            retries += 1
            await _async_sleep(self._wait_or_raise(request, error, cause, retries))

    async def _send(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """Send one attempt; read the whole body within its deadline. Returns (head, body)."""
        deadline = _deadline(request)
        response = await self._http.send(request, stream=True, follow_redirects=False)
        try:
            chunks = []
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                _check_deadline(deadline, request)
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    async def aclose(self) -> None:
        """Release the connection pool (not a pool you passed in as http_client)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
