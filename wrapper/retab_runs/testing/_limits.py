"""What the fake server reads of a request, and what it refuses, whatever a client sends.

People run the fake as a local stand-in and in CI, where it meets broken or
hostile clients; each limit here keeps one of them from costing it memory,
a thread or a wrong answer:

- the head: at most MAX_HEADER_BYTES of header names and values (431);
  http.server already bounds the request line and each header line;
- the body: framed by one plain `Content-Length` only. `Transfer-Encoding`
  (501), a `Content-Length` that is not one decimal number, or several that
  differ (400), and a body over MAX_BODY (413) are refused and the
  connection closes: bytes after a body are never read as another request;
- JSON nested deeper than MAX_DEPTH is not JSON to the fake (an operation
  that takes a body answers 422 as for any invalid one), checked before any
  recursive decoder sees it;
- slow connections: with the server's idle timeout T
  (`FakeRetabServer(idle_timeout=...)`), a connection may be silent T seconds
  at a time, and each request must arrive whole (head and body) within T of
  its first byte (`RequestReader`): a client that stops mid-way, or trickles
  a byte at a time, holds its thread T seconds, not forever;
- the request log (`RequestLog`) keeps the newest requests, at most
  MAX_LOGGED requests and MAX_LOG_BYTES of their text.
"""

from __future__ import annotations

import io
import json
import re
import socket
import time
from collections import deque
from collections.abc import Iterator
from email.message import Message
from typing import Any

from .._json import nesting
from ._models import RecordedRequest

__all__ = [
    "MAX_BODY",
    "MAX_DEPTH",
    "MAX_HEADER_BYTES",
    "MAX_LOGGED",
    "MAX_LOG_BYTES",
    "Refusal",
    "RequestLog",
    "RequestReader",
    "body_length",
    "check_head",
    "drain",
    "parse_json",
]

MAX_HEADER_BYTES = 64 * 2**10
MAX_BODY = 1 * 2**20
MAX_DEPTH = 512
MAX_LOGGED = 10_000
MAX_LOG_BYTES = 32 * 2**20
# After a refusal, what the fake reads and drops before closing: unread bytes
# would make the kernel answer with a reset, which can destroy the refusal
# before the client reads it.
_DRAIN_BYTES = 4 * 2**20
_DRAIN_SECONDS = 1.0
_DECIMAL = re.compile("[0-9]+")
_BODY_WEIGHT = 16


class Refusal(Exception):
    """A request the fake will not read: answered with `status`, then the connection closes."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def check_head(headers: Message) -> None:
    """Refuse a head whose header names and values add up to more than MAX_HEADER_BYTES."""
    size = sum(len(name) + len(value) for name, value in headers.items())
    if size > MAX_HEADER_BYTES:
        raise Refusal(431, f"Request headers over {MAX_HEADER_BYTES} bytes")


def body_length(headers: Message) -> int:
    """The body's length, from the one `Content-Length` the fake frames a body by (0: none)."""
    if headers.get_all("Transfer-Encoding"):
        raise Refusal(501, "Transfer-Encoding is not supported here; send Content-Length")
    lengths = set(headers.get_all("Content-Length") or [])
    if not lengths:
        return 0
    length = lengths.pop()
    if lengths or not _DECIMAL.fullmatch(length):
        raise Refusal(400, "Content-Length must be one decimal number")
    if len(length) > len(str(MAX_BODY)) or int(length) > MAX_BODY:
        raise Refusal(413, f"Request body over {MAX_BODY} bytes")
    return int(length)


def parse_json(raw: bytes) -> Any:
    """The body as JSON; None when empty, not JSON, or nested deeper than MAX_DEPTH."""
    if not raw or nesting(raw) > MAX_DEPTH:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # a thread with little room left: not JSON here either
        return None


def drain(connection: socket.socket) -> None:
    """Close the sending side, then read and drop what the client still sends (bounded)."""
    try:
        connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + _DRAIN_SECONDS
        dropped = 0
        while dropped < _DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
            connection.settimeout(left)
            chunk = connection.recv(65536)
            if not chunk:
                return
            dropped += len(chunk)
    except OSError:  # the client is gone, or was slow: either way, done
        return


class RequestReader(io.RawIOBase):
    """A connection's bytes for http.server: silent at most `idle` seconds at a time, and
    each request whole within `idle` seconds of its first byte (TimeoutError past either,
    on which http.server closes the connection)."""

    def __init__(self, connection: socket.socket, idle: float) -> None:
        super().__init__()
        self._connection = connection
        self._idle = idle
        self._started: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        timeout = self._idle
        if self._started is not None:
            timeout = self._started + self._idle - time.monotonic()
            if timeout <= 0:
                raise TimeoutError("the request did not arrive within the idle timeout")
        self._connection.settimeout(timeout)
        count = self._connection.recv_into(buffer)
        if count and self._started is None:
            self._started = time.monotonic()
        return count

    def request_read(self) -> None:
        """The request is read: the next one's time starts at its first byte, and writing
        the answer gets the whole idle timeout."""
        self._started = None
        self._connection.settimeout(self._idle)


def _size(request: RecordedRequest) -> int:
    """What a record counts against MAX_LOG_BYTES: its text, and its decoded body at
    _BODY_WEIGHT times its JSON text (decoded JSON costs 4-48x the text it came from)."""
    texts = [request.method, request.path, request.raw_path]
    for mapping in (request.query, request.headers):
        texts += [*mapping, *mapping.values()]
    body = 0 if request.body is None else len(json.dumps(request.body)) * _BODY_WEIGHT
    return sum(map(len, texts)) + body


class RequestLog:
    """The newest requests, oldest first: at most MAX_LOGGED of them and MAX_LOG_BYTES
    of their text (`_size`), the newest one always kept.

    Not thread-safe by itself (`FakeState` holds its lock around it).
    """

    def __init__(self) -> None:
        self._entries: deque[tuple[RecordedRequest, int]] = deque()
        self._bytes = 0

    def append(self, request: RecordedRequest) -> None:
        size = _size(request)
        self._entries.append((request, size))
        self._bytes += size
        while len(self._entries) > MAX_LOGGED or (
            self._bytes > MAX_LOG_BYTES and len(self._entries) > 1
        ):
            self._bytes -= self._entries.popleft()[1]

    def __iter__(self) -> Iterator[RecordedRequest]:
        return (request for request, _ in self._entries)

    def __len__(self) -> int:
        return len(self._entries)
