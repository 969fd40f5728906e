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
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from ._experiments import ExperimentBook, Refusal
from ._limits import RequestLog
from ._models import Answer, Fault, RecordedRequest
from ._store import TERMINAL, Key, RunStore

__all__ = ["FakeState"]

_DEFAULT_PAGE = 20


def _json(status: int, body: Any) -> Answer:
    return Answer(status, json.dumps(body, separators=(",", ":")).encode())


def _not_found(what: str) -> Answer:
    return _json(404, {"detail": f"{what} not found"})


_FILTERS = (
    "workflow_id", "experiment_id", "block_id", "status", "exclude_status", "trigger_type",
    "from_date", "to_date",
)  # fmt: skip


def _position(runs: list[dict[str, Any]], run_id: str, default: int) -> int:
    """Where a cursor's run is in the listing (a scan: no index built per page)."""
    return next((i for i, run in enumerate(runs) if run["id"] == run_id), default)


def _matches(run: Mapping[str, Any], filters: Mapping[str, Any]) -> bool:
    """Whether a run (`ExperimentRun`) passes the flat listing's filters."""
    status = str(run["lifecycle"].get("status"))
    created = str(run["timing"].get("created_at"))[:10]
    values = {
        "workflow_id": run.get("workflow_id"),
        "experiment_id": run.get("experiment_id"),
        "block_id": run.get("block_id"),
        "status": status,
        "trigger_type": (run.get("trigger") or {}).get("type"),
    }
    for name, wanted in filters.items():
        if name in values and values[name] != wanted:
            return False
    return not (
        ("exclude_status" in filters and status == filters["exclude_status"])
        or ("from_date" in filters and created < filters["from_date"])
        or ("to_date" in filters and created > filters["to_date"])
    )


