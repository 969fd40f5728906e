"""The retab_server fixture, as an application's test suite would use it."""

from __future__ import annotations

import pytest

APP_TESTS = '''
import datetime
from retab_runs import Retab, NotFoundError
from retab_runs.testing import sample_run
import pytest


def latest_run_id(workflow_id, experiment_id):
    """Application code: builds its client from the environment."""
    with Retab() as client:
        runs = client.list_runs(workflow_id, experiment_id)
    return runs[0].id if runs else None


def test_app_sees_seeded_runs(retab_server):
    older = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    retab_server.add_runs("wf_1", "exp_1", [sample_run("exprun_0", created_at=older)])
    retab_server.add_runs("wf_1", "exp_1", [sample_run("exprun_1")])
    assert latest_run_id("wf_1", "exp_1") == "exprun_1"


def test_client_fixture_and_faults(retab_server, retab_client):
    retab_server.add_experiment("wf_1", "exp_1")
    retab_server.fail_next(status=404, body={"detail": "Experiment not found"})
    with pytest.raises(NotFoundError):
        retab_client.list_runs("wf_1", "exp_1")
    assert retab_client.list_runs("wf_1", "exp_1") == []


def test_sample_server(retab_sample_server):
    assert latest_run_id("wf_demo", "exp_invoices") == "exprun_inv_08"


def release(experiment_id):
    """Application code: starts a run, waits for it, ships on a good score."""
    with Retab() as client:
        run = client.workflows.experiments.runs.create(experiment_id)
        done = client.wait_for_run(run.workflow_id, run.experiment_id, run.id)
    return done.lifecycle.status == "completed" and done.score >= 0.85


def test_the_runs_resource_with_no_waits(retab_sample_server, retab_client):
    assert release("exp_invoices")  # created runs progress as they are read; no real sleeps
    in_flight = retab_client.workflows.experiments.runs.list_all(status="running")
    assert {run.id for run in in_flight} == {"exprun_inv_07", "exprun_ctr_03"}
    retab_client.workflows.experiments.runs.cancel("exprun_inv_07")
'''


def test_application_tests_use_the_fixture_without_mocks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=APP_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugin_is_inert_for_projects_that_do_not_use_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_other="""
import sys, os

def test_nothing_started():
    assert "retab_runs.testing" not in sys.modules
    assert "RETAB_API_BASE_URL" not in os.environ
"""
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


NO_WAIT_TESTS = """
import time
import pytest
from retab_runs import InternalServerError
from retab_runs.testing import no_retry_waits


def test_retries_do_not_wait_in_the_fixtures(retab_server, retab_client):
    retab_server.add_experiment("wf_1", "exp_1")
    retab_server.fail_next(2, status=503)
    started = time.monotonic()
    assert retab_client.list_runs("wf_1", "exp_1") == []
    # Real backoff would be at least 0.375 + 0.75 s.
    assert time.monotonic() - started < 0.3
    assert len(retab_server.requests) == 3


def test_waits_are_recorded_for_assertions(retab_server, retab_client):
    retab_server.add_experiment("wf_1", "exp_1")
    retab_server.fail_next(status=503, retry_after=7)
    with no_retry_waits() as waits:
        retab_client.list_runs("wf_1", "exp_1")
    assert waits == [7.0]


@pytest.mark.retab_real_waits
def test_opting_out_keeps_real_backoff(retab_server, retab_client):
    retab_server.add_experiment("wf_1", "exp_1")
    retab_server.fail_next(status=503, retry_after=0.3)
    started = time.monotonic()
    retab_client.list_runs("wf_1", "exp_1")
    assert time.monotonic() - started >= 0.3
"""


def test_fixtures_make_retries_instant_without_monkeypatching(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=NO_WAIT_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=3)
