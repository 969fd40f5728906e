"""How each failure reaches the caller: class, message, request id, details."""

from __future__ import annotations

import json
import socket
import ssl
import time
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY, TOKEN
from retab_runs import (
    APIConnectionError,
    APIError,
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
    ResponseValidationError,
    Retab,
    UnprocessableEntityError,
)
from retab_runs._constants import ERROR_BODY_LIMIT
from retab_runs._error_mapping import status_error, transport_error
from retab_runs.models import ErrorResponse


@pytest.fixture
def client() -> Retab:
    return Retab(KEY, max_retries=0)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_each_status_maps_to_its_class(
    client: Retab, httpx_mock: HTTPXMock, status: int, cls: type[APIStatusError]
) -> None:
    httpx_mock.add_response(
        status_code=status, json={"detail": "nope"}, headers={"x-request-id": "req_42"}
    )
    with pytest.raises(cls) as info:
        client.list_runs("w", "e")
    error = info.value
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.request_id == "req_42"
    # The spec's error model of the status (every one of the seed's is ErrorResponse).
    assert type(error.body) is ErrorResponse
    assert error.body.detail == "nope"
    assert error.body.to_dict() == {"detail": "nope"}
    assert str(error) == f"Error code: {status} - nope"


def test_a_body_the_spec_does_not_describe_stays_decoded_json(
    client: Retab, httpx_mock: HTTPXMock
) -> None:
    """Only a body the documented model accepts is typed; anything else is kept as decoded."""
    httpx_mock.add_response(status_code=500, json={"error": {"code": 7}})
    with pytest.raises(InternalServerError) as info:
        client.list_runs("w", "e", max_retries=0)
    assert info.value.body == {"error": {"code": 7}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"detail": "Experiment not found"}, "Error code: 404 - Experiment not found"),
        (
            {
                "detail": {
                    "code": "experiment_missing",
                    "message": "No such experiment",
                    "details": {},
                }
            },
            "Error code: 404 - No such experiment (experiment_missing)",
        ),
        ({"detail": {"message": "Gone"}}, "Error code: 404 - Gone"),
        ({"unexpected": True}, "Error code: 404 - Not Found"),
        ("plain text", "Error code: 404 - Not Found"),
    ],
)
def test_message_comes_from_detail(
    client: Retab, httpx_mock: HTTPXMock, body: Any, message: str
) -> None:
    if isinstance(body, str):
        httpx_mock.add_response(status_code=404, text=body)
    else:
        httpx_mock.add_response(status_code=404, json=body)
    with pytest.raises(NotFoundError) as info:
        client.list_runs("w", "e")
    assert str(info.value) == message


def test_422_carries_validation_details(client: Retab, httpx_mock: HTTPXMock) -> None:
    detail = [{"loc": ["path", "workflow_id"], "msg": "too short", "type": "value_error"}]
    httpx_mock.add_response(status_code=422, json={"detail": detail})
    with pytest.raises(UnprocessableEntityError) as info:
        client.list_runs("w", "e")
    assert info.value.errors == detail
    assert str(info.value) == "Error code: 422 - path.workflow_id: too short"


def test_each_validation_entry_is_named_in_the_message(
    client: Retab, httpx_mock: HTTPXMock
) -> None:
    detail = [
        {"loc": ["body", "n_consensus"], "msg": "must be odd", "type": "value_error"},
        {"loc": [], "msg": "bad request", "type": "value_error"},  # nothing to point at
        {"loc": ["query", 0], "msg": "", "type": "value_error"},  # nothing to say: left out
    ]
    httpx_mock.add_response(status_code=422, json={"detail": detail})
    with pytest.raises(UnprocessableEntityError) as info:
        client.list_runs("w", "e")
    assert str(info.value) == "Error code: 422 - body.n_consensus: must be odd; bad request"
    assert info.value.message == str(info.value)


def test_429_carries_retry_after(client: Retab, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        status_code=429, json={"detail": "slow down"}, headers={"Retry-After": "7"}
    )
    with pytest.raises(RateLimitError) as info:
        client.list_runs("w", "e")
    assert info.value.retry_after == 7.0


def test_secrets_echoed_by_the_server_are_masked(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=401, json={"detail": f"Invalid key {KEY} or token {TOKEN}"})
    with pytest.raises(AuthenticationError) as info:
        Retab(KEY, access_token=TOKEN, max_retries=0).list_runs("w", "e")
    text = str(info.value) + repr(info.value)
    assert KEY not in text and TOKEN not in text
    assert "Invalid key *** or token ***" in str(info.value)


