"""The decoders: msgspec and its stdlib twin read the same values and refuse the same bodies
at any depth, under any recursion limit, touching no process state."""

from __future__ import annotations

import gc
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retab_runs import Retab
from retab_runs._json import MAX_DEPTH, _iterative_loads, msgspec_loads, nesting, stdlib_loads
from retab_runs.testing import sample_run


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def nested(depth: int, leaf: str = "1") -> bytes:
    """`depth` levels, objects and arrays alternating, strings with brackets on the way."""
    opening = "".join('{"a]": ' if level % 2 == 0 else '["[", ' for level in range(depth))
    closing = "".join("}" if level % 2 == 0 else "]" for level in reversed(range(depth)))
    return (opening + leaf + closing).encode()


def outcome(loads: Any, body: bytes) -> object:
    try:
        return ("value", loads(body))
    except ValueError:
        return "refused"


def reference(body: bytes) -> object:
    """msgspec's reading, within MAX_DEPTH (the limit every decoder here keeps)."""
    if nesting(body) > MAX_DEPTH:
        return "refused"
    with recursion_limit(4 * MAX_DEPTH):
        return outcome(msgspec.json.decode, body)


@pytest.mark.parametrize("limit", [1000, 10_000])
@pytest.mark.parametrize("depth", [1, 999, 1024, 1025, 5000])
@pytest.mark.parametrize("loads", [stdlib_loads, msgspec_loads], ids=["stdlib", "msgspec"])
def test_any_depth_decodes_or_is_refused_as_msgspec_reads_it(
    loads: Any, limit: int, depth: int
) -> None:
    body = nested(depth)
    expected = reference(body)
    with recursion_limit(limit):
        got = outcome(loads, body)
        assert sys.getrecursionlimit() == limit
    with recursion_limit(4 * MAX_DEPTH):  # comparing deep values recurses
        assert got == expected
    assert (got == "refused") == (depth > MAX_DEPTH)


def test_the_recursion_limit_is_never_changed_while_other_threads_decode() -> None:
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.add(sys.getrecursionlimit())

    def decode() -> None:
        for depth in (1024, 1025, 600):
            outcome(stdlib_loads, nested(depth))

    with recursion_limit(10_000):
        watcher = threading.Thread(target=watch)
        workers = [threading.Thread(target=decode) for _ in range(4)]
        watcher.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stop.set()
        watcher.join()
    assert seen == {10_000}


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b'"]]]"', 0),
        (b'{"a":"]]]\\"[[["}', 1),
        (b'{"a\\\\":[["\\\\\\""]]}', 3),
        (b'{"a":"[","b":"]]"}', 1),
        (b"[[[[]]]]", 4),
        (b'[[{"\\\\\\\\":[]}]]', 4),
    ],
)
def test_nesting_skips_brackets_inside_strings(text: bytes, depth: int) -> None:
    assert nesting(text) == depth


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2,]",
        b'{"a" 1}',
        b'{"a": 1,}',
        b"[NaN]",
        b"[1e400]",
        b'["\\ud800"]',
        b"[1] x",
        b"[",
        b"[1 2]",
        b'{"a": tru}',
        b"[01]",
        b"[-]",
        b'["tab\there"]',
    ],
)
def test_deep_or_shallow_a_bad_body_is_refused_by_both(body: bytes) -> None:
    # Wrapped deeper than this thread has room for, the iterative parser reads it.
    deep = b"[" * 1000 + body + b"]" * 1000
    for text in (body, deep):
        assert reference(text) == "refused"
        with recursion_limit(1000):
            assert outcome(stdlib_loads, text) == "refused"
            assert outcome(msgspec_loads, text) == "refused"


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(value=_values, depth=st.sampled_from([0, 990]))
def test_the_iterative_parser_reads_what_msgspec_reads(value: object, depth: int) -> None:
    text = json.dumps(value, ensure_ascii=False)
    body = ("[" * depth + text + "]" * depth).encode()
    with recursion_limit(1000):
        got = outcome(stdlib_loads, body)
    expected = reference(body)
    with recursion_limit(4 * MAX_DEPTH):
        assert got == expected


def test_a_big_parse_leaves_the_garbage_collector_as_the_application_set_it() -> None:
    """The GC is process-wide: pausing it for a parse would show in every other thread."""
    body = json.dumps({"runs": [sample_run(f"r{n}") for n in range(5000)]}).encode()
    assert len(body) > 2**21
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    seen: set[bool] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.add(gc.isenabled())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with Retab("sk-test", http_client=httpx.Client(transport=transport)) as client:
            for _ in range(3):
                assert len(client.list_runs("wf", "exp")) == 5000
    finally:
        stop.set()
        watcher.join()
    assert seen == {True}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{1: 2}", "expected a property name at character 1"),
        ('{"a" 1}', "expected ':' at character 5"),
        ("[1 2]", "expected ',' or a closing bracket at character 3"),
        ('{"a": 1 "b"}', "expected ',' or a closing bracket at character 8"),
        ("[1] x", "extra data at character 4"),
        ("[", "expected a value at character 1"),
        ("[" * (MAX_DEPTH + 1), "JSON nested too deeply"),
    ],
)
def test_the_iterative_parser_says_what_it_expected_and_where(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _iterative_loads(text)
    assert str(caught.value) == message


def test_the_iterative_parser_reads_compact_json() -> None:
    assert _iterative_loads('{"a":1,"b":[true,null,{"c":"d"}]}') == {
        "a": 1, "b": [True, None, {"c": "d"}],
    }  # fmt: skip


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_the_stdlib_decoder_names_a_constant_json_does_not_have(word: str) -> None:
    with pytest.raises(ValueError) as caught:
        stdlib_loads(f"[{word}]".encode())
    assert str(caught.value) == f"{word} is not JSON"


def test_with_a_raised_limit_both_decoders_refuse_a_deep_body_in_the_same_words() -> None:
    with recursion_limit(10_000):
        for loads in (msgspec_loads, stdlib_loads):
            with pytest.raises(ValueError) as caught:
                loads(nested(MAX_DEPTH + 1))
            assert str(caught.value) == "JSON nested too deeply"
