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
from collections.abc import Callable
from typing import Any

__all__ = ["loads", "stdlib_loads"]


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of the double range")
    return value


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


# The float hook costs a call per float, only on this fallback path.
_strict = json.JSONDecoder(parse_float=_finite_float, parse_constant=_no_constant).decode


def stdlib_loads(data: bytes) -> Any:
    """Decode UTF-8 JSON with the standard library, strictly (see the module docstring)."""
    return _strict(data.decode("utf-8"))


loads: Callable[[bytes], Any]
try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    loads = stdlib_loads
