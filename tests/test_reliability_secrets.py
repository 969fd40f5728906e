"""With a recognisable key and access token, drive every error path and check
neither secret appears in any message, repr, traceback, log record or CLI output."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterator

import httpx
import pytest

from retab_runs import APIError, APIStatusError, AsyncRetab, Retab, RetabError, cli
from retab_runs.testing import FakeRetabServer

KEY = "sk-LEAKCHECK-KEY-7f3a9c2e"
TOKEN = "tok-LEAKCHECK-TOKEN-41b8d0aa"
SECRETS = (KEY, TOKEN)
WF, EXP = "wf_demo", "exp_invoices"


@pytest.fixture
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer(sample=True, api_key=KEY, access_token=TOKEN) as server:
        yield server


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger (httpx, httpcore, retab_runs) at DEBUG."""
    caplog.set_level(logging.DEBUG)
    return caplog


def everything_about(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    parts += [repr(arg) for arg in error.args]
    if isinstance(error, APIError):
        parts += [str(error.message), repr(error.request_id)]
    return "\n".join(parts)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def inject(kind: str) -> Callable[[FakeRetabServer], None]:
    faults: dict[str, Callable[[FakeRetabServer], None]] = {
        "drop": lambda s: s.drop_next(5),
        "drop mid-body": lambda s: s.drop_next(5, after_bytes=200),
        "stall": lambda s: s.delay_next(5, seconds=1.0),
        "drip": lambda s: s.drip_next(5, chunk_size=64, interval=0.05),
        "not json": lambda s: s.malformed_next(kind="not_json"),
        "truncated": lambda s: s.malformed_next(kind="truncated"),
        "wrong type": lambda s: s.malformed_next(kind="wrong_type"),
        "missing field": lambda s: s.malformed_next(kind="missing_field"),
        "echoing 401": lambda s: s.fail_next(
            status=401, body={"detail": f"bad key {KEY} or token {TOKEN}"}
        ),
        "echoing key 401": lambda s: s.fail_next(status=401, body={"detail": f"bad key {KEY}"}),
        "echoing 422": lambda s: s.fail_next(
            status=422,
            body={"detail": [{"loc": ["query", "access_token"], "msg": TOKEN, "type": "x"}]},
        ),
        "echoing structured 403": lambda s: s.fail_next(
            status=403, body={"detail": {"code": KEY, "message": f"denied for {TOKEN}"}}
        ),
    }
    for status in (400, 404, 408, 409, 429, 500, 502, 503, 504):
        faults[f"status {status}"] = lambda s, status=status: s.fail_next(5, status=status)
    return faults[kind]


FAULTS = [
    "drop", "drop mid-body", "stall", "drip", "not json", "truncated", "wrong type",
    "missing field", "echoing 401", "echoing 422", "echoing structured 403",
    *(f"status {s}" for s in (400, 404, 408, 409, 429, 500, 502, 503, 504)),
]  # fmt: skip


@pytest.mark.parametrize("fault", FAULTS)
def test_sync_error_paths_leak_nothing(
    server: FakeRetabServer, debug_logs: pytest.LogCaptureFixture, sleeps: list[float], fault: str
) -> None:
    inject(fault)(server)
    client = Retab(KEY, access_token=TOKEN, base_url=server.url, timeout=0.3, max_retries=1)
    with client, pytest.raises(RetabError) as info:
        client.list_runs(WF, EXP)
    assert_no_secret(everything_about(info.value))
    assert_no_secret(repr(client))
    assert_no_secret(debug_logs.text)
    assert_no_secret("\n".join(r.getMessage() for r in debug_logs.records))
    assert_no_secret(repr(server.requests))


@pytest.mark.anyio
@pytest.mark.parametrize("fault", ["drop", "status 503", "echoing 401", "not json", "stall"])
async def test_async_error_paths_leak_nothing(
    server: FakeRetabServer, debug_logs: pytest.LogCaptureFixture, sleeps: list[float], fault: str
) -> None:
    inject(fault)(server)
    async with AsyncRetab(
        KEY, access_token=TOKEN, base_url=server.url, timeout=0.3, max_retries=1
    ) as client:
        results = await client.list_runs_many([(WF, EXP)])
        error = results[(WF, EXP)]
        assert isinstance(error, APIError)
        assert_no_secret(everything_about(error) + repr(client) + debug_logs.text)


def test_success_logs_leak_nothing(
    server: FakeRetabServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    with Retab(KEY, access_token=TOKEN, base_url=server.url) as client:
        client.list_runs(WF, EXP)
    assert "access_token=***" in debug_logs.text  # httpx's request line, redacted
    assert_no_secret(debug_logs.text)


HEADER_SECRET = "hdr-LEAKCHECK-AUTH-5e0c11d2"
# A credential the client did not get as api_key/access_token: in a call's
# extra_query, or in a default header that carries credentials.
ELSEWHERE = {
    "extra_query": ({}, {"extra_query": {"access_token": TOKEN}}, TOKEN),
    "default_headers": ({"default_headers": {"Cookie": HEADER_SECRET}}, {}, HEADER_SECRET),
    # A server may echo the credential without its scheme.
    "default Authorization": (
        {"default_headers": {"Authorization": f"Bearer {HEADER_SECRET}"}},
        {},
        HEADER_SECRET,
    ),
    "extra_headers": ({}, {"extra_headers": {"Proxy-Authorization": f"Basic {TOKEN}"}}, TOKEN),
}


@pytest.mark.parametrize("where", sorted(ELSEWHERE))
def test_a_credential_given_elsewhere_is_masked_too(
    server: FakeRetabServer, debug_logs: pytest.LogCaptureFixture, where: str
) -> None:
    settings, options, secret = ELSEWHERE[where]
    server.fail_next(status=403, body={"detail": f"denied for {secret}"})
    client = Retab(KEY, base_url=server.url, max_retries=0, **settings)
    with client, pytest.raises(APIStatusError) as info:
        client.list_runs(WF, EXP, **options)
    text = everything_about(info.value) + str(info.value.response.request.url)
    assert secret not in text and secret not in debug_logs.text
    assert str(info.value) == "Error code: 403 - denied for ***"


@pytest.mark.anyio
@pytest.mark.parametrize("where", sorted(ELSEWHERE))
async def test_async_a_credential_given_elsewhere_is_masked_too(
    server: FakeRetabServer, debug_logs: pytest.LogCaptureFixture, where: str
) -> None:
    settings, options, secret = ELSEWHERE[where]
    server.fail_next(status=403, body={"detail": f"denied for {secret}"})
    async with AsyncRetab(KEY, base_url=server.url, max_retries=0, **settings) as client:
        with pytest.raises(APIStatusError) as info:
            await client.list_runs(WF, EXP, **options)
    text = everything_about(info.value) + str(info.value.response.request.url)
    assert secret not in text and secret not in debug_logs.text
    assert str(info.value) == "Error code: 403 - denied for ***"


def test_construction_errors_leak_nothing() -> None:
    for call in (
        lambda: Retab(KEY + "\n"),
        lambda: Retab(KEY, access_token=TOKEN + " "),
        lambda: Retab(KEY, base_url="http://example.com"),
    ):
        with pytest.raises((ValueError, TypeError)) as info:
            call()
        assert_no_secret(everything_about(info.value))


# The CLI holds only the key (from the environment), so the key is what a server echoes.
@pytest.mark.parametrize("fault", ["echoing key 401", "status 500", "not json", "drop"])
def test_cli_output_leaks_nothing(
    server: FakeRetabServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    sleeps: list[float], fault: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("RETAB_API_KEY", KEY)
    monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
    inject(fault)(server)
    code = cli.main(["list", WF, EXP, "--format", "json"])
    out, err = capsys.readouterr()
    assert code != 0
    assert_no_secret(out + err)


class TestTransportSafety:
    def test_never_sends_the_key_over_plain_http_to_another_host(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sent: list[httpx.Request] = []
        monkeypatch.setattr(httpx.HTTPTransport, "handle_request", lambda self, r: sent.append(r))
        for url in (
            "http://api.retab.com",
            "http://10.0.0.5:8080",
            "http://localhost.evil.example",
        ):
            with pytest.raises(ValueError, match="allow_insecure_http"):
                Retab(KEY, base_url=url)
        assert sent == []

    def test_does_not_follow_a_redirect_to_another_host(self) -> None:
        with FakeRetabServer(api_key=KEY) as origin, FakeRetabServer(api_key=KEY) as elsewhere:
            elsewhere.add_runs(WF, EXP, [])
            target = f"{elsewhere.url}/v1/workflows/{WF}/experiments/{EXP}/runs"
            origin.fail_next(status=302, headers={"Location": target}, body={"detail": "moved"})
            with Retab(KEY, base_url=origin.url) as client, pytest.raises(APIStatusError) as info:
                client.list_runs(WF, EXP)
            assert info.value.status_code == 302
            assert elsewhere.received == 0  # with the key or without
            assert len(origin.requests) == 1

    def test_a_redirecting_http_client_of_yours_still_stays_put(self) -> None:
        with FakeRetabServer(api_key=KEY) as origin, FakeRetabServer(api_key=KEY) as elsewhere:
            target = f"{elsewhere.url}/v1/workflows/{WF}/experiments/{EXP}/runs"
            origin.fail_next(status=307, headers={"Location": target})
            http = httpx.Client(follow_redirects=True)
            client = Retab(KEY, base_url=origin.url, http_client=http)
            with client, pytest.raises(APIStatusError):
                client.list_runs(WF, EXP)
            http.close()
            assert elsewhere.received == 0  # with the key or without


ODD_KEY = "sk+LEAK/odd=="
ODD_FORMS = ("sk+LEAK/odd==", "sk%2BLEAK%2Fodd%3D%3D", "sk%2bLEAK%2fodd%3d%3d", "sk+LEAK\\/odd==")


def test_a_key_echoed_percent_encoded_or_json_escaped_is_masked_everywhere(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that echoes the key in every form: message, body, kept response, request id."""
    echoed = " ".join(ODD_FORMS)
    raw_echo = '{"detail": "no access for sk+LEAK\\/odd== (sk%2BLEAK%2Fodd%3D%3D)"}'
    with FakeRetabServer(sample=True, api_key=ODD_KEY) as server:
        server.fail_next(
            1, status=403, body={"detail": f"denied: {echoed}"}, headers={"x-request-id": echoed}
        )
        with Retab(ODD_KEY, base_url=server.url) as client:
            with pytest.raises(APIStatusError) as info:
                client.list_runs(WF, EXP)
            server.fail_next(1, status=409, body=raw_echo)  # a JSON string body, sent as is
            with pytest.raises(APIStatusError) as second:
                client.list_runs(WF, EXP, max_retries=0)
            server.add_runs(WF, "exp_echo", [])
            # A 200 whose request id echoes the key: RunList, RawResponse, their reprs.
            server.fail_next(1, status=200, body={"runs": []}, headers={"x-request-id": echoed})
            raw = client.with_raw_response.list_runs(WF, EXP)
        monkeypatch.setenv("RETAB_API_KEY", ODD_KEY)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        server.fail_next(
            1, status=403, body={"detail": f"denied: {echoed}"}, headers={"x-request-id": echoed}
        )
        assert cli.main(["list", WF, EXP]) == 3
    out, err = capsys.readouterr()
    for error in (info.value, second.value):
        text = "\n".join(
            [everything_about(error), repr(error.body), error.response.text, str(error.request_id)]
        )
        for form in ODD_FORMS:
            assert form not in text, form
    assert "***" in str(info.value)
    for form in ODD_FORMS:
        assert form not in f"{raw!r} {raw.request_id} {raw.parse().request_id} {out} {err}"


# Forms a JSON encoder, a repr or a percent-encoder may give the key, beyond
# ODD_FORMS: escapes mixed within one echo, \u escapes, an escape escaped again.
MIXED_FORMS = (
    "sk+LEAK\\/odd%3D=",
    "sk\\u002bLEAK\\u002Fodd\\u003d=",
    "sk+LEAK\\\\/odd==",
    "sk%252BLEAK%252Fodd==",
)


def _echo_headers() -> dict[str, str]:
    return {f"x-echo-{i}": form for i, form in enumerate((*ODD_FORMS, *MIXED_FORMS))}


def _assert_logs_masked(caplog: pytest.LogCaptureFixture) -> None:
    messages = [(r.name, r.getMessage()) for r in caplog.records]
    heads = [m for name, m in messages if name == "httpcore.http11" and "x-echo-0" in m]
    assert len(heads) == 2  # the 503's head and the 200's, each with every form masked
    assert all(m.count("***") >= len(ODD_FORMS + MIXED_FORMS) for m in heads)
    text = caplog.text + "\n".join(m for _, m in messages)
    for form in (*ODD_FORMS, *MIXED_FORMS):
        assert form not in text, form


def test_a_key_echoed_in_response_headers_reaches_no_log_record(
    debug_logs: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    """httpcore logs each response head at DEBUG: a server echoing the key in headers
    (and in the x-request-id of a 503) leaves it masked in every form."""
    with FakeRetabServer(sample=True, api_key=ODD_KEY) as server:
        server.fail_next(1, status=503, headers={"x-request-id": ODD_KEY, **_echo_headers()})
        server.fail_next(1, status=200, body={"runs": []}, headers=_echo_headers())
        with Retab(ODD_KEY, base_url=server.url) as client:
            client.list_runs(WF, EXP)
    _assert_logs_masked(debug_logs)


@pytest.mark.anyio
async def test_async_a_key_echoed_in_response_headers_reaches_no_log_record(
    debug_logs: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    with FakeRetabServer(sample=True, api_key=ODD_KEY) as server:
        server.fail_next(1, status=503, headers={"x-request-id": ODD_KEY, **_echo_headers()})
        server.fail_next(1, status=200, body={"runs": []}, headers=_echo_headers())
        async with AsyncRetab(ODD_KEY, base_url=server.url) as client:
            await client.list_runs(WF, EXP)
    _assert_logs_masked(debug_logs)


def test_a_key_echoed_in_mixed_escapes_is_masked_in_the_kept_response() -> None:
    """A JSON body whose escapes (`\\/`, `\\u002b`) cover only part of the key, and
    headers echoing it: masked in the kept response's text, headers and body."""
    body = '{"detail": "denied: ' + " ".join(MIXED_FORMS).replace("\\", "\\\\") + '"}'
    raw_body = '{"detail": "denied: sk+LEAK\\/odd%3D= sk\\u002bLEAK\\u002Fodd\\u003d="}'
    with FakeRetabServer(sample=True, api_key=ODD_KEY) as server:
        server.fail_next(1, status=409, body=raw_body, headers=_echo_headers())
        server.fail_next(1, status=409, body=body)
        with Retab(ODD_KEY, base_url=server.url, max_retries=0) as client:
            errors = []
            for _ in range(2):
                with pytest.raises(APIStatusError) as info:
                    client.list_runs(WF, EXP)
                errors.append(info.value)
    for error in errors:
        kept = error.response
        text = "\n".join([kept.text, repr(error.body), str(kept.headers), everything_about(error)])
        for form in (ODD_KEY, *ODD_FORMS, *MIXED_FORMS):
            assert form not in text, form
        assert "***" in kept.text


def test_the_library_log_filter_masks_only_a_calls_own_secrets_and_drops_nothing() -> None:
    """The filter on httpcore's loggers reads the secrets of the call running in this
    thread (or task): another thread's records, and a malformed record, pass as they were."""
    from retab_runs._logs import masking

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    log = logging.getLogger("httpcore.http11")
    handler, level = Keep(), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False  # pytest's own handlers would format (and fail on) the malformed one
    try:
        Retab(KEY, base_url="http://127.0.0.1:9").close()  # installs the filter
        with masking([KEY]):
            log.debug("in the call: %s", KEY)
            other = threading.Thread(target=log.debug, args=("another thread: %s", KEY))
            other.start()
            other.join()
        log.debug("after the call: %s", "sk-someone-else")
        log.debug("malformed %d", "not a number")
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = True
    assert [r.msg for r in records] == [
        "in the call: ***",
        "another thread: %s",
        "after the call: %s",
        "malformed %d",
    ]
    assert records[1].getMessage() == f"another thread: {KEY}"
