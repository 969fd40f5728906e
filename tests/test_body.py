"""The body reader, unit by unit: each encoding, the size limit, truncation, trailing bytes."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from retab_runs._http._body import (
    ACCEPT_ENCODING,
    BodyDecoder,
    ResponseTooLarge,
    TrailingData,
    UnsupportedEncoding,
)

TEXT = b'{"runs": []}' * 50


def deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


ENCODED = {
    None: TEXT,
    "": TEXT,
    "identity": TEXT,
    " Identity ": TEXT,
    " ": TEXT,  # a blank Content-Encoding header: nothing applied
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "GZIP": gzip.compress(TEXT),
    "deflate": zlib.compress(TEXT),
    "Deflate": deflate_raw(TEXT),  # some servers send deflate without the zlib header
}


def read(encoding: str | None, wire: bytes, limit: int, truncate: bool = False) -> bytes:
    decoder = BodyDecoder(encoding, limit, truncate=truncate)
    for start in range(0, len(wire), 7):  # small chunks, as a network gives them
        if not decoder.feed(wire[start : start + 7]):
            break
    return bytes(decoder.finish())


def test_only_encodings_it_can_bound_are_asked_for() -> None:
    assert ACCEPT_ENCODING == "gzip, deflate"


@pytest.mark.parametrize("encoding", list(ENCODED), ids=repr)
def test_every_accepted_encoding_decodes(encoding: str | None) -> None:
    assert read(encoding, ENCODED[encoding], limit=len(TEXT)) == TEXT


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
def test_other_encodings_are_refused_naming_them(encoding: str) -> None:
    with pytest.raises(UnsupportedEncoding, match=encoding):
        BodyDecoder(encoding, 1024)


@pytest.mark.parametrize("encoding", ["identity", "gzip", "deflate", "Deflate"])
def test_one_byte_past_the_limit_is_refused(encoding: str) -> None:
    with pytest.raises(ResponseTooLarge):
        read(encoding, ENCODED[encoding], limit=len(TEXT) - 1)


def test_a_bomb_is_refused_without_decoding_it_all() -> None:
    bomb = gzip.compress(b"0" * 50_000_000)
    decoder = BodyDecoder("gzip", 1024)
    with pytest.raises(ResponseTooLarge):
        decoder.feed(bomb)  # one chunk holding far more than the limit


@pytest.mark.parametrize("encoding", ["identity", "gzip", "deflate"])
def test_truncating_keeps_the_first_bytes_and_asks_for_no_more(encoding: str) -> None:
    decoder = BodyDecoder(encoding, 100, truncate=True)
    wire = ENCODED[encoding]
    wanted = [decoder.feed(wire[i : i + 7]) for i in range(0, len(wire), 7)]
    assert False in wanted  # it said so as soon as it was full
    assert bytes(decoder.finish()) == TEXT[:100]


def test_truncated_reading_says_when_it_wants_no_more() -> None:
    decoder = BodyDecoder("identity", 10, truncate=True)
    assert decoder.feed(b"12345") is True
    assert decoder.feed(b"67890abc") is False
    assert bytes(decoder.finish()) == b"1234567890"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_bytes_after_a_compressed_stream_are_refused_or_dropped(encoding: str) -> None:
    wire = ENCODED[encoding] + b"trailing"
    with pytest.raises(TrailingData):
        read(encoding, wire, limit=len(TEXT))
    decoder = BodyDecoder(encoding, len(TEXT), truncate=True)
    decoder.feed(ENCODED[encoding])
    assert decoder.feed(b"more") is False  # an error body: the rest is not wanted
    assert bytes(decoder.finish()) == TEXT


def test_bytes_arriving_after_the_end_in_a_later_chunk_are_refused() -> None:
    decoder = BodyDecoder("gzip", len(TEXT))
    assert decoder.feed(ENCODED["gzip"]) is True
    with pytest.raises(TrailingData):
        decoder.feed(b"x")


def test_a_broken_gzip_stream_is_an_error() -> None:
    with pytest.raises(zlib.error):
        read("gzip", b"not gzip at all", limit=1024)


def test_an_empty_body_is_empty_in_every_encoding() -> None:
    assert read("identity", b"", limit=10) == b""
    assert read("gzip", gzip.compress(b""), limit=10) == b""


BOMBS = {
    "gzip": gzip.compress(b"0" * 50_000_000),
    "deflate": zlib.compress(b"0" * 50_000_000),
    "Deflate": deflate_raw(b"0" * 50_000_000),  # through the headerless fallback
}


@pytest.mark.parametrize("encoding", list(BOMBS))
def test_a_bomb_in_one_chunk_never_decodes_past_the_limit_in_memory(encoding: str) -> None:
    # zlib's max_length bounds each decompress call: without it, the 50 MB would be
    # decoded (and held) before the size check refused them.
    decoder = BodyDecoder(encoding, 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            decoder.feed(BOMBS[encoding])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_a_truncated_error_body_never_decodes_the_rest_of_a_bomb_when_finished() -> None:
    decoder = BodyDecoder("gzip", 1024, truncate=True)
    assert decoder.feed(BOMBS["gzip"]) is False
    tracemalloc.start()
    try:
        body = decoder.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert bytes(body) == b"0" * 1024
    assert peak < 1_000_000


def test_gzip_means_gzip_not_any_zlib_stream() -> None:
    with pytest.raises(zlib.error):
        read("gzip", zlib.compress(TEXT), limit=len(TEXT))


def test_an_unsupported_encoding_is_named_in_at_most_forty_characters() -> None:
    name = "x-" + "very-long-encoding-" * 5
    with pytest.raises(UnsupportedEncoding) as caught:
        BodyDecoder(name, 1024)
    assert str(caught.value) == name[:40]


def test_trailing_bytes_in_the_same_chunk_end_a_truncated_body() -> None:
    decoder = BodyDecoder("gzip", len(TEXT), truncate=True)
    assert decoder.feed(ENCODED["gzip"] + b"trailing") is False
    assert bytes(decoder.finish()) == TEXT


def test_a_truncated_compressed_body_keeps_its_first_bytes_once_full() -> None:
    decoder = BodyDecoder("gzip", 100, truncate=True)
    wire = gzip.compress(TEXT)
    assert decoder.feed(wire) is False  # full after one chunk: no more wanted
    assert bytes(decoder.finish()) == TEXT[:100]  # finish adds nothing once full
    untruncated = BodyDecoder("gzip", len(TEXT), truncate=True)
    half = len(wire) // 2
    assert untruncated.feed(wire[:half]) is True
    assert untruncated.feed(wire[half:]) is True
    assert bytes(untruncated.finish()) == TEXT


def test_a_stream_that_ends_exactly_at_the_limit_is_whole() -> None:
    for encoding in ("identity", "gzip", "deflate"):
        assert read(encoding, ENCODED[encoding], limit=len(TEXT)) == TEXT
        truncated = read(encoding, ENCODED[encoding], limit=len(TEXT), truncate=True)
        assert truncated == TEXT


def test_a_bad_checksum_at_the_end_of_a_deflate_body_is_an_error() -> None:
    # The headerless fallback is for a body's first bytes only: later, a zlib error
    # (here a wrong checksum that a headerless decoder would read as an empty block)
    # stays an error.
    wire = zlib.compress(TEXT)
    decoder = BodyDecoder("deflate", len(TEXT))
    assert decoder.feed(wire[:-4]) is True
    with pytest.raises(zlib.error, match="incorrect data check"):
        decoder.feed(b"\x03\x00\x03\x00")
