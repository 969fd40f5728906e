"""The one request pipeline every generated method goes through, sync and async.

    build (`_prepare`, in `_build`) -> send within the attempt's deadline, read the body
    within its size limit (`_send_once`) -> map failures to typed errors ->
    retry as `RetryPolicy.delay` decides -> decode, validate and build the
    operation's model (`_parse`) -> log -> the result, or a `RawResponse`.

The operation (`_retab_runs_generated.operations`) says what to send and what
comes back; nothing here knows any operation by name. What both clients
share is decided once in `BaseClient`; the I/O loops are written out twice
(`SyncAPIClient`, `AsyncAPIClient`), on purpose, as httpx does; the paging
loops over them are `_listing`'s.
"""

from __future__ import annotations

import datetime
import logging
import sys
import time
import zlib
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs
import httpx

from _retab_runs_runtime import (
    NOT_GIVEN as _OMITTED,
)
from _retab_runs_runtime import (
    Model,
    Operation,
    RawResponse,
    RequestOptions,
    SchemaError,
)

from . import _config, _json
from ._build import Prepared, prepare
from ._constants import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    ERROR_BODY_LIMIT,
)
from ._error_mapping import status_error, transport_error
from ._http import _body, _deadline
from ._http._clients import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._http._event_loop import check_loop_error
from ._listing import AsyncListing, SyncListing
from ._logs import logger, masking, protect_library_logs
from ._redact import mask, one_line
from ._retry import async_sleep, parse_retry_after, sleep
from ._version import __version__
from .errors import (
    APIError,
    APIStatusError,
    ClientClosedError,
    ConfigurationTypeError,
    ResponseTooLargeError,
    ResponseValidationError,
)

__all__ = ["NOT_GIVEN", "AsyncAPIClient", "BaseClient", "SyncAPIClient", "Timeout"]

USER_AGENT = (
    f"retab-runs/{__version__} httpx/{httpx.__version__} "
    f"python/{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
)

T = TypeVar("T")
I = TypeVar("I", bound=Model)  # noqa: E741 (an item of a paged listing)
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
Timeout = float | httpx.Timeout
# What reading a body can fail with besides the network: too large, or not
# decodable as its content-encoding says.
_BODY_ERRORS = (_body.ResponseTooLarge, _body.UnsupportedEncoding, _body.TrailingData, zlib.error)
# Failures that happen before a request can have reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


# Marks an option left out of `with_options` or a body member left out of a
# call (None can be a real value); typed Any here so signatures stay readable.
NOT_GIVEN: Any = _OMITTED
# Statuses retried even where the spec declares them for the operation.
_TRANSIENT = frozenset({429, 500, 502, 503, 504})