class TestTransportErrors:
    def test_connection_error(self, client: Retab, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_exception(httpx.ConnectError("refused"))
        with pytest.raises(APIConnectionError) as info:
            client.list_runs("w", "e")
        assert not isinstance(info.value, APITimeoutError)
        # httpx's exception keeps the request (and its Api-Key header): it is
        # named in the message, never chained, so error reporters cannot send it.
        assert "ConnectError" in str(info.value)
        assert info.value.__cause__ is None and info.value.__context__ is None

    @pytest.mark.parametrize("exc", [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow")])
    def test_timeout(self, client: Retab, httpx_mock: HTTPXMock, exc: Exception) -> None:
        httpx_mock.add_exception(exc)
        with pytest.raises(APITimeoutError):
            client.list_runs("w", "e")

    def test_message_does_not_quote_the_url_with_the_token(self, httpx_mock: HTTPXMock) -> None:
        request_url = f"https://api.retab.com/v1/?access_token={TOKEN}"
        httpx_mock.add_exception(httpx.ConnectError(f"failed to reach {request_url}"))
        with pytest.raises(APIConnectionError) as info:
            Retab(access_token=TOKEN, max_retries=0).list_runs("w", "e")
        assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)


class TestMalformedSuccess:
    @pytest.mark.parametrize(
        "content",
        [b"<html>oops</html>", b'{"runs": [', b"", b"\xff\xfe\x00garbage", b"[" * 100_000],
    )
    def test_body_that_is_not_json(
        self, client: Retab, httpx_mock: HTTPXMock, content: bytes
    ) -> None:
        httpx_mock.add_response(content=content, headers={"x-request-id": "req_7"})
        with pytest.raises(ResponseValidationError) as info:
            client.list_runs("w", "e")
        assert info.value.field is None
        assert info.value.request_id == "req_7"
        assert "not valid JSON" in str(info.value)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "runs"),
            ({"runs": None}, "runs"),
            ([], None),
            ({"runs": [{"id": "r"}]}, "runs[0].definition_fingerprint"),
        ],
    )
    def test_body_that_does_not_match_names_the_field(
        self, client: Retab, httpx_mock: HTTPXMock, body: Any, field: str | None
    ) -> None:
        httpx_mock.add_response(content=json.dumps(body).encode())
        with pytest.raises(ResponseValidationError) as info:
            client.list_runs("w", "e")
        assert info.value.field == field
        if field:
            assert field in str(info.value)

    def test_wrong_type_deep_in_a_run(
        self, client: Retab, httpx_mock: HTTPXMock, example_run: dict[str, Any]
    ) -> None:
        runs = [dict(example_run) for _ in range(5)]
        runs[3]["score"] = "0.9"
        httpx_mock.add_response(json={"runs": runs})
        with pytest.raises(ResponseValidationError, match=r"runs\[3\]\.score") as info:
            client.list_runs("w", "e")
        assert info.value.field == "runs[3].score"
        assert info.value.status_code == 200
        assert info.value.message == str(info.value)
        assert not isinstance(info.value, KeyError)


def test_a_status_error_keeps_its_request_without_credentials() -> None:
    request = httpx.Request(
        "POST",
        f"https://api.retab.com/v1/x?access_token=not-a-known-secret&q={KEY}",
        headers={"Api-Key": "unlisted", "Authorization": "Bearer x", "X-Echo": f"key {KEY}"},
    )
    response = httpx.Response(500, content=b'{"detail": "boom"}', request=request)
    kept = status_error(response, response.content, secrets=[KEY, None]).response.request
    assert kept.method == "POST"
    assert kept.url.params["access_token"] == "***"  # masked whatever its value
    assert kept.url.params["q"] == "***"
    assert kept.headers["api-key"] == "***" and kept.headers["authorization"] == "***"
    assert kept.headers["x-echo"] == "key ***"
    assert KEY not in str(kept.url) and "not-a-known-secret" not in str(kept.url)


