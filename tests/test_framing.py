"""Where a response ends, as `_framing` follows it byte by byte (the raw-socket tests in
test_reliability_hostile.py show what it protects: stray responses never answer a call)."""

from __future__ import annotations

import pytest

from retab_runs._constants import MAX_RESPONSE_HEAD
from retab_runs._http._framing import Framing

CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(
    ("chunks", "poisoned"),
    [
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"], False),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK"], True),
        ([b"HTTP/1.1 200 OK\r\nContent-", b"Length: 2\r\n", b"\r\no", b"k", b"x"], True),
        ([b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk"], False),
        ([b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nkX"], True),
        # Markers split across reads, a byte short of whole on either side.
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r", b"\nokX"], True),
        ([CHUNKED + b"2\r", b"\nok\r\n0\r\n\r\nX"], True),
        ([b"HTTP/1.1 204 No Content\r\n\r\nstray"], True),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"], False),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nx"], True),
        # Split anywhere, with extensions, upper-case hex and a trailer.
        (
            [
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r",
                b"\n\r\nA;x=1\r",
                b"\n01234",
                b"56789\r\n0\r",
                b"\nX-Trailer: 1\r\n",
                b"\r",
                b"\n",
            ],
            False,
        ),
        (
            [
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nk\r\n0\r\n",
                b"T: 1\r\n\r\nHTTP/1.1 200 OK",
            ],
            True,
        ),
        # Chunk data that looks like framing is data: a blank line, a last chunk.
        ([CHUNKED + b"2\r\n\r\n\r\n0\r\n\r\n"], False),
        ([CHUNKED + b"7\r\n0\r\n\r\nab\r\n0\r\n\r\n"], False),
        ([CHUNKED + b"7\r\n0\r\n\r\nab\r\n0\r\n\r\nstray"], True),
        ([CHUNKED + b"3;name=v\r\nabc\r\n0\r\n\r\nstray"], True),
        ([CHUNKED + b"0\r\n", b"Trailer: 1\r\n"], False),  # the response is not over yet
        # Heads as servers write them: any case, spaces around values, a reason or none.
        ([b"HTTP/1.1 200 OK\r\ncontent-length:   2  \r\n\r\nokX"], True),
        ([b"HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 2\r\n\r\nokX"], True),
        ([b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nokX"], True),
        ([b"HTTP/1.1 200 OK\r\nTRANSFER-ENCODING:  CHUNKED \r\n\r\n1\r\nk\r\n0\r\n\r\nX"], True),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nX"], True),
        ([b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nX"], True),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: x2\r\n\r\n\r\n\r\nokX"], False),  # not followed
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2:\r\n\r\nokX"], False),
        # The last coding decides, however the list is written.
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip,chunked\r\n\r\n0\r\n\r\nX"], True),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, br, chunked\r\n\r\n0\r\n\r\nX"], True),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\nX"], False),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nokX"], False),  # close-delimited
        ([b"garbage\r\n\r\n\r\n\r\nX"], False),
        ([CHUNKED + b"a\r\n0123456789\r\n0\r\n\r\nX"], True),  # sizes are hexadecimal
        ([CHUNKED + b"10\r\n" + b"k" * 16 + b"\r\n0\r\n\r\nX"], True),
        ([CHUNKED + b"g\r\n" + b"k" * 16 + b"\r\n0\r\n\r\nX"], False),  # not hexadecimal
        # Not chunked, though the body looks like a last chunk: not followed.
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\nX"], False),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", b"o", b"k", b"X"], True),
        ([b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000, b"\r\n\r\n\r\n\r\nX"], False),
        # A framing that cannot be followed: not poisoned, whatever follows.
        ([CHUNKED + b"zz\r\n\r\nmore\r\n\r\nHTTP/1.1 200 OK"], False),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nstray"], False),
        ([b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall until close"], False),
    ],
)
def test_framing_finds_where_a_response_ends(chunks: list[bytes], poisoned: bool) -> None:
    framing = Framing()  # a new connection expects a response head
    for chunk in chunks:
        framing.read(chunk)
    assert framing.poisoned is poisoned


def test_a_new_request_starts_a_new_response() -> None:
    framing = Framing()
    framing.wrote()
    framing.read(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    framing.wrote()  # the next request: what follows is its answer, not a stray one
    framing.read(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk")
    assert framing.poisoned is False
    framing.read(b"X")
    assert framing.poisoned is True


def test_a_framing_given_up_on_is_followed_again_after_the_next_request() -> None:
    framing = Framing()
    framing.read(CHUNKED + b"size " * 20_000)  # a chunk line too long: not followed
    framing.read(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nkX")
    assert framing.poisoned is False
    framing.wrote()  # the half-read line goes with the old response
    framing.read(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk")
    assert framing.poisoned is False
    framing.read(b"X")
    assert framing.poisoned is True


def test_a_head_of_exactly_the_limit_is_still_followed() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-Pad: "
    framing = Framing()
    framing.read(head + b"a" * (MAX_RESPONSE_HEAD - len(head)))
    framing.read(b"\r\n\r\nkX")
    assert framing.poisoned is True
    longer = Framing()
    longer.read(head + b"a" * (MAX_RESPONSE_HEAD + 1 - len(head)))  # one byte over: given up
    longer.read(b"\r\n\r\nkX")
    assert longer.poisoned is False