class BaseClient(Generic[HttpT]):
    """Settings, request building, parsing and error mapping: what both clients share.

    The public faces (`Retab`, `AsyncRetab`) add their resources in `_attach`.
    """

    _settings: _config.Settings
    _http: HttpT
    _owns_http: bool

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
        http_client: HttpT | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._setup(
            _config.resolve(
                api_key=api_key,
                access_token=access_token,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                allow_insecure_http=allow_insecure_http,
                default_headers=default_headers,
                max_response_size=max_response_size,
            )
        )
        self._owns_http = http_client is None
        self._http = self._default_http() if http_client is None else self._checked(http_client)
        self._attach()

    def with_options(
        self,
        *,
        timeout: Timeout | None = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        default_headers: Mapping[str, str] = NOT_GIVEN,
    ) -> Self:
        """A client with these options changed, sharing this one's connection pool.

        Closing the copy leaves the pool open; closing this client closes it
        for both. `default_headers` are added to (and override) the current ones.
        """
        copy = object.__new__(type(self))
        copy._setup(self._options_settings(timeout, max_retries, default_headers))
        copy._owns_http = False
        copy._http = self._http
        copy._attach()
        return copy

    def _attach(self) -> None:
        """Hang the resources on this client (the public faces say which)."""
        raise NotImplementedError

    def _default_http(self) -> HttpT:
        raise NotImplementedError

    def _checked(self, http_client: object) -> HttpT:
        raise NotImplementedError

    def _setup(self, settings: _config.Settings) -> None:
        self._settings = settings
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": _body.ACCEPT_ENCODING,
        }
        self._headers = _config.merge_headers(headers, settings.default_headers)
        self._url_prefix = str(settings.base_url).rstrip("/")
        self._closed = False
        protect_library_logs()

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
            changes["default_headers"] = _config.merge_headers(
                self._settings.default_headers, extra
            )
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

    def __repr__(self) -> str:
        auth = "api_key" if self._settings.api_key else "access_token"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, auth={auth!r}, "
            f"max_retries={self.max_retries})"
        )

    def _prepare(
        self, operation: Operation[Any], arguments: Mapping[str, object], options: RequestOptions
    ) -> Prepared:
        """Check the call's arguments and options, and build its request; nothing is sent."""
        if self.is_closed:
            raise ClientClosedError(
                f"This {type(self).__name__} client is closed: create a new one "
                "(a `with` block closes it at its end)"
            )
        return prepare(
            operation,
            arguments,
            options,
            settings=self._settings,
            client_headers=self._headers,
            url_prefix=self._url_prefix,
            http=self._http,
        )

    def _parse(
        self, prepared: Prepared, response: httpx.Response, content: bytes | bytearray
    ) -> Any:
        """The operation's success model, built from a body validated against the spec.

        The cyclic garbage collector stays as the application set it: pausing
        it would speed a big parse up but is process-wide, seen by every thread.
        """
        success = prepared.operation.success
        try:
            if success is None:
                return None  # the spec says this answer has no body (204)
            return _json.decode_model(success, content)
        except (ValueError, RecursionError, OverflowError) as exc:
            field = exc.path or None if isinstance(exc, SchemaError) else None
            if isinstance(exc, SchemaError):
                why = f"does not match the spec: {exc}"
            elif isinstance(exc, OverflowError):  # an integer too big for a `number` field
                why = "does not match the spec: a number beyond the double range"
            else:
                why = "is not valid JSON"
            raise ResponseValidationError(
                f"Retab answered {response.status_code} with a body that {why}",
                field=field,
                status_code=response.status_code,
                request_id=self._request_id(response, prepared),
            ) from None
        except MemoryError:
            raise ResponseTooLargeError(
                "Retab's response is too large to parse in the memory available; "
                "lower max_response_size to refuse such bodies before reading them",
                limit=self._settings.max_response_size,
                request_id=self._request_id(response, prepared),
            ) from None

    def _request_id(self, response: httpx.Response, prepared: Prepared) -> str | None:
        """The response's `x-request-id`, secrets masked, one bounded line."""
        value = response.headers.get("x-request-id")
        return None if value is None else one_line(mask(value, prepared.secrets), 200)

    def _failure(
        self, prepared: Prepared, response: httpx.Response, content: bytes | bytearray
    ) -> APIStatusError:
        return status_error(
            response,
            bytes(content),
            error_models=prepared.operation.error_models(response.status_code),
            retry_after=parse_retry_after(response.headers),
            secrets=prepared.secrets,
        )

    def _wait_or_raise(
        self, prepared: Prepared, error: APIError, reached: bool, retries_done: int
    ) -> float:
        """Seconds to wait before the next attempt, logged; raises `error` to give up."""
        if (
            isinstance(error, APIStatusError)
            and prepared.operation.declares(error.status_code)
            and error.status_code not in _TRANSIENT
            and error.retry_after is None
        ):
            raise error  # an answer the spec documents for this call (a 409 on delete, say)
        delay = prepared.policy.delay(
            error, retries_done, replayable=prepared.replayable, reached=reached
        )
        if delay is None:
            raise error
        why = f"status {error.status_code}" if isinstance(error, APIStatusError) else error.message
        logger.info(
            "Retrying %s %s in %.2f s after %s (retry %d of %d)",
            prepared.request.method,
            mask(prepared.request.url.path, prepared.secrets),
            delay,
            why,
            retries_done + 1,
            prepared.policy.max_retries,
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

    def _body_error(
        self, prepared: Prepared, response: httpx.Response, exc: BaseException
    ) -> APIError:
        request_id = self._request_id(response, prepared)
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

    def _log_success(self, prepared: Prepared, response: httpx.Response) -> None:
        # Its arguments mask secrets: worth computing only when the line is written.
        if not logger.isEnabledFor(logging.DEBUG):
            return
        key = prepared.request.headers.get("idempotency-key")
        logger.debug(
            "%s %s -> %d in %.0f ms (request id %s%s)",
            prepared.request.method,
            mask(prepared.request.url.path, prepared.secrets),
            response.status_code,
            response.elapsed.total_seconds() * 1000,
            self._request_id(response, prepared),
            "" if key is None else f", idempotency key {one_line(key, 100)}",
        )

    def _raw(
        self, prepared: Prepared, response: httpx.Response, parsed: T, retries: int
    ) -> RawResponse[T]:
        return RawResponse(response, parsed, retries, self._request_id(response, prepared))


def _ensure_elapsed(response: httpx.Response, started: float) -> None:
    # httpx times the responses of its own transports only; a caller's
    # transport (a mock, another library) may leave `elapsed` unset.
    try:
        response.elapsed  # noqa: B018
    except RuntimeError:
        response.elapsed = datetime.timedelta(seconds=time.monotonic() - started)


class SyncAPIClient(SyncListing, BaseClient[httpx.Client]):
    """The sync pipeline: `_request` and `_request_raw`, which generated resources call."""

    def _default_http(self) -> httpx.Client:
        return DefaultHttpxClient()

    def _checked(self, http_client: object) -> httpx.Client:
        if not isinstance(http_client, httpx.Client):
            raise ConfigurationTypeError(
                "http_client must be an httpx.Client (use AsyncRetab for async)"
            )
        return http_client

    def _request(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> T:
        parsed: T = self._fetch(self._prepare(operation, arguments, options))[1]
        return parsed

    def _request_raw(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> RawResponse[T]:
        prepared = self._prepare(operation, arguments, options)
        response, parsed, retries = self._fetch(prepared)
        return self._raw(prepared, response, parsed, retries)

    def _fetch(self, prepared: Prepared) -> tuple[httpx.Response, Any, int]:
        """(response, parsed body, retries taken), after the retry policy's attempts."""
        retries = 0
        while True:
            reached = True
            try:
                response, content = self._send_once(prepared)
            except httpx.TransportError as exc:
                error: APIError = transport_error(exc, prepared.request)
                reached = not isinstance(exc, _NOT_SENT)
            except RuntimeError:
                if self.is_closed:
                    raise ClientClosedError("The http_client of this client was closed") from None
                raise
            else:
                if response.is_success:
                    self._log_success(prepared, response)
                    return response, self._parse(prepared, response, content), retries
                error = self._failure(prepared, response, content)
            sleep(self._wait_or_raise(prepared, error, reached, retries))
            retries += 1

    def _send_once(self, prepared: Prepared) -> tuple[httpx.Response, bytes | bytearray]:
        """Send one attempt; read the body within its deadline and size limit."""
        started = time.monotonic()
        request = prepared.request
        with _deadline.scope(prepared.timeout.read) as deadline, masking(prepared.secrets):
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
                raise self._body_error(prepared, response, exc) from None
            finally:
                response.close()
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


class AsyncAPIClient(AsyncListing, BaseClient[httpx.AsyncClient]):
    """The asyncio twin of `SyncAPIClient`."""

    def _default_http(self) -> httpx.AsyncClient:
        return DefaultAsyncHttpxClient()

    def _checked(self, http_client: object) -> httpx.AsyncClient:
        if not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationTypeError(
                "http_client must be an httpx.AsyncClient (use Retab for sync)"
            )
        return http_client

    async def _request(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> T:
        parsed: T = (await self._fetch(self._prepare(operation, arguments, options)))[1]
        return parsed

    async def _request_raw(
        self, operation: Operation[T], arguments: Mapping[str, object], options: RequestOptions
    ) -> RawResponse[T]:
        prepared = self._prepare(operation, arguments, options)
        response, parsed, retries = await self._fetch(prepared)
        return self._raw(prepared, response, parsed, retries)

    async def _fetch(self, prepared: Prepared) -> tuple[httpx.Response, Any, int]:
        """(response, parsed body, retries taken), after the retry policy's attempts."""
        retries = 0
        while True:
            reached = True
            try:
                response, content = await self._send_once(prepared)
            except httpx.TransportError as exc:
                error: APIError = transport_error(exc, prepared.request)
                reached = not isinstance(exc, _NOT_SENT)
            except RuntimeError as exc:
                if self.is_closed:
                    raise ClientClosedError("The http_client of this client was closed") from None
                check_loop_error(exc)
                raise
            else:
                if response.is_success:
                    self._log_success(prepared, response)
                    return response, self._parse(prepared, response, content), retries
                error = self._failure(prepared, response, content)
            await async_sleep(self._wait_or_raise(prepared, error, reached, retries))
            retries += 1

    async def _send_once(self, prepared: Prepared) -> tuple[httpx.Response, bytes | bytearray]:
        """Send one attempt; read the body within its deadline and size limit."""
        started = time.monotonic()
        request = prepared.request
        with _deadline.scope(prepared.timeout.read) as deadline, masking(prepared.secrets):
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
                raise self._body_error(prepared, response, exc) from None
            finally:
                await response.aclose()
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
