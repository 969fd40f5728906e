"""Runs in notebooks and analyses: DataFrames, HTML tables, comparing two runs."""

from __future__ import annotations

import datetime
import html.parser
import json
import sys
from typing import Any

import pandas as pd
import polars as pl
import pytest

from retab_runs import (
    ExperimentRun,
    MissingDependencyError,
    Retab,
    RetabError,
    RunComparison,
    compare_runs,
)
from retab_runs.testing import FakeRetabServer, sample_run

HOSTILE = "<script>alert(1)</script>&\x1b[2J"


@pytest.fixture(scope="module")
def server() -> Any:
    with FakeRetabServer(sample=True) as fake:
        fake.add_runs(
            "wf",
            "exp",
            [
                # sample_run writes times in UTC: the offset is put back as a server may send it.
                sample_run("r2", created_at="2026-05-02T12:00:00Z", extra_field=HOSTILE)
                | {"created_at": "2026-05-02T14:00:00+02:00"},
                sample_run("r1", status="running", job_id=HOSTILE),
            ],
        )
        yield fake


@pytest.fixture(scope="module")
def client(server: FakeRetabServer) -> Any:
    with server.client() as client:
        yield client


def test_a_listing_becomes_a_pandas_frame_in_spec_order(client: Retab) -> None:
    runs = client.list_runs("wf", "exp")
    frame = runs.to_pandas()
    assert list(frame["id"]) == ["r2", "r1"]
    assert list(frame.columns[:5]) == [
        "id", "parent_run_id", "block_config.json_schema", "block_config.model",
        "definition_fingerprint",
    ]  # fmt: skip
    assert list(frame.columns[-1:]) == ["extra_field"]  # unknown fields after the spec's
    created = frame["created_at"]
    assert str(created.dtype).startswith("datetime64") and str(created.dt.tz) == "UTC"
    assert created[0] == pd.Timestamp("2026-05-02T12:00:00Z")  # +02:00 read as UTC
    assert frame["status"].tolist() == ["completed", "running"]
    assert frame["block_config.json_schema"][0] == {"type": "object"}  # free-form JSON: a dict


def test_the_flat_listing_flattens_nested_objects_into_dotted_columns(client: Retab) -> None:
    runs = client.workflows.experiments.runs.list_all(limit=5)
    frame = runs.to_pandas()
    assert len(frame) == len(runs) > 0
    assert "lifecycle.status" in frame.columns and "timing.created_at" in frame.columns
    assert "lifecycle" not in frame.columns and "timing" not in frame.columns
    assert frame["lifecycle.status"].tolist() == [str(run.lifecycle.status) for run in runs]
    assert str(frame["timing.created_at"].dt.tz) == "UTC"
    order = list(ExperimentRun.FIELDS)
    assert frame.columns.get_loc("id") < frame.columns.get_loc("lifecycle.status")
    assert order.index("lifecycle") < order.index("timing")


def test_polars_gets_the_same_rows_with_json_as_text(client: Retab) -> None:
    runs = client.list_runs("wf", "exp")
    frame = runs.to_polars()
    assert frame["id"].to_list() == ["r2", "r1"]
    assert frame.columns == list(runs.to_pandas().columns)
    assert frame.schema["created_at"] == pl.Datetime(time_unit="us", time_zone="UTC")
    noon = datetime.datetime(2026, 5, 2, 12, tzinfo=datetime.UTC)
    assert frame["created_at"][0] == noon  # +02:00 converted, not replaced
    assert json.loads(frame["block_config.json_schema"][0]) == {"type": "object"}


