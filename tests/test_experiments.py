"""The experiments namespace over the fake server, on both clients: what a user of it sees.

Every call here is a generated method (no code was written per operation):
experiments CRUD, per-document results and the metrics union, with the
shapes they bring (a 204, a PATCH where null clears and omitted keeps, a
declared 409, typed query parameters, a member named `self`).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from _retab_runs_generated.models import (
    ErrorResponse,
    ExperimentResult,
    LifecycleError,
    MetricsByDocument,
    MetricsByTarget,
    MetricsSummary,
    MetricsVotes,
    NoMetrics,
    StaleMetrics,
    TargetConfusion,
    WorkflowExperiment,
)
from _retab_runs_runtime import Model, Param
from conftest import ROOT
from retab_runs import (
    AsyncRetab,
    ConfigurationError,
    ConfigurationTypeError,
    ConflictError,
    NotFoundError,
    Retab,
)
from retab_runs.testing import FakeRetabServer, sample_run

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(retab_sample_server: FakeRetabServer) -> Any:
    with retab_sample_server.client(max_retries=2) as made:
        yield made


def test_experiments_list_pages_and_list_all_follows_them(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    page = client.workflows.experiments.list("wf_demo", limit=1)
    assert [e.id for e in page.data] == ["exp_contracts"]
    assert page.list_metadata.after == "exp_contracts"
    every = client.workflows.experiments.list_all("wf_demo", limit=1)
    assert [e.id for e in every] == ["exp_contracts", "exp_invoices"]
    assert len(every.request_ids) == 2
    assert retab_sample_server.requests[-1].query == {
        "workflow_id": "wf_demo",
        "limit": "1",
        "after": "exp_contracts",
    }
    assert [e.id for e in client.workflows.experiments.iter_all("wf_demo")] == [
        "exp_contracts",
        "exp_invoices",
    ]


def test_an_experiment_reads_as_its_runs_say(client: Retab) -> None:
    experiment = client.workflows.experiments.get("exp_invoices")
    assert type(experiment) is WorkflowExperiment
    assert (experiment.workflow_id, experiment.block_type, experiment.n_consensus) == (
        "wf_demo",
        "extract",
        7,
    )
    assert experiment.status == "processing"  # its newest run is pending
    assert experiment.score == 0.93  # the newest completed run's
    assert experiment.last_run_id == "exprun_inv_08"
    with pytest.raises(NotFoundError, match="Experiment not found"):
        client.workflows.experiments.get("exp_nope")


def test_create_sends_only_what_is_given(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    made = client.workflows.experiments.create("wf_demo", name="Receipts", n_consensus=5)
    assert (made.name, made.n_consensus, made.workflow_id) == ("Receipts", 5, "wf_demo")
    assert retab_sample_server.requests[-1].body == {
        "workflow_id": "wf_demo",
        "n_consensus": 5,
        "name": "Receipts",
    }
    assert client.list_runs("wf_demo", made.id) == []  # it exists, with no runs yet


def test_a_copy_with_other_fields_is_refused_before_sending(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    sent = len(retab_sample_server.requests)
    with pytest.raises(ConfigurationError, match="create"):
        client.workflows.experiments.create(
            "wf_demo", source_experiment_id="exp_invoices", name="Copy"
        )
    assert len(retab_sample_server.requests) == sent
    copy = client.workflows.experiments.create("wf_demo", source_experiment_id="exp_invoices")
    assert copy.block_type == "extract" and copy.id != "exp_invoices"


def test_update_changes_what_is_sent_null_clears_and_omitted_keeps(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    made = client.workflows.experiments.create("wf_demo", name="Before", n_consensus=5)
    renamed = client.workflows.experiments.update(made.id, name="After")
    assert retab_sample_server.requests[-1].body == {"name": "After"}
    assert (renamed.name, renamed.n_consensus) == ("After", 5)
    cleared = client.workflows.experiments.update(made.id, name=None)
    assert retab_sample_server.requests[-1].body == {"name": None}
    assert (cleared.name, cleared.n_consensus) == ("", 5)
    client.workflows.experiments.update(made.id)
    assert retab_sample_server.requests[-1].body == {}


def test_delete_answers_none_and_the_experiment_is_gone(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    made = client.workflows.experiments.create("wf_demo", name="Temporary")
    assert client.workflows.experiments.delete(made.id) is None
    retab_sample_server.add_runs("wf_demo", "exp_done", [sample_run("exprun_done_1")])
    raw = client.with_raw_response.workflows.experiments.delete("exp_done")
    assert raw.status_code == 204 and raw.parse() is None
    with pytest.raises(NotFoundError):
        client.workflows.experiments.get("exp_done")
    with pytest.raises(NotFoundError):
        client.list_runs("wf_demo", "exp_done")
    with pytest.raises(NotFoundError):
        client.workflows.experiments.runs.get("exprun_done_1")


def test_a_409_the_spec_declares_is_raised_at_once_with_its_typed_body(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    """Deleting an experiment with a pending run: one request, not three, and a model body."""
    sent = len(retab_sample_server.requests)
    with pytest.raises(ConflictError) as info:
        client.workflows.experiments.delete("exp_invoices")
    assert len(retab_sample_server.requests) == sent + 1
    assert type(info.value.body) is ErrorResponse
    assert info.value.body.detail == "Experiment has a pending run: cancel it first"
    assert str(info.value) == "Error code: 409 - Experiment has a pending run: cancel it first"


def test_a_409_the_spec_does_not_declare_is_still_retried(
    retab_sample_server: FakeRetabServer,
) -> None:
    """`get` declares no 409, so the retry policy's rule (retry a conflict) holds there."""
    retab_sample_server.fail_next(status=409)
    with retab_sample_server.client(max_retries=2) as client:
        assert client.workflows.experiments.get("exp_invoices").id == "exp_invoices"
    assert [r.method for r in retab_sample_server.requests] == ["GET", "GET"]


