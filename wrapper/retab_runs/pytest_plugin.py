"""pytest plugin (registered through the `pytest11` entry point): the `retab_server` fixture.

    from retab_runs.testing import sample_run

    def test_dashboard_lists_runs(retab_server):
        retab_server.add_runs("wf_1", "exp_1", [sample_run("exprun_1")])
        assert my_app.latest_run("wf_1", "exp_1") == "exprun_1"  # calls Retab() itself

    def test_with_a_client(retab_server, retab_client):
        retab_server.fail_next(status=503)  # retried by the client
        assert retab_client.list_runs("wf_1", "exp_1") == []  # (after add_experiment)

`retab_server` is a started `FakeRetabServer`, and for the test's duration
RETAB_API_KEY and RETAB_API_BASE_URL point at it, so application code that
builds `Retab()` from the environment talks to the fake without changes.
`retab_client` is a `Retab` client connected to it (closed after the test),
and `retab_sample_server` is `retab_server` seeded with the demo's sample data.

Retries never wait in these fixtures (`no_retry_waits()`): a test injecting
`fail_next(status=503)` takes milliseconds. Mark a test
`@pytest.mark.retab_real_waits` to keep real backoff.

The plugin only defines fixtures: projects that do not ask for them are not
touched (one autouse fixture acts only in tests that use pytest-httpx's
`httpx_mock`: it gives clients httpx's own transports, which pytest-httpx
patches; see `retab_runs.testing.httpx_transports`). It lives outside
`retab_runs.testing` so that merely having retab-runs installed imports no
server into anyone's test session.
With pytest-httpx active in the same test, let the fake's host through:
`@pytest.mark.httpx_mock(should_mock=lambda r: r.url.host != "127.0.0.1")`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING

import pytest

from ._constants import API_KEY_ENV, BASE_URL_ENV

__all__ = [
    "REAL_WAITS_MARKER",
    "pytest_configure",
    "retab_client",
    "retab_sample_server",
    "retab_server",
]

if TYPE_CHECKING:
    from ._client import Retab
    from .testing import FakeRetabServer

REAL_WAITS_MARKER = "retab_real_waits"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{REAL_WAITS_MARKER}: keep real retry backoff in retab-runs' fixtures"
    )


def _serve(request: pytest.FixtureRequest, sample: bool) -> Iterator[FakeRetabServer]:
    from .testing import FakeRetabServer, no_retry_waits  # noqa: PLC0415 (only when asked)

    monkeypatch = pytest.MonkeyPatch()
    with ExitStack() as stack:
        stack.callback(monkeypatch.undo)
        if request.node.get_closest_marker(REAL_WAITS_MARKER) is None:
            stack.enter_context(no_retry_waits())
        server = stack.enter_context(FakeRetabServer(sample=sample))
        monkeypatch.setenv(API_KEY_ENV, server.api_key)
        monkeypatch.setenv(BASE_URL_ENV, server.url)
        yield server


@pytest.fixture(autouse=True)
def _retab_runs_httpx_mock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Where a test uses pytest-httpx's `httpx_mock`, clients get transports it can see."""
    if "httpx_mock" not in request.fixturenames:
        yield
        return
    from .testing import httpx_transports  # noqa: PLC0415 (only when asked)

    with httpx_transports():
        yield


@pytest.fixture
def retab_server(request: pytest.FixtureRequest) -> Iterator[FakeRetabServer]:
    """A started FakeRetabServer with no data; the environment points Retab() at it."""
    yield from _serve(request, sample=False)


@pytest.fixture
def retab_sample_server(request: pytest.FixtureRequest) -> Iterator[FakeRetabServer]:
    """Like `retab_server`, seeded with the demo's sample data (`testing.sample_data()`)."""
    yield from _serve(request, sample=True)


@pytest.fixture
def retab_client(request: pytest.FixtureRequest) -> Iterator[Retab]:
    """A `Retab` client connected to the test's fake server.

    That is `retab_sample_server` when the test asks for it, else `retab_server`:
    one fake per test, never a client talking to an empty second one.
    """
    sample = "retab_sample_server" in request.fixturenames
    server: FakeRetabServer = request.getfixturevalue(
        "retab_sample_server" if sample else "retab_server"
    )
    with server.client() as client:
        yield client
