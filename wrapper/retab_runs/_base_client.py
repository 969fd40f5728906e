"""The one request pipeline every generated method goes through, sync and async.

    build (`_prepare`) -> send within the attempt's deadline, read the body
    within its size limit (`_send_once`) -> map failures to typed errors ->
    retry as `RetryPolicy.delay` decides -> decode, validate and build the
    operation's model (`_parse`) -> log -> the result, or a `RawResponse`.

The operation (`_retab_runs_generated.operations`) says what to send and what
comes back; nothing here knows any operation by name. What both clients
share is decided once in `BaseClient`; the I/O loops are written out twice
(`SyncAPIClient`, `AsyncAPIClient`), on purpose, as httpx does.
"""

from __future__ import annotations

import datetime
import logging
import sys
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs
import httpx

from _retab_runs_runtime import (
    NOT_GIVEN as _OMITTED,
)
from _retab_runs_runtime import (
    AsyncPage,
    AuthScheme,
    Model,
    Operation,
    PagedList,
    RawResponse,
    RequestOptions,
    SchemaError,
    SyncPage,
)

from . import _config, _json, _params
from ._constants import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    ERROR_BODY_LIMIT,
)
from ._error_mapping import status_error, transport_error
from ._http import _body, _deadline
from ._http._clients import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._http._event_loop import check_loop_error
from ._logs import logger, masking, protect_library_logs
from ._paging import Cursor, check_max_items
from ._redact import mask, one_line
from ._retry import RetryPolicy, async_sleep, parse_retry_after, sleep
from ._version import __version__
from .errors import (
    APIError,
    APIStatusError,
    ClientClosedError,
    ConfigurationError,
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


@attrs.frozen
class _Prepared:
    """One call, checked and built: the request, and what its attempts need."""

    operation: Operation[Any]
    request: httpx.Request
    timeout: httpx.Timeout
    policy: RetryPolicy
    replayable: bool
    secrets: tuple[str | None, ...]


def _auth_headers(scheme: AuthScheme, key: str) -> dict[str, str]:
    """The header carrying the key, as the operation's preferred security scheme says."""
    if scheme.kind == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {scheme.name: key}


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
    ) -> _Prepared:
        """Check the call's arguments and options, and build its request; nothing is sent."""
        if self.is_closed:
            raise ClientClosedError(
                f"This {type(self).__name__} client is closed: create a new one "
                "(a `with` block closes it at its end)"
            )
        extra_headers: dict[str, str] = _config.check_headers(
            "extra_headers", options.get("extra_headers")
        )
        extra_query = _config.check_query("extra_query", options.get("extra_query"))
        retries = options.get("max_retries")
        given = options.get("timeout")
        timeout = self._settings.timeout if given is None else _config.to_timeout(given)
        values = dict(arguments)
        if operation.param("access_token") is not None and values.get("access_token") is None:
            # The client's access token is the operation's credential parameter.
            values["access_token"] = self._settings.access_token
        params: dict[str, str | list[str]] = {}
        key = self._settings.api_key
        auth = {} if key is None or not operation.auth else _auth_headers(operation.auth[0], key)
        headers = _config.merge_headers(auth, self._headers)
        for param in operation.params:
            value = values.get(param.python_name)
            if param.location == "body":
                continue
            if param.location == "path":
                values[param.python_name] = _params.path_value(param, value)
            elif value is None:
                if param.required:
                    raise ConfigurationTypeError(f"{param.python_name} is required, not None")
                if param.name.lower() == "idempotency-key":
                    # One key for the call, made here and reused by every retry:
                    # a retried create never starts two runs.
                    headers[param.name] = f"retab-runs-{uuid.uuid4()}"
            elif param.location == "query":
                params[param.name] = _params.query_value(param, value)
            else:
                text = _params.text_value(param, value)
                headers.update(_config.check_headers(param.python_name, {param.name: text}))
        params.update(extra_query)
        # The caller's headers have the last word: an Idempotency-Key there is the call's key.
        headers = _config.merge_headers(headers, extra_headers)
        body = self._json_body(operation, values)
        try:
            request = self._http.build_request(
                operation.http_method,
                # Plain concatenation: the spec's paths are absolute (/v1/...) and
                # a base URL may carry a prefix (https://proxy/retab) that URL
                # joining would drop; one string also means one URL parse.
                self._url_prefix + operation.path_for(values),
                params=params or None,
                headers=headers,
                json=body,
                timeout=timeout,
            )
        except (httpx.InvalidURL, UnicodeEncodeError):
            raise _config.request_error(operation, values, extra_query, self._url_prefix) from None
        lowered = {name.lower() for name in headers}
        return _Prepared(
            operation=operation,
            request=request,
            timeout=timeout,
            policy=RetryPolicy(
                max_retries=self._settings.max_retries
                if retries is None
                else _config.check_max_retries(retries)
            ),
            replayable=operation.idempotent or "idempotency-key" in lowered,
            secrets=(
                *self._settings.secrets,
                *_config.secret_values(extra_headers),
                extra_query.get("access_token"),
                str(values.get("access_token") or "") or None,  # one given to this call
            ),
        )

    def _json_body(self, operation: Operation[Any], values: Mapping[str, object]) -> object:
        """The JSON body of an operation that takes one, checked against its schema."""
        model = operation.body
        if model is None:
            return None
        # A member left out is not sent; one given as None is sent as null.
        body = {
            param.name: _params.json_value(values[param.python_name])
            for param in operation.params
            if param.location == "body"
            and values.get(param.python_name, NOT_GIVEN) is not NOT_GIVEN
        }
        try:
            model.SCHEMA.validate(body, "body")
        except SchemaError as exc:
            raise ConfigurationError(f"{operation.method_name}: {exc}") from None
        return body

    def _parse(
        self, prepared: _Prepared, response: httpx.Response, content: bytes | bytearray
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

    def _request_id(self, response: httpx.Response, prepared: _Prepared) -> str | None:
        """The response's `x-request-id`, secrets masked, one bounded line."""
        value = response.headers.get("x-request-id")
        return None if value is None else one_line(mask(value, prepared.secrets), 200)

    def _failure(
        self, prepared: _Prepared, response: httpx.Response, content: bytes | bytearray
    ) -> APIStatusError:
        return status_error(
            response,
            bytes(content),
            error_models=prepared.operation.error_models(response.status_code),
            retry_after=parse_retry_after(response.headers),
            secrets=prepared.secrets,
        )

    def _wait_or_raise(
        self, prepared: _Prepared, error: APIError, reached: bool, retries_done: int
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
        self, prepared: _Prepared, response: httpx.Response, exc: BaseException
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

    def _log_success(self, prepared: _Prepared, response: httpx.Response) -> None:
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
        self, prepared: _Prepared, response: httpx.Response, parsed: T, retries: int
    ) -> RawResponse[T]:
        return RawResponse(response, parsed, retries, self._request_id(response, prepared))


def _ensure_elapsed(response: httpx.Response, started: float) -> None:
    # httpx times the responses of its own transports only; a caller's
    # transport (a mock, another library) may leave `elapsed` unset.
    try:
        response.elapsed  # noqa: B018
    except RuntimeError:
        response.elapsed = datetime.timedelta(seconds=time.monotonic() - started)


class SyncAPIClient(BaseClient[httpx.Client]):
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

    def _request_all(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]:
        """Every item of a paged operation, page after page (at most `max_items`)."""
        limit = check_max_items(max_items)
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        found: PagedList[I] = PagedList(item=item)
        while (page_arguments := cursor.next_arguments()) is not None:
            raw = self._request_raw(operation, page_arguments, options)
            found.request_ids.append(raw.request_id)
            found.extend(cursor.items(raw.parse()))
            if limit is not None and len(found) >= limit:
                del found[limit:]
                break
        return found

    def _request_page(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> SyncPage[T, I]:
        """One page of a paged operation; `next_page()` and `auto_paging_iter()` fetch on."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        raw = self._raw(first, *self._fetch(first))  # the request prepared above, sent
        parsed = raw.parse()
        items: list[I] = cursor.items(parsed)
        following = cursor.next_arguments()
        if following is None:
            return SyncPage(parsed, items, raw.request_id)
        return SyncPage(
            parsed,
            items,
            raw.request_id,
            fetch_next=lambda: self._request_page(operation, following, options, item=item),
            iterate_rest=lambda: self._iterate(operation, following, options, item=item),
        )

    def _iterate(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> Iterator[I]:
        """The items of a paged operation, one page held at a time; arguments checked now."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)

        def pages() -> Iterator[I]:
            while (page_arguments := cursor.next_arguments()) is not None:
                yield from cursor.items(self._request(operation, page_arguments, options))

        return pages()

    def _fetch(self, prepared: _Prepared) -> tuple[httpx.Response, Any, int]:
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

    def _send_once(self, prepared: _Prepared) -> tuple[httpx.Response, bytes | bytearray]:
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


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
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

    async def _request_all(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
        max_items: int | None,
    ) -> PagedList[I]:
        """Every item of a paged operation, page after page (at most `max_items`)."""
        limit = check_max_items(max_items)
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        found: PagedList[I] = PagedList(item=item)
        while (page_arguments := cursor.next_arguments()) is not None:
            raw = await self._request_raw(operation, page_arguments, options)
            found.request_ids.append(raw.request_id)
            found.extend(cursor.items(raw.parse()))
            if limit is not None and len(found) >= limit:
                del found[limit:]
                break
        return found

    async def _request_page(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncPage[T, I]:
        """One page of a paged operation; `next_page()` and `auto_paging_iter()` fetch on."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)
        raw = self._raw(first, *(await self._fetch(first)))  # the request prepared above, sent
        parsed = raw.parse()
        items: list[I] = cursor.items(parsed)
        following = cursor.next_arguments()
        if following is None:
            return AsyncPage(parsed, items, raw.request_id)
        return AsyncPage(
            parsed,
            items,
            raw.request_id,
            fetch_next=lambda: self._request_page(operation, following, options, item=item),
            iterate_rest=lambda: self._iterate(operation, following, options, item=item),
        )

    def _iterate(
        self,
        operation: Operation[T],
        arguments: Mapping[str, object],
        options: RequestOptions,
        *,
        item: type[I],
    ) -> AsyncIterator[I]:
        """The items of a paged operation, one page held at a time; arguments checked now."""
        first = self._prepare(operation, arguments, options)  # arguments checked now
        cursor = Cursor(operation, arguments, first.request.url)

        async def pages() -> AsyncIterator[I]:
            while (page_arguments := cursor.next_arguments()) is not None:
                page = await self._request(operation, page_arguments, options)
                for found in cursor.items(page):
                    yield found

        return pages()

    async def _fetch(self, prepared: _Prepared) -> tuple[httpx.Response, Any, int]:
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

    async def _send_once(self, prepared: _Prepared) -> tuple[httpx.Response, bytes | bytearray]:
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
