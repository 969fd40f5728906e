"""Which documents regressed: `compare_runs` with a client, over the fake's document scores."""

from __future__ import annotations

import asyncio
import html.parser
from collections.abc import Iterator

import pandas as pd
import pytest

from retab_runs import (
    ConfigurationTypeError,
    DocumentComparison,
    Retab,
    compare_runs,
)
from retab_runs.testing import FakeRetabServer, sample_run

# Run B's average rose (0.75 -> 0.82), but three documents dropped by more than 0.2.
SCORES_A: dict[str, float | None] = {
    "d1": 0.9, "d2": 0.9, "d3": 0.8, "d4": 0.5, "d5": 0.5, "d6": 0.9, "d7": 0.7, "gone": 0.8,
}  # fmt: skip
SCORES_B: dict[str, float | None] = {
    "d1": 0.6, "d2": 0.75, "d3": 0.55, "d4": 1.0, "d5": 1.0, "d6": 0.85, "d7": None, "new": 1.0,
}  # fmt: skip
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def server() -> Iterator[FakeRetabServer]:
    with FakeRetabServer() as fake:
        fake.add_runs(
            "wf",
            "exp",
            [
                sample_run("run_a", created_at="2026-05-01T10:00:00Z", score=0.75),
                sample_run("run_b", created_at="2026-05-02T10:00:00Z", score=0.82),
            ],
        )
        fake.set_document_scores("run_a", SCORES_A)
        fake.set_document_scores("run_b", SCORES_B)
        yield fake


@pytest.fixture
def client(server: FakeRetabServer) -> Iterator[Retab]:
    with server.client(max_retries=0) as made:
        yield made


def _ids(documents: tuple[DocumentComparison, ...]) -> list[str]:
    return [document.document_id for document in documents]


def test_the_documents_that_dropped_worst_first(client: Retab) -> None:
    """The run's score rose, yet three documents fell by more than 0.2: named, worst first."""
    result = client.compare_runs("run_a", "run_b")
    assert result.score_delta == 0.07
    assert _ids(result.regressed(0.2)) == ["d7", "d1", "d3"]
    assert _ids(result.regressed(0.2)) == _ids(result.documents or ())[:3]
    failed, worst = result.regressed(0.2)[:2]
    assert (failed.score_a, failed.score_b, failed.drop) == (0.7, None, 0.7)
    assert (failed.status_a, failed.status_b, failed.change) == ("scored", "failed", "failed")
    assert (worst.delta, worst.filename) == (-0.3, "d1.pdf")
    assert _ids(result.regressed(0.0)) == ["d7", "d1", "d3", "d2", "d6"]


def test_documents_only_in_one_run_are_new_or_missing(client: Retab) -> None:
    documents = {d.document_id: d for d in client.compare_runs("run_a", "run_b").documents or ()}
    assert set(documents) == {*SCORES_A, *SCORES_B}
    new, gone = documents["new"], documents["gone"]
    assert (new.status_a, new.status_b, new.change, new.delta) == ("missing", "scored", "new", None)
    assert (gone.status_a, gone.status_b, gone.change) == ("scored", "missing", "missing")
    assert gone.score_a == 0.8 and gone.drop is None


def test_the_baseline_is_named_to_the_metrics_operation(
    server: FakeRetabServer, client: Retab
) -> None:
    """B's metrics are read with prior_run_id=A, so runs far apart compare document by document."""
    server.add_runs("wf", "exp", [sample_run("run_c", created_at="2026-05-03T10:00:00Z")])
    server.set_document_scores("run_c", {"d1": 0.1})
    runs = client.list_runs("wf", "exp")
    result = compare_runs(runs[2], runs[0], client=client)
    metrics = [r for r in server.requests if r.path.endswith("/experiments/metrics")]
    assert metrics[0].query["run_id"] == "run_c" and metrics[0].query["prior_run_id"] == "run_a"
    assert [(d.document_id, d.delta) for d in result.regressed(0.5)] == [("d1", -0.8)]


def test_without_a_client_the_comparison_is_as_before(client: Retab) -> None:
    a, b = client.list_runs("wf", "exp")[::-1]
    result = compare_runs(a, b)
    assert result.documents is None and result.regressed(0) == () and result.note is None
    assert result.score_delta == 0.07


def test_runs_without_metrics_are_read_from_results_saying_so(client: Retab) -> None:
    """Stale metrics: each document and whether it failed, from results; the note says why."""
    client.workflows.experiments.update("exp", n_consensus=5)
    result = client.compare_runs("run_a", "run_b")
    assert result.note is not None and result.note.count("stale_metrics") == 2
    assert "from its results, without scores" in result.note
    documents = {d.document_id: d for d in result.documents or ()}
    assert (documents["d7"].status_b, documents["d7"].score_b) == ("error", None)
    assert (documents["d1"].status_a, documents["d1"].delta) == ("completed", None)
    assert documents["new"].change == "new" and result.regressed(0) == ()


def test_the_async_client_compares_documents_too(server: FakeRetabServer) -> None:
    async def main() -> list[str]:
        async with server.async_client(max_retries=0) as client:
            result = await client.compare_runs("run_a", "run_b")
            with pytest.raises(ConfigurationTypeError, match=r"await client\.compare_runs"):
                compare_runs(result_a, result_b, client=client)  # type: ignore[arg-type]
            return _ids(result.regressed(0.2))

    with server.client() as sync:
        result_a, result_b = sync.list_runs("wf", "exp")[::-1]
    assert asyncio.run(main()) == ["d7", "d1", "d3"]


def test_the_repr_rounds_deltas() -> None:
    """0.93 - 0.71 is 0.22000000000000008 in floats; nobody wants to read that."""
    from retab_runs import ExperimentRunSummary

    a = ExperimentRunSummary.from_dict(sample_run("a", score=0.71))
    b = ExperimentRunSummary.from_dict(sample_run("b", score=0.93))
    text = repr(compare_runs(a, b))
    assert "score_delta=0.22," in text and "0.2200000" not in text
    assert "documents=None" in text


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1] in ("td", "th"):
            self.tables[-1][-1].append(data)


def test_a_notebook_shows_run_rows_then_the_worst_documents(
    server: FakeRetabServer, client: Retab
) -> None:
    server.set_document_scores("run_b", {**SCORES_B, HOSTILE: 0.0})
    server.set_document_scores("run_a", {**SCORES_A, HOSTILE: 0.99})
    page = client.compare_runs("run_a", "run_b")._repr_html_()
    cells = _Cells()
    cells.feed(page)
    assert set(cells.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "p"}
    runs, documents = cells.tables
    assert runs[1][:1] == ["score"] and runs[1][-1] == "+0.07"
    assert documents[0][0] == "document_id"
    assert [row[0] for row in documents[1:4]] == [HOSTILE, "d7", "d1"]


def test_to_pandas_gives_the_documents_worst_first(client: Retab) -> None:
    frame = client.compare_runs("run_a", "run_b").to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 9
    assert list(frame["document_id"][:3]) == ["d7", "d1", "d3"]
    assert {"filename", "score_a", "score_b", "delta", "status_a", "status_b"} <= set(frame)
