"""A hostile or broken server over raw sockets, and bad configuration: each case ends
in a documented error within its bound of time and memory, and leaks nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from conftest import KEY, TOKEN, pool_counts
from raw_server import RawServer, head
from retab_runs import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncRetab,
    CertificateVerificationError,
    ConfigurationError,
    ConfigurationTypeError,
    InternalServerError,
    ResponseValidationError,
    Retab,
    cli,
)
from retab_runs.testing import FakeRetabServer, json_decoder, sample_run

TESTS = Path(__file__).resolve().parent
SLACK = 1.0  # seconds of scheduling noise on a shared 2-core machine
LIMIT_MIB = 8

# -- memory: a subprocess per case, so its peak RSS is the call's alone ------------

MEMORY_CASE = """
import resource, sys, zlib
sys.path.insert(0, {tests!r})
from raw_server import RawServer, head
from retab_runs import Retab, APIError

def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def bomb(wbits, mib):
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(2**20)
    return b"".join(packer.compress(block) for _ in range(mib)) + packer.flush()

case = {case!r}
status = "500 Internal Server Error" if case == "gzip-500" else "200 OK"
if case in ("gzip-200", "gzip-500"):
    body, encoding = bomb(31, 256), "gzip"
elif case == "deflate-200":
    body, encoding = bomb(15, 256), "deflate"

def respond(conn, _):
    if case == "gzip-then-endless":
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        member = packer.compress(b'{{"runs": []}}') + packer.flush()
        conn.sendall(head(Content_Encoding="gzip", Connection="close",
                          Content_Type="application/json") + member)
        junk = b"x" * 0x10000
        while True:
            conn.sendall(junk)
    if case == "endless-chunked":
        conn.sendall(head(Transfer_Encoding="chunked", Content_Type="application/json"))
        chunk = b"10000\\r\\n" + b" " * 0x10000 + b"\\r\\n"
        while True:
            conn.sendall(chunk)
    conn.sendall(head(status, Content_Encoding=encoding, Content_Length=len(body),
                      Content_Type="application/json") + body)

with RawServer(respond) as server:
    before = peak_mib()
    started = __import__("time").monotonic()
    with Retab("sk-x", base_url=server.url, max_response_size={limit} * 2**20,
               timeout=20) as client:
        try:
            client.list_runs("wf", "exp")
            outcome = "no error"
        except APIError as exc:
            outcome = type(exc).__name__
            kept = len(getattr(getattr(exc, "response", None), "content", b""))
    print(outcome, len(server.requests), round(peak_mib() - before, 1),
          round(__import__("time").monotonic() - started, 2), kept if outcome != "no error" else 0)
