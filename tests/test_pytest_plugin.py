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
'''


def test_application_tests_use_the_fixture_without_mocks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=APP_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


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