def test_a_status_error_keeps_the_response_as_read_not_as_sent() -> None:
    request = httpx.Request("GET", "https://api.retab.com/v1/x")
    body = b'{"detail": "quota \xff exceeded"}'  # not UTF-8: kept, replaced, never raising
    response = httpx.Response(
        418,
        headers={
            "Content-Encoding": "gzip",  # already decoded: the copy must not decode again
            "Content-Length": "999",
            "Transfer-Encoding": "chunked",
            "X-Request-Id": "req_1",
            "X-Server": "edge",
        },
        request=request,  # the body comes apart, decoded and bounded, as the pipeline reads it
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": b"Short and Stout"},
    )
    error = status_error(response, body)
    kept = error.response
    assert str(error) == "Error code: 418 - Short and Stout"  # the body is not JSON
    assert error.request_id == "req_1"
    assert kept.headers["x-server"] == "edge" and kept.headers["x-request-id"] == "req_1"
    for gone in ("content-encoding", "transfer-encoding"):
        assert gone not in kept.headers
    assert kept.headers["content-length"] == str(len(kept.content))
    assert kept.content == body.decode("utf-8", "replace").encode()
    assert kept.extensions["http_version"] == b"HTTP/1.1"
    assert kept.reason_phrase == "Short and Stout"  # as the server sent it, not httpx's
    assert kept.request.url == request.url


def test_a_status_error_masks_the_key_in_the_kept_heads_reason_and_headers() -> None:
    request = httpx.Request("GET", "https://api.retab.com/v1/x")
    response = httpx.Response(
        403,
        headers=[("X-Echo", "sk\\/key"), ("X-Echo", "kept"), ("X-Other", "sk%2Fkey")],
        request=request,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": b"No sk/key here"},
    )
    kept = status_error(response, b"", secrets=["sk/key"]).response
    assert kept.headers.get_list("x-echo") == ["***", "kept"]  # repeated headers kept apart
    assert kept.headers["x-other"] == "***"
    assert kept.reason_phrase == "No *** here"


def test_a_plain_detail_on_an_undocumented_status_is_the_message() -> None:
    request = httpx.Request("GET", "https://api.retab.com/v1/x")
    response = httpx.Response(418, content=b'{"detail": "no tea"}', request=request)
    assert str(status_error(response, response.content)) == "Error code: 418 - no tea"
    empty = httpx.Response(418, content=b"", request=request)
    assert str(status_error(empty, b"")) == "Error code: 418 - I'm a teapot"


def _caused(exc: httpx.TransportError, *causes: BaseException) -> httpx.TransportError:
    """`exc` raised from the chain `causes` (the first its direct cause)."""
    current: BaseException = exc
    for cause in causes:
        current.__cause__ = cause
        current = cause
    return exc


_HTTPS = httpx.Request("GET", "https://api.retab.com/v1/x")
_HTTP = httpx.Request("GET", "http://127.0.0.1:8080/v1/x")
_VERIFY = ssl.SSLCertVerificationError("bad")
_VERIFY.verify_message = "self-signed certificate in certificate chain"


@pytest.mark.parametrize(
    ("exc", "request_", "kind", "message"),
    [
        (httpx.ConnectTimeout("t"), _HTTPS, APITimeoutError,
         "Request to api.retab.com:443 timed out (ConnectTimeout)."),
        (httpx.ReadTimeout("t"), _HTTP, APITimeoutError,
         "Request to 127.0.0.1:8080 timed out (ReadTimeout)."),
        (_caused(httpx.ConnectError("c"), _VERIFY), _HTTPS, CertificateVerificationError,
         "TLS certificate verification failed for api.retab.com:443: self-signed certificate"
         " in certificate chain (a proxy intercepting TLS? set SSL_CERT_FILE to its CA bundle)"),
        (httpx.ProxyError("p"), _HTTPS, APIConnectionError,
         "Proxy error reaching api.retab.com:443 (ProxyError)."),
        (_caused(httpx.ConnectError("c"), socket.gaierror("g")), _HTTPS, APIConnectionError,
         "Could not resolve api.retab.com (DNS)."),
        (_caused(httpx.ConnectError("c"), OSError(), ConnectionRefusedError()), _HTTP,
         APIConnectionError, "Connection refused by 127.0.0.1:8080."),
        (_caused(httpx.ConnectError("c"), ssl.SSLError("s")), _HTTPS, APIConnectionError,
         "TLS error with api.retab.com:443."),
        (httpx.ReadError("r"), _HTTPS, APIConnectionError,
         "Connection error with api.retab.com:443 (ReadError)."),
    ],
)  # fmt: skip
def test_a_transport_failure_is_named_by_its_cause(
    exc: httpx.TransportError, request_: httpx.Request, kind: type, message: str
) -> None:
    error = transport_error(exc, request_)
    assert type(error) is kind
    assert str(error) == message


