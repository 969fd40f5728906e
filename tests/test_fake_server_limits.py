"""The fake server stays bounded whatever a client sends: raw sockets against FakeRetabServer.

People run it as a local stand-in (`retab-runs serve`) and in CI, where it
meets clients that are broken or hostile: requests without the key, bodies
past the limit with another request behind them, bodies nested 500,000 deep,
connections that never finish a request.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from retab_runs.testing import FakeRetabServer

RUNS_PATH = "/v1/workflows/wf/experiments/exp/runs"
CREATE_PATH = "/v1/workflows/experiments/runs"


@pytest.fixture
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer() as fake:
        fake.add_experiment("wf", "exp")
        yield fake


def _address(server: FakeRetabServer) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _exchange(server: FakeRetabServer, data: bytes, wait: float = 5.0) -> list[int]:
    """Send `data` on one connection; the statuses of every response until the server closes
    it (or `wait` seconds pass with nothing more)."""
    with socket.create_connection(_address(server), timeout=wait) as sock:
        with contextlib.suppress(ConnectionError):  # refused and closed before the end
            sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionError):
            pass
    statuses = []
    for part in received.split(b"HTTP/1.1 ")[1:]:
        statuses.append(int(part[:3]))
    return statuses


def _authed(server: FakeRetabServer) -> dict[str, str]:
    return {"Api-Key": server.api_key}


# -- auth before recording; a bounded log ---------------------------------------------


def test_requests_without_the_key_are_answered_but_not_recorded(server: FakeRetabServer) -> None:
    """401s (and 404s without the key) leave no record: a client spraying requests without
    the key cannot grow the log; the request that carries the key is recorded, masked."""
    big = {f"X-Filler-{n}": "x" * 60_000 for n in range(1)}
    for headers in ({}, {"Api-Key": "sk-wrong"}, {"Authorization": "Bearer nope"}, big):
        assert _exchange(server, _request("GET", RUNS_PATH, headers | {"Connection": "close"})) == [
            401
        ]
    assert _exchange(server, _request("GET", "/nowhere", {"Connection": "close"})) == [404]
    assert server.requests == []
    assert server.received == 5  # counted, to say that something arrived
    headers = _authed(server) | {"Connection": "close"}
    assert _exchange(server, _request("GET", RUNS_PATH, headers)) == [200]
    (recorded,) = server.requests
    assert recorded.headers["Api-Key"] == "***"


def test_the_request_log_keeps_the_newest_within_its_bound(server: FakeRetabServer) -> None:
    """Authenticated requests with 60 KB of headers each: the log keeps the newest ones, at
    most 32 MiB of them, however many arrive; a head over 64 KiB is refused (431)."""
    filler = "y" * 60_000
    pipeline = b"".join(
        _request("GET", f"{RUNS_PATH}?n={n}", _authed(server) | {"X-Filler": filler})
        for n in range(700)
    )
    statuses = _exchange(server, pipeline + _request("GET", RUNS_PATH, {"Connection": "close"}))
    assert statuses == [200] * 700 + [401]
    kept = server.requests
    size = sum(len(r.raw_path) + sum(map(len, [*r.headers, *r.headers.values()])) for r in kept)
    assert size <= 32 * 2**20 and 400 < len(kept) < 700
    assert kept[-1].query == {"n": "699"}  # the newest
    too_big = _authed(server) | {f"X-Big-{n}": "z" * 40_000 for n in range(2)}
    assert _exchange(server, _request("GET", RUNS_PATH, too_big)) == [431]
    assert server.requests[-1].query == {"n": "699"}


def test_recorded_bodies_count_against_the_log_bound(server: FakeRetabServer) -> None:
    """Bodies of 900 KB: the log keeps the newest few, weighed as decoded JSON costs."""
    pipeline = b""
    for n in range(8):
        body = json.dumps({"experiment_id": f"{n}" + "x" * 900_000}).encode()
        headers = _authed(server) | {"Content-Length": str(len(body))}
        pipeline += _request("POST", CREATE_PATH, headers, body)
    statuses = _exchange(server, pipeline + _request("GET", RUNS_PATH, {"Connection": "close"}))
    assert len(statuses) == 9 and statuses[-1] == 401
    kept = server.requests
    assert 1 <= len(kept) <= 3
    assert kept[-1].body["experiment_id"].startswith("7x")  # the newest


# -- strict framing ---------------------------------------------------------------------


def _smuggled(server: FakeRetabServer) -> bytes:
    return _request("GET", RUNS_PATH, _authed(server) | {"Connection": "close"})


def test_bytes_past_a_too_large_body_are_never_read_as_a_request(server: FakeRetabServer) -> None:
    """A body one byte over 1 MiB, an authenticated GET after it: one 413, the connection
    closed, the GET never answered (it used to get a 200) nor recorded."""
    inner = _smuggled(server)
    padding = b" " * (2**20 + 1 - len(inner))
    body = padding + inner
    headers = _authed(server) | {"Content-Length": str(len(body))}
    assert _exchange(server, _request("POST", CREATE_PATH, headers, body)) == [413]
    assert server.requests == []


@pytest.mark.parametrize(
    "framing",
    [
        {"Transfer-Encoding": "chunked"},
        {"Transfer-Encoding": "chunked", "Content-Length": "4"},
        {"Content-Length": "abc"},
        {"Content-Length": "+4"},
        {"Content-Length": "4, 4"},
        {"Content-Length": "9" * 5000},
        {"Content-Length": "٤"},  # an Arabic-Indic four: a digit to str.isdigit
    ],
    ids=["chunked", "chunked and length", "abc", "+4", "4, 4", "5000 digits", "arabic-indic 4"],
)
def test_a_body_the_fake_cannot_frame_is_refused_and_the_connection_closed(
    server: FakeRetabServer, framing: dict[str, str]
) -> None:
    """Transfer-Encoding (in any form) and any Content-Length but one plain number: one
    answer (400, 413 or 501), then the connection closes; the GET behind it is never
    answered."""
    inner = _smuggled(server)
    body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(inner), inner)
    statuses = _exchange(server, _request("POST", CREATE_PATH, _authed(server) | framing, body))
    assert statuses in ([400], [413], [501])
    assert server.requests == []


def test_two_different_content_lengths_are_refused(server: FakeRetabServer) -> None:
    inner = _smuggled(server)
    head = _request("POST", CREATE_PATH, _authed(server) | {"Content-Length": "2"})
    data = head.replace(b"\r\n\r\n", f"\r\nContent-Length: {2 + len(inner)}\r\n\r\n".encode())
    assert _exchange(server, data + b"{}" + inner) == [400]


def test_a_body_within_the_limit_is_read_exactly_and_keep_alive_goes_on(
    server: FakeRetabServer,
) -> None:
    """The strict framing costs nothing to a well-framed client: two requests on one
    connection, the first with a body, both answered."""
    body = json.dumps({"experiment_id": "exp"}).encode()
    first = _request("POST", CREATE_PATH, _authed(server) | {"Content-Length": str(len(body))})
    statuses = _exchange(server, first + body + _smuggled(server))
    assert len(statuses) == 2 and statuses[1] == 200 and statuses[0] < 500


# -- depth ------------------------------------------------------------------------------


def test_a_body_nested_500_000_deep_is_a_422_not_a_traceback(
    server: FakeRetabServer, capfd: pytest.CaptureFixture[str]
) -> None:
    body = b"[" * 500_000 + b"]" * 500_000
    headers = _authed(server) | {"Content-Length": str(len(body)), "Connection": "close"}
    assert _exchange(server, _request("POST", CREATE_PATH, headers, body)) == [422]
    deep_object = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    headers["Content-Length"] = str(len(deep_object))
    assert _exchange(server, _request("POST", CREATE_PATH, headers, deep_object)) == [422]
    assert "Traceback" not in capfd.readouterr().err


# -- idle connections -----------------------------------------------------------------------


def _handler_threads() -> int:
    return sum(1 for thread in threading.enumerate() if "process_request" in thread.name)


def test_half_open_connections_are_closed_after_the_idle_timeout() -> None:
    """30 connections that send nothing, half a request head or half a body: each is
    closed once idle for `idle_timeout`, and its thread ends."""
    with FakeRetabServer(idle_timeout=0.5) as server:
        baseline = _handler_threads()
        partial = [
            b"",
            b"GET /v1/workflows/wf/experiments/exp/runs HTTP/1.1\r\nApi-Ke",
            _request("POST", CREATE_PATH, _authed(server) | {"Content-Length": "100"}, b"{"),
        ]
        socks = []
        for n in range(30):
            sock = socket.create_connection(_address(server), timeout=5)
            sock.sendall(partial[n % 3])
            socks.append(sock)
        started = time.monotonic()
        for sock in socks:
            with sock:
                assert sock.recv(65536) == b""
        assert time.monotonic() - started < 4
        deadline = time.monotonic() + 4
        while _handler_threads() > baseline and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _handler_threads() <= baseline


def test_an_idle_keep_alive_connection_is_closed_but_clients_reconnect() -> None:
    """A pooled connection the fake closed while idle: the client's next call opens another."""
    with FakeRetabServer(idle_timeout=0.2) as server, server.client() as client:
        server.add_experiment("wf", "exp")
        assert client.list_runs("wf", "exp") == []
        time.sleep(0.5)
        assert client.list_runs("wf", "exp") == []


def test_a_request_trickled_a_byte_at_a_time_is_cut_at_the_idle_timeout() -> None:
    """A client that is never silent for long but never finishes its request head either
    (a byte every 0.1 s) is closed once `idle_timeout` has passed since its first byte."""
    with FakeRetabServer(idle_timeout=0.5) as server:
        data = _request("GET", RUNS_PATH + "?x=" + "y" * 200, _authed(server))
        with socket.create_connection(_address(server), timeout=5) as sock:
            started = time.monotonic()
            with contextlib.suppress(ConnectionError):  # the server closed: what is expected
                for byte in data:
                    sock.send(bytes([byte]))
                    time.sleep(0.1)
                    if time.monotonic() - started > 3:
                        break
            closed_after = time.monotonic() - started
        assert closed_after < 2.0
