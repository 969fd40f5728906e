"""`FakeRetabServer`: the fake's data, its fault queue and its lifecycle."""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import attrs

from ._data import sample_data
from ._handler import Handler, Server
from ._models import Fault, Malformation, RecordedRequest

if TYPE_CHECKING:
    from .._client import AsyncRetab, Retab

__all__ = ["FakeRetabServer"]


@attrs.define
class _Progression:
    """A run that moves through stages as its experiment is listed."""

    key: tuple[str, str]
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
        self._faults: deque[Fault] = deque()
        self._progressions: list[_Progression] = []
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

    def progress_run(
        self,
        workflow_id: str,
        experiment_id: str,
        run: Mapping[str, Any],
        stages: Iterable[Mapping[str, Any]],
        *,
        polls_per_stage: int = 1,
        seconds_per_stage: float | None = None,
    ) -> None:
        """Add `run`, then make it progress through `stages` as clients poll.

        Each stage's fields are merged into the run in turn: after every
        `polls_per_stage` listings of the experiment, or, with
        `seconds_per_stage`, as that much time passes. The first listing
        shows `run` as given. For `wait_for_run` and `retab-runs wait|gate`:

            server.progress_run("wf", "exp", sample_run("exprun_9", status="pending"),
                                [{"status": "running"}, {"status": "completed", "score": 0.9}])
        """
        if polls_per_stage < 1:
            raise ValueError("polls_per_stage must be at least 1")
        self.add_runs(workflow_id, experiment_id, [run])
        with self._lock:
            self._progressions.append(
                _Progression(
                    key=(workflow_id, experiment_id),
                    run_id=str(run["id"]),
                    stages=[dict(stage) for stage in stages],
                    polls_per_stage=polls_per_stage,
                    seconds_per_stage=seconds_per_stage,
                    started=time.monotonic(),
                )
            )

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
        self._queue(count, Fault(status=status, body=payload, headers=extra))

    def delay_next(self, count: int = 1, *, seconds: float) -> None:
        """The next `count` requests are answered normally, after `seconds`."""
        self._queue(count, Fault(delay=seconds))

    def malformed_next(self, count: int = 1, *, kind: Malformation = "truncated") -> None:
        """The next `count` successful answers have a broken 200 body.

        kinds: `not_json` (HTML), `truncated` (JSON cut in half), `wrong_type`
        (a run's `created_at` is a number), `missing_field` (a run lacks `id`),
        `empty` (no body at all).
        """
        self._queue(count, Fault(malformed=kind))

    def drop_next(self, count: int = 1, *, after_bytes: int = 0) -> None:
        """The next `count` connections close after `after_bytes` of the response (0: at once)."""
        self._queue(count, Fault(drop_after=after_bytes))

    def drip_next(self, count: int = 1, *, chunk_size: int = 64, interval: float = 0.05) -> None:
        """The next `count` answers send their body `chunk_size` bytes every `interval` s.

        Each write arrives within any per-read timeout: only a client that
        bounds the whole response notices how slow this is.
        """
        self._queue(count, Fault(drip=(chunk_size, interval)))

    def _queue(self, count: int, fault: Fault) -> None:
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
        httpd = Server(("127.0.0.1", 0), Handler)
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
        from .._client import Retab  # noqa: PLC0415  (the fake must not need the client)

        kwargs.setdefault("api_key", self.api_key)
        return Retab(base_url=self.url, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncRetab:
        """An `AsyncRetab` client pointed at this server with its key (yours to close)."""
        from .._client import AsyncRetab  # noqa: PLC0415

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

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _advance(self, key: tuple[str, str]) -> None:
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

    def _body(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            if key not in self._runs:
                return None
            self._advance(key)
            body = self._bodies.get(key)
            if body is None:
                body = json.dumps({"runs": self._runs[key]}, separators=(",", ":")).encode()
                self._bodies[key] = body
            return body

    def _request_id(self) -> str:
        return f"req_fake_{next(self._ids):06d}"
