"""Hostile ids either stay inside their own path segment or are refused before sending."""

from __future__ import annotations

from typing import Any

import pytest

from retab_runs import NotFoundError, Retab
from retab_runs.testing import FakeRetabServer, sample_run

HOSTILE = [
    "a/b", "../admin", "..%2Fadmin", "%2F", "%2e%2e", "a?b=c", "a#frag", "a b", "a+b",
    "tab\there", "new\nline", "nul\x00byte", "é", "日本語", "emoji😀", "\u202eRTL",
    "a;b", "a&b=c", "..;/", "~user", "%", "%%", "%zz", "a\\b", "'quote\"",
    "x" * 2000, "é" * 1000,
]  # fmt: skip
REFUSED = {"": ValueError, " ": ValueError, ".": ValueError, "..": ValueError, 5: TypeError}


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeRetabServer() as server:
        yield server


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda s: repr(s)[:24])
@pytest.mark.parametrize("position", ["workflow", "experiment"])
def test_request_stays_on_the_endpoint(
    server: FakeRetabServer, hostile: str, position: str
) -> None:
    workflow_id, experiment_id = (hostile, "exp") if position == "workflow" else ("wf", hostile)
    server.add_runs(workflow_id, experiment_id, [sample_run("exprun_hostile")])
    before = len(server.requests)
    with Retab(server.api_key, base_url=server.url, max_retries=0) as client:
        runs = client.list_runs(workflow_id, experiment_id)
    assert [run.id for run in runs] == ["exprun_hostile"]
    (received,) = server.requests[before:]
    segments = received.raw_path.split("/")
    assert segments[:3] == ["", "v1", "workflows"] and segments[4] == "experiments"
    assert segments[6:] == ["runs"]


def test_an_unseeded_hostile_id_is_a_plain_404(server: FakeRetabServer) -> None:
    with Retab(server.api_key, base_url=server.url) as client, pytest.raises(NotFoundError):
        client.list_runs("../../etc/passwd", "exp")
    assert server.requests[-1].path.startswith("/v1/workflows/")


@pytest.mark.parametrize(("bad", "error"), list(REFUSED.items()), ids=repr)
def test_unusable_ids_are_refused_before_sending(
    server: FakeRetabServer, bad: Any, error: type[Exception]
) -> None:
    before = len(server.requests)
    with Retab(server.api_key, base_url=server.url) as client:
        with pytest.raises(error):
            client.list_runs(bad, "exp")
        with pytest.raises(error):
            client.list_runs("wf", bad)
    assert len(server.requests) == before