def test_causes_are_looked_for_ten_deep() -> None:
    near = _caused(httpx.ConnectError("c"), *[OSError() for _ in range(8)], socket.gaierror("g"))
    assert str(transport_error(near, _HTTPS)) == "Could not resolve api.retab.com (DNS)."
    chain = [OSError() for _ in range(9)]
    far = _caused(httpx.ConnectError("c"), *chain, socket.gaierror("g"))
    assert str(transport_error(far, _HTTPS)).startswith("Connection error with")
    plain = httpx.Request("GET", "http://example.com/x")
    assert str(transport_error(httpx.ReadError("r"), plain)).endswith("example.com:80 (ReadError).")


@pytest.mark.parametrize(
    "form",
    [
        'sk/a"b c+d',  # raw
        'sk/a\\"b c+d',  # JSON-escaped
        "sk%2Fa%22b%20c%2Bd",  # percent-encoded, nothing safe
        "sk/a%22b%20c%2Bd",  # percent-encoded, the slash left
        "sk%2Fa%22b+c%2Bd",  # form-encoded
        'sk\\/a"b c+d',  # only the slash escaped
        "sk\\u002fa\\u0022b c\\u002Bd",  # \u escapes, either case
        "sk%252Fa%2522b%2520c%252Bd",  # percent-encoded twice
        'sk\\\\/a\\\\"b c+d',  # JSON-escaped inside a repr: each escape escaped again
        "sk\\x2fa\\x22b\\x20c+d",  # a repr's \x escapes
    ],
)
def test_a_secret_is_masked_in_every_form_it_travels_in(form: str) -> None:
    from retab_runs._redact import mask

    assert mask(f"before {form} after", ['sk/a"b c+d']) == "before *** after"


@pytest.mark.parametrize(
    "body", ["\\" * ERROR_BODY_LIMIT, "%" + "25" * (ERROR_BODY_LIMIT // 2), "\\u00" * 16_000]
)
def test_masking_a_hostile_error_body_takes_linear_time(body: str) -> None:
    """A whole error body of backslashes or `%2525...` against a key holding both: each
    form's repeats are bounded, so no position rescans the run (41 s before the bound)."""
    request = httpx.Request("GET", "https://api.retab.com/v1/x")
    response = httpx.Response(500, request=request)
    started = time.perf_counter()
    error = status_error(response, body.encode(), secrets=["\\sk-%key\\"])
    assert time.perf_counter() - started < 2.0
    assert error.response.text == body


def test_connection_errors_have_default_messages() -> None:
    assert str(APIConnectionError()) == "Connection error."
    assert str(APITimeoutError()) == "Request timed out."


@pytest.mark.parametrize(
    ("secret", "sent"),
    [
        ('"quoted', '\\"quoted'),  # JSON-escaped: the raw form sits inside it
        ("\\tok", "\\\\tok"),  # a leading backslash, escaped
    ],
)
def test_a_form_that_holds_another_is_masked_whole(secret: str, sent: str) -> None:
    from retab_runs._redact import mask

    assert mask(f"key={sent};", [secret]) == "key=***;"


def test_a_message_of_exactly_the_limit_is_kept_whole() -> None:
    from retab_runs._constants import MESSAGE_LIMIT
    from retab_runs._redact import one_line

    text = "x" * MESSAGE_LIMIT
    assert one_line(text) == text
    assert one_line(text + "y") == "x" * (MESSAGE_LIMIT - 1) + "…"


def test_a_certificate_failure_without_a_reason_says_so() -> None:
    bare = ssl.SSLCertVerificationError("raised by hand, no verify_message")
    error = transport_error(_caused(httpx.ConnectError("c"), bare), _HTTPS)
    assert str(error).startswith(
        "TLS certificate verification failed for api.retab.com:443: unknown reason ("
    )


def test_a_certificate_reason_is_quoted_without_its_quotes_and_cut() -> None:
    starts = ssl.SSLCertVerificationError("bad")
    starts.verify_message = "X509 subject does not match"  # an X, not a quote, is kept
    error = transport_error(_caused(httpx.ConnectError("c"), starts), _HTTPS)
    assert ": X509 subject does not match (a proxy" in str(error)
    long = ssl.SSLCertVerificationError("bad")
    long.verify_message = "y" * 300
    error = transport_error(_caused(httpx.ConnectError("c"), long), _HTTPS)
    reason = str(error).split(": ", 1)[1].split(" (a proxy")[0]
    assert reason == "y" * 118 + "…"  # the repr cut to 120, its opening quote dropped
