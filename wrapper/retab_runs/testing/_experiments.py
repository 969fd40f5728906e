"""The fake's experiments namespace: experiments, per-document results and metrics, from one store.

Experiments own their runs (`RunStore`, keyed by workflow and experiment):
an experiment exists once runs were added to it or `create` made it, and its
fields come from its newest runs unless `create`/`update` set them. Every
run has one result per document; how each document scored comes from
`set_document_scores`, else from the run (its score spread over its
documents, the first `error_count` of them failed). Metrics are computed
from those scores, each `prior_*` from the previous completed run of the
same experiment (or `prior_run_id`). An `update` that changes the
definition (documents, consensus) makes the metrics of earlier runs
`stale_metrics`; a run that has not completed has `no_metrics`.

Not locked: `FakeState` holds its lock around every call.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from ._store import Key, RunStore

__all__ = ["ExperimentBook", "Refusal"]

_ACTIVE = ("pending", "queued", "running")
_EXPERIMENT_STATUS = {
    "completed": "completed",
    "error": "failed",
    "cancelled": "cancelled",
    "pending": "processing",
    "queued": "processing",
    "running": "processing",
}
# A run of the sample data has at most this many documents in the fake.
_MAX_DOCUMENTS = 100
_DEFINITION = ("documents", "document_captures", "n_consensus")


class Refusal(Exception):
    """An error answer: its status and `detail`."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _page(
    items: list[dict[str, Any]], arguments: Mapping[str, Any], default_limit: int
) -> dict[str, Any]:
    """One page of `items` (newest first unless `order=asc`), after the `after`/`before` cursor."""
    if arguments.get("order") == "asc":
        items = items[::-1]
    limit = int(arguments.get("limit", default_limit))
    ids = [item["id"] for item in items]
    start = 0
    if "after" in arguments:
        start = ids.index(arguments["after"]) + 1 if arguments["after"] in ids else len(ids)
    elif "before" in arguments:
        end = ids.index(arguments["before"]) if arguments["before"] in ids else 0
        start = max(end - limit, 0)
    page = items[start : start + limit]
    after = page[-1]["id"] if page and start + len(page) < len(items) else None
    before = page[0]["id"] if page and start > 0 else None
    return {"data": page, "list_metadata": {"before": before, "after": after}}


