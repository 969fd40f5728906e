"""Checks run against the package regenerated from the corpus (tests/test_generator_corpus.py).

Not collected by the main run: the corpus test regenerates the package and
runs this file in a subprocess whose PYTHONPATH puts it first.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

import _retab_runs_generated
from _retab_runs_generated.models import DocumentRef, ExperimentRunSummary
from retab_runs import (
    APIStatusError,
    AsyncRetab,
    AuthenticationError,
    ConfigurationError,
    ConfigurationTypeError,
    Retab,
    cli,
)
from retab_runs.testing import FakeRetabServer, sample_run

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Any:
    with FakeRetabServer(sample=True) as fake:
        yield fake


def test_the_regenerated_package_is_under_test() -> None:
    assert Path(os.environ["RETAB_REGENERATED"]) in Path(_retab_runs_generated.__file__).parents


def test_members_named_like_model_methods_parse_and_keep_their_json_names() -> None:
    run = sample_run("exprun_1") | {"get": "g", "to_dict": 7, "additional_properties": "a"}
    summary = ExperimentRunSummary.from_dict(run | {"brand_new": 1})
    assert (summary.get_, summary.to_dict_, summary.additional_properties_) == ("g", 7, "a")
    assert summary["get"] == "g" and summary.get("to_dict") == 7
    assert summary.additional_properties == {"brand_new": 1}
    dumped = summary.to_dict()
    assert (dumped["get"], dumped["to_dict"], dumped["brand_new"]) == ("g", 7, 1)


def test_they_go_through_the_fake_list_and_cli(server: FakeRetabServer) -> None:
    server.add_runs("wf_1", "exp_1", [sample_run("exprun_1") | {"get": "g"}])
    with server.client() as client:
        assert client.list_runs("wf_1", "exp_1", tenant="t")[0].get_ == "g"


def test_a_keyword_body_member_is_sent_by_its_json_name(server: FakeRetabServer) -> None:
    with server.client() as client:
        client.workflows.experiments.update("exp_invoices", class_="gold")
    assert server.requests[-1].body == {"class": "gold"}


def test_a_date_time_parameter_is_sent_in_iso_8601_and_a_keyword_name_by_its_json_name(
    server: FakeRetabServer,
) -> None:
    since = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    with server.client() as client:
        client.workflows.experiments.runs.list_page(created_after=since, from_="x", limit=1)
        sent = server.requests[-1].query
        assert sent["created_after"] == "2026-05-01T12:00:00+00:00" and sent["from"] == "x"
        client.workflows.experiments.runs.list_page(created_after="2026-05-01T12:00:00Z")
        assert server.requests[-1].query["created_after"] == "2026-05-01T12:00:00Z"
        with pytest.raises(ConfigurationError, match="created_after"):
            client.workflows.experiments.runs.list_page(created_after="yesterday")


def test_an_integer_path_parameter_is_typed_and_checked(server: FakeRetabServer) -> None:
    with server.client(max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:  # the fake does not implement it: a 501
            client.workflows.experiments.runs.document("exprun_1", 3)
        assert info.value.status_code == 501
        assert server.requests[-1].path == "/v1/workflows/experiments/runs/exprun_1/documents/3"
        with pytest.raises(ConfigurationTypeError, match="index must be an int, not NoneType"):
            client.workflows.experiments.runs.document("exprun_1", None)  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError, match="index"):
            client.workflows.experiments.runs.document("exprun_1", -1)


def _mock(handler: Any) -> Retab:
    return Retab(
        "sk-test",
        base_url="https://api.example",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


def test_a_top_level_array_decodes_to_a_list_of_models() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"id": "doc_a"}, {"id": "doc_b", "filename": "b.pdf"}])

    documents = _mock(answer).workflows.experiments.runs.documents("exprun_1")
    assert [type(d) for d in documents] == [DocumentRef, DocumentRef]
    assert [d.id for d in documents] == ["doc_a", "doc_b"]


def test_an_integer_cursor_follows_every_page() -> None:
    pages = {None: ([1, 2], 10), "10": ([3], 20), "20": ([4], None)}

    def answer(request: httpx.Request) -> httpx.Response:
        items, after = pages[request.url.params.get("cursor")]
        return httpx.Response(
            200, json={"data": [{"id": f"doc_{i}"} for i in items], "next": after}
        )

    found = _mock(answer).workflows.documents.list_all()
    assert [d.id for d in found] == ["doc_1", "doc_2", "doc_3", "doc_4"]
    assert len(found.request_ids) == 3


def test_a_bearer_only_operation_sends_bearer_and_the_fake_enforces_it(
    server: FakeRetabServer,
) -> None:
    with server.client() as client:
        client.list_runs("wf_demo", "exp_invoices", tenant="t")
        headers = server.requests[-1].headers
        assert headers["Authorization"] == "***" and "Api-Key" not in headers
        # Another operation still takes the key as Api-Key, as the spec says there.
        client.workflows.experiments.get("exp_invoices")
        assert server.requests[-1].headers["Api-Key"] == "***"
    plain = httpx.get(
        f"{server.url}/v1/workflows/wf_demo/experiments/exp_invoices/runs?tenant=t",
        headers={"Api-Key": server.api_key},
    )
    assert plain.status_code == 401


def test_a_new_required_parameter_of_the_seed_operation_reaches_list_runs(
    server: FakeRetabServer,
) -> None:
    with server.client() as client:
        assert len(client.list_runs("wf_demo", "exp_invoices", tenant="acme")) == 8
        assert server.requests[-1].query == {"tenant": "acme"}
        with pytest.raises(ConfigurationError, match="tenant is required"):
            client.list_runs("wf_demo", "exp_invoices")
        with pytest.raises(ConfigurationTypeError, match="unexpected argument 'tenantt'"):
            client.list_runs("wf_demo", "exp_invoices", tenantt="acme")


def test_a_renamed_method_keeps_its_old_name_with_a_warning(server: FakeRetabServer) -> None:
    with server.client() as client:
        assert client.workflows.experiments.runs.cancel_run("exprun_inv_07").id == "exprun_inv_07"
        with pytest.warns(
            DeprecationWarning, match=r"runs\.cancel \(now cancel_run\) is deprecated"
        ):
            client.workflows.experiments.runs.cancel("exprun_inv_08")


def test_the_cli_follows_a_renamed_method(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETAB_API_KEY", server.api_key)
    monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
    assert cli.main(["cancel", "exprun_inv_07"]) == 0
    assert capsys.readouterr().out == "run exprun_inv_07 cancelled\n"


def test_deprecated_operations_and_parameters_warn_where_they_are_called(
    server: FakeRetabServer,
) -> None:
    with server.client() as client:
        result_id = client.workflows.experiments.results.list("exprun_inv_06").data[0].id
        with pytest.warns(DeprecationWarning, match=r"results\.get is deprecated") as caught:
            client.workflows.experiments.results.get(result_id)
        assert caught[0].filename == __file__
        with pytest.warns(DeprecationWarning, match="the argument block_id"):
            client.workflows.experiments.list("wf_demo", block_id="x")
    doc = client.workflows.experiments.results.get.__doc__ or ""
    assert "Deprecated" in doc


async def test_the_async_client_carries_the_same_shapes(server: FakeRetabServer) -> None:
    async with server.async_client(max_retries=0) as client:
        assert isinstance(client, AsyncRetab)
        runs = await client.list_runs("wf_demo", "exp_invoices", tenant="t")
        assert len(runs) == 8
        with pytest.warns(DeprecationWarning):
            await client.workflows.experiments.runs.cancel("exprun_inv_07")
        with pytest.raises(APIStatusError):
            await client.workflows.experiments.runs.document("exprun_1", 3)
        assert server.requests[-1].path.endswith("/documents/3")
    with pytest.raises(AuthenticationError):
        async with AsyncRetab("sk-wrong", base_url=server.url, max_retries=0) as wrong:
            await wrong.list_runs("wf_demo", "exp_invoices", tenant="t")
