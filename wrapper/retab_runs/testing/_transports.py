"""The public switch that gives clients httpx's own transports, for HTTP mocking libraries.

    from retab_runs.testing import httpx_transports

    with httpx_transports():
        client = Retab("sk-test")   # pytest-httpx's httpx_mock now sees its requests

Our default transports keep a whole-attempt deadline and a framing check in
their network streams (`retab_runs._http._transport`); pytest-httpx patches httpx's
transport classes, which ours are not. The pytest plugin applies this switch
to every test that uses the `httpx_mock` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .._http import _transport

__all__ = ["httpx_transports"]


@contextmanager
def httpx_transports() -> Iterator[None]:
    """Clients built within the block use httpx's own transports."""
    previous = _transport.set_stock_transports(True)
    try:
        yield
    finally:
        _transport.set_stock_transports(previous)
