"""A public switch choosing the JSON decoder, so tests cover both without touching privates.

from retab_runs.testing import json_decoder

with json_decoder("stdlib"):        # as if orjson (the `fast` extra) were absent
    client.list_runs("wf", "exp")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from .. import _json

__all__ = ["json_decoder"]

Decoder = Literal["orjson", "stdlib"]


@contextmanager
def json_decoder(name: Decoder) -> Iterator[None]:
    """Within the block, responses are decoded by orjson or by the strict stdlib fallback."""
    loads: Callable[[bytes | bytearray], Any]
    if name == "orjson":
        import orjson  # noqa: PLC0415 - only when asked for; an ImportError says it is absent

        loads = orjson.loads
    elif name == "stdlib":
        loads = _json.stdlib_loads
    else:
        raise ValueError(f"json_decoder takes 'orjson' or 'stdlib', not {name!r}")
    saved, _json.loads = _json.loads, loads
    try:
        yield
    finally:
        _json.loads = saved
