"""`retab-runs experiments list|get` and `retab-runs results`, in process against the fake."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from retab_runs import cli
from retab_runs.testing import FakeRetabServer


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    with FakeRetabServer(sample=True) as fake:
        monkeypatch.setenv("RETAB_API_KEY", fake.api_key)
        monkeypatch.setenv("RETAB_API_BASE_URL", fake.url)
        yield fake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_experiments_list_is_a_table_of_every_page(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "experiments", "list", "wf_demo")
    assert code == 0
    assert out.splitlines() == [
        "ID             NAME           STATUS      SCORE  DOCS",  # as in every runs table
        "exp_contracts  exp_contracts  processing   0.82    40",
        "exp_invoices   exp_invoices   processing   0.93    12",
    ]


def test_experiments_get_as_json_and_csv(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "experiments", "get", "exp_invoices", "--format", "json")
    assert code == 0
    [experiment] = json.loads(out)["experiments"]
    assert (experiment["id"], experiment["n_consensus"], experiment["score"]) == (
        "exp_invoices",
        7,
        0.93,
    )
    code, out, _ = run(capsys, "experiments", "get", "exp_invoices", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["id"], row["block_type"], row["document_count"]) == (
        "exp_invoices",
        "extract",
        "12",
    )


def test_an_unknown_experiment_is_not_found(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "experiments", "get", "exp_nope")
    assert (code, out) == (4, "")
    assert "Experiment not found" in err and "Traceback" not in err


def test_results_put_the_worst_drop_first(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set_document_scores("exprun_inv_04", {"doc_a": 0.9, "doc_b": 0.8, "doc_c": 0.7})
    server.set_document_scores("exprun_inv_06", {"doc_a": 0.95, "doc_b": 0.5, "doc_c": None})
    code, out, _ = run(capsys, "results", "exprun_inv_06")
    assert code == 0
    assert out.splitlines() == [
        "DOCUMENT  FILENAME   STATUS     SCORE  PRIOR  DELTA",
        "doc_c     doc_c.pdf  error      -      0.70   -",
        "doc_b     doc_b.pdf  completed  0.50   0.80   -0.30",
        "doc_a     doc_a.pdf  completed  0.95   0.90   +0.05",
    ]
    code, out, _ = run(capsys, "results", "exprun_inv_06", "--format", "json", "--limit", "2")
    assert json.loads(out)["documents"] == [
        {"document": "doc_c", "filename": "doc_c.pdf", "status": "error", "score": None,
         "prior": 0.7, "delta": None},
        {"document": "doc_b", "filename": "doc_b.pdf", "status": "completed", "score": 0.5,
         "prior": 0.8, "delta": -0.3},
    ]  # fmt: skip


def test_results_of_a_run_without_metrics_say_why(
    server: FakeRetabServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "results", "exprun_inv_07", "--limit", "2")
    assert code == 0
    assert out.splitlines() == [
        "DOCUMENT  FILENAME  STATUS   SCORE  PRIOR  DELTA",
        "doc_001   -         running  -      -      -",
        "doc_002   -         running  -      -      -",
        "(no scores: no_metrics: run exprun_inv_07 has no metrics yet (running))",
    ]
