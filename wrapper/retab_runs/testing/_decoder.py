"""A public switch choosing the JSON decoder, so tests cover both without touching privates.

from retab_runs.testing import json_decoder

with json_decoder("stdlib"):        # the stdlib decoder and the slow path only
    client.list_runs("wf", "exp")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from .. import _json

__all__ = ["json_decoder"]

Decoder = Literal["msgspec", "stdlib", "orjson"]


@contextmanager
def json_decoder(name: Decoder) -> Iterator[None]:
    """Within the block, responses are decoded by msgspec (the default: typed, straight
    into the models, where the spec allows) or by the strict stdlib decoder, always
    through the slow path (decode, validate, build). "orjson" is the old name of the
    default, from when the `fast` extra added orjson."""
    loads: Callable[[bytes | bytearray], Any]
    if name in ("msgspec", "orjson"):
        loads = _json.msgspec_loads
    elif name == "stdlib":
        loads = _json.stdlib_loads
    else:
        raise ValueError(f"json_decoder takes 'msgspec' or 'stdlib', not {name!r}")
    saved, _json.loads = _json.loads, loads
    try:
        yield
    finally:
        _json.loads = saved
