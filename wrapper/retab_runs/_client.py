"""`Retab` and `AsyncRetab`: the clients applications use.

Both build the request with the generated request builder
(`_retab_runs_generated.api.experiments.list_experiment_runs.build_request_kwargs`),
send it through one pooled httpx client with the retry policy of `_retry.py`,
map failures with `errors.py`, and parse the body into the generated models.
The shared part (settings, request building, parsing, the retry decision)
lives once in `_Base`; the I/O loops are written out twice, sync and async,
on purpose (as httpx does).
"""

from __future__ import annotations

import datetime
import gc
import socket
import ssl
import sys
import time
import zlib
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import attrs
import httpx

from _retab_runs_generated.api.experiments import list_experiment_runs as _endpoint
from _retab_runs_generated.errors import SchemaError
from _retab_runs_generated.models import ExperimentRunListResponse, ExperimentRunSummary

from . import _body, _config, _deadline, _json, _wait
from ._constants import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    ERROR_BODY_LIMIT,
    GC_PAUSE_THRESHOLD,
    MAX_CONNECTIONS,
)
from ._logs import logger, protect_httpx_logs
from ._response import RawResponse, RunList
from ._retry import RetryPolicy, async_sleep, sleep
from ._version import __version__
from ._wait import OnUpdate
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    CertificateVerificationError,
    ClientClosedError,
    ConfigurationError,
    ConfigurationTypeError,
    ResponseTooLargeError,
    ResponseValidationError,
    mask,
    status_error,
)

USER_AGENT = (
    f"retab-runs/{__version__} httpx/{httpx.__version__} "
    f"python/{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
)

Timeout = float | httpx.Timeout
# What reading a body can fail with besides the network: too large, or not
# decodable as its content-encoding says.
_BODY_ERRORS = (_body.ResponseTooLarge, _body.UnsupportedEncoding, zlib.error)
Pair = tuple[str, str]


class _NotGiven:
    """Marks an option left out of `with_options` (None can be a real value)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


@attrs.frozen
class _Call:
    """One call's options, checked: what the per-call arguments change."""

    timeout: httpx.Timeout
    policy: RetryPolicy
    headers: dict[str, str]
    query: dict[str, str]
    secrets: tuple[str | None, ...]


