"""The fake server's runs: one store behind every operation of the runs resource.

A run is kept once, as the seed's summary (what `add_runs` takes), under its
(workflow, experiment); the runs resource's richer `ExperimentRun` is made
from it (`_data.experiment_run`) and cached until the run changes. So a run
added once is visible through the nested listing, the flat listing and by
id. Runs that progress (`progress_run`, or made by `create`) move on by one
stage each time a request reads them: a nested listing of their experiment,
a page of the flat listing that holds them, or `get`.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._data import experiment_run, sample_run

__all__ = ["Key", "RunStore"]

Key = tuple[str, str]
TERMINAL = ("completed", "error", "cancelled")
# What a run started through `create` goes through, one stage per read.
CREATED_RUN_STAGES: tuple[dict[str, Any], ...] = (
    {"status": "running"},
    {"status": "completed", "score": 0.9, "duration_ms": 1_000},
)


@attrs.define
class _Progression:
    """A run that moves through stages as it is read."""

    run_id: str
    stages: list[dict[str, Any]]
    polls_per_stage: int
    seconds_per_stage: float | None
    started: float
    polls: int = 0

    def poll(self) -> int:
        """Count one read; how many stages are reached now."""
        self.polls += 1
        if self.seconds_per_stage is not None:
            reached = int((time.monotonic() - self.started) / self.seconds_per_stage)
        else:
            reached = (self.polls - 1) // self.polls_per_stage
        return min(reached, len(self.stages))


class RunStore:
    """Runs by experiment and by id. Not locked: `FakeState` holds the lock around every call."""

    def __init__(self) -> None:
        self._runs: dict[Key, list[dict[str, Any]]] = {}
        self._keys: dict[str, Key] = {}
        self._summaries: dict[str, dict[str, Any]] = {}
        self._rendered: dict[str, dict[str, Any]] = {}
        self._progressions: dict[str, _Progression] = {}
        self._flat: list[dict[str, Any]] | None = None
        self._flat_index: dict[str, int] = {}

    # -- filling --------------------------------------------------------------

    def add(self, key: Key, runs: Iterable[Mapping[str, Any]]) -> None:
        stored = self._runs.setdefault(key, [])
        for run in runs:
            copy = dict(run)
            stored.append(copy)
            run_id = str(copy.get("id"))
            self._keys[run_id] = key
            self._summaries[run_id] = copy
            self._rendered.pop(run_id, None)
        stored.sort(key=lambda run: str(run.get("created_at", "")), reverse=True)
        self._flat = None

    def progress(
        self,
        run_id: str,
        stages: Iterable[Mapping[str, Any]],
        polls_per_stage: int,
        seconds_per_stage: float | None,
    ) -> None:
        self._progressions[run_id] = _Progression(
            run_id=run_id,
            stages=[dict(stage) for stage in stages],
            polls_per_stage=polls_per_stage,
            seconds_per_stage=seconds_per_stage,
            started=time.monotonic(),
        )

    def has(self, key: Key) -> bool:
        return key in self._runs

    def summaries(self, key: Key) -> list[dict[str, Any]]:
        """The experiment's runs as the nested listing serves them, after a read's progress."""
        for run in self._runs.get(key, []):
            self._advance(str(run.get("id")))
        return self.stored(key)

    def stored(self, key: Key) -> list[dict[str, Any]]:
        """The experiment's runs as they stand (a test looking is not a read)."""
        return self._runs.get(key, [])

    # -- the runs resource ------------------------------------------------------

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The run as `ExperimentRun`, after a read's progress; None if there is none."""
        if run_id not in self._keys:
            return None
        self._advance(run_id)
        return self._render(run_id)

    def read(self, run_ids: list[str]) -> list[dict[str, Any]]:
        """These runs as `ExperimentRun`, each after a read's progress (a listed page)."""
        for run_id in run_ids:
            self._advance(run_id)
        return [self._render(run_id) for run_id in run_ids]

    def all_runs(self) -> list[dict[str, Any]]:
        """Every run as `ExperimentRun`, newest first, as it stands (reading moves nothing)."""
        if self._flat is None:
            self._flat = [self._render(run_id) for run_id in self._keys]
            self._flat.sort(key=lambda run: str(run["timing"]["created_at"]), reverse=True)
            self._flat_index = {run["id"]: i for i, run in enumerate(self._flat)}
        return self._flat

    def position(self, run_id: str) -> int | None:
        """Where a run is in `all_runs()` (a cursor of an unfiltered listing), if it is there."""
        self.all_runs()
        return self._flat_index.get(run_id)

    def experiment_keys(self, experiment_id: str) -> list[Key]:
        return [key for key in self._runs if key[1] == experiment_id]

    def all_keys(self) -> list[Key]:
        """Every experiment, as (workflow, experiment)."""
        return list(self._runs)

    def remove(self, key: Key) -> None:
        """Forget an experiment and its runs."""
        for run in self._runs.pop(key, []):
            run_id = str(run.get("id"))
            for table in (self._keys, self._summaries, self._rendered, self._progressions):
                table.pop(run_id, None)
        self._flat = None

    def summary(self, run_id: str) -> dict[str, Any] | None:
        """The run's summary as it stands (reading moves nothing), if there is one."""
        return self._summary(run_id)

    def create(self, key: Key) -> dict[str, Any]:
        """Start a run of the experiment `key` (a fresh, short id); it progresses as it is read."""
        run_id = f"exprun_{uuid.uuid4().hex[:6]}"
        while run_id in self._keys:
            run_id = f"exprun_{uuid.uuid4().hex[:6]}"
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.add(key, [sample_run(run_id, status="pending", created_at=now, job_id=None)])
        self.progress(run_id, CREATED_RUN_STAGES, polls_per_stage=1, seconds_per_stage=None)
        return self._render(run_id)

    def status(self, run_id: str) -> str | None:
        summary = self._summary(run_id)
        return None if summary is None else str(summary.get("status"))

    def cancel(self, run_id: str) -> None:
        """Mark the run cancelled; it moves no more."""
        summary = self._summary(run_id)
        if summary is None:
            return
        self._progressions.pop(run_id, None)
        summary["status"] = "cancelled"
        summary["score"] = None
        self._changed(run_id)

    # -- internals ----------------------------------------------------------------

    def _summary(self, run_id: str) -> dict[str, Any] | None:
        return self._summaries.get(run_id)

    def _render(self, run_id: str) -> dict[str, Any]:
        rendered = self._rendered.get(run_id)
        if rendered is None:
            key = self._keys[run_id]
            summary = self._summary(run_id) or {}
            rendered = experiment_run(summary, workflow_id=key[0], experiment_id=key[1])
            self._rendered[run_id] = rendered
        return rendered

    def _changed(self, run_id: str) -> None:
        self._rendered.pop(run_id, None)
        self._flat = None

    def _advance(self, run_id: str) -> None:
        progression = self._progressions.get(run_id)
        summary = self._summary(run_id) if progression is not None else None
        if progression is None or summary is None:
            return
        before = dict(summary)
        for stage in progression.stages[: progression.poll()]:
            summary.update(stage)
        if summary != before:
            self._changed(run_id)