class FakeState:
    """The fake's data, faults and records, safe to use from the handler threads."""

    def __init__(self) -> None:
        self._store = RunStore()
        self._experiments = ExperimentBook(self._store)
        self._faults: deque[Fault] = deque()
        self._requests = RequestLog()
        self._replays: dict[tuple[str, str], Answer] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    # -- data (tests) ---------------------------------------------------------

    def add_runs(self, key: Key, runs: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._store.add(key, runs)

    def progress(
        self,
        run_id: str,
        stages: Iterable[Mapping[str, Any]],
        polls_per_stage: int,
        seconds_per_stage: float | None,
    ) -> None:
        with self._lock:
            self._store.progress(run_id, stages, polls_per_stage, seconds_per_stage)

    def set_document_scores(self, run_id: str, scores: Mapping[str, float | None]) -> None:
        with self._lock:
            self._experiments.set_document_scores(run_id, scores)

    def runs(self, key: Key) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(run) for run in self._store.stored(key)]

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
        """The answer to an operation (path, query and header arguments by wire name, and
        `body`); None: not implemented. A repeated `Idempotency-Key` gets the first answer."""
        implementation = self.IMPLEMENTED.get(operation_id)
        if implementation is None:
            return None
        key = arguments.get("Idempotency-Key")
        with self._lock:
            if key is not None and (operation_id, key) in self._replays:
                return self._replays[(operation_id, key)]
            try:
                answer = implementation(self, arguments)
            except Refusal as refusal:
                answer = _json(refusal.status, {"detail": refusal.detail})
            if key is not None and answer.status < 500:
                self._replays[(operation_id, key)] = answer
            return answer

    # -- the operations (lock held) ---------------------------------------------

    def _list_experiment_runs(self, arguments: Mapping[str, Any]) -> Answer:
        key = (arguments["workflow_id"], arguments["experiment_id"])
        if not self._store.has(key):
            return _not_found("Experiment")
        return _json(200, {"runs": self._store.summaries(key)})

    def _list_workflow_experiment_runs(self, arguments: Mapping[str, Any]) -> Answer:
        runs = self._store.all_runs()
        filtered = any(name in arguments for name in _FILTERS)
        if filtered:
            runs = [run for run in runs if _matches(run, arguments)]
        if arguments.get("order") == "asc":
            runs = runs[::-1]
        indexed = not filtered and arguments.get("order") != "asc"

        def position(run_id: str, default: int) -> int:
            found = self._store.position(run_id) if indexed else None
            return found if found is not None else _position(runs, run_id, default)

        limit = int(arguments.get("limit", _DEFAULT_PAGE))
        start = 0
        if "after" in arguments:
            start = position(arguments["after"], len(runs) - 1) + 1
        elif "before" in arguments:
            start = max(position(arguments["before"], 0) - limit, 0)
        page = self._store.read([run["id"] for run in runs[start : start + limit]])
        after = page[-1]["id"] if page and start + len(page) < len(runs) else None
        before = page[0]["id"] if page and start > 0 else None
        return _json(200, {"data": page, "list_metadata": {"before": before, "after": after}})

    def _get_experiment_run(self, arguments: Mapping[str, Any]) -> Answer:
        run = self._store.get(arguments["run_id"])
        return _not_found("Run") if run is None else _json(200, run)

    def _create_experiment_run(self, arguments: Mapping[str, Any]) -> Answer:
        body = arguments["body"]
        keys = self._store.experiment_keys(body["experiment_id"])
        workflow_id = body.get("workflow_id")
        if workflow_id is not None:
            keys = [key for key in keys if key[0] == workflow_id]
        if not keys:
            return _not_found("Experiment")
        return _json(200, self._store.create(keys[0]))

    def _cancel_experiment_run(self, arguments: Mapping[str, Any]) -> Answer:
        run_id = arguments["run_id"]
        status = self._store.status(run_id)
        if status is None or (status in TERMINAL and status != "cancelled"):
            return _not_found("Run")
        self._store.cancel(run_id)
        run = self._store.get(run_id)
        return _json(200, {"id": run_id, "lifecycle": (run or {}).get("lifecycle")})

    # -- the experiments namespace (lock held; `_experiments` says how) ------------

    def _list_workflow_experiments(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.list_experiments(arguments))

    def _get_workflow_experiment(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.get_experiment(arguments["experiment_id"]))

    def _create_workflow_experiment(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.create_experiment(arguments["body"]))

    def _update_workflow_experiment(self, arguments: Mapping[str, Any]) -> Answer:
        experiment_id = arguments["experiment_id"]
        return _json(200, self._experiments.update_experiment(experiment_id, arguments["body"]))

    def _delete_workflow_experiment(self, arguments: Mapping[str, Any]) -> Answer:
        self._experiments.delete_experiment(arguments["experiment_id"])
        return Answer(204, b"")

    def _list_experiment_results(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.list_results(arguments))

    def _get_experiment_result(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.get_result(arguments["result_id"]))

    def _get_experiment_metrics(self, arguments: Mapping[str, Any]) -> Answer:
        return _json(200, self._experiments.metrics(arguments))

    IMPLEMENTED: ClassVar[dict[str, Callable[[FakeState, Mapping[str, Any]], Answer]]] = {
        "list_experiment_runs": _list_experiment_runs,
        "list_workflow_experiment_runs": _list_workflow_experiment_runs,
        "get_experiment_run": _get_experiment_run,
        "create_experiment_run": _create_experiment_run,
        "cancel_experiment_run": _cancel_experiment_run,
        "list_workflow_experiments": _list_workflow_experiments,
        "get_workflow_experiment": _get_workflow_experiment,
        "create_workflow_experiment": _create_workflow_experiment,
        "update_workflow_experiment": _update_workflow_experiment,
        "delete_workflow_experiment": _delete_workflow_experiment,
        "list_experiment_results": _list_experiment_results,
        "get_experiment_result": _get_experiment_result,
        "get_experiment_metrics": _get_experiment_metrics,
    }
