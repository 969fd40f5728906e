"""`retab-runs --help` and each command's: what it does, an example that works, every argument."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from retab_runs import cli
from retab_runs.cli._output import FIELDS, RUN_COLUMNS, TABLE_COLUMNS
from retab_runs.cli._parser import build_parser
from retab_runs.testing import FakeRetabServer

COMMANDS = [
    "list", "get", "compare", "start", "cancel", "wait", "gate", "demo", "report", "serve",
    "experiments", "results",
]  # fmt: skip


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        cli.main([*argv, "--help"])
    assert info.value.code == 0
    return capsys.readouterr().out


def examples(text: str) -> list[str]:
    return [line.strip() for line in text.split("\nexamples:\n")[1].splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def test_the_overview_lists_every_command_and_points_at_their_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(capsys)
    for name in COMMANDS:
        assert re.search(f"\n    {name}[ \n]", text), name
    assert "'retab-runs COMMAND --help' describes a command, with examples." in " ".join(
        text.split()
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_says_what_it_does_with_examples(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    text = help_of(capsys, name)
    description = text.split("\n\n")[1]
    assert len(description.split()) >= 8 and not description.startswith(("usage", "positional"))
    shown = examples(text)
    assert shown and all(line.startswith(f"retab-runs {name}") for line in shown)
    for line in shown:  # every example parses as written
        build_parser().parse_args(shlex.split(line)[1:])


@pytest.mark.parametrize("name", COMMANDS)
def test_every_argument_and_option_has_help(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Positional ids included (they were bare `workflow_id`), and `gate --format`."""
    text = help_of(capsys, name)
    (sub,) = (
        action.choices[name]
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    for action in sub._actions:
        assert action.help, action.dest
        label = action.metavar if not action.option_strings else action.option_strings[0]
        assert f"  {label}" in text
    if name in ("list", "wait", "gate", "report"):
        assert "WORKFLOW              the workflow's id (wf_...)" in text


def test_the_examples_that_do_not_wait_run_against_the_sample_server(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # `report -o report.html` writes here
    for name in COMMANDS:
        for line in examples(help_of(capsys, name)):
            argv = shlex.split(line)[1:]
            if name in ("serve", "wait", "demo") or "--wait" in argv:
                continue  # these wait for a run, or for Ctrl-C
            with FakeRetabServer(sample=True) as server:
                monkeypatch.setenv("RETAB_API_KEY", server.api_key)
                monkeypatch.setenv("RETAB_API_BASE_URL", server.url)
                code = cli.main(argv)
            out, err = capsys.readouterr()
            assert (code, err) == (0, ""), line
            assert out


@pytest.mark.parametrize("columns", ["60", "80", "123"])
def test_the_columns_help_breaks_lines_between_names_never_inside(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    """It broke `c` / `reated_at`: names were joined by commas alone."""
    monkeypatch.setenv("COLUMNS", columns)
    for name, names in (("list", [*FIELDS, *RUN_COLUMNS]), ("demo", [*FIELDS, *TABLE_COLUMNS])):
        words = set(help_of(capsys, name).replace(",", " ").replace(";", " ").split())
        assert set(names) <= words, set(names) - words


def test_demo_help_does_not_mention_list_only_options(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "demo")
    assert "--all" not in text and "lifecycle.status" not in text