def test_results_are_one_per_document_and_page(client: Retab) -> None:
    first = client.workflows.experiments.results.list("exprun_inv_06", limit=5)
    assert [r.document_id for r in first.data] == [f"doc_{i:03d}" for i in range(1, 6)]
    assert type(first.data[0]) is ExperimentResult
    every = client.workflows.experiments.results.list_all("exprun_inv_06", limit=5)
    assert len(every) == 12 and len(every.request_ids) == 3
    one = client.workflows.experiments.results.get(first.data[0].id)
    assert (one.document_id, one.experiment_run_id) == ("doc_001", "exprun_inv_06")
    with pytest.raises(NotFoundError):
        client.workflows.experiments.results.get("expres_nope")


def test_a_failed_document_is_an_error_result(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    retab_sample_server.set_document_scores("exprun_inv_06", {"doc_a": 0.9, "doc_b": None})
    results = client.workflows.experiments.results.list_all("exprun_inv_06")
    assert [r.document_id for r in results] == ["doc_a", "doc_b"]
    assert type(results[1].lifecycle) is LifecycleError
    assert results[1].lifecycle.message == "doc_b failed"


@pytest.mark.parametrize(
    ("view", "model"),
    [
        ("summary", MetricsSummary),
        ("by_document", MetricsByDocument),
        ("by_target", MetricsByTarget),
        ("votes", MetricsVotes),
    ],
)
def test_metrics_come_back_as_the_view_asked_for(
    client: Retab, view: Any, model: type[Model]
) -> None:
    metrics = client.workflows.experiments.metrics.get("exprun_inv_06", view=view)
    assert type(metrics) is model
    assert metrics["kind"] == view


def test_metrics_carry_each_documents_prior_score(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    retab_sample_server.set_document_scores("exprun_inv_04", {"doc_a": 0.9, "doc_b": 0.8})
    retab_sample_server.set_document_scores(
        "exprun_inv_06", {"doc_a": 0.6, "doc_b": None, "doc_c": 1.0}
    )
    metrics = client.workflows.experiments.metrics.get("exprun_inv_06")
    assert isinstance(metrics, MetricsSummary)
    assert (metrics.score, metrics.prior_score, metrics.prior_run_id) == (
        0.93,
        0.87,
        "exprun_inv_04",
    )
    assert [(d.id, d.score, d.prior_score) for d in metrics.documents] == [
        ("doc_a", 0.6, 0.9),
        ("doc_b", None, 0.8),
        ("doc_c", 1.0, None),
    ]
    assert (metrics.scored_document_count, metrics.total_document_count) == (2, 3)
    named = client.workflows.experiments.metrics.get("exprun_inv_06", prior_run_id="exprun_inv_02")
    assert isinstance(named, MetricsSummary) and named.prior_run_id == "exprun_inv_02"
    alone = client.workflows.experiments.metrics.get("exprun_inv_06", include_prior=False)
    assert retab_sample_server.requests[-1].query["include_prior"] == "false"
    assert isinstance(alone, MetricsSummary) and alone.prior_score is None


def test_no_metrics_and_stale_metrics_are_answers_not_errors(client: Retab) -> None:
    running = client.workflows.experiments.metrics.get("exprun_inv_07")
    assert type(running) is NoMetrics and running.experiment_id == "exp_invoices"
    client.workflows.experiments.update("exp_invoices", n_consensus=3)
    stale = client.workflows.experiments.metrics.get("exprun_inv_06")
    assert type(stale) is StaleMetrics
    assert stale.last_run is not None and stale.last_run.run_id == "exprun_inv_06"


def test_an_unknown_kind_is_kept_readable(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    """A metrics body of a kind this spec does not list parses as the catch-all variant."""
    retab_sample_server.fail_next(status=200, body={"kind": "histogram", "bins": [1, 2]})
    metrics = client.workflows.experiments.metrics.get("exprun_inv_06")
    assert metrics["kind"] == "histogram" and metrics["bins"] == [1, 2]


def test_typed_query_parameters_are_checked_before_sending(
    retab_sample_server: FakeRetabServer, client: Retab
) -> None:
    sent = len(retab_sample_server.requests)
    with pytest.raises(ConfigurationError, match="view"):
        client.workflows.experiments.metrics.get("exprun_inv_06", view="everything")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationTypeError, match="include_prior"):
        client.workflows.experiments.metrics.get("exprun_inv_06", include_prior="no")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="limit"):
        client.workflows.experiments.results.list("exprun_inv_06", limit=0)
    assert len(retab_sample_server.requests) == sent


def test_a_member_named_self_is_self_in_json_and_self_underscore_in_python() -> None:
    confusion = TargetConfusion.from_dict({"self": 0.5, "flow_from": {"a": 0.1}})
    assert confusion.self_ == 0.5 and confusion["self"] == 0.5
    assert confusion.to_dict()["self"] == 0.5
    assert confusion.flow_from is not None and confusion.flow_from["a"] == 0.1


def test_spec_examples_are_fresh_copies() -> None:
    """Changing one test's example never changes the next one's."""
    first = WorkflowExperiment.SCHEMA.example()
    first["name"] = "changed"
    assert WorkflowExperiment.SCHEMA.example()["name"] == "Invoices"


def test_model_member_names_the_template_avoids_are_models_public_names() -> None:
    """scripts/templates/model.py.jinja renames a JSON member that would shadow these."""
    template = (ROOT / "scripts" / "templates" / "model.py.jinja").read_text()
    line = next(row for row in template.splitlines() if "set MODEL_MEMBERS" in row)
    listed = set(
        line.split("[", 1)[1].split("]", 1)[0].replace('"', "").replace(" ", "").split(",")
    )
    public = {name for name in dir(Model) if not name.startswith("_")} | {"additional_properties"}
    assert public <= listed, public - listed


def test_a_naive_datetime_is_refused_as_a_parameter() -> None:
    """Which moment a naive datetime means is the caller's guess: it is refused, named."""
    from retab_runs import _params

    param = Param("after", "after", "query", required=False, schema={"type": "string"})
    with pytest.raises(ConfigurationError, match="after must be a timezone-aware datetime"):
        _params.check(param, datetime.datetime(2026, 1, 1))
    aware = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    assert _params.query_value(param, aware) == "2026-01-01T12:00:00+00:00"


async def test_the_async_client_has_the_same_namespace(
    retab_sample_server: FakeRetabServer,
) -> None:
    async with retab_sample_server.async_client() as client:
        assert isinstance(client, AsyncRetab)
        page = await client.workflows.experiments.list("wf_demo")
        assert [e.id for e in page.data] == ["exp_contracts", "exp_invoices"]
        made = await client.workflows.experiments.create("wf_demo", name="Async")
        assert (await client.workflows.experiments.update(made.id, name=None)).name == ""
        assert await client.workflows.experiments.delete(made.id) is None
        results = [r async for r in client.workflows.experiments.results.iter_all("exprun_inv_06")]
        assert len(results) == 12
        metrics = await client.workflows.experiments.metrics.get("exprun_inv_06", view="votes")
        assert type(metrics) is MetricsVotes
        with pytest.raises(ConflictError):
            await client.workflows.experiments.delete("exp_invoices")
