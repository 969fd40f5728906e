"""What the fake server knows and does: its runs, its queued faults, what it received.

`FakeState` is shared by `FakeRetabServer` (which fills it and exposes it to
tests) and the request handler (which asks it, through the public methods
below, for the next fault and for the answer to an operation). The
operations it implements are listed in `FakeState.IMPLEMENTED` by operation
id; any other operation of the spec is answered 501 by the handler, naming it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

import attrs

from ._models import Answer, Fault, RecordedRequest

__all__ = ["FakeState"]

Key = tuple[str, str]


@attrs.define
class _Progression:
    """A run that moves through stages as its experiment is listed."""

    key: Key
    run_id: str
    stages: list[dict[str, Any]]
    polls_per_stage: int
    seconds_per_stage: float | None
    started: float
    polls: int = 0

    def poll(self) -> int:
        """Count one listing; how many stages are reached now."""
        self.polls += 1
        if self.seconds_per_stage is not None:
            reached = int((time.monotonic() - self.started) / self.seconds_per_stage)
        else:
            reached = (self.polls - 1) // self.polls_per_stage
        return min(reached, len(self.stages))


def _not_found(what: str) -> Answer:
    return Answer(404, json.dumps({"detail": f"{what} not found"}).encode())


class FakeState:
    """The fake's data, faults and records, safe to use from the handler threads."""

    def __init__(self) -> None:
        self._runs: dict[Key, list[dict[str, Any]]] = {}
        self._bodies: dict[Key, bytes] = {}
        self._faults: deque[Fault] = deque()
        self._progressions: list[_Progression] = []
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    # -- data (tests) ---------------------------------------------------------

    def add_runs(self, key: Key, runs: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            stored = self._runs.setdefault(key, [])
            stored.extend(dict(run) for run in runs)
            stored.sort(key=lambda run: str(run.get("created_at", "")), reverse=True)
            self._bodies.pop(key, None)

    def progress(
        self,
        key: Key,
        run_id: str,
        stages: Iterable[Mapping[str, Any]],
        polls_per_stage: int,
        seconds_per_stage: float | None,
    ) -> None:
        with self._lock:
            self._progressions.append(
                _Progression(
                    key=key,
                    run_id=run_id,
                    stages=[dict(stage) for stage in stages],
                    polls_per_stage=polls_per_stage,
                    seconds_per_stage=seconds_per_stage,
                    started=time.monotonic(),
                )
            )

    def runs(self, key: Key) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(run) for run in self._runs.get(key, [])]

    def queue(self, count: int, fault: Fault) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.extend([fault] * count)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    # -- serving (the handler) -------------------------------------------------

    def next_fault(self) -> Fault | None:
        """The fault queued for this request, if any (each is used once)."""
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def request_id(self) -> str:
        return f"req_fake_{next(self._ids):06d}"

    def answer(self, operation_id: str, arguments: Mapping[str, Any]) -> Answer | None:
        """The answer to an operation (path and query arguments by name); None: not implemented."""
        implementation = self.IMPLEMENTED.get(operation_id)
        return None if implementation is None else implementation(self, arguments)

    def _list_experiment_runs(self, arguments: Mapping[str, Any]) -> Answer:
        key = (arguments["workflow_id"], arguments["experiment_id"])
        with self._lock:
            if key not in self._runs:
                return _not_found("Experiment")
            self._advance(key)
            body = self._bodies.get(key)
            if body is None:
                body = json.dumps({"runs": self._runs[key]}, separators=(",", ":")).encode()
                self._bodies[key] = body
            return Answer(200, body)

    def _advance(self, key: Key) -> None:
        """Apply the stages a listing of `key` has reached (lock held)."""
        for progression in self._progressions:
            if progression.key != key:
                continue
            reached = progression.poll()
            for run in self._runs[key]:
                if run.get("id") == progression.run_id:
                    for stage in progression.stages[:reached]:
                        run.update(stage)
            self._bodies.pop(key, None)

    IMPLEMENTED: ClassVar[dict[str, Callable[[FakeState, Mapping[str, Any]], Answer]]] = {
        "list_experiment_runs": _list_experiment_runs,
    }
