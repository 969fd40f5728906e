"""`AioHttpClient`: an httpx.AsyncClient that sends through aiohttp, for fan-out.

    from retab_runs import AioHttpClient, AsyncRetab

    async with AsyncRetab(http_client=AioHttpClient()) as client:
        results = await client.list_runs_many(pairs, concurrency=32)

On a small machine httpx's async path costs milliseconds of CPU a request;
aiohttp's costs a fraction of that (README, Performance). Installed with the
`aiohttp` extra; `import retab_runs` never imports aiohttp. The error
contract is the httpx path's: a refused connection is a connection error
(not a timeout), certificate failures keep their cause, the response-size
limit and the whole-attempt deadline hold (aiohttp's `total` timeout is the
attempt's remaining time), and no request is sent again behind the client's
retry policy: aiohttp's own resend on a reused connection is turned off.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx

from .._constants import AIOHTTP_CHUNK, MAX_CONNECTIONS
from ._deadline import remaining
from ._event_loop import LoopBinding
from ._transport import shared_ssl_context

__all__ = ["AioHttpClient", "AioHttpTransport"]


def _httpx_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception the httpx transport would have raised, cause kept."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error: httpx.TransportError = httpx.ConnectTimeout("connect timed out", request=request)
    elif isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError | TimeoutError):
        error = httpx.ReadTimeout("timed out", request=request)
    elif isinstance(exc, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        error = httpx.ProxyError("proxy error", request=request)
    elif isinstance(exc, aiohttp.ClientConnectorError):
        error = httpx.ConnectError("connect failed", request=request)
        # The OS error (refused, DNS, certificate) is what our messages name.
        cause = getattr(exc, "certificate_error", None) or getattr(exc, "os_error", None)
        if isinstance(cause, BaseException):
            error.__cause__ = cause
            return error
    elif isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
        error = httpx.RemoteProtocolError("the server broke the response off", request=request)
    else:
        error = httpx.ReadError("connection error", request=request)
    error.__cause__ = exc
    return error


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(AIOHTTP_CHUNK):
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _httpx_error(exc, self._request) from None

    async def aclose(self) -> None:
        # Not read to the end: the connection must not go back to the pool.
        if not self._response.content.at_eof():
            self._response.close()
        else:
            self._response.release()


class AioHttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport over one aiohttp session (created on first use, in its loop).

    A session per event loop (`_event_loop`): when a call runs in a new loop,
    the old one closed, the old session is closed (its sockets, bound to the
    dead loop, are left to the collector) and a new one starts.
    """

    def __init__(self, *, max_connections: int = MAX_CONNECTIONS) -> None:
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._loop = LoopBinding()

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._max_connections, ssl=shared_ssl_context(), keepalive_timeout=5.0
            )
            session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, skip_auto_headers=("User-Agent",)
            )
            # aiohttp resends an idempotent request once when a reused
            # connection drops before the response; the client's retry policy
            # decides about retries (attempts are counted and logged there).
            session._retry_connection = False
            self._session = session
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._loop.moved() and self._session is not None:
            await self._session.close()  # its loop is closed: nothing to wait for
        timeouts = request.extensions.get("timeout", {})
        left = remaining()
        timeout = aiohttp.ClientTimeout(
            total=left,
            connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        try:
            response = await self._open().request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=request.content or None,
                allow_redirects=False,
                timeout=timeout,
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _httpx_error(exc, request) from None
        return httpx.Response(
            response.status,
            headers=[(name.decode("latin-1"), value.decode("latin-1"))
                     for name, value in response.raw_headers],
            stream=_Body(response, request),
            extensions={
                "http_version": f"HTTP/{response.version.major}.{response.version.minor}".encode()
                if response.version
                else b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )  # fmt: skip

    async def aclose(self) -> None:
        # A session of another loop still open cannot be closed from here.
        if self._session is not None and (
            self._loop.serves_running_loop() or self._loop.is_closed()
        ):
            await self._session.close()


class AioHttpClient(httpx.AsyncClient):
    """An httpx.AsyncClient over aiohttp, to pass as `AsyncRetab(http_client=...)`.

    Redirects are not followed; the pool holds `max_connections` (100).
    `AsyncRetab` leaves a client you pass in open: close it yourself, or use
    `async with AioHttpClient() as http:`.
    """

    def __init__(self, *, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        kwargs.setdefault("follow_redirects", False)
        super().__init__(transport=AioHttpTransport(max_connections=max_connections), **kwargs)