class _Base:
    """What the sync and async clients share: settings, request building, parsing."""

    _settings: _config.Settings

    def _setup(self, settings: _config.Settings) -> None:
        self._settings = settings
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": _body.ACCEPT_ENCODING,
        }
        if settings.api_key is not None:
            headers["Api-Key"] = settings.api_key
        headers.update(settings.default_headers)
        self._headers = headers
        self._url_prefix = str(settings.base_url).rstrip("/")
        self._closed = False
        if settings.access_token is not None:
            protect_httpx_logs()

    def _options_settings(
        self, timeout: Any, max_retries: Any, default_headers: Any
    ) -> _config.Settings:
        """The settings of a `with_options` copy: given options replace ours."""
        changes: dict[str, Any] = {}
        if timeout is not NOT_GIVEN:
            changes["timeout"] = _config.to_timeout(timeout)
        if max_retries is not NOT_GIVEN:
            changes["max_retries"] = _config.check_max_retries(max_retries)
        if default_headers is not NOT_GIVEN:
            extra = _config.check_headers("default_headers", default_headers)
            changes["default_headers"] = {**self._settings.default_headers, **extra}
        return attrs.evolve(self._settings, **changes)

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

    @property
    def is_closed(self) -> bool:
        """Whether close() was called (or the shared pool of a `with_options` parent closed)."""
        return self._closed or bool(getattr(self, "_http", None) and self._http.is_closed)

    _http: httpx.Client | httpx.AsyncClient

    def __repr__(self) -> str:
        auth = "api_key" if self._settings.api_key else "access_token"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, auth={auth!r}, "
            f"max_retries={self.max_retries})"
        )

    def _call(
        self,
        timeout: Timeout | None,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, str] | None,
    ) -> _Call:
        if self.is_closed:
            raise ClientClosedError(
                f"This {type(self).__name__} client is closed: create a new one "
                "(a `with` block closes it at its end)"
            )
        headers = _config.check_headers("extra_headers", extra_headers)
        query = _config.check_query("extra_query", extra_query)
        retries = self._settings.max_retries
        if max_retries is not None:
            retries = _config.check_max_retries(max_retries)
        return _Call(
            timeout=self._settings.timeout if timeout is None else _config.to_timeout(timeout),
            policy=RetryPolicy(max_retries=retries),
            headers=headers,
            query=query,
            secrets=(
                *self._settings.secrets,
                *_config.secret_values(headers),
                query.get("access_token"),
            ),
        )

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        workflow_id: object,
        experiment_id: object,
        call: _Call,
    ) -> httpx.Request:
        kwargs: dict[str, Any] = _endpoint.build_request_kwargs(
            _config.check_id("workflow_id", workflow_id),
            _config.check_id("experiment_id", experiment_id),
            access_token=self._settings.access_token,
        )
        if "access_token" in call.query:
            protect_httpx_logs()
        # Plain concatenation: the spec's paths are absolute (/v1/...) and a
        # base URL may carry a prefix (https://proxy/retab) that URL joining
        # would drop; one string also means httpx parses the URL once.
        params = {**kwargs["params"], **call.query}
        return http.build_request(
            kwargs["method"],
            self._url_prefix + kwargs["url"],
            # None when empty: httpx would otherwise parse the URL a second time.
            params=params or None,
            headers={**self._headers, **call.headers} if call.headers else self._headers,
            timeout=call.timeout,
        )

    def _parse(
        self, response: httpx.Response, content: bytes | bytearray
    ) -> ExperimentRunListResponse:
        request_id = response.headers.get("x-request-id")
        # A big listing allocates hundreds of thousands of containers that all
        # survive; the cyclic GC would scan them again and again (35-55% of
        # the parse). Paused for the parse only, and only if it was on.
        pause_gc = len(content) >= GC_PAUSE_THRESHOLD and gc.isenabled()
        if pause_gc:
            gc.disable()
        try:
            return self._parse_body(response, content, request_id)
        except MemoryError:
            raise ResponseTooLargeError(
                "Retab's response is too large to parse in the memory available; "
                "lower max_response_size to refuse such bodies before reading them",
                limit=self._settings.max_response_size,
                request_id=request_id,
            ) from None
        finally:
            if pause_gc:
                gc.enable()

    def _parse_body(
        self, response: httpx.Response, content: bytes | bytearray, request_id: str | None
    ) -> ExperimentRunListResponse:
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

    def _wait_or_raise(
        self,
        request: httpx.Request,
        call: _Call,
        error: APIError,
        cause: BaseException | None,
        retry: int,
    ) -> float:
        """Seconds to wait before retry number `retry`, logged; raises `error` to give up."""
        policy = call.policy
        if isinstance(error, CertificateVerificationError):
            raise error from cause
        if isinstance(error, APIStatusError):
            delay = policy.delay_after_status(retry - 1, error.status_code, error.retry_after)
        else:
            delay = policy.delay_after_error(retry - 1)
        if delay is None:
            raise error from cause
        why = f"status {error.status_code}" if isinstance(error, APIStatusError) else error.message
        logger.info(
            "Retrying GET %s in %.2f s after %s (retry %d of %d)",
            mask(request.url.path, call.secrets),
            delay,
            why,
            retry,
            policy.max_retries,
        )
        return delay

    def _decoder(self, response: httpx.Response) -> _body.BodyDecoder:
        """A decoder for this response's body: the size limit, or the error-body cap.

        A response some transports hand back already read is decoded already.
        """
        if response.is_success:
            limit, truncate = self._settings.max_response_size, False
        else:
            limit, truncate = ERROR_BODY_LIMIT, True
        encoding = None if response.is_stream_consumed else response.headers.get("content-encoding")
        return _body.BodyDecoder(encoding, limit, truncate)

    def _body_error(self, response: httpx.Response, exc: BaseException) -> APIError:
        request_id = response.headers.get("x-request-id")
        if isinstance(exc, _body.ResponseTooLarge):
            limit = self._settings.max_response_size
            return ResponseTooLargeError(
                f"Retab's response body is larger than max_response_size ({limit} bytes); "
                "reading stopped there",
                limit=limit,
                request_id=request_id,
            )
        return ResponseValidationError(
            f"Retab answered {response.status_code} with a body that could not be decoded "
            f"({type(exc).__name__}: content-encoding "
            f"{_config.preview(response.headers.get('content-encoding'))})",
            field=None,
            status_code=response.status_code,
            request_id=request_id,
        )

    def _poll_timeout(self, clock: _wait.WaitClock) -> httpx.Timeout:
        """A poll's timeout: the client's, cut to what is left of the wait (at least 1 s)."""
        read = self._settings.timeout.read
        left = max(clock.remaining(), 1.0)
        return _config.to_timeout(min(read, left) if read is not None else left)

    def _log_success(self, request: httpx.Request, response: httpx.Response, call: _Call) -> None:
        logger.debug(
            "GET %s -> %d in %.0f ms (request id %s)",
            mask(request.url.path, call.secrets),
            response.status_code,
            response.elapsed.total_seconds() * 1000,
            response.headers.get("x-request-id"),
        )


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


