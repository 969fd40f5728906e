"""What the CLI's printers show, read in process: durations, times, JSON, the score trend.

The terminal-only trend is also shown end to end in a real pseudo-terminal
(test_cli_wait_gate.py); these pin its arithmetic where mutation testing and
coverage can see it.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from _retab_runs_generated.models import ExperimentRunSummary
from retab_runs.cli._output import cell, format_json, sparkline, when
from retab_runs.testing import sample_run

START = datetime.datetime(2026, 5, 2, 11, 0, tzinfo=datetime.UTC)


def run(i: int, status: str = "completed", **fields: Any) -> ExperimentRunSummary:
    created = START + datetime.timedelta(minutes=i)
    body = sample_run(f"exprun_{i:04d}", created_at=created, status=status, **fields)
    return ExperimentRunSummary.from_dict(body)


@pytest.mark.parametrize(
    ("ms", "shown"),
    [
        (0, "0.0s"),
        (1_500, "1.5s"),
        (59_000, "59.0s"),
        (60_000, "1m00s"),
        (61_000, "1m01s"),
        (3_599_000, "59m59s"),
        (3_600_000, "1h00m"),
        (3_660_000, "1h01m"),
        (90_061_000, "25h01m"),
    ],
)
def test_a_duration_reads_in_the_largest_units_that_fit(ms: int, shown: str) -> None:
    assert cell("duration_ms", ms) == shown


def test_times_show_in_utc_to_the_minute() -> None:
    paris = datetime.timezone(datetime.timedelta(hours=2))
    assert when(datetime.datetime(2026, 5, 2, 13, 5, 59, tzinfo=paris)) == "2026-05-02 11:05Z"
    assert when(datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)).startswith("9999")


def test_json_output_is_indented_and_ends_in_a_newline() -> None:
    runs = [run(0), run(1, extra_field={"kept": True})]
    text = format_json(runs)
    assert text.startswith('{\n  "runs": [\n    {\n      "id": "exprun_0000",')
    assert text.endswith("\n}\n")
    assert json.loads(text) == {"runs": [r.to_dict() for r in runs]}


def test_the_trend_shows_completed_scores_oldest_first_with_min_and_max() -> None:
    runs = [
        run(2, score=1.0),
        run(0, score=0.5),
        run(1, status="failed"),  # not completed: left out
        run(3, score=0.75),
        run(4, status="running"),
    ]
    assert sparkline(runs) == (
        "score trend (3 completed, oldest to newest): ▁█▅  min 0.50  max 1.00"
    )


def test_the_trend_of_equal_scores_is_flat_and_of_none_is_absent() -> None:
    assert sparkline([run(0, score=0.8), run(1, score=0.8)]) == (
        "score trend (2 completed, oldest to newest): ▁▁  min 0.80  max 0.80"
    )
    assert sparkline([run(0, status="failed"), run(1, score=None)]) is None
    assert sparkline([]) is None


def test_the_trend_draws_the_last_sixty_scores_and_counts_them_all() -> None:
    runs = [run(i, score=0.0 if i < 10 else 1.0) for i in range(70)]
    line = sparkline(runs)
    assert line == (f"score trend (70 completed, oldest to newest): {'█' * 60}  min 0.00  max 1.00")
