"""`FakeRetabServer`: what tests call to fill the fake, queue faults and start or stop it."""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from ._data import sample_data, sample_document_scores
from ._handler import RequestCounter, Server
from ._models import Fault, Malformation, RecordedRequest
from ._state import FakeState

if TYPE_CHECKING:
    from .._client import AsyncRetab, Retab

__all__ = ["DEFAULT_IDLE_TIMEOUT", "FakeRetabServer"]

# How long a connection may stay silent: longer than any client's keep-alive
# pause within a test, short enough that abandoned connections free their thread.
DEFAULT_IDLE_TIMEOUT = 30.0


class FakeRetabServer:
    """A real HTTP server on 127.0.0.1 (a free port) that behaves like Retab's API.

    It serves the spec's operations (routes come from openapi.yaml); one it
    does not implement is answered 501, naming it.

    Args:
        api_key: the key clients must send in `Api-Key` (default: a random one).
        access_token: an access token accepted in the `access_token` query parameter.
        sample: seed the built-in sample data set (`sample_data()`).
        latency: seconds to wait before every response (for concurrency demos).
        port: the port on 127.0.0.1 to bind (default 0: a free one).
        idle_timeout: seconds a connection may stay silent (between requests, or
            mid-request), and a request may take to arrive whole from its first
            byte, before the server closes the connection.

    It holds itself to limits whatever a client sends (`_limits`): requests
    without a credential are answered but not recorded, the log keeps the
    newest requests within a bound, bodies are framed strictly by
    `Content-Length` (over 1 MiB: 413, and the connection closes), JSON
    nested past 512 levels is not JSON to it.

    Start and stop it with `with` (or `async with`), or start()/stop().
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        sample: bool = False,
        latency: float = 0.0,
        port: int = 0,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self.api_key = api_key or f"sk-fake-{secrets.token_hex(12)}"
        self.port = port
        self.access_token = access_token
        self.latency = latency
        self.idle_timeout = idle_timeout
        self._state = FakeState()
        self._received = RequestCounter()
        self._httpd: Server | None = None
        self._thread: threading.Thread | None = None
        if sample:
            for (workflow_id, experiment_id), runs in sample_data().items():
                self.add_runs(workflow_id, experiment_id, runs)
            for run_id, scores in sample_document_scores().items():
                self.set_document_scores(run_id, scores)

    # -- data ---------------------------------------------------------------

    def add_experiment(self, workflow_id: str, experiment_id: str) -> None:
        """Make an experiment exist (with no runs yet): it lists as `[]`, not 404."""
        self._state.add_runs((workflow_id, experiment_id), [])

    def add_runs(
        self, workflow_id: str, experiment_id: str, runs: Iterable[Mapping[str, Any]]
    ) -> None:
        """Add run summaries (JSON-ready dicts, e.g. `sample_run(...)`) to an experiment.

        They are served newest first by `created_at`, whatever the order added.
        """
        self._state.add_runs((workflow_id, experiment_id), runs)

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
        self._state.progress(str(run["id"]), stages, polls_per_stage, seconds_per_stage)

    def set_document_scores(self, run_id: str, scores: Mapping[str, float | None]) -> None:
        """Say how each document of a run scored (None: the document failed).

        The run's per-document results and its metrics (and the `prior_*` of
        the run after it) answer from these instead of the run's own score.
        """
        self._state.set_document_scores(run_id, scores)

    def runs(self, workflow_id: str, experiment_id: str) -> list[dict[str, Any]]:
        """The runs as served, newest first."""
        return self._state.runs((workflow_id, experiment_id))

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
        (the spec's first required field of the first run has a value of the
        wrong type), `missing_field` (that field is absent), `empty` (no body).
        """
        self._queue(count, Fault(malformed=kind))

    def drop_next(self, count: int = 1, *, after_bytes: int = 0, answered: bool = False) -> None:
        """The next `count` connections close after `after_bytes` of the response (0: at once).

        With `answered=True` the request is carried out first (a create starts
        its run) and only the answer is lost: what a retry must not repeat.
        """
        self._queue(count, Fault(drop_after=after_bytes, answered=answered))

    def drip_next(self, count: int = 1, *, chunk_size: int = 64, interval: float = 0.05) -> None:
        """The next `count` answers send their body `chunk_size` bytes every `interval` s.

        Each write arrives within any per-read timeout: only a client that
        bounds the whole response notices how slow this is.
        """
        self._queue(count, Fault(drip=(chunk_size, interval)))

    def _queue(self, count: int, fault: Fault) -> None:
        self._state.queue(count, fault)

    def clear_faults(self) -> None:
        """Forget faults not yet used."""
        self._state.clear_faults()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received with a credential, oldest first, secrets masked.

        The newest 10,000 (and 32 MiB of their text, bodies weighed 16x) are
        kept; requests without a credential the operation accepts, or refused
        unread, are not recorded.
        """
        return self._state.requests()

    @property
    def received(self) -> int:
        """How many requests reached the server, recorded or not."""
        return self._received.count

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
        httpd = Server(
            self._state,
            (self.api_key, self.access_token),
            lambda: self.latency,
            self.port,
            idle_timeout=self.idle_timeout,
            received=self._received,
        )
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
