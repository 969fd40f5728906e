"""Every error retab-runs raises, and how HTTP responses and transport failures map onto them.

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

import functools
import re
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpx

from _retab_runs_runtime import MissingDependencyError, Model, RetabError, UnknownColumnError

from . import _json
from ._constants import MESSAGE_LIMIT, SECRET_HEADERS

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

_MASK = "***"


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


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


# Characters a JSON encoder or Python's repr may write as a short escape.
_SHORT_ESCAPES = {"\t": "t", "\n": "n", "\r": "r", "\b": "b", "\f": "f"}


def _hex(value: int, width: int) -> str:
    """`value` as hex digits of either case (escapes and percent-encodings use both)."""
    return "".join(
        f"[{digit}{digit.upper()}]" if digit.isalpha() else digit for digit in f"{value:0{width}x}"
    )


@functools.lru_cache(maxsize=256)  # per character, never a secret: patterns build fast
def _char_pattern(char: str) -> str:
    """Every way one character of a secret travels: as is, percent-encoded (up to
    three times), backslash-escaped (JSON's `\\/` and `\\"`, a repr's `\\'`), as a
    `\\u`/`\\x` escape; an escape's backslash may itself be escaped (a JSON
    string inside a repr), up to 8 backslashes.

    Bounded repeats, not `+` or `*`: a server's 64 KiB of backslashes or of
    `%2525...` would otherwise cost a scan of the run at every position
    (quadratic: 41 s for one error body).
    """
    code = ord(char)
    forms = [re.escape(char)]
    encoded = char.encode("utf-8", "surrogatepass")
    forms += ["".join(f"%(?:25){{0,2}}{_hex(byte, 2)}" for byte in encoded)]
    escapes = [f"u{_hex(code, 4)}"] if code <= 0xFFFF else []
    if code <= 0xFF:
        escapes.append(f"x{_hex(code, 2)}")
    if char in _SHORT_ESCAPES:
        escapes.append(_SHORT_ESCAPES[char])
    elif not char.isalnum() and code < 0x80:
        escapes.append(re.escape(char))
    forms.append(rf"\\{{1,8}}(?:{'|'.join(escapes)})")
    if char == " ":
        forms.append(r"\+")  # form-encoded
    return f"(?:{'|'.join(forms)})"


def secret_pattern(secrets: Iterable[str | None]) -> re.Pattern[str] | None:
    """One pattern matching every non-empty secret in any form a server or a log may
    write it in (see `_char_pattern`), each character's form chosen freely; None
    when there is no secret. Longest secrets first, so one that holds another is
    masked whole."""
    found = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
    if not found:
        return None
    return re.compile("|".join("".join(map(_char_pattern, secret)) for secret in found))


Secrets = Iterable[str | None] | re.Pattern[str] | None


def _pattern(secrets: Secrets) -> re.Pattern[str] | None:
    if isinstance(secrets, re.Pattern) or secrets is None:
        return secrets
    return secret_pattern(secrets)


def mask(text: str, secrets: Secrets) -> str:
    """`text` with every secret, in any of its echoed forms, replaced by `***`.

    `secrets` are the values, or their `secret_pattern` (compiled once for many texts).
    """
    pattern = _pattern(secrets)
    return text if pattern is None else pattern.sub(_MASK, text)


def _text(model: Model, name: str) -> str | None:
    """A text member of a validated error model, None when absent or empty (the spec
    makes these members strings, null or absent)."""
    value: str | None = model.get(name)
    return value or None


def _detail_message(parsed: Model) -> str | None:
    """The human message of an error body the spec's error model accepted.

    Retab's `detail` is a string, an object (`message`, `code`) or FastAPI's
    list of `{loc, msg}`; read through the generated model, by JSON name.
    """
    detail = parsed.get("detail")
    if isinstance(detail, str):
        return detail
    if isinstance(detail, Model):
        message, code = _text(detail, "message"), _text(detail, "code")
        return f"{message} ({code})" if message and code else message
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Model) and (msg := _text(item, "msg")):
                where = ".".join(str(p) for p in item.get("loc"))  # a required list
                parts.append(f"{where}: {msg}" if where else msg)
        return "; ".join(parts) or None
    return None


def mask_json(value: object, secrets: Secrets) -> object:
    """A decoded JSON value with every secret masked inside its strings (and keys).

    Walked with an explicit stack: a deeply nested body never recurses.
    """
    found = _pattern(secrets)
    if found is None:
        return value
    root: list[object] = [value]
    stack: list[tuple[list[object] | dict[str, object], int | str]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]  # type: ignore[index]
        if isinstance(item, str):
            parent[key] = mask(item, found)  # type: ignore[index]
        elif isinstance(item, list):
            copy = list(item)
            parent[key] = copy  # type: ignore[index]
            stack.extend((copy, i) for i in range(len(copy)))
        elif isinstance(item, dict):
            masked = {mask(str(k), found): v for k, v in item.items()}
            parent[key] = masked  # type: ignore[index]
            stack.extend((masked, k) for k in masked)
    return root[0]


def _masked_request(request: httpx.Request, found: re.Pattern[str] | None) -> httpx.Request:
    """The request without credentials: what an error may keep and show."""
    url = httpx.URL(mask(str(request.url), found))
    if "access_token" in url.params:
        url = url.copy_set_param("access_token", _MASK)
    headers = {
        name: (_MASK if name.lower() in SECRET_HEADERS else mask(value, found))
        for name, value in request.headers.items()
    }
    return httpx.Request(request.method, url, headers=headers)


def status_error(
    response: httpx.Response,
    content: bytes,
    *,
    error_models: Iterable[type[Model]] = (),
    retry_after: float | None = None,
    secrets: Iterable[str | None] = (),
) -> APIStatusError:
    """The APIStatusError subclass for a non-2xx response, its message from the body.

    `content` is the (bounded) decoded body; `error_models` the models the
    spec documents for this status, most specific first. The first that
    accepts the body gives the message (its `detail`); on a status the spec
    does not document, a plain `{"detail": "..."}` (Retab's error shape) still
    does; any other body (a proxy's page, a truncated one) gives the status's
    reason phrase. The
    kept `response`, `body` and message have every secret masked; the
    message is one line cut to MESSAGE_LIMIT.
    """
    found = secret_pattern(secrets)
    try:
        body: object | None = _json.loads(content)  # an empty body is not JSON either
    except (ValueError, RecursionError):
        body = None
    body = mask_json(body, found)
    status = response.status_code
    detail = None
    if isinstance(body, dict):
        model = next((m for m in error_models if m.SCHEMA.is_valid(body)), None)
        if model is not None:
            body = model.from_valid_dict(body)  # the spec's error model, typed
            detail = _detail_message(body)
        elif isinstance(body.get("detail"), str):
            detail = body["detail"]  # Retab's plain error shape, on a status the spec omits
    reason = response.reason_phrase or "Error"
    message = f"Error code: {status} - {detail}" if detail else f"Error code: {status} - {reason}"
    message = one_line(mask(message, found))
    request_id = response.headers.get("x-request-id")
    if request_id is not None:
        request_id = one_line(mask(request_id, found), 200)
    # The body is decoded already: the copy must not decode it again.
    headers = [
        (name, mask(value, found))
        for name, value in response.headers.multi_items()
        if name not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    extensions: dict[str, Any] = {
        key: response.extensions[key]
        for key in ("http_version", "reason_phrase")
        if key in response.extensions
    }
    if found is not None and isinstance(extensions.get("reason_phrase"), bytes):
        phrase = extensions["reason_phrase"].decode("latin-1")
        extensions["reason_phrase"] = mask(phrase, found).encode("latin-1")
    kept = httpx.Response(
        status,
        headers=headers,
        content=mask(content.decode("utf-8", "replace"), found).encode(),
        request=_masked_request(response.request, found),
        extensions=extensions,
    )
    cls = _STATUS_CLASSES.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    return cls(
        message,
        response=kept,
        body=body,
        request_id=request_id,
        retry_after=retry_after,
    )


def preview(value: object, limit: int = 40) -> str:
    """`value` quoted for a message (its repr: control characters escaped), cut to `limit`."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def transport_error(  # noqa: PLR0911 (one message per cause)
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
        reason = preview(message, 120).strip("'\"")
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