"""


@pytest.mark.parametrize(
    ("case", "error", "attempts"),
    [
        ("gzip-200", "ResponseTooLargeError", 1),
        ("deflate-200", "ResponseTooLargeError", 1),
        ("endless-chunked", "ResponseTooLargeError", 1),
        ("gzip-then-endless", "ResponseValidationError", 1),
        ("gzip-500", "InternalServerError", 3),
    ],
)
def test_bodies_past_the_limit_fail_promptly_in_bounded_memory(
    case: str, error: str, attempts: int
) -> None:
    """A 256 MiB bomb (about 256 KiB on the wire) or an endless body: refused at the limit."""
    code = MEMORY_CASE.format(tests=str(TESTS), case=case, limit=LIMIT_MIB)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome, sent, growth_mib, seconds, kept = result.stdout.split()
    assert (outcome, int(sent)) == (error, attempts)
    assert float(growth_mib) < 6 * LIMIT_MIB  # RSS growth: a small multiple of the limit
    assert float(seconds) < 30
    if case == "gzip-500":
        assert int(kept) <= 64 * 1024  # the error body is read (and kept) up to 64 KiB only


def test_only_encodings_it_can_bound_are_asked_for_and_others_refused() -> None:
    def respond(conn: socket.socket, _: bytes) -> None:
        conn.sendall(head(Content_Encoding="br", Content_Length=4) + b"\x8b\x00\x80\x00")

    with RawServer(respond) as server, Retab(KEY, base_url=server.url) as client:
        with pytest.raises(ResponseValidationError, match="could not be decoded"):
            client.list_runs("wf", "exp")
        assert b"accept-encoding: gzip, deflate\r\n" in server.requests[0].lower()


# -- time: one deadline for the whole attempt, headers included ----------------------


def drip_headers(conn: socket.socket, _: bytes) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 20:
        conn.sendall(bytes([byte]))
        time.sleep(0.2)


def test_headers_sent_a_byte_at_a_time_are_cut_off_at_the_deadline() -> None:
    with RawServer(drip_headers) as server:
        started = time.monotonic()
        with (
            Retab(KEY, base_url=server.url, timeout=1, max_retries=0) as client,
            pytest.raises(APITimeoutError),
        ):
            client.list_runs("wf", "exp")
        assert time.monotonic() - started < 1 + SLACK


@pytest.mark.anyio
async def test_async_headers_drip_is_cut_off_too() -> None:
    with RawServer(drip_headers) as server:
        started = time.monotonic()
        async with AsyncRetab(KEY, base_url=server.url, timeout=1, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.list_runs("wf", "exp")
        assert time.monotonic() - started < 1 + SLACK


# -- the pool: any concurrency, cancellations -----------------------------------------


def test_fan_out_at_any_concurrency_finishes_without_pool_timeouts() -> None:
    with FakeRetabServer(latency=0.005) as server:
        pairs = [("wf", f"exp_{n}") for n in range(300)]
        for wf, exp in pairs:
            server.add_runs(wf, exp, [sample_run(f"r_{exp}")])
        started = time.monotonic()
        # A generous attempt timeout: what is tested is that no call waits for a pool
        # slot forever, not how fast a loaded machine answers 300 threads.
        with server.client(timeout=60, max_retries=0) as client:
            results = client.list_runs_many(pairs, concurrency=1000)
        failed = {
            pair: repr(value) for pair, value in results.items() if not isinstance(value, list)
        }
        assert failed == {}
        assert all(len(value) == 1 for value in results.values())  # type: ignore[arg-type]
        assert time.monotonic() - started < 60


@pytest.mark.anyio
async def test_async_fan_out_at_concurrency_1000() -> None:
    with FakeRetabServer(latency=0.005) as server:
        pairs = [("wf", f"exp_{n}") for n in range(300)]
        for wf, exp in pairs:
            server.add_runs(wf, exp, [sample_run(f"r_{exp}")])
        async with server.async_client(timeout=10, max_retries=0) as client:
            results = await client.list_runs_many(pairs, concurrency=1000)
        assert all(isinstance(value, list) for value in results.values())


@pytest.mark.anyio
async def test_hundreds_of_cancellations_leave_the_pool_usable() -> None:
    """Calls cancelled at every stage (connecting, waiting, reading) never strand a connection."""
    with FakeRetabServer(latency=0.02) as server:
        server.add_runs("wf", "exp", [sample_run("r1")])
        async with server.async_client(max_retries=0, timeout=5) as client:
            timeouts = [0.001 * (n % 60) + 0.001 for n in range(400)]

            async def cancelled(after: float) -> None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(client.list_runs("wf", "exp"), timeout=after)

            for start in range(0, len(timeouts), 100):
                await asyncio.gather(*(cancelled(t) for t in timeouts[start : start + 100]))
                # The pool's own counts, not a wall clock (which flaked under load).
                seen = pool_counts(client)
                stranded = {k: n for k, n in seen.items() if n and k != "connections idle"}
                assert stranded == {}, seen
            runs = await client.list_runs("wf", "exp", timeout=3)
            assert [run.id for run in runs] == ["r1"]


@pytest.mark.anyio
async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    """A server that closes each connection after its answer (no `Connection: close`):
    every call still succeeds at its first attempt, as the pool sees the close."""

    def answer_then_close(conn: socket.socket, _: bytes) -> None:
        body = json.dumps({"runs": []}).encode()
        conn.sendall(head(Content_Length=len(body)) + body)

    with RawServer(answer_then_close) as server:
        async with AsyncRetab(KEY, base_url=server.url, max_retries=0) as client:
            for _ in range(5):
                assert await client.list_runs("wf", "exp") == []
                await asyncio.sleep(0.05)  # the server's close reaches us
        assert len(server.requests) == 5


# -- errors that say enough, and no more ----------------------------------------------


def test_a_ten_megabyte_detail_is_a_bounded_one_line_message() -> None:
    detail = "bad\n" + "x" * 10_000_000

    def respond(conn: socket.socket, _: bytes) -> None:
        body = json.dumps({"detail": detail}).encode()
        conn.sendall(head("400 Bad Request", Content_Length=len(body)) + body)

    with (
        RawServer(respond) as server,
        Retab(KEY, base_url=server.url) as client,
        pytest.raises(APIStatusError) as info,
    ):
        client.list_runs("wf", "exp")
    message = str(info.value)
    assert len(message) <= 500 and "\n" not in message
    assert len(info.value.response.content) <= 64 * 1024


def test_secrets_are_masked_in_every_attribute_of_an_error() -> None:
    def respond(conn: socket.socket, _: bytes) -> None:
        body = json.dumps({"detail": f"bad key {KEY}", "echo": {"token": TOKEN}}).encode()
        conn.sendall(head("500 Internal Server Error", Content_Length=len(body)) + body)

    with (
        RawServer(respond) as server,
        Retab(KEY, base_url=server.url, access_token=TOKEN, max_retries=0) as client,
        pytest.raises(InternalServerError) as info,
    ):
        client.list_runs("wf", "exp")
    error = info.value
    exposed = [
        str(error), repr(error), repr(error.body), error.response.text,
        repr(error.response.request), str(error.response.request.url),
        repr(dict(error.response.request.headers)), repr(vars(error)),
    ]  # fmt: skip
    for text in exposed:
        assert KEY not in text and TOKEN not in text


def test_a_refused_connection_names_the_host_and_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        Retab(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client,
        pytest.raises(APIConnectionError, match=rf"refused by 127.0.0.1:{port}"),
    ):
        client.list_runs("wf", "exp")


def test_an_untrusted_certificate_is_named_and_not_retried() -> None:
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    with RawServer(lambda conn, _: None, tls=tls) as server:
        attempts_before = time.monotonic()
        with (
            Retab(KEY, base_url=server.url, max_retries=3) as client,
            pytest.raises(CertificateVerificationError) as info,
        ):
            client.list_runs("wf", "exp")
        assert "certificate verification failed for 127.0.0.1" in str(info.value)
        assert "SSL_CERT_FILE" in str(info.value)
        assert time.monotonic() - attempts_before < 2  # no backoff: not retried


# -- configuration: every mistake is a ConfigurationError with its reason ------------


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"base_url": "https://api.retab.com\n"}, "control characters"),
        ({"base_url": "https://api.retab.com:99999"}, "not a valid URL"),
        ({"base_url": "https://api.retab.com/?"}, "query or fragment"),
        ({"base_url": "https://api.retab.com/#"}, "query or fragment"),
        ({"base_url": "https://alice:s3cret@api.retab.com"}, "user name or password"),
        ({"timeout": float("inf")}, "finite"),
        ({"timeout": float("nan")}, "finite"),
        ({"max_response_size": 10}, "at least 1024"),
    ],
)
def test_bad_configuration_is_refused_with_the_reason(kwargs: dict[str, Any], reason: str) -> None:
    with pytest.raises(ConfigurationError, match=reason) as info:
        Retab(KEY, **kwargs)
    assert "s3cret" not in str(info.value) and len(str(info.value)) < 300


@pytest.mark.parametrize(
    ("workflow_id", "reason"),
    [("w" * 70_000, "over 4096"), ("wf\ud800", "not valid text")],
)
def test_ids_the_url_cannot_carry_are_refused_before_sending(workflow_id: str, reason: str) -> None:
    with Retab(KEY) as client, pytest.raises(ConfigurationError, match=reason) as info:
        client.list_runs(workflow_id, "exp")
    assert len(str(info.value)) < 200
    with Retab(KEY) as client, pytest.raises(ConfigurationError):
        client.list_runs_many([("wf", "exp"), (workflow_id, "exp")])


EMOJI = "\U0001f600"  # twelve characters once percent-encoded
URL_BREAKERS: list[tuple[Callable[[Any], object], str]] = [
    (lambda runs: runs.list_page(trigger_type="t" * 70_000), "trigger_type takes 70,000"),
    (lambda runs: runs.list_all(before="b" * 70_000), "before takes 70,000"),
    (lambda runs: runs.iter_all(block_id="\ud800"), "block_id .*not valid text"),
    (lambda runs: runs.list_page(extra_query={"q": "\ud800"}), r"extra_query\['q'\] is not"),
    (lambda runs: runs.list(EMOJI * 4000, EMOJI * 4000), "workflow_id takes 48,000"),
    (lambda runs: runs.create("exp", workflow_id="wf\ud800"), "workflow_id is not valid text"),
]


@pytest.mark.parametrize(("call", "reason"), URL_BREAKERS)
def test_arguments_a_request_cannot_carry_are_refused_naming_them(
    call: Callable[[Any], object], reason: str
) -> None:
    """Too long for a URL once percent-encoded, or not valid text (in the URL or the
    body): a ConfigurationError naming the argument, nothing sent (httpx's InvalidURL
    and UnicodeEncodeError never escape)."""
    with RawServer(lambda sock, head: None) as raw, Retab(KEY, base_url=raw.url) as client:
        with pytest.raises(ConfigurationError, match=reason) as info:
            call(client.workflows.experiments.runs)
        assert raw.requests == []
    assert len(str(info.value)) < 200


def test_a_url_too_long_for_its_base_url_blames_the_base_url() -> None:
    with (
        Retab(KEY, base_url="http://127.0.0.1:9/" + "p" * 60_000) as client,
        pytest.raises(ConfigurationError, match="base_url takes 60,0"),
    ):
        client.list_runs("w" * 3_000, "e" * 3_000)


def test_a_non_string_id_is_a_type_error_too() -> None:
    with Retab(KEY) as client, pytest.raises(ConfigurationTypeError):
        client.list_runs(3, "exp")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["list", "wf", "exp", "--timeout", "inf"], 2),
        (["list", "wf", "exp", "--base-url", "https://api.retab.com:99999"], 3),
        (["list", "wf", "exp", "--base-url", "https://u:p@api.retab.com"], 3),
        (["list", "w" * 70_000, "exp"], 2),
        (["list", "\U0001f600" * 4000, "\U0001f600" * 4000], 3),  # a URL too long
    ],
)
def test_the_cli_gives_one_line_and_its_exit_code(
    argv: list[str], code: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETAB_API_KEY", KEY)
    try:
        got = cli.main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        got = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert got == code
    assert "Traceback" not in err and len(err) < 2000
    # One error line (argparse's usage lines may come before it).
    assert err.splitlines()[-1].startswith("retab-runs")


# -- both JSON decoders agree, and anything that parsed can be shown -----------------


@contextlib.contextmanager
def deep_recursion() -> Iterator[None]:
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved, 4096))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


AGREEMENT_BODIES = [
    ("big integer in free-form JSON", '{"k": 1000000000000000000000000000000}'),
    ("just past uint64", '{"k": 18446744073709551616}'),
    ("lone high surrogate", '{"k": "\\ud800"}'),
    ("lone low surrogate", '{"k": "\\udc00x"}'),
    ("surrogate pair", '{"k": "\\ud83d\\ude00"}'),
    # block_config sits 3 levels down (the body, runs, the run).
    ("body depth 1000", _nested(997)),
    ("body depth 1024", _nested(1021)),
    ("body depth 1025", _nested(1022)),
]


@pytest.mark.parametrize(
    ("name", "block_config"), AGREEMENT_BODIES, ids=[n for n, _ in AGREEMENT_BODIES]
)
def test_both_decoders_give_the_same_result_or_the_same_error(
    name: str, block_config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = json.dumps(sample_run("r1", block_config={}))
    body = (
        '{"runs": [' + run.replace('"block_config": {}', f'"block_config": {block_config}') + "]}"
    ).encode()
    outcomes = []
    for decoder in ("msgspec", "stdlib"):
        transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
        http = httpx.Client(transport=transport)
        try:
            with json_decoder(decoder), Retab(KEY, max_retries=0, http_client=http) as client:
                runs = client.list_runs("wf", "exp")
            outcomes.append(runs[0].to_dict())
            repr(runs[0])
            with deep_recursion():  # as the CLI sets it up
                json.dumps(runs[0].to_dict())
        except ResponseValidationError as exc:
            outcomes.append(type(exc).__name__)
    with deep_recursion():  # comparing 1000-deep dicts recurses too
        assert outcomes[0] == outcomes[1]
    if name == "body depth 1025" or "lone" in name:
        assert outcomes[0] == "ResponseValidationError"
    else:
        assert isinstance(outcomes[0], dict)


def test_the_cli_prints_the_deepest_accepted_body(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = json.loads(_nested(1000))
    with FakeRetabServer() as server:
        server.add_runs("wf", "exp", [sample_run("r1", block_config=deep)])
        monkeypatch.setenv("RETAB_API_KEY", server.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
        for fmt in ("json", "csv", "table"):
            args = ["list", "wf", "exp", "--format", fmt]
            if fmt == "table":
                args += ["--columns", "id,block_config"]
            assert cli.main(args) == 0, capsys.readouterr().err
            out = capsys.readouterr().out
            assert "r1" in out


# -- a second response written for one request is never read as the next answer -----


def _framed(body: bytes, chunked: bool) -> bytes:
    if not chunked:
        return head(Content_Length=len(body), Content_Type="application/json") + body
    half = len(body) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:half], body[half:]))
    return (
        head(Transfer_Encoding="chunked", Content_Type="application/json") + chunks + b"0\r\n\r\n"
    )


def _answers_twice(chunked: bool) -> Callable[[socket.socket, bytes], None]:
    """Answers each request, and the first one twice (in the same packet)."""

    def answer(request: bytes) -> bytes:
        experiment = request.split(b" ")[1].decode().split("/")[5]
        return _framed(json.dumps({"runs": [sample_run(f"for_{experiment}")]}).encode(), chunked)

    def serve(conn: socket.socket, request: bytes) -> None:
        stray = _framed(json.dumps({"runs": [sample_run("LEFTOVER")]}).encode(), chunked)
        conn.sendall(answer(request) + stray)
        while data := conn.recv(65536):
            conn.sendall(answer(data))

    return serve


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_bytes_after_a_complete_response_retire_the_connection(chunked: bool) -> None:
    with RawServer(_answers_twice(chunked)) as server, Retab(KEY, base_url=server.url) as client:
        seen = [[run.id for run in client.list_runs("wf", exp)] for exp in ("a", "b", "c")]
    assert seen == [["for_a"], ["for_b"], ["for_c"]]


@pytest.mark.anyio
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_bytes_after_a_complete_response_retire_the_connection_async(chunked: bool) -> None:
    with RawServer(_answers_twice(chunked)) as server:
        async with AsyncRetab(KEY, base_url=server.url) as client:
            seen = [[run.id for run in await client.list_runs("wf", exp)] for exp in "abc"]
    assert seen == [["for_a"], ["for_b"], ["for_c"]]


def test_a_client_used_across_a_fork_never_mixes_answers() -> None:
    """Parent and child both call through the client made before the fork: each its own runs."""
    with FakeRetabServer() as server:
        for n in range(2):
            server.add_runs("wf", f"exp_{n}", [sample_run(f"exprun_{n}_{i}") for i in range(30)])
        # Without a pool of its own per process, one side reads the other's answer
        # or waits for one that never comes: a 5 s timeout makes that an error.
        client = server.client(timeout=5, max_retries=0)
        assert len(client.list_runs("wf", "exp_0")) == 30  # a pooled connection, kept alive
        read, write = os.pipe()
        go_read, go_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: only exp_1's runs, a hundred times over
            os.read(go_read, 1)  # start together with the parent
            try:
                ok = all(
                    {run.id[:8] for run in client.list_runs("wf", "exp_1")} == {"exprun_1"}
                    for _ in range(100)
                )
            except Exception:
                ok = False
            os.write(write, b"ok" if ok else b"mixed")
            os._exit(0)
        os.close(write)
        os.write(go_write, b"!")
        mine = [
            {run.id[:8] for run in client.list_runs("wf", "exp_0")} == {"exprun_0"}
            for _ in range(100)
        ]
        child = os.read(read, 16)
        os.waitpid(pid, 0)
        client.close()
    assert all(mine) and child == b"ok"
