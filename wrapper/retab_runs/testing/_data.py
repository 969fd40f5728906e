"""Sample data that follows the spec: runs built from its schema, and broken bodies for faults.

A sample run starts from the run schema's own value (every field the spec
declares, from its `example`, `default` or type), then takes the values the
caller or the demo asks for. A value the spec does not accept (a field
removed or retyped since the demo was written) is dropped back to the
schema's, so sample data keeps validating whatever the spec becomes.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Mapping
from typing import Any

from _retab_runs_generated.models import ExperimentRun, ExperimentRunSummary
from _retab_runs_runtime import ListOf, Model, Variants, components, example_of

from ._models import Malformation

__all__ = [
    "experiment_run",
    "malformed_body",
    "sample_data",
    "sample_document_scores",
    "sample_run",
]

_PACKAGE = "_retab_runs_generated"
_TERMINAL = ("completed", "error", "cancelled")


def _iso(moment: datetime.datetime) -> str:
    """RFC 3339 in UTC (an offset such as +02:00 is converted, not dropped)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_EXAMPLES: dict[type[Model], dict[str, Any]] = {}


def example(model: type[Model]) -> dict[str, Any]:
    """A valid value of `model` with every field its schema declares.

    A new dict each call; nested values are shared with the cached example,
    so callers replace them rather than change them in place.
    """
    found = _EXAMPLES.get(model)
    if found is None:
        found = _EXAMPLES.setdefault(model, _example(model))
    return dict(found)


def _example(model: type[Model]) -> dict[str, Any]:
    schema = model.SCHEMA.schema
    own = {k: v for k, v in schema.items() if k not in ("example", "examples")}
    value = example_of(own, components(_PACKAGE), full=True)
    if not isinstance(value, dict):
        return {}
    documented = schema.get("example")
    # The documented example's values, where the spec (as it is now) still takes them.
    return conforming(model, value, documented) if isinstance(documented, dict) else value


def conforming(
    model: type[Model], base: dict[str, Any], wanted: Mapping[str, Any]
) -> dict[str, Any]:
    """`base` with the `wanted` values the spec accepts; the others are left as in `base`."""
    value = {**base, **wanted}
    check = model.SCHEMA
    if check.is_valid(value):
        return value
    value = dict(base)
    for name, wanted_value in wanted.items():
        trial = {**value, name: wanted_value}
        if check.is_valid(trial):
            value = trial
    return value


def sample_run(
    run_id: str,
    *,
    created_at: datetime.datetime | str | None = None,
    status: str = "completed",
    **fields: Any,
) -> dict[str, Any]:
    """A complete run summary as Retab sends it; override any field by keyword.

    A finished run gets a duration and a completion time after `created_at`;
    only a completed one keeps a score.
    """
    if isinstance(created_at, str):
        created_at = datetime.datetime.fromisoformat(created_at)
    created = created_at or datetime.datetime(2026, 5, 2, 11, 0, tzinfo=datetime.UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.UTC)
    # A deep copy: the caller owns what it gets back, nested values included.
    base = copy.deepcopy(example(ExperimentRunSummary))
    finished = status in _TERMINAL
    wanted: dict[str, Any] = {
        "id": run_id,
        "parent_run_id": None,
        "status": status,
        "created_at": _iso(created),
        "score": base.get("score") if status == "completed" else None,
        "duration_ms": base.get("duration_ms") or 258_221 if finished else None,
        "completed_at": None,
        "job_id": f"job_{run_id.removeprefix('exprun_')}",
    }
    wanted.update(fields)
    if "completed_at" not in fields and isinstance(wanted["duration_ms"], int):
        done = created + datetime.timedelta(milliseconds=wanted["duration_ms"])
        wanted["completed_at"] = _iso(done)
    return conforming(ExperimentRunSummary, base, wanted)