class ExperimentBook:
    """What the fake knows about experiments beyond their runs: fields set, scores, changes."""

    def __init__(self, runs: RunStore) -> None:
        self._runs = runs
        self._fields: dict[str, dict[str, Any]] = {}  # experiment id -> fields set by calls
        self._changed: dict[str, str] = {}  # experiment id -> when its definition last changed
        self._scores: dict[str, dict[str, float | None]] = {}  # run id -> document -> score

    # -- tests -------------------------------------------------------------------

    def set_document_scores(self, run_id: str, scores: Mapping[str, float | None]) -> None:
        self._scores[run_id] = dict(scores)

    # -- experiments ---------------------------------------------------------------

    def _key(self, experiment_id: str) -> Key:
        keys = self._runs.experiment_keys(experiment_id)
        if not keys:
            raise Refusal(404, "Experiment not found")
        return keys[0]

    def _experiment(self, key: Key) -> dict[str, Any]:
        runs = self._runs.stored(key)
        newest = runs[0] if runs else {}
        completed = [run for run in runs if run.get("status") == "completed"]
        changed = self._changed.get(key[1])
        value: dict[str, Any] = {
            "id": key[1],
            "workflow_id": key[0],
            "block_id": f"{newest.get('block_kind', 'extract')}-block",
            "name": key[1],
            "n_consensus": newest.get("n_consensus", 3),
            "block_type": newest.get("block_kind", "extract"),
            "document_count": newest.get("document_count", 0),
            "last_run_id": newest.get("id"),
            "created_at": runs[-1].get("created_at") if runs else None,
            "updated_at": newest.get("created_at"),
            "status": _EXPERIMENT_STATUS.get(str(newest.get("status")), "draft"),
            "score": completed[0].get("score") if completed else None,
            "is_stale": bool(changed and runs and str(newest.get("created_at")) < changed),
        }
        value.update(self._fields.get(key[1], {}))
        return value

    def list_experiments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        found = [
            self._experiment(key)
            for key in self._runs.all_keys()
            if key[0] == arguments["workflow_id"]
        ]
        if "block_id" in arguments:
            found = [e for e in found if e["block_id"] == arguments["block_id"]]
        found.sort(key=lambda e: (str(e.get("created_at") or ""), e["id"]), reverse=True)
        return _page(found, arguments, 50)

    def get_experiment(self, experiment_id: str) -> dict[str, Any]:
        return self._experiment(self._key(experiment_id))

    def create_experiment(self, body: Mapping[str, Any]) -> dict[str, Any]:
        given = {name: value for name, value in body.items() if value is not None}
        source = given.pop("source_experiment_id", None)
        fields: dict[str, Any] = {}
        if source is not None:
            copied = [name for name in given if name != "workflow_id"]
            if copied:
                detail = [
                    {"loc": ["body", name], "msg": "not allowed with source_experiment_id",
                     "type": "value_error"}
                    for name in copied
                ]  # fmt: skip
                raise Refusal(422, detail)
            fields = {
                k: v
                for k, v in self.get_experiment(source).items()
                if k in ("block_id", "name", "n_consensus", "block_type", "document_count")
            }
        experiment_id = f"exp_{uuid.uuid4().hex[:8]}"
        documents = len(given.get("documents") or []) + len(given.get("document_captures") or [])
        fields["created_at"] = fields["updated_at"] = _now()
        for name in ("block_id", "name", "n_consensus"):
            if name in given:
                fields[name] = given[name]
        if source is None:
            fields["document_count"] = documents
        self._runs.add((str(body["workflow_id"]), experiment_id), [])
        self._fields[experiment_id] = fields
        return self.get_experiment(experiment_id)

    def update_experiment(self, experiment_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        self._key(experiment_id)
        fields = self._fields.setdefault(experiment_id, {})
        for name, value in body.items():
            if name == "name":
                fields["name"] = "" if value is None else value
            elif name == "n_consensus" and value is not None:
                fields["n_consensus"] = value
            elif name in ("documents", "document_captures"):
                fields["document_count"] = len(value or [])
        fields["updated_at"] = _now()
        if any(name in body for name in _DEFINITION):
            self._changed[experiment_id] = fields["updated_at"]
        return self.get_experiment(experiment_id)

    def delete_experiment(self, experiment_id: str) -> None:
        key = self._key(experiment_id)
        runs = self._runs.stored(key)
        if runs and runs[0].get("status") in _ACTIVE:
            raise Refusal(409, f"Experiment has a {runs[0].get('status')} run: cancel it first")
        for run in runs:
            self._scores.pop(str(run.get("id")), None)
        self._runs.remove(key)
        self._fields.pop(experiment_id, None)
        self._changed.pop(experiment_id, None)

    # -- results -------------------------------------------------------------------------

    def documents(self, run: Mapping[str, Any]) -> list[tuple[str, float | None]]:
        """The run's documents and their scores (None: the document failed or is not scored)."""
        run_id = str(run.get("id"))
        if run_id in self._scores:
            return list(self._scores[run_id].items())
        count = min(int(run.get("document_count") or 0), _MAX_DOCUMENTS)
        failed = int(run.get("error_count") or 0)
        score = run.get("score")
        found: list[tuple[str, float | None]] = []
        for i in range(count):
            value = None
            if run.get("status") == "completed" and score is not None and i >= failed:
                value = round(min(1.0, max(0.0, score + ((i % 5) - 2) * 0.02)), 4)
            found.append((f"doc_{i + 1:03d}", value))
        return found

    def _run(self, run_id: str) -> dict[str, Any]:
        run = self._runs.get(run_id)
        if run is None:
            raise Refusal(404, "Run not found")
        return run

    def _result(
        self, run: Mapping[str, Any], index: int, document: str, score: Any
    ) -> dict[str, Any]:
        status = run["lifecycle"]["status"]
        lifecycle: dict[str, Any] = {"status": status}
        if status == "completed" and score is None:
            lifecycle = {"status": "error", "message": f"{document} failed", "details": None}
        return {
            "id": f"expres_{run['id']}__{index:03d}",
            "experiment_run_id": run["id"],
            "experiment_id": run["experiment_id"],
            "document_id": document,
            "lifecycle": lifecycle,
            "timing": run["timing"],
            "block_type": run.get("block_type"),
            "handle_inputs": {"document": {"type": "file", "document": {"id": document,
                              "filename": f"{document}.pdf", "mime_type": "application/pdf"}}},
            "handle_outputs": None,
            "artifact": None,
            "attempt": 0,
        }  # fmt: skip

    def list_results(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        run = self._run(arguments["run_id"])
        summary = self._runs.summary(run["id"]) or {}
        results = [
            self._result(run, i, document, score)
            for i, (document, score) in enumerate(self.documents(summary))
        ]
        return _page(results, arguments, 100)

    def get_result(self, result_id: str) -> dict[str, Any]:
        run_id, _, index = result_id.removeprefix("expres_").rpartition("__")
        run = self._runs.get(run_id) if run_id else None
        documents = self.documents(self._runs.summary(run_id) or {}) if run else []
        if run is None or not index.isdigit() or int(index) >= len(documents):
            raise Refusal(404, "Result not found")
        document, score = documents[int(index)]
        return self._result(run, int(index), document, score)

    # -- metrics -------------------------------------------------------------------------

    def _prior(self, key: Key, run: Mapping[str, Any], named: str | None) -> dict[str, Any] | None:
        if named is not None:
            return self._runs.summary(named) or None
        created = str(run.get("created_at"))
        for earlier in self._runs.stored(key):
            if earlier.get("status") == "completed" and str(earlier.get("created_at")) < created:
                return earlier
        return None

    def metrics(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        run = self._run(arguments["run_id"])
        key = (run["workflow_id"], run["experiment_id"])
        summary = self._runs.summary(run["id"]) or {}
        experiment_id = run["experiment_id"]
        if summary.get("status") != "completed":
            return {
                "kind": "no_metrics",
                "error": "no_metrics",
                "experiment_id": experiment_id,
                "message": f"run {run['id']} has no metrics yet ({summary.get('status')})",
            }
        changed = self._changed.get(experiment_id)
        if changed and str(summary.get("created_at")) < changed:
            return {
                "kind": "stale_metrics",
                "error": "stale_metrics",
                "experiment_id": experiment_id,
                "stale_reasons": ["inputs_changed"],
                "last_run": {
                    "run_id": run["id"],
                    "block_execution_fingerprint": run["block_execution_fingerprint"],
                    "score": run.get("score"),
                    "created_at": run["timing"]["created_at"],
                },
                "current_block_execution_fingerprint": None,
                "message": "the experiment changed after this run: run it again",
            }
        include = str(arguments.get("include_prior", "true")) != "false"
        prior = self._prior(key, summary, arguments.get("prior_run_id")) if include else None
        prior_scores = dict(self.documents(prior)) if prior else {}
        documents = [
            {"id": document, "filename": f"{document}.pdf", "score": score,
             "prior_score": prior_scores.get(document)}
            for document, score in self.documents(summary)
        ]  # fmt: skip
        view = arguments.get("view", "summary")
        common = {"run_id": run["id"], "kind": view, "view": view}
        prior_score = prior.get("score") if prior else None
        if view == "summary":
            return {
                **common,
                "experiment_id": experiment_id,
                "block_execution_fingerprint": run["block_execution_fingerprint"],
                "block_type": run["block_type"],
                "score": run.get("score"),
                "prior_score": prior_score,
                "prior_run_id": prior.get("id") if prior else None,
                "documents": documents,
                "scored_document_count": sum(d["score"] is not None for d in documents),
                "total_document_count": len(documents),
                "aggregate": None,
            }
        wanted = arguments.get("document_id") or (documents[0]["id"] if documents else "")
        document = next((d for d in documents if d["id"] == wanted), None)
        if view in ("by_document", "votes") and document is None:
            raise Refusal(404, "Document not found")
        target = arguments.get("target_path", "total")
        if view == "by_target":
            return {
                **common,
                "target": target,
                "score": run.get("score"),
                "prior_score": prior_score,
                "confusion": None,
                "documents": [{**d, "value": None} for d in documents],
            }
        assert document is not None  # noqa: S101 (refused above)
        ref = {"id": document["id"], "filename": document["filename"]}
        scores = {"score": document["score"], "prior_score": document["prior_score"]}
        if view == "votes":
            return {**common, "document": ref, "target": target, **scores, "rows": []}
        return {**common, "document": ref, **scores, "confusion": None, "targets": []}