def _transport_error(  # noqa: PLR0911 (one message per cause)
    exc: httpx.TransportError, request: httpx.Request
) -> APIConnectionError:
    """One line naming the host and the cause; never httpx's message (it may quote the URL)."""
    where = (
        f"{request.url.host}:{request.url.port or (443 if request.url.scheme == 'https' else 80)}"
    )
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request to {where} timed out ({type(exc).__name__}).")
    causes = _causes(exc)
    verify = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
    if verify is not None:
        message = getattr(verify, "verify_message", None) or "unknown reason"
        reason = _config.preview(message, 120).strip("'\"")
        return CertificateVerificationError(
            f"TLS certificate verification failed for {where}: {reason} "
            "(a proxy intercepting TLS? set SSL_CERT_FILE to its CA bundle)"
        )
    if isinstance(exc, httpx.ProxyError):
        return APIConnectionError(f"Proxy error reaching {where} ({type(exc).__name__}).")
    if any(isinstance(c, socket.gaierror) for c in causes):
        return APIConnectionError(f"Could not resolve {request.url.host} (DNS).")
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return APIConnectionError(f"Connection refused by {where}.")
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return APIConnectionError(f"TLS error with {where}.")
    return APIConnectionError(f"Connection error with {where} ({type(exc).__name__}).")


