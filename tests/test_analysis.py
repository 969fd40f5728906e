"""Runs in notebooks and analyses: DataFrames, HTML tables, comparing two runs."""

from __future__ import annotations

import datetime
import html.parser
import json
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

from conftest import headless
from retab_runs import (
    ExperimentRun,
    MissingDependencyError,
    Retab,
    RetabError,
    RunComparison,
    UnknownColumnError,
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
        "id", "parent_run_id", "block_config", "definition_fingerprint", "documents_fingerprint",
    ]  # fmt: skip
    assert list(frame.columns[-1:]) == ["extra_field"]  # unknown fields after the spec's
    created = frame["created_at"]
    assert str(created.dtype).startswith("datetime64") and str(created.dt.tz) == "UTC"
    assert created[0] == pd.Timestamp("2026-05-02T12:00:00Z")  # +02:00 read as UTC
    assert frame["status"].tolist() == ["completed", "running"]
    assert frame["block_config"][0]["json_schema"] == {"type": "object"}  # free-form: a dict


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
    assert json.loads(frame["block_config"][0])["json_schema"] == {"type": "object"}


def test_a_missing_extra_is_named(client: Retab, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = client.list_runs("wf", "exp")
    for module, method in (("pandas", runs.to_pandas), ("polars", runs.to_polars)):
        monkeypatch.setitem(sys.modules, module, None)  # `import pandas` now fails
        with pytest.raises(MissingDependencyError) as info:
            method()
        assert isinstance(info.value, RetabError) and isinstance(info.value, ImportError)
        assert str(info.value) == (
            f"to_{module}() needs {module}, which is not installed: pip install {module} "
            f"(the retab-runs[{module}] extra)"  # a command that works before publication too
        )
        assert info.value.extra == module


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
    page = runs.table(columns=["id", "job_id", "extra_field"])._repr_html_()
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
        score_delta=0.03,  # rounded: not 0.030000000000000027
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
    parsed.feed(runs.table(columns=["lifecycle.status", '["lifecycle.status"]'])._repr_html_())
    assert parsed.text[:4] == ["lifecycle.status", '["lifecycle.status"]', status, "forged"]
    parsed = _Cells()
    parsed.feed(runs._repr_html_())  # the default table shows the real status
    assert parsed.text[1] == "lifecycle.status" and parsed.text[7] == status


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
    assert len(page) < 64 * 1024 and page.count("<th>") == 6  # the compact default
    assert "6 of 20015 columns" in page
    page = runs.table(columns=list(runs.to_pandas().columns))._repr_html_()
    assert len(page) < 64 * 1024
    assert page.count("<th>") == 40 and "and 19975 more columns" in page
    one = runs[0]._repr_html_()
    assert len(one) < 64 * 1024 and one.count("<tr>") == 60 and "more fields" in one


PANDAS_POLARS = {  # each column kind, as both frames hold it
    "Int64": "Int64",
    "Float64": "Float64",
    "string": "String",
    "datetime64[us, UTC]": "Datetime(time_unit='us', time_zone='UTC')",
    "object": "String",  # free-form JSON: dicts in pandas, JSON text in polars
}


def _dtypes(runs: Any) -> list[tuple[str, str, str]]:
    """(column, pandas dtype, polars dtype) for every column, checked to agree."""
    frame, other = runs.to_pandas(), runs.to_polars()
    assert list(frame.columns) == other.columns
    found = [(c, str(frame[c].dtype), str(other.schema[c])) for c in frame.columns]
    for column, pandas_type, polars_type in found:
        assert PANDAS_POLARS.get(pandas_type) == polars_type, column
    return found


def test_an_experiment_without_runs_has_the_spec_columns(server: FakeRetabServer) -> None:
    """`df[df.status == "completed"]` works on an empty experiment, in pandas and polars."""
    server.add_experiment("wf", "empty")
    with server.client() as client:
        empty = client.list_runs("wf", "empty")
        full = client.list_runs("wf_demo", "exp_invoices")
        flat = client.workflows.experiments.runs.list_all(experiment_id="no_such_experiment")
        flat_full = client.workflows.experiments.runs.list_all(limit=5)
    frame = empty.to_pandas()
    assert list(frame.columns) == list(full.to_pandas().columns) and len(frame) == 0
    assert frame[frame.status == "completed"].empty
    assert empty.to_polars().filter(pl.col("status") == "completed").is_empty()
    assert _dtypes(empty) == _dtypes(full)
    assert len(flat) == 0 and _dtypes(flat) == _dtypes(flat_full)
    assert "lifecycle.status" in flat.to_polars().columns


def test_pandas_and_polars_agree_whatever_the_data() -> None:
    """Nullable integers, floats and datetimes in UTC; the same columns, null or not."""
    with FakeRetabServer() as fake, fake.client() as client:
        fake.add_runs("wf", "some", [
            sample_run("r1", status="running", block_config={"temperature": 0.2}),
            sample_run("r2", created_at="2026-05-02T14:00:00+02:00", score=0.5),
        ])  # fmt: skip
        fake.add_runs("wf", "nulls", [sample_run("r3", status="pending", block_config=None)])
        some, nulls = client.list_runs("wf", "some"), client.list_runs("wf", "nulls")
    assert _dtypes(some) == _dtypes(nulls)  # all-null score, duration_ms: still typed
    types = {column: pandas_type for column, pandas_type, _ in _dtypes(some)}
    assert types["duration_ms"] == types["document_count"] == "Int64"
    assert types["score"] == "Float64" and types["created_at"] == "datetime64[us, UTC]"
    assert not any(column.startswith("block_config.") for column in types)
    frame, other = some.to_pandas(), some.to_polars()
    assert frame["id"].tolist() == ["r2", "r1"]  # newest first, as served
    assert frame["duration_ms"][0] == 258221 and frame["duration_ms"][1] is pd.NA
    assert other["duration_ms"].to_list() == [258221, None]
    assert frame["created_at"][0] == pd.Timestamp("2026-05-02T12:00:00Z")
    assert other["created_at"][0] == datetime.datetime(2026, 5, 2, 12, tzinfo=datetime.UTC)
    assert frame["block_config"][1] == {"temperature": 0.2}
    assert json.loads(other["block_config"][1]) == {"temperature": 0.2}


def test_fields_the_spec_does_not_name_follow_typed_alike() -> None:
    with FakeRetabServer() as fake, fake.client() as client:
        fake.add_runs("wf", "exp", [
            sample_run("r1", new_count=3, new_text="a", new_mixed=1, new_object={"a": 1}),
            sample_run("r2", new_count=None, new_mixed="x"),
        ])  # fmt: skip
        runs = client.list_runs("wf", "exp")
    found = _dtypes(runs)
    assert [c for c, _, _ in found][-4:] == ["new_count", "new_mixed", "new_object", "new_text"]
    types = {column: pandas_type for column, pandas_type, _ in found}
    assert types["new_count"] == "Int64" and types["new_text"] == "string"
    assert types["new_mixed"] == types["new_object"] == "object"
    assert runs.to_polars()["new_mixed"].to_list() == ["1", '"x"']


def test_the_notebook_table_shows_a_runs_essentials_first(server: FakeRetabServer) -> None:
    with server.client() as client:
        runs = client.list_runs("wf_demo", "exp_invoices")
        flat = client.workflows.experiments.runs.list_all(limit=3)
    parsed = _Cells()
    parsed.feed(runs._repr_html_())
    assert parsed.text[:6] == [
        "id", "status", "score", "created_at", "duration_ms", "document_count"
    ]  # fmt: skip
    assert parsed.text[6:9] == ["exprun_inv_08", "pending", "-"]
    assert "6 of 15 columns: .table(columns=[...]) picks them" in parsed.text[-1]
    parsed = _Cells()
    parsed.feed(flat._repr_html_())
    assert parsed.text[:6] == [
        "id", "lifecycle.status", "score", "timing.created_at", "timing.duration_ms",
        "document_count",
    ]  # fmt: skip
    parsed = _Cells()
    parsed.feed(runs.table(columns=["id", "job_id"])._repr_html_())
    assert parsed.text[:3] == ["id", "job_id", "exprun_inv_08"]
    assert not any("columns" in text for text in parsed.text)


def test_the_notebook_table_names_the_columns_when_one_is_unknown(client: Retab) -> None:
    runs = client.list_runs("wf", "exp")
    with pytest.raises(UnknownColumnError) as info:
        runs.table(columns=["id", "scroe"])
    assert isinstance(info.value, RetabError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith('unknown column "scroe"; the columns are id, parent_run_id,')


def test_a_run_in_a_notebook_shows_nested_fields_as_rows_not_cut_json(client: Retab) -> None:
    (run, *_) = client.workflows.experiments.runs.list_all(limit=1)
    parsed = _Cells()
    parsed.feed(run._repr_html_())
    for name in ("timing.created_at", "timing.started_at", "timing.completed_at"):
        assert name in parsed.text
    assert not any(text.startswith("{") for text in parsed.text)


def test_datetimes_at_the_ends_of_the_calendar_keep_their_moment() -> None:
    """Year 9999 at -14:00 is year 10000 in UTC: pandas' nanoseconds would wrap it to 1972."""
    with FakeRetabServer() as fake, fake.client() as client:
        fake.add_runs("wf", "exp", [sample_run("r1") | {
            "created_at": "9999-12-31T23:59:59-14:00", "completed_at": "0001-01-01T00:00:00+14:00"
        }])  # fmt: skip
        runs = client.list_runs("wf", "exp")
    frame, other = runs.to_pandas(), runs.to_polars()
    assert (frame["created_at"][0].year, frame["completed_at"][0].year) == (10000, 0)
    assert frame["created_at"][0].isoformat() == "10000-01-01T13:59:59+00:00"
    assert other["created_at"].dt.year().to_list() == [10000]
    assert other["completed_at"].dt.year().to_list() == [0]


def test_the_notebook_table_fits_a_1200_pixel_notebook(
    server: FakeRetabServer, browser: str, tmp_path: Path
) -> None:
    """Drawn by Chromium as Jupyter shows it (a 120 px prompt on the left): score and
    created_at were off screen, among 15 columns in spec order and cut JSON."""
    with server.client() as client:
        runs = client.list_runs("wf_demo", "exp_invoices")
    probe = (
        "<script>window.addEventListener('load', () => {"
        "const cells = [...document.querySelectorAll('th')];"
        "document.title = cells.map(th => th.textContent + '@'"
        " + Math.round(th.getBoundingClientRect().right)).join(' ');"
        "});</script>"
    )
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!doctype html><html><head><title>-</title></head>"
        f"<body style='margin: 0 0 0 120px'>{runs._repr_html_()}{probe}</body></html>"
    )
    dom = headless(browser, tmp_path / "p", "--window-size=1200,800", "--dump-dom", page.as_uri())
    title = re.search(r"<title>(.*)</title>", dom)
    assert title, dom[:300]
    edges = {name: int(right) for name, right in (c.rsplit("@", 1) for c in title[1].split())}
    assert list(edges)[:4] == ["id", "status", "score", "created_at"]
    assert max(edges.values()) <= 1200, edges
