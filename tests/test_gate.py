"""The gate's decision, judged directly: which run, which previous run, pass or fail, and why."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import cmarkgfm  # type: ignore[import-untyped]
import pytest
from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

from retab_runs import ExperimentRunSummary
from retab_runs.cli._gate import judge, markdown
from retab_runs.cli._output import clean
from retab_runs.testing import sample_run

T0 = datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC)


def run(run_id: str, minute: int, **fields: Any) -> ExperimentRunSummary:
    created = T0 + datetime.timedelta(minutes=minute)
    return ExperimentRunSummary.from_dict(sample_run(run_id, created_at=created, **fields))


def test_no_completed_run_fails_saying_so() -> None:
    verdict = judge([run("r1", 1, status="running")], min_score=0.5)
    assert verdict.passed is False and verdict.run is None
    assert verdict.reason.startswith("the experiment has no completed run")
    assert [r.id for r in verdict.in_flight] == ["r1"]


def test_an_unknown_run_fails_and_is_marked_unknown() -> None:
    verdict = judge([run("r1", 1, score=0.9)], min_score=0.5, run_id="nope")
    assert (verdict.passed, verdict.unknown_run) == (False, True)
    assert verdict.reason == "run nope is not in the listing"


def test_the_previous_run_is_the_parent_when_it_is_completed_and_scored() -> None:
    runs = [run("r1", 1, score=0.5), run("r2", 2, score=0.6), run("r3", 3, score=0.9,
            parent_run_id="r1")]  # fmt: skip
    verdict = judge(runs, min_score=0.5)
    assert verdict.run is not None and verdict.run.id == "r3"
    assert verdict.previous is not None and verdict.previous.id == "r1"
    assert verdict.delta == pytest.approx(0.4)


@pytest.mark.parametrize(
    "parent",
    [
        {"status": "running"},  # not completed
        {"status": "completed", "score": None},  # completed, no score
    ],
)
def test_otherwise_the_newest_completed_scored_run_created_before(parent: dict[str, Any]) -> None:
    runs = [
        run("r1", 1, score=0.5),
        run("r2", 2, **parent),
        run("r3", 3, score=0.7),
        run("r4", 4, score=0.9, parent_run_id="r2"),
        run("r5", 4, score=0.1),  # created at the same moment: not before
        run("r6", 5, status="running"),
    ]
    verdict = judge(runs, min_score=0.5, run_id="r4")
    assert verdict.previous is not None and verdict.previous.id == "r3"


def test_a_run_with_no_earlier_scored_run_has_no_previous() -> None:
    verdict = judge([run("r1", 1, score=0.9), run("r0", 0, status="error")], min_score=0.5)
    assert verdict.passed and verdict.previous is None and verdict.delta is None
    assert verdict.reason == "run r1 score 0.9: at least 0.5"


def test_a_newest_run_that_failed_fails_the_gate_naming_it() -> None:
    """An older good run does not pass the gate when the newest run ended in error."""
    runs = [run("r1", 1, score=0.9), run("r2", 2, status="error"), run("r3", 3, status="running")]
    verdict = judge(runs, min_score=0.85)
    assert (verdict.passed, verdict.newest_failed) == (False, True)
    assert verdict.run is not None and verdict.run.id == "r2"
    assert verdict.reason.startswith(
        "the newest run r2 ended error (newer than the last completed run r1; "
        "--judge-last-completed judges that one)"
    )
    assert [r.id for r in verdict.newer] == ["r3", "r2"]
    runs.append(run("r4", 4, status="cancelled"))
    assert judge(runs, min_score=0.85).run.id == "r4"  # type: ignore[union-attr]


def test_judge_last_completed_judges_the_older_run_naming_the_newer_ones() -> None:
    runs = [run("r1", 1, score=0.9), run("r2", 2, status="error"), run("r3", 3, status="cancelled")]
    verdict = judge(runs, min_score=0.85, judge_last_completed=True)
    assert verdict.passed and not verdict.newest_failed
    assert verdict.reason == (
        "run r1 score 0.9: at least 0.85 [newer, ended and not judged: r3 cancelled, r2 error]"
    )
    assert [r.id for r in verdict.newer] == ["r3", "r2"]


def test_reasons_name_the_run_and_the_rule() -> None:
    runs = [run("r1", 1, score=0.95), run("r2", 2, score=0.88)]
    low = judge(runs, min_score=0.9)
    assert low.reason == "run r2 score 0.88, previous r1 0.95 (delta -0.07): below the minimum 0.9"
    assert (low.run, low.previous) == (runs[1], runs[0])
    drop = judge(runs, min_score=0.8, max_drop=0.05)
    assert drop.passed is False and drop.max_drop == 0.05
    assert drop.reason.endswith(": dropped 0.07, more than 0.05")
    assert (drop.run, drop.previous) == (runs[1], runs[0])
    unscored = judge([run("r1", 1, status="completed", score=None)], min_score=0.5)
    assert unscored.reason == "run r1 has no score" and unscored.run is not None
    stopped = judge([run("r1", 1, status="error")], min_score=0.5, run_id="r1")
    assert stopped.reason == "run r1 is error, not completed" and stopped.run is not None
    assert (low.passed, unscored.passed, stopped.passed) == (False, False, False)
    assert stopped.in_flight == ()  # a named run: nothing newer is looked for


def test_newer_runs_in_flight_are_named_newest_first_three_at_most() -> None:
    long_id, long_status = "r" + "i" * 60, "s" * 30
    runs = [run("done", 10, score=0.9), run("same", 10, status="running")]  # not newer
    runs += [run(f"f{m}", m, status="running") for m in (11, 12, 13)]
    verdict = judge(runs, min_score=0.5)
    assert [r.id for r in verdict.in_flight] == ["f13", "f12", "f11"]
    assert verdict.reason.endswith(
        " [newer, still in flight and not judged: f13 running, f12 running, f11 running;"
        " --wait judges them]"
    )
    runs += [run(long_id, 14, status=long_status)]
    four = judge(runs, min_score=0.5).reason
    assert (
        f"judged: {long_id[:39]}… {long_status[:19]}…, f13 running, f12 running and 1 more;" in four
    )
    runs += [run("f15", 15, status="pending")]
    assert "judged: f15 pending, " in (five := judge(runs, min_score=0.5).reason)
    assert five.endswith(", f13 running and 2 more; --wait judges them]")


def test_fingerprints_that_changed_are_all_named() -> None:
    runs = [
        run("r1", 1, score=0.9),
        run("r2", 2, score=0.9, definition_fingerprint="d2", documents_fingerprint="c2"),
    ]
    reason = judge(runs, min_score=0.5).reason
    assert "; not comparable: definition_fingerprint, documents_fingerprint changed)" in reason


def test_an_unknown_long_run_id_is_cut_in_the_reason() -> None:
    long_id = "n" * 100
    verdict = judge([run("r1", 1, score=0.9)], min_score=0.5, run_id=long_id)
    assert verdict.reason == f"run {long_id[:59]}… is not in the listing"


def test_long_ids_and_statuses_are_cut_in_the_reason() -> None:
    long_id, status = "r" + "x" * 99, "s" * 99
    verdict = judge([run(long_id, 1, status=status)], min_score=0.5, run_id=long_id)
    shown_id, shown_status = long_id[:59] + "…", status[:29] + "…"
    assert verdict.reason == f"run {shown_id} is {shown_status}, not completed"
    previous = judge([run(long_id, 1, score=0.5), run("r2", 2, score=0.6)], min_score=0.1)
    assert f"previous {shown_id} 0.5" in previous.reason


def test_the_markdown_summary_is_a_table_and_the_whole_verdict() -> None:
    runs = [run("r1", 1, score=0.9), run("r|2", 2, score=0.7)]
    text = markdown(judge(runs, min_score=0.75, max_drop=0.1), "wf", "exp")
    assert text == (
        "### Retab experiment gate: `wf` / `exp`\n"
        "\n"
        "| run | status | score | previous | delta | verdict |\n"
        "|---|---|---|---|---|---|\n"
        "| `r\\|2` | `completed` | 0.7 | `r1` (0.9) | -0.2 | ❌ fail |\n"
        "\n"
        "`run r|2 score 0.7, previous r1 0.9 (delta -0.2): below the minimum 0.75`"
        " (minimum score 0.75, maximum drop 0.1)\n"
    )
    none = markdown(judge([], min_score=0.5), "wf", "exp")
    assert "| - | - | - | - | - | ❌ fail |" in none
    unscored = markdown(judge([run("r1", 1, score=None)], min_score=0.5), "wf", "exp")
    assert "| `r1` | `completed` | none | - | - | ❌ fail |" in unscored
    long = markdown(judge([], min_score=0.5), "w" * 100, "exp")
    assert long.startswith(f"### Retab experiment gate: `{'w' * 79}…` / `exp`\n")
    passed = markdown(judge(runs[:1], min_score=0.5), "wf", "exp")
    assert "| `r1` | `completed` | 0.9 | - | - | ✅ pass |" in passed
    assert passed.endswith("(minimum score 0.5)\n")


HOSTILE_IDS = [
    '<img src="https://evil.example/x.png">',
    "![pic](https://evil.example/x.png)",
    '<a href="https://evil.example">click</a>',
    "[click](https://evil.example)",
    "https://evil.example/run www.evil.example me@evil.example",
    "`code` ``two`` *em* _em_ <script>alert(1)</script>",
    "pipe|split\x1b[2J\u202e",
]


@pytest.mark.parametrize("hostile", HOSTILE_IDS, ids=repr)
def test_the_markdown_summary_as_github_renders_it_has_no_live_markup(hostile: str) -> None:
    """Run ids, statuses and the ids given: code as GitHub renders them (cmark-gfm), so no
    link, image, HTML tag or emphasis comes alive, and the table keeps its six cells."""
    runs = [run("r1", 1, score=0.9), run(hostile, 2, score=0.7, status="completed")]
    text = markdown(judge(runs, min_score=0.75), hostile, hostile)
    page = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"h3", "code", "table", "thead", "tbody", "tr", "th", "td", "p"}, page
    assert re.findall(r"<tr>(.*?)</tr>", page, re.S)[1].count("<td>") == 6
    assert "\x1b" not in page and "\u202e" not in page
    texts = re.findall(r"<code>(.*?)</code>", page, re.S)
    assert len(texts) == 6  # the heading's two ids, the run, its status, the previous, the reason
    assert html.unescape(texts[2]) == clean(hostile)  # shown as typed, control characters escaped
