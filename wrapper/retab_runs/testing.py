"""A fake Retab server for tests and demos: real HTTP on 127.0.0.1, standard library only.

    from retab_runs import Retab
    from retab_runs.testing import FakeRetabServer

    with FakeRetabServer() as server:
        server.add_runs("wf_1", "exp_1", [sample_run("exprun_1")])
        client = Retab(server.api_key, base_url=server.url)
        assert client.list_runs("wf_1", "exp_1")[0].id == "exprun_1"

It serves `GET /v1/workflows/{workflow_id}/experiments/{experiment_id}/runs`
as openapi.yaml describes it: the `Api-Key` header (or `access_token` query
parameter) must match, an unknown workflow or experiment is a 404, runs come
back newest first, every response carries `x-request-id`. Faults can be queued
for the next requests (`fail_next`, `delay_next`, `malformed_next`,
`drop_next`, `drip_next`), and `requests` records what arrived, secrets masked.

Installed with retab-runs, a pytest plugin gives tests a `retab_server`
fixture (see `retab_runs.pytest_plugin`).
"""

from __future__ import annotations

import asyncio
import datetime
import itertools
import json
import secrets
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import parse_qsl, unquote, urlsplit

import attrs

from retab_api_client.models import ExperimentRunSummary

if TYPE_CHECKING:
    from ._client import AsyncRetab, Retab

__all__ = ["FakeRetabServer", "RecordedRequest", "sample_data", "sample_run"]

MASK = "***"
Malformation = Literal["not_json", "truncated", "wrong_type", "missing_field", "empty"]


@attrs.frozen
class RecordedRequest:
    """One request the server received. Secrets (Api-Key, access_token) are masked."""

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]


@attrs.frozen
class _Fault:
    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    malformed: Malformation | None = None
    drop_after: int | None = None  # bytes of the response sent before the connection drops
    drip: tuple[int, float] | None = None  # (bytes per write, seconds between writes)


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


