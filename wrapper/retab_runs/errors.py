"""Every error retab-runs raises: the public exception classes, and only them.

How an HTTP response or a transport failure becomes one of them is
`_error_mapping`; how secrets are kept out of their messages is `_redact`.

    RetabError                      anything this package raises on purpose
    ├── ConfigurationError          a bad argument or setting (also a ValueError), refused
    │   │                           before anything is sent
    │   ├── ConfigurationTypeError  ... of the wrong type (also a TypeError)
    │   └── MissingCredentialsError no API key nor access token (argument or RETAB_API_KEY)
    ├── ClientClosedError           the client was closed (also a RuntimeError)
    ├── EventLoopError              the connections belong to another event loop (also a
    │                               RuntimeError)
    ├── WaitTimeoutError            wait_for_run gave up (`.last_run`: the run as last seen)
    ├── MissingDependencyError      an optional extra is not installed (also an ImportError)
    ├── UnknownColumnError          `runs.table(columns=[...])` named a column the runs do not
    │                               have (also a ValueError)
    └── APIError                    a request was attempted and failed
        ├── APIConnectionError      the server could not be reached or dropped the connection
        │   ├── APITimeoutError     no answer within the timeout
        │   └── CertificateVerificationError  TLS verification failed (never retried)
        ├── APIStatusError          the server answered with a non-2xx status
        │   ├── BadRequestError             400
        │   ├── AuthenticationError         401
        │   ├── PermissionDeniedError       403
        │   ├── NotFoundError               404
        │   ├── ConflictError               409
        │   ├── UnprocessableEntityError    422 (`.errors`: the validation details)
        │   ├── RateLimitError              429 (`.retry_after`: seconds, if the server said)
        │   └── InternalServerError         >= 500
        ├── ResponseValidationError a 2xx whose body is not JSON or not what the spec says
        │                           (`.field` names the offending field)
        ├── ResponseTooLargeError   the body passed `max_response_size` (never retried)
        └── PaginationError         a paged listing's cursor repeated, or an empty page
                                    named a next one (it would never end)

Bad arguments (an empty id, a non-string id, a negative timeout) are
ConfigurationErrors, which are also ValueError (or TypeError), so existing
`except ValueError` clauses keep working. No message, repr or attribute printed by these
classes contains the API key or the access token: messages built from a
response body have both secrets masked.
"""

from __future__ import annotations

from typing import Any

import httpx

from _retab_runs_runtime import MissingDependencyError, Model, RetabError, UnknownColumnError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CertificateVerificationError",
    "ClientClosedError",
    "ConfigurationError",
    "ConfigurationTypeError",
    "ConflictError",
    "EventLoopError",
    "InternalServerError",
    "MissingCredentialsError",
    "MissingDependencyError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetabError",
    "UnknownColumnError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
]


class ConfigurationError(RetabError, ValueError):
    """A client argument, per-call option or id is unusable; nothing was sent."""


class ConfigurationTypeError(ConfigurationError, TypeError):
    """A client argument, per-call option or id has the wrong type; nothing was sent."""


class MissingCredentialsError(ConfigurationError):
    """Neither an API key nor an access token was given or found in the environment."""


class ClientClosedError(RetabError, RuntimeError):
    """The client (or the client it was derived from with `with_options`) was closed."""


class EventLoopError(RetabError, RuntimeError):
    """The client's connections belong to another event loop; the message names the fix.

    Raised when that loop is still open, or when an `http_client` with
    httpx's own transports is bound to a closed one. The default transports
    and `AioHttpClient` follow the running loop once the old one is closed:
    one client serves successive `asyncio.run` calls.
    """


class WaitTimeoutError(RetabError):
    """`wait_for_run` gave up: the run did not finish (or never appeared) within the timeout.

    `last_run` is the run as last seen (None if it never appeared in the
    listing), `run_id` the run waited for (None: the newest), `timeout` the
    seconds waited.
    """

    def __init__(
        self, message: str, *, last_run: Any | None, run_id: str | None, timeout: float
    ) -> None:
        super().__init__(message)
        self.message = message
        self.last_run = last_run
        self.run_id = run_id
        self.timeout = timeout


class APIError(RetabError):
    """A request to Retab was attempted and did not give a usable result.

    `request_id` is Retab's `x-request-id` for the failed response, when there
    was one: quote it when reporting a problem to Retab.
    """

    request_id: str | None

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id


class APIConnectionError(APIError):
    """Retab could not be reached, or the connection broke before a full answer."""

    def __init__(self, message: str = "Connection error.") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """Retab did not answer within the timeout."""

    def __init__(self, message: str = "Request timed out.") -> None:
        super().__init__(message)


class CertificateVerificationError(APIConnectionError):
    """The server's TLS certificate could not be verified (a proxy, a wrong CA bundle).

    Not retried: another attempt would meet the same certificate.
    """


class ResponseTooLargeError(APIError):
    """The response body (decoded) went past the client's `max_response_size`.

    Reading stopped at the limit, so memory stays bounded; not retried.
    """

    def __init__(self, message: str, *, limit: int, request_id: str | None = None) -> None:
        super().__init__(message, request_id=request_id)
        self.limit = limit


class PaginationError(APIError):
    """A paged listing cannot go on: its cursor came back twice, or an empty page named a next.

    Following it would never end; the pages read so far are not returned.
    """


class ResponseValidationError(APIError):
    """A successful response whose body is not JSON, or does not match the spec.

    `field` is the path of the offending field (`runs[3].created_at`), or None
    when the body as a whole is unusable (not JSON, not an object).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None,
        status_code: int,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.field = field
        self.status_code = status_code


class APIStatusError(APIError):
    """Retab answered with a status other than 2xx.

    `status_code`, `request_id`, the `body` (the spec's error model of this
    status when the body is one, such as `ErrorResponse`; else the decoded
    JSON, None if not JSON), the server's `retry_after` wait in seconds (None
    if it sent none) and the `response` itself are kept; the message comes
    from the body's `detail`.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key or access token is missing or invalid."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials may not read this workflow or experiment."""


class NotFoundError(APIStatusError):
    """404: no such workflow or experiment."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state (retried by default)."""


class UnprocessableEntityError(APIStatusError):
    """422: a parameter failed validation; `errors` lists FastAPI's details."""

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The `detail` list of a FastAPI validation body (`loc`, `msg`, `type`), or []."""
        body = self.body.to_dict() if isinstance(self.body, Model) else self.body
        if isinstance(body, dict) and isinstance(body.get("detail"), list):
            return [item for item in body["detail"] if isinstance(item, dict)]
        return []


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` is the server's wait in seconds, if it sent one."""


class InternalServerError(APIStatusError):
    """5xx: Retab failed to answer (retried by default)."""