def experiment_run(
    summary: Mapping[str, Any], *, workflow_id: str, experiment_id: str
) -> dict[str, Any]:
    """The runs resource's `ExperimentRun` for a run the seed's listing shows as `summary`.

    The same facts under the richer model's names (`block_kind` is
    `block_type`, the status a `lifecycle`, the times a `timing`), kept only
    where the spec takes them, so the fake serves one run through both.
    """
    status = summary.get("status")
    started = status not in ("pending", "queued")
    lifecycle = _lifecycle(str(status))
    if status == "error":
        lifecycle["message"] = "the run failed"
    wanted = {
        "id": summary.get("id"),
        "workflow_id": workflow_id,
        "experiment_id": experiment_id,
        "block_id": f"{summary.get('block_kind', 'block')}-block",
        "block_type": summary.get("block_kind"),
        "n_consensus": summary.get("n_consensus"),
        "lifecycle": lifecycle,
        "timing": {
            "created_at": summary.get("created_at"),
            "started_at": summary.get("created_at") if started else None,
            "completed_at": summary.get("completed_at"),
            "duration_ms": summary.get("duration_ms"),
        },
        "parent_run_id": summary.get("parent_run_id"),
        "block_execution_fingerprint": summary.get("definition_fingerprint"),
        "documents_fingerprint": summary.get("documents_fingerprint"),
        "score": summary.get("score"),
        "document_count": summary.get("document_count"),
        "total_document_count": summary.get("document_count"),
        "completed_document_count": summary.get("document_count") if started else 0,
        "error_count": summary.get("error_count"),
    }
    return conforming(ExperimentRun, example(ExperimentRun), wanted)


_LIFECYCLES: dict[str, dict[str, Any]] = {}


def _lifecycle(status: str) -> dict[str, Any]:
    """A lifecycle in `status`: the variant the spec maps it to, with its required members."""
    found = _LIFECYCLES.get(status)
    if found is None:
        schema = ExperimentRun.SCHEMA.schema.get("properties", {}).get("lifecycle", {})
        target = (schema.get("discriminator") or {}).get("mapping", {}).get(status)
        value = example_of({"$ref": target}, components(_PACKAGE)) if target else None
        found = {**(value if isinstance(value, dict) else {}), "status": status}
        _LIFECYCLES[status] = found
    return dict(found)


def sample_data() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The demo's data set: two experiments of one workflow, with lineage and live runs."""
    t0 = datetime.datetime(2026, 5, 2, 9, 0, tzinfo=datetime.UTC)

    def at(minutes: int) -> datetime.datetime:
        return t0 + datetime.timedelta(minutes=minutes)

    invoices = [
        sample_run("exprun_inv_01", created_at=at(0), score=0.71, n_consensus=3,
                   duration_ms=95_310),
        sample_run("exprun_inv_02", created_at=at(35), score=0.78, parent_run_id="exprun_inv_01",
                   duration_ms=131_902),
        sample_run("exprun_inv_03", created_at=at(80), status="error", error_count=12,
                   parent_run_id="exprun_inv_02", duration_ms=12_004),
        sample_run("exprun_inv_04", created_at=at(95), score=0.87, parent_run_id="exprun_inv_02",
                   block_config={"model": "gpt-5", "temperature": 0,
                                 "json_schema": {"type": "object"}}),
        sample_run("exprun_inv_05", created_at=at(140), status="cancelled", error_count=0,
                   parent_run_id="exprun_inv_04", duration_ms=40_118),
        sample_run("exprun_inv_06", created_at=at(170), score=0.93, n_consensus=7,
                   parent_run_id="exprun_inv_04", duration_ms=402_551),
        sample_run("exprun_inv_07", created_at=at(230), status="running",
                   parent_run_id="exprun_inv_06", n_consensus=7),
        sample_run("exprun_inv_08", created_at=at(236), status="pending", job_id=None,
                   parent_run_id="exprun_inv_06", n_consensus=7),
    ]  # fmt: skip
    contracts = [
        sample_run("exprun_ctr_01", created_at=at(10), block_kind="classifier", score=0.64,
                   document_count=40, error_count=2, duration_ms=512_330),
        sample_run("exprun_ctr_02", created_at=at(120), block_kind="classifier", score=0.82,
                   document_count=40, parent_run_id="exprun_ctr_01", duration_ms=498_002),
        sample_run("exprun_ctr_03", created_at=at(200), block_kind="classifier", status="running",
                   document_count=40, parent_run_id="exprun_ctr_02"),
    ]  # fmt: skip
    return {("wf_demo", "exp_invoices"): invoices, ("wf_demo", "exp_contracts"): contracts}


