"""The JSON decoder for response bodies: orjson when installed, else a strict stdlib one.

orjson comes with the `fast` extra and decodes large listings faster. The
standard library's decoder is the fallback, made as strict as orjson about
what is not a number: NaN/Infinity and values that overflow a double (1e400)
are refused instead of becoming inf. (Integer ranges are the models' business:
the spec says int64.) Either way a bad body raises ValueError.

The stdlib decoder recurses once a nesting level, against the thread's
recursion limit, which this module never changes (it is process-wide). A body
nested deeper than the calling thread has room for is decoded by a small
iterative parser instead; both stop at orjson's depth, `MAX_DEPTH`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from _json import scanstring  # the C scanner json itself uses
from collections.abc import Callable
from itertools import accumulate
from typing import Any

__all__ = ["MAX_DEPTH", "loads", "stdlib_loads"]

# orjson's limit, enforced on the fallback too, so both decoders give the
# same result or the same error on any body.
MAX_DEPTH = 1024


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of the double range")
    return value


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


def _int_as_orjson(text: str) -> int | float:
    # orjson keeps integers in [-2**63, 2**64) exact and reads larger ones as doubles.
    value = int(text)
    return value if -(2**63) <= value < 2**64 else _finite_float(text)


# The hooks cost a call per number, only on this fallback path.
_strict = json.JSONDecoder(
    parse_float=_finite_float, parse_int=_int_as_orjson, parse_constant=_no_constant
).decode

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
            return _int_as_orjson(integer)
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


def stdlib_loads(data: bytes | bytearray) -> Any:
    """Decode UTF-8 JSON with the standard library, as strictly as orjson (see above)."""
    if b"\\u" in data and _LONE_SURROGATE.search(data):
        raise ValueError("a lone surrogate escape is not valid UTF-16 text")
    text = bytes(data).decode("utf-8")
    if sys.getrecursionlimit() > MAX_DEPTH and _may_nest_too_deep(data):
        # The application raised the limit: the recursive decoder would go past orjson's.
        raise ValueError("JSON nested too deeply")
    try:
        return _strict(text)
    except RecursionError:
        # Deeper than this thread's frames allow: the same text, without recursion.
        return _iterative_loads(text)


loads: Callable[[bytes | bytearray], Any]
try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    loads = stdlib_loads