class FakeRetabServer:
    """A real HTTP server on 127.0.0.1 (a free port) that behaves like Retab's endpoint.

    Args:
        api_key: the key clients must send in `Api-Key` (default: a random one).
        access_token: an access token accepted in the `access_token` query parameter.
        sample: seed the built-in sample data set (`sample_data()`).
        latency: seconds to wait before every response (for concurrency demos).

    Start and stop it with `with` (or `async with`), or start()/stop().
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        sample: bool = False,
        latency: float = 0.0,
    ) -> None:
        self.api_key = api_key or f"sk-fake-{secrets.token_hex(12)}"
        self.access_token = access_token
        self.latency = latency
        self._runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._bodies: dict[tuple[str, str], bytes] = {}
        self._faults: deque[_Fault] = deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        if sample:
            for (workflow_id, experiment_id), runs in sample_data().items():
                self.add_runs(workflow_id, experiment_id, runs)

    # -- data ---------------------------------------------------------------

    def add_experiment(self, workflow_id: str, experiment_id: str) -> None:
        """Make an experiment exist (with no runs yet): it lists as `[]`, not 404."""
        with self._lock:
            self._runs.setdefault((workflow_id, experiment_id), [])
            self._bodies.pop((workflow_id, experiment_id), None)

    def add_runs(
        self, workflow_id: str, experiment_id: str, runs: Iterable[Mapping[str, Any]]
    ) -> None:
        """Add run summaries (JSON-ready dicts, e.g. `sample_run(...)`) to an experiment.

        They are served newest first by `created_at`, whatever the order added.
        """
        key = (workflow_id, experiment_id)
        with self._lock:
            stored = self._runs.setdefault(key, [])
            stored.extend(dict(run) for run in runs)
            stored.sort(key=lambda run: str(run.get("created_at", "")), reverse=True)
            self._bodies.pop(key, None)

    def runs(self, workflow_id: str, experiment_id: str) -> list[dict[str, Any]]:
        """The runs as served, newest first."""
        with self._lock:
            return [dict(run) for run in self._runs.get((workflow_id, experiment_id), [])]

    # -- faults -------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 503,
        retry_after: str | float | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """The next `count` requests get `status` (with `Retry-After` if given)."""
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = str(retry_after)
        payload = body if body is not None else {"detail": f"Injected failure ({status})"}
        self._queue(count, _Fault(status=status, body=payload, headers=extra))

    def delay_next(self, count: int = 1, *, seconds: float) -> None:
        """The next `count` requests are answered normally, after `seconds`."""
        self._queue(count, _Fault(delay=seconds))

    def malformed_next(self, count: int = 1, *, kind: Malformation = "truncated") -> None:
        """The next `count` successful answers have a broken 200 body.

        kinds: `not_json` (HTML), `truncated` (JSON cut in half), `wrong_type`
        (a run's `created_at` is a number), `missing_field` (a run lacks `id`),
        `empty` (no body at all).
        """
        self._queue(count, _Fault(malformed=kind))

    def drop_next(self, count: int = 1, *, after_bytes: int = 0) -> None:
        """The next `count` connections close after `after_bytes` of the response (0: at once)."""
        self._queue(count, _Fault(drop_after=after_bytes))

    def drip_next(self, count: int = 1, *, chunk_size: int = 64, interval: float = 0.05) -> None:
        """The next `count` answers send their body `chunk_size` bytes every `interval` s.

        Each write arrives within any per-read timeout: only a client that
        bounds the whole response notices how slow this is.
        """
        self._queue(count, _Fault(drip=(chunk_size, interval)))

    def _queue(self, count: int, fault: _Fault) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.extend([fault] * count)

    def clear_faults(self) -> None:
        """Forget faults not yet used."""
        with self._lock:
            self._faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first, secrets masked."""
        with self._lock:
            return list(self._requests)

    # -- lifecycle ----------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give a client, e.g. `http://127.0.0.1:54321`."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        if self._httpd is not None:
            return self
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.fake = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def client(self, **kwargs: Any) -> Retab:
        """A `Retab` client pointed at this server with its key (yours to close)."""
        from ._client import Retab  # noqa: PLC0415  (the fake must not need the client)

        kwargs.setdefault("api_key", self.api_key)
        return Retab(base_url=self.url, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncRetab:
        """An `AsyncRetab` client pointed at this server with its key (yours to close)."""
        from ._client import AsyncRetab  # noqa: PLC0415

        kwargs.setdefault("api_key", self.api_key)
        return AsyncRetab(base_url=self.url, **kwargs)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    # -- serving (called from the handler threads) --------------------------

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _body(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            if key not in self._runs:
                return None
            body = self._bodies.get(key)
            if body is None:
                body = json.dumps({"runs": self._runs[key]}, separators=(",", ":")).encode()
                self._bodies[key] = body
            return body

    def _request_id(self) -> str:
        return f"req_fake_{next(self._ids):06d}"


def _malformed(kind: Malformation, body: bytes) -> bytes:
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of
    # concurrent clients, which then wait a full second to retry.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a timeout, a test ending) is normal here, not news."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API
    # Headers and body go out in two writes; with Nagle on, the client's
    # delayed ACK would add ~40 ms to every response.
    disable_nagle_algorithm = True
    server_version = "FakeRetab/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests and the demo read their own output."""

    @property
    def fake(self) -> FakeRetabServer:
        fake: FakeRetabServer = self.server.fake  # type: ignore[attr-defined]
        return fake

    def do_GET(self) -> None:
        fake = self.fake
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        self._record(split.path, query)
        fault = fake._next_fault()
        if fake.latency:
            time.sleep(fake.latency)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.drop_after is not None:
            self._drop(fault.drop_after)
            return
        if fault is not None and fault.status is not None:
            self._send_json(fault.status, fault.body, fault.headers)
            return
        key = _endpoint_ids(split.path)
        if key is None:
            self._send_json(404, {"detail": "Not Found"})
            return
        if not self._authorized(query):
            self._send_json(401, {"detail": "Invalid or missing API key"})
            return
        body = fake._body(key)
        if body is None:
            self._send_json(404, {"detail": "Experiment not found"})
            return
        if fault is not None and fault.malformed is not None:
            body = _malformed(fault.malformed, body)
        self._send(200, body, "application/json", drip=fault.drip if fault else None)

    def do_POST(self) -> None:
        """Every method but GET: 405, as the spec lists only GET."""
        self._record(urlsplit(self.path).path, {})
        self._send_json(405, {"detail": "Method Not Allowed"}, {"Allow": "GET"})

    def __getattr__(self, name: str) -> Any:
        # http.server answers 501 to a method it has no do_<METHOD> for; the
        # spec lists GET only, so every other method (QUERY, TRACE, ...) is a 405.
        if name.startswith("do_"):
            return self.do_POST
        raise AttributeError(name)

    def do_HEAD(self) -> None:
        """405 like the other methods, but with no body: HEAD answers never carry one."""
        self._record(urlsplit(self.path).path, {})
        self._send(405, b"", "application/json", {"Allow": "GET"})

    def _authorized(self, query: Mapping[str, str]) -> bool:
        fake = self.fake
        key = self.headers.get("Api-Key")
        if key is not None and secrets.compare_digest(key.encode(), fake.api_key.encode()):
            return True
        token = query.get("access_token")
        return bool(
            token
            and fake.access_token
            and secrets.compare_digest(token.encode(), fake.access_token.encode())
        )

    def _record(self, path: str, query: Mapping[str, str]) -> None:
        headers = {
            name: (MASK if name.lower() == "api-key" else value)
            for name, value in self.headers.items()
        }
        masked = {k: (MASK if k == "access_token" else v) for k, v in query.items()}
        self.fake._record(
            RecordedRequest(
                method=self.command,
                path=unquote(path),
                raw_path=path,
                query=masked,
                headers=headers,
            )
        )

    def _send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json", headers)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        drip: tuple[int, float] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", self.fake._request_id())
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if drip is None:
            self.wfile.write(body)
            return
        size, interval = drip
        for start in range(0, len(body), size):
            self.wfile.write(body[start : start + size])
            self.wfile.flush()
            time.sleep(interval)

    def _drop(self, after_bytes: int) -> None:
        if after_bytes:
            body = json.dumps({"runs": [sample_run("exprun_x")] * 50}).encode()
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write((head + body)[:after_bytes])
            self.wfile.flush()
        # An RST instead of a polite FIN: what a crashed upstream looks like.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


def _endpoint_ids(raw_path: str) -> tuple[str, str] | None:
    """(workflow_id, experiment_id) if the raw path is the endpoint's, else None."""
    parts = raw_path.split("/")
    # "", "v1", "workflows", wf, "experiments", exp, "runs"
    if (
        len(parts) != 7
        or parts[:3] != ["", "v1", "workflows"]
        or parts[4] != "experiments"
        or parts[6] != "runs"
        or not parts[3]
        or not parts[5]
    ):
        return None
    return unquote(parts[3]), unquote(parts[5])
