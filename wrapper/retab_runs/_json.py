"""The JSON decoder for response bodies: msgspec's, with a strict stdlib twin.

msgspec (a dependency: it also decodes bodies straight into the models, see
`_retab_runs_runtime._fast`) decodes untyped JSON faster than json or orjson.
The standard library's decoder is its twin, used where msgspec cannot go and
by the `json_decoder("stdlib")` test switch, and made to read what msgspec
reads: NaN/Infinity and numbers that overflow a double (1e400) are refused
instead of becoming inf, integers stay exact. (Integer ranges are the models'
business: the spec says int64.) Either way a bad body raises ValueError.

Both decoders recurse once a nesting level, against the thread's recursion
limit, which this module never changes (it is process-wide). msgspec checks
only that limit, not the C stack: where an application raised the limit past
`MAX_DEPTH`, a C-speed bracket scan refuses deeper bodies before msgspec sees
them. A body nested deeper than the calling thread has room for is decoded by
a small iterative parser instead; every path stops at `MAX_DEPTH`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from _json import scanstring  # the C scanner json itself uses
from collections.abc import Callable
from itertools import accumulate
from typing import Any, TypeVar

from _retab_runs_runtime import ListOf, Model, Variants, fast_decoder

M = TypeVar("M", bound=Model)

__all__ = ["MAX_DEPTH", "decode_model", "loads", "msgspec_loads", "nesting_allowed", "stdlib_loads"]

# The deepest body any decoder here reads (orjson's limit, which this client
# used before msgspec), so every path gives the same result or the same error.
MAX_DEPTH = 1024


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of the double range")
    return value


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


# The hooks cost a call per float, only on this fallback path; integers stay
# exact, as msgspec keeps them (both refuse past Python's digit limit, 4,300).
_strict = json.JSONDecoder(parse_float=_finite_float, parse_constant=_no_constant).decode

_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)

# -- the depth of a body, without decoding it ------------------------------------

_NOT_SKELETON = bytes(b for b in range(256) if b not in b'[]{}"')
_STEP = [0] * 256
for _open in b"[{":
    _STEP[_open] = 1
for _close in b"]}":
    _STEP[_close] = -1


def nesting(data: bytes | bytearray) -> int:
    """How deep the brackets of a JSON text nest, strings skipped, in C-speed passes.

    Escaped backslashes and quotes are dropped first; then only quotes and
    brackets are kept, and adjacent quotes removed (that merges two strings or
    empties one, never moves a bracket in or out of a string); what remains
    between quote pairs is inside strings.
    """
    unescaped = bytes(data).replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = unescaped.translate(None, _NOT_SKELETON).replace(b'""', b"")
    brackets = b"".join(skeleton.split(b'"')[::2])
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


# -- an iterative parser, for bodies deeper than the thread has room for ----------

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, bool | None] = {"true": True, "false": False, "null": None}


class _Parser:
    """A JSON text parsed with an explicit stack: depth costs memory, never frames."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> ValueError:
        return ValueError(f"{what} at character {self.pos}")

    def skip(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        return self.text[self.pos : self.pos + 1]

    def key(self) -> str:
        if self.skip() != '"':
            raise self.fail("expected a property name")
        key, self.pos = scanstring(self.text, self.pos + 1)
        if self.skip() != ":":
            raise self.fail("expected ':'")
        self.pos += 1
        return key

    def scalar(self, char: str) -> Any:
        text = self.text
        if char == '"':
            value, self.pos = scanstring(text, self.pos + 1)
            return value
        number = _NUMBER.match(text, self.pos)
        if number is not None:
            self.pos = number.end()
            integer, fraction, exponent = number.groups()
            if fraction or exponent:
                return _finite_float(number.group())
            return int(integer)
        for word, literal in _LITERALS.items():
            if text.startswith(word, self.pos):
                self.pos += len(word)
                return literal
        raise self.fail("expected a value")

    def parse(self) -> Any:  # noqa: PLR0912 (one state machine)
        stack: list[tuple[dict[str, Any] | list[Any], str]] = []  # container, pending key
        while True:
            char = self.skip()
            if char in ("{", "["):
                if len(stack) >= MAX_DEPTH:
                    raise ValueError("JSON nested too deeply")
                self.pos += 1
                closing = "}" if char == "{" else "]"
                container: dict[str, Any] | list[Any] = {} if char == "{" else []
                if self.skip() == closing:
                    self.pos += 1
                    value: Any = container
                else:
                    stack.append((container, self.key() if char == "{" else ""))
                    continue
            else:
                value = self.scalar(char)
            # A value is complete: add it to its container, closing those it completes.
            while stack:
                container, key = stack[-1]
                if isinstance(container, dict):
                    container[key] = value
                else:
                    container.append(value)
                char = self.skip()
                self.pos += 1
                if char == ",":
                    if isinstance(container, dict):
                        stack[-1] = (container, self.key())
                    break
                if char != ("}" if isinstance(container, dict) else "]"):
                    self.pos -= 1
                    raise self.fail("expected ',' or a closing bracket")
                stack.pop()
                value = container
            else:
                if self.skip():
                    raise self.fail("extra data")
                return value


def _iterative_loads(text: str) -> Any:
    return _Parser(text).parse()


def _may_nest_too_deep(data: bytes | bytearray) -> bool:
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return False
    return nesting(data) > MAX_DEPTH


def nesting_allowed(data: bytes | bytearray) -> bool:
    """Whether a recursive decoder may read `data` on this thread.

    Always, under the default recursion limit (the decoder stops at it with a
    RecursionError). Where an application raised it past `MAX_DEPTH`, only a
    body no deeper than `MAX_DEPTH`: C recursion is then bounded by the body.
    """
    return sys.getrecursionlimit() <= MAX_DEPTH or not _may_nest_too_deep(data)


def stdlib_loads(data: bytes | bytearray) -> Any:
    """Decode UTF-8 JSON with the standard library, reading what msgspec reads (see above)."""
    if b"\\u" in data and _LONE_SURROGATE.search(data):
        raise ValueError("a lone surrogate escape is not valid UTF-16 text")
    text = bytes(data).decode("utf-8")
    if not nesting_allowed(data):
        # The application raised the limit: the recursive decoder would go past MAX_DEPTH.
        raise ValueError("JSON nested too deeply")
    try:
        return _strict(text)
    except RecursionError:
        # Deeper than this thread's frames allow: the same text, without recursion.
        return _iterative_loads(text)


def msgspec_loads(data: bytes | bytearray) -> Any:
    """Decode UTF-8 JSON with msgspec; past the thread's recursion limit, iteratively."""
    # Imported on first use: msgspec brings typing and inspect (~40 ms of cold start).
    import msgspec.json  # noqa: PLC0415

    if not nesting_allowed(data):
        raise ValueError("JSON nested too deeply")
    try:
        return msgspec.json.decode(data)
    except RecursionError:
        return stdlib_loads(data)


# The switch `retab_runs.testing.json_decoder` replaces this for a block.
loads: Callable[[bytes | bytearray], Any] = msgspec_loads


def decode_model(model: type[M] | ListOf[M] | Variants[M], data: bytes | bytearray) -> Any:
    """The answer `model` describes (a model, a list of one, one of several) built from
    the JSON body `data`, validated against the spec.

    The fast path (`_retab_runs_runtime._fast`) first, where the shape allows
    it and msgspec is the decoder; whatever it does not accept, the slow path
    decides: decode, validate (SchemaError names the failing path), build.
    """
    if loads is msgspec_loads and nesting_allowed(data):
        decoder = fast_decoder(model)
        built = None if decoder is None else decoder.decode(data)
        if built is not None:
            return built
    return model.from_dict(loads(data))
