"""Sample data that conforms to the spec: realistic runs, and broken bodies for faults."""

from __future__ import annotations

import datetime
import json
from typing import Any

from _retab_runs_generated.models import ExperimentRunSummary

from ._models import Malformation

__all__ = ["malformed_body", "sample_data", "sample_run"]


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sample_run(
    run_id: str,
    *,
    created_at: datetime.datetime | None = None,
    status: str = "completed",
    **fields: Any,
) -> dict[str, Any]:
    """A complete, realistic run summary as Retab sends it; override any field by keyword."""
    created = created_at or datetime.datetime(2026, 5, 2, 11, 0, tzinfo=datetime.UTC)
    finished = status in ("completed", "error", "cancelled")
    run: dict[str, Any] = {
        "id": run_id,
        "parent_run_id": None,
        "block_config": {"model": "gpt-5", "json_schema": {"type": "object"}},
        "definition_fingerprint": "0ff93ddc7cefcb42",
        "documents_fingerprint": "ddd95baadce6045f",
        "status": status,
        "block_kind": "extract",
        "score": 0.87 if status == "completed" else None,
        "document_count": 12,
        "error_count": 0,
        "n_consensus": 5,
        "created_at": _iso(created),
        "completed_at": None,
        "duration_ms": 258_221 if finished else None,
        "job_id": f"job_{run_id.removeprefix('exprun_')}",
    }
    run.update(fields)
    if "completed_at" not in fields and run["duration_ms"] is not None:
        run["completed_at"] = _iso(created + datetime.timedelta(milliseconds=run["duration_ms"]))
    # Required fields the spec gained after this function was written: a
    # valid value from the spec itself, so sample data keeps conforming.
    for name, value in ExperimentRunSummary.SCHEMA.example().items():
        run.setdefault(name, value)
    return run


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


def malformed_body(kind: Malformation, body: bytes) -> bytes:
    if kind == "not_json":
        return b"<html><body>502 Bad Gateway</body></html>"
    if kind == "truncated":
        return body[: max(1, len(body) // 2)]
    if kind == "empty":
        return b""
    runs = json.loads(body)["runs"] or [sample_run("exprun_x")]
    # The spec's first required field, whatever the spec says it is today.
    name = next(iter(ExperimentRunSummary.SCHEMA.example()))
    if kind == "wrong_type":
        runs[0][name] = [] if not isinstance(runs[0][name], list) else 1714647600
    else:
        del runs[0][name]
    return json.dumps({"runs": runs}).encode()