def test_a_missing_extra_is_named(client: Retab, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = client.list_runs("wf", "exp")
    for module, method in (("pandas", runs.to_pandas), ("polars", runs.to_polars)):
        monkeypatch.setitem(sys.modules, module, None)  # `import pandas` now fails
        with pytest.raises(MissingDependencyError) as info:
            method()
        assert isinstance(info.value, RetabError) and isinstance(info.value, ImportError)
        assert f"retab-runs[{module}]" in str(info.value) and info.value.extra == module


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_notebooks_show_an_escaped_table(client: Retab) -> None:
    runs = client.list_runs("wf", "exp")
    page = runs._repr_html_()
    parsed = _Cells()
    parsed.feed(page)
    assert "script" not in parsed.tags and set(parsed.tags) <= {
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "p",
    }
    assert any("<script>" in text for text in parsed.text)  # shown, as text
    assert page.count("<tr>") == 3  # the header and two runs
    one = runs[1]._repr_html_()
    parsed = _Cells()
    parsed.feed(one)
    assert "script" not in parsed.tags and "job_id" in parsed.text


def test_a_long_listing_shows_its_first_rows_and_a_count() -> None:
    with FakeRetabServer() as fake, fake.client() as client:
        fake.add_runs("wf", "exp", [sample_run(f"r{n}") for n in range(120)])
        page = client.list_runs("wf", "exp")._repr_html_()
    assert page.count("<tr>") == 51 and "70 more runs" in page


def _run(run_id: str, **fields: Any) -> Any:
    from retab_runs import ExperimentRunSummary

    return ExperimentRunSummary.from_dict(sample_run(run_id, **fields))


def test_compare_runs_says_what_changed_and_whether_scores_compare() -> None:
    a = _run("a", score=0.8, document_count=10, error_count=2, duration_ms=1000)
    b = _run("b", score=0.85, document_count=12, error_count=0, duration_ms=1500)
    result = compare_runs(a, b)
    assert isinstance(result, RunComparison)
    assert result.score_delta == pytest.approx(0.05) and result.comparable
    assert result.count_deltas == {"document_count": 2, "error_count": -2}
    assert result.duration_delta_ms == 500
    changed = compare_runs(a, _run("c", documents_fingerprint="other", score=None))
    assert changed.changed_fingerprints == ("documents_fingerprint",) and not changed.comparable
    assert changed.score_delta is None
    # A run still going has no duration (nor score) yet: no delta, whichever side it is on.
    running = _run("d", status="running")
    assert running.duration_ms is None
    for first, second in ((a, running), (running, a)):
        assert compare_runs(first, second).duration_delta_ms is None
        assert compare_runs(first, second).score_delta is None


def _resource_run(run_id: str, duration_ms: int, **fields: Any) -> ExperimentRun:
    """The spec's documented `ExperimentRun`, its duration under `timing` as the runs resource
    sends it."""
    example: dict[str, Any] = ExperimentRun.SCHEMA.schema["example"]
    timing = {**example["timing"], "duration_ms": duration_ms}
    return ExperimentRun.from_dict({**example, "id": run_id, "timing": timing, **fields})


def test_compare_runs_reads_the_runs_resource_shape() -> None:
    """Its counts, its fingerprint names, and the duration read from `timing`."""
    a = _resource_run("a", 258_221)
    b = _resource_run("b", 260_000, score=0.9, error_count=1, block_execution_fingerprint="new")
    assert compare_runs(a, b) == RunComparison(
        a_id="a",
        b_id="b",
        score_a=0.87,
        score_b=0.9,
        score_delta=0.9 - 0.87,
        changed_fingerprints=("block_execution_fingerprint",),
        count_deltas={
            "total_document_count": 0,
            "completed_document_count": 0,
            "document_count": 0,
            "error_count": 1,
        },
        duration_delta_ms=1_779,
    )


def test_sample_run_takes_iso_strings() -> None:
    run = _run("r", created_at="2026-01-02T03:04:05Z")
    assert run.created_at == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def _flat_run_with(client: Retab, **unknown: Any) -> dict[str, Any]:
    """A runs-resource run as the fake serves it, plus unknown members."""
    run = client.workflows.experiments.runs.list_all(limit=1)[0]
    return run.to_dict() | unknown


FORGED = {"lifecycle.status": "forged", "timing.created_at": "forged too", "block_config.x": 1}


def test_an_unknown_member_never_takes_a_spec_column(client: Retab, httpx_mock: Any) -> None:
    """A member called `lifecycle.status` is its own `["lifecycle.status"]` column: the spec's
    `lifecycle.status` and `timing.created_at` keep the real values in every frame and table."""
    served = _flat_run_with(client, **FORGED)
    httpx_mock.add_response(json={"data": [served], "list_metadata": {"after": None}})
    with Retab(api_key="sk-test", base_url="https://api.retab.com") as mocked:
        runs = mocked.workflows.experiments.runs.list_all()
    status, created = served["lifecycle"]["status"], served["timing"]["created_at"]
    frame = runs.to_pandas()
    assert frame["lifecycle.status"].tolist() == [status]
    assert frame["timing.created_at"][0] == pd.Timestamp(created)
    assert frame['["lifecycle.status"]'].tolist() == ["forged"]
    assert frame['["timing.created_at"]'].tolist() == ["forged too"]
    polars = runs.to_polars()
    assert polars["lifecycle.status"].to_list() == [status]
    assert polars['["lifecycle.status"]'].to_list() == ["forged"]
    assert list(polars.columns) == list(frame.columns)
    assert len(set(frame.columns)) == len(frame.columns)
    parsed = _Cells()
    parsed.feed(runs._repr_html_())
    header = parsed.text[: len(frame.columns)]
    cells = dict(zip(header, parsed.text[len(header) :], strict=False))
    assert cells["lifecycle.status"] == status and cells['["lifecycle.status"]'] == "forged"


def test_unknown_member_names_that_are_not_plain_text_are_quoted() -> None:
    """Control and bidi characters, brackets, quotes, a formula's first character and the
    empty name: a JSON string in brackets, so no column name carries a raw escape sequence
    or starts a formula in the CSV a frame is saved to."""
    with FakeRetabServer() as fake, fake.client() as own:
        names = ["\x1b]0;pwned\x07", "a\u202eb", '["x"]', "", "=cmd|x", "plain_é"]
        fake.add_runs("wf", "exp", [sample_run("r1", **dict.fromkeys(names, 1))])
        runs = own.list_runs("wf", "exp")
    columns = list(runs.to_pandas().columns)
    assert columns[-6:] == [
        '[""]', '["\\u001b]0;pwned\\u0007"]', '["=cmd|x"]', '["[\\"x\\"]"]', '["a\\u202eb"]',
        "plain_é",
    ]  # fmt: skip
    page = runs._repr_html_() + runs[0]._repr_html_()
    assert not {"\x1b", "\x07", "\u202e"} & set(page)


def test_notebook_tables_stay_small_whatever_the_run_carries() -> None:
    """20,000 unknown members on each run: the listing's table shows 40 columns and says
    how many more; one run's table shows 60 fields. Both stay under 64 KiB."""
    with FakeRetabServer() as fake, fake.client() as own:
        extra = {f"unknown_{n:05d}": "<b>" * 30 for n in range(20_000)}
        fake.add_runs("wf", "exp", [sample_run(f"r{n}", **extra) for n in range(3)])
        runs = own.list_runs("wf", "exp")
    page = runs._repr_html_()
    assert len(page) < 64 * 1024
    assert page.count("<th>") == 40 and "and 19976 more columns" in page
    one = runs[0]._repr_html_()
    assert len(one) < 64 * 1024 and one.count("<tr>") == 60 and "more fields" in one