# The sample invoices run exprun_inv_04 scored each of its twelve documents so.
_INVOICE_SCORES = (0.95, 0.90, 0.85, 0.92, 0.80, 0.88, 0.91, 0.86, 0.83, 0.89, 0.84, 0.81)
# exprun_inv_06 raised most documents to 1.0, but these three dropped by more than 0.2.
_INVOICE_DROPS = {3: 0.55, 7: 0.62, 10: 0.64}


def sample_document_scores() -> dict[str, dict[str, float | None]]:
    """How each document of the sample's completed invoice runs scored, by run id.

    The scores climb from run to run, except in the newest completed run
    (`exprun_inv_06`): its average rose while three documents (`doc_003`,
    `doc_007`, `doc_010`) dropped by more than 0.2, so `compare`, `results`
    and `gate --max-document-drop` have a regression to show.
    """
    names = [f"doc_{i:03d}" for i in range(1, len(_INVOICE_SCORES) + 1)]
    scores: dict[str, dict[str, float | None]] = {}
    for run_id, lower in (("exprun_inv_01", 0.16), ("exprun_inv_02", 0.09), ("exprun_inv_04", 0)):
        scores[run_id] = {
            name: round(score - lower, 2)
            for name, score in zip(names, _INVOICE_SCORES, strict=True)
        }
    scores["exprun_inv_06"] = {
        name: _INVOICE_DROPS.get(i, 1.0) for i, name in enumerate(names, start=1)
    }
    return scores


def _resolve(schema: Any) -> dict[str, Any]:
    """A schema with its `$ref` followed and its `allOf` parts' properties merged."""
    schemas = components(_PACKAGE)
    for _ in range(16):
        if not isinstance(schema, dict) or "$ref" not in schema:
            break
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if not isinstance(schema, dict):
        return {}
    merged = {"required": list(schema.get("required", [])), **schema}
    for part in schema.get("allOf", []):
        resolved = _resolve(part)
        merged["required"] = [*merged["required"], *resolved.get("required", [])]
        merged["properties"] = {**resolved.get("properties", {}), **merged.get("properties", {})}
    return merged


def _target(data: Any, schema: dict[str, Any]) -> tuple[Any, list[str]]:
    """The object a fault breaks (a body's first listed item, else the body) and its required."""
    for name in schema.get("required", []):
        prop = _resolve(schema.get("properties", {}).get(name, {}))
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict) and isinstance(data, dict):
            listed = data.get(name)
            if isinstance(listed, list):
                item_schema = _resolve(items)
                if not listed:
                    listed.append(example_of(items, components(_PACKAGE), full=True))
                return listed, item_schema.get("required", [])
    return data, schema.get("required", [])


def malformed_body(kind: Malformation, body: bytes, success: Any) -> bytes:
    """`body` (an operation's `success` answer) broken as `kind` says, for `malformed_next`."""
    if kind == "not_json":
        return b"<html><body>502 Bad Gateway</body></html>"
    if kind == "truncated":
        return body[: max(1, len(body) // 2)]
    if kind == "empty":
        return b""
    data = json.loads(body)
    schema = success.schema if isinstance(success, Variants | ListOf) else success.SCHEMA.schema
    holder, required = _target(data, _resolve(schema))
    # The spec's first required field, whatever the spec says it is today.
    target = holder[0] if isinstance(holder, list) else holder
    if not required or not isinstance(target, dict):
        broken: Any = 1714647600  # no required field to break: the object itself is wrong
        if isinstance(holder, list):
            holder[0] = broken
        else:
            data = broken
        return json.dumps(data).encode()
    name = required[0]
    if kind == "wrong_type":
        target[name] = [] if not isinstance(target.get(name), list) else 1714647600
    else:
        target.pop(name, None)
    return json.dumps(data).encode()
