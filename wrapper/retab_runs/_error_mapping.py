"""How an HTTP response or a transport failure becomes one of `retab_runs.errors`' classes.

`status_error` reads a non-2xx answer's (bounded) body through the models
the spec documents for that status, names the class of the status, and
keeps the response with every secret masked; `transport_error` names a
transport failure by its cause, in words a person can act on.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpx

from _retab_runs_runtime import Model

from . import _json
from ._constants import SECRET_HEADERS
from ._redact import MASK as _MASK
from ._redact import mask, mask_json, one_line, preview, secret_pattern
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CertificateVerificationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

__all__ = ["status_error", "transport_error"]

_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


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
