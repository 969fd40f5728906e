"""The JSON decoder for response bodies: orjson when installed, else a strict stdlib one.

orjson comes with the `fast` extra and decodes large listings faster. The
standard library's decoder is the fallback, made as strict as orjson about
what is not a number: NaN/Infinity and values that overflow a double (1e400)
are refused instead of becoming inf. (Integer ranges are the models' business:
the spec says int64.) Either way a bad body raises ValueError.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["loads", "stdlib_loads"]


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

# orjson's limits, enforced on the fallback too, so both decoders give the
# same result or the same error on any body.
MAX_DEPTH = 1024
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def _frames() -> int:
    frame: FrameType | None = sys._getframe(1)
    count = 0
    while frame is not None:
        count, frame = count + 1, frame.f_back
    return count


def _decode_within(text: str, levels: int) -> Any:
    """Decode with the recursion limit at `levels` frames above this call (one a level)."""
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(_frames() + levels)
    try:
        return _strict(text)
    finally:
        sys.setrecursionlimit(saved)


def stdlib_loads(data: bytes | bytearray) -> Any:
    """Decode UTF-8 JSON with the standard library, as strictly as orjson (see above)."""
    if b"\\u" in data and _LONE_SURROGATE.search(data):
        raise ValueError("a lone surrogate escape is not valid UTF-16 text")
    text = bytes(data).decode("utf-8")
    try:
        # The decoder recurses once a nesting level (plus a frame or two for
        # the number hooks): under this limit any body it finishes is at most
        # MAX_DEPTH deep, with no walk to check it.
        return _decode_within(text, MAX_DEPTH - 4)
    except RecursionError:
        pass
    # Rare: nested near the limit. Room for anything past it, then the exact depth.
    try:
        value = _decode_within(text, MAX_DEPTH + 64)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if _depth(value) > MAX_DEPTH:
        raise ValueError("JSON nested too deeply")
    return value


loads: Callable[[bytes | bytearray], Any]
try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    loads = stdlib_loads