def _causes(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 10:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _ensure_elapsed(response: httpx.Response, started: float) -> None:
    # httpx times the responses of its own transports only; a caller's
    # transport (a mock, another library) may leave `elapsed` unset.
    try:
        response.elapsed  # noqa: B018
    except RuntimeError:
        response.elapsed = datetime.timedelta(seconds=time.monotonic() - started)


class _Runs:
    def __init__(self, client: Retab) -> None:
        self._client = client

    def list(
        self, workflow_id: str, experiment_id: str, *, timeout: Timeout | None = None
    ) -> ExperimentRunListResponse:
        """Every run of the experiment, newest first (`.runs`), as Retab's SDK names it."""
        call = self._client._call(timeout, None, None, None)
        return self._client._fetch(workflow_id, experiment_id, call)[1]


class _Experiments:
    def __init__(self, client: Retab) -> None:
        self.runs = _Runs(client)


class _Workflows:
    def __init__(self, client: Retab) -> None:
        self.experiments = _Experiments(client)


class _RawResponses:
    """`client.with_raw_response`: the same calls, returning `RawResponse`."""

    def __init__(self, client: Retab) -> None:
        self._client = client

    def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> RawResponse[RunList]:
        """`list_runs`, with the response's status, headers, request id and timing."""
        call = self._client._call(timeout, max_retries, extra_headers, extra_query)
        response, parsed, retries = self._client._fetch(workflow_id, experiment_id, call)
        runs = RunList.of(response, parsed.runs)
        return RawResponse(response, runs, retries)


class Retab(_Base):
    """A client for Retab's List Experiment Runs endpoint.

    Args:
        api_key: Retab API key; default: the RETAB_API_KEY environment variable.
        base_url: default: RETAB_API_BASE_URL, else https://api.retab.com.
        access_token: an alternative credential, sent as the `access_token` query parameter.
        timeout: seconds (or an httpx.Timeout) per attempt; default 30 s read, 5 s connect.
        max_retries: retries of connection errors, timeouts, 408, 409, 429 and 5xx (0: none).
        default_headers: headers sent with every request (a credential header is masked
            like the key).
        max_response_size: the largest (decoded) body read, in bytes; default 256 MiB.
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
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        settings = _config.resolve(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            default_headers=default_headers,
            max_response_size=max_response_size,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise ConfigurationTypeError(
                "http_client must be an httpx.Client (use AsyncRetab for async)"
            )
        self._setup(settings)
        self._owns_http = http_client is None
        if http_client is None:
            from ._transport import sync_transport  # noqa: PLC0415 (cold start: httpcore)

            http_client = httpx.Client(follow_redirects=False, transport=sync_transport())
        self._http: httpx.Client = http_client
        self.workflows = _Workflows(self)
        self.with_raw_response = _RawResponses(self)

    def with_options(
        self,
        *,
        timeout: Timeout | None = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        default_headers: Mapping[str, str] = NOT_GIVEN,
    ) -> Retab:
        """A client with these options changed, sharing this one's connection pool.

        Closing the copy leaves the pool open; closing this client closes it
        for both. `default_headers` are added to (and override) the current ones.
        """
        copy = object.__new__(type(self))
        copy._setup(self._options_settings(timeout, max_retries, default_headers))
        copy._owns_http = False
        copy._http = self._http
        copy.workflows = _Workflows(copy)
        copy.with_raw_response = _RawResponses(copy)
        return copy

    def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> RunList:
        """Every run of the experiment, newest first, in one call (no pages to handle).

        The result is a list with the response's `request_id`. Per call:
        `timeout`, `max_retries`, and `extra_headers`/`extra_query` sent with
        this request only.
        """
        call = self._call(timeout, max_retries, extra_headers, extra_query)
        response, parsed, _ = self._fetch(workflow_id, experiment_id, call)
        return RunList.of(response, parsed.runs)

    def wait_for_run(
        self,
        workflow_id: str,
        experiment_id: str,
        run_id: str | None = None,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> ExperimentRunSummary:
        """Poll the listing until the run ends (completed, error or cancelled); return it.

        `run_id` None means the newest run (the one newest at the first poll
        that saw any). `on_update(run)` is called each time the run changes.
        Polls every `poll_interval` s, backing off gently after a minute; a
        failed poll that a later one can outlive (connection, 429, 5xx) does
        not end the wait. Raises WaitTimeoutError (with `.last_run`) after
        `timeout` seconds, whether the run was unfinished or never appeared.
        """
        _wait.check_wait(run_id, timeout, poll_interval, on_update)
        clock = _wait.WaitClock(timeout)
        last: ExperimentRunSummary | None = None
        interval = float(poll_interval)
        while True:
            error: APIError | None = None
            changed = False
            try:
                runs = self.list_runs(workflow_id, experiment_id, timeout=self._poll_timeout(clock))
            except APIError as exc:
                if not _wait.outlives(exc):
                    raise
                error = exc
            else:
                run = _wait.find_run(runs, run_id)
                if run is not None:
                    run_id = run.id
                    if run != last:
                        changed, last = True, run
                        if on_update is not None:
                            on_update(run)
                    if _wait.is_terminal(run):
                        return run
            if clock.remaining() <= 0:
                raise _wait.timeout_error(
                    workflow_id, experiment_id, run_id, last, clock.timeout
                ) from error
            interval = _wait.next_interval(poll_interval, interval, clock.elapsed(), changed, error)
            pause = min(interval, clock.remaining())
            sleep(pause)
            clock.waited(pause)

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
        call = self._call(timeout, None, None, None)
        if not unique:
            return {}
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 (only fan-out needs it)

        def one(pair: Pair) -> RunList | APIError:
            try:
                response, parsed, _ = self._fetch(pair[0], pair[1], call)
            except APIError as exc:
                return exc
            return RunList.of(response, parsed.runs)

        workers = min(concurrency, len(unique), MAX_CONNECTIONS)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="retab-runs") as pool:
            return dict(zip(unique, pool.map(one, unique), strict=True))

    def _fetch(
        self, workflow_id: str, experiment_id: str, call: _Call
    ) -> tuple[httpx.Response, ExperimentRunListResponse, int]:
        """(response, parsed body, retries taken), after the retry policy's attempts."""
        request = self._request(self._http, workflow_id, experiment_id, call)
        retries = 0
        while True:
            try:
                response, content = self._send(request)
            except httpx.TransportError as exc:
                error: APIError = _transport_error(exc, request)
                cause: BaseException | None = exc
            except RuntimeError as exc:
                if self.is_closed:
                    raise ClientClosedError("The http_client of this client was closed") from None
                raise exc
            else:
                if response.is_success:
                    self._log_success(request, response, call)
                    return response, self._parse(response, content), retries
                error = status_error(response, bytes(content), secrets=call.secrets)
                cause = None
            retries += 1
            sleep(self._wait_or_raise(request, call, error, cause, retries))

    def _send(self, request: httpx.Request) -> tuple[httpx.Response, bytes | bytearray]:
        """Send one attempt; read the body within its deadline and size limit."""
        started = time.monotonic()
        deadline = _deadline.for_request(request)
        token = _deadline.deadline_scope(deadline)
        try:
            response = self._http.send(request, stream=True, follow_redirects=False)
            try:
                decoder = self._decoder(response)
                if response.is_stream_consumed:  # a transport that read it already
                    decoder.feed(response.content)
                else:
                    for chunk in response.iter_raw():
                        if not decoder.feed(chunk):
                            break
                        _deadline.check(deadline, request)
                body = decoder.finish()
            except _BODY_ERRORS as exc:
                raise self._body_error(response, exc) from None
            finally:
                response.close()
        finally:
            _deadline.reset_deadline(token)
        _ensure_elapsed(response, started)
        return response, body

    def close(self) -> None:
        """Release the connection pool (not a pool you passed in as http_client)."""
        self._closed = True
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
        call = self._client._call(timeout, None, None, None)
        return (await self._client._fetch(workflow_id, experiment_id, call))[1]


class _AsyncExperiments:
    def __init__(self, client: AsyncRetab) -> None:
        self.runs = _AsyncRuns(client)


class _AsyncWorkflows:
    def __init__(self, client: AsyncRetab) -> None:
        self.experiments = _AsyncExperiments(client)


class _AsyncRawResponses:
    """`client.with_raw_response`: the same calls, returning `RawResponse`."""

    def __init__(self, client: AsyncRetab) -> None:
        self._client = client

    async def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> RawResponse[RunList]:
        """`list_runs`, with the response's status, headers, request id and timing."""
        call = self._client._call(timeout, max_retries, extra_headers, extra_query)
        response, parsed, retries = await self._client._fetch(workflow_id, experiment_id, call)
        runs = RunList.of(response, parsed.runs)
        return RawResponse(response, runs, retries)


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
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        settings = _config.resolve(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            default_headers=default_headers,
            max_response_size=max_response_size,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationTypeError(
                "http_client must be an httpx.AsyncClient (use Retab for sync)"
            )
        self._setup(settings)
        self._owns_http = http_client is None
        if http_client is None:
            from ._transport import async_transport  # noqa: PLC0415 (cold start: httpcore)

            http_client = httpx.AsyncClient(follow_redirects=False, transport=async_transport())
        self._http: httpx.AsyncClient = http_client
        self.workflows = _AsyncWorkflows(self)
        self.with_raw_response = _AsyncRawResponses(self)

    def with_options(
        self,
        *,
        timeout: Timeout | None = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        default_headers: Mapping[str, str] = NOT_GIVEN,
    ) -> AsyncRetab:
        """A client with these options changed, sharing this one's connection pool."""
        copy = object.__new__(type(self))
        copy._setup(self._options_settings(timeout, max_retries, default_headers))
        copy._owns_http = False
        copy._http = self._http
        copy.workflows = _AsyncWorkflows(copy)
        copy.with_raw_response = _AsyncRawResponses(copy)
        return copy

    async def list_runs(
        self,
        workflow_id: str,
        experiment_id: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> RunList:
        """Every run of the experiment, newest first, in one call (no pages to handle)."""
        call = self._call(timeout, max_retries, extra_headers, extra_query)
        response, parsed, _ = await self._fetch(workflow_id, experiment_id, call)
        return RunList.of(response, parsed.runs)

    async def wait_for_run(
        self,
        workflow_id: str,
        experiment_id: str,
        run_id: str | None = None,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> ExperimentRunSummary:
        """Poll the listing until the run ends; the twin of `Retab.wait_for_run`."""
        _wait.check_wait(run_id, timeout, poll_interval, on_update)
        clock = _wait.WaitClock(timeout)
        last: ExperimentRunSummary | None = None
        interval = float(poll_interval)
        while True:
            error: APIError | None = None
            changed = False
            try:
                runs = await self.list_runs(
                    workflow_id, experiment_id, timeout=self._poll_timeout(clock)
                )
            except APIError as exc:
                if not _wait.outlives(exc):
                    raise
                error = exc
            else:
                run = _wait.find_run(runs, run_id)
                if run is not None:
                    run_id = run.id
                    if run != last:
                        changed, last = True, run
                        if on_update is not None:
                            on_update(run)
                    if _wait.is_terminal(run):
                        return run
            if clock.remaining() <= 0:
                raise _wait.timeout_error(
                    workflow_id, experiment_id, run_id, last, clock.timeout
                ) from error
            interval = _wait.next_interval(poll_interval, interval, clock.elapsed(), changed, error)
            pause = min(interval, clock.remaining())
            await async_sleep(pause)
            clock.waited(pause)

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
        call = self._call(timeout, None, None, None)
        import asyncio  # noqa: PLC0415  (cold start: only async users pay for asyncio)

        gate = asyncio.Semaphore(min(concurrency, MAX_CONNECTIONS))

        async def one(pair: Pair) -> RunList | APIError:
            async with gate:
                try:
                    response, parsed, _ = await self._fetch(pair[0], pair[1], call)
                except APIError as exc:
                    return exc
                return RunList.of(response, parsed.runs)

        results = await asyncio.gather(*(one(pair) for pair in unique))
        return dict(zip(unique, results, strict=True))

    async def _fetch(
        self, workflow_id: str, experiment_id: str, call: _Call
    ) -> tuple[httpx.Response, ExperimentRunListResponse, int]:
        """(response, parsed body, retries taken), after the retry policy's attempts."""
        request = self._request(self._http, workflow_id, experiment_id, call)
        retries = 0
        while True:
            try:
                response, content = await self._send(request)
            except httpx.TransportError as exc:
                error: APIError = _transport_error(exc, request)
                cause: BaseException | None = exc
            except RuntimeError as exc:
                if self.is_closed:
                    raise ClientClosedError("The http_client of this client was closed") from None
                raise exc
            else:
                if response.is_success:
                    self._log_success(request, response, call)
                    return response, self._parse(response, content), retries
                error = status_error(response, bytes(content), secrets=call.secrets)
                cause = None
            retries += 1
            await async_sleep(self._wait_or_raise(request, call, error, cause, retries))

    async def _send(self, request: httpx.Request) -> tuple[httpx.Response, bytes | bytearray]:
        """Send one attempt; read the body within its deadline and size limit."""
        started = time.monotonic()
        deadline = _deadline.for_request(request)
        token = _deadline.deadline_scope(deadline)
        try:
            response = await self._http.send(request, stream=True, follow_redirects=False)
            try:
                decoder = self._decoder(response)
                if response.is_stream_consumed:  # a transport that read it already
                    decoder.feed(response.content)
                else:
                    async for chunk in response.aiter_raw():
                        if not decoder.feed(chunk):
                            break
                        _deadline.check(deadline, request)
                body = decoder.finish()
            except _BODY_ERRORS as exc:
                raise self._body_error(response, exc) from None
            finally:
                await response.aclose()
        finally:
            _deadline.reset_deadline(token)
        _ensure_elapsed(response, started)
        return response, body

    async def aclose(self) -> None:
        """Release the connection pool (not a pool you passed in as http_client)."""
        self._closed = True
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
