"""What the command line's commands share: exit codes, the client, waiting with a status line."""

from __future__ import annotations

import argparse
import datetime
import sys
import threading
import time
from typing import TextIO, TypeVar

from _retab_runs_generated.models import ExperimentRun
from _retab_runs_runtime import Model, Operation, PagedList, RequestOptions

from .. import _config, _wait
from .._client import Retab
from .._constants import API_KEY_ENV
from ..errors import ConfigurationError
from ._output import cell, clean, field_value
from ._parser import Usage

__all__ = [
    "EXIT_API",
    "EXIT_CONFIG",
    "EXIT_GATE_FAILED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_RUN_FAILED",
    "EXIT_USAGE",
    "EXIT_WAIT_TIMEOUT",
    "StatusLine",
    "call",
    "call_all",
    "client_for",
    "ended_badly",
    "wait_with_status",
]

EXIT_OK, EXIT_USAGE, EXIT_CONFIG, EXIT_NOT_FOUND, EXIT_API = 0, 2, 3, 4, 5
EXIT_RUN_FAILED, EXIT_WAIT_TIMEOUT, EXIT_GATE_FAILED = 6, 7, 8

T = TypeVar("T")
I = TypeVar("I", bound=Model)  # noqa: E741 (an item of a paged listing)


def call(client: Retab, operation: Operation[T], **arguments: object) -> T:
    """Send one operation of the spec by its declaration, not by its method's name.

    Commands name operations by their declarations (`GET_EXPERIMENT_RUN`, from
    the operationId), so a method renamed in the spec (`x-retab-method`)
    cannot leave a command calling a method that is gone, and a parameter
    the spec adds reaches the pipeline's checks (a required one missing is
    a ConfigurationError naming it).
    """
    return client._request(operation, arguments, RequestOptions())


def call_all(
    client: Retab,
    operation: Operation[T],
    item: type[I],
    max_items: int | None,
    **arguments: object,
) -> PagedList[I]:
    """Every item of a paged operation, by its declaration (see `call`)."""
    return client._request_all(
        operation, arguments, RequestOptions(), item=item, max_items=max_items
    )


def client_for(args: argparse.Namespace, timeout: float | None = None) -> Retab:
    """A client from the command's connection options; ids checked first (exit 2)."""
    if args.api_key is not None:
        print(
            "retab-runs: warning: --api-key is visible in shell history and process lists; "
            f"prefer the {API_KEY_ENV} environment variable",
            file=sys.stderr,
        )
    for name in ("workflow_id", "experiment_id", "run_id", "workflow", "experiment"):
        value = getattr(args, name, None)
        if value is not None:
            try:
                _config.check_id(name, value)
            except ConfigurationError as exc:
                raise Usage(str(exc)) from None
    return Retab(
        args.api_key,
        base_url=args.base_url,
        timeout=timeout,
        allow_insecure_http=args.allow_insecure_http,
    )


def _run_time(run: ExperimentRun) -> str:
    """When the run ran, from its own timing (never this machine's clock, which may
    disagree with the server's): how long it took once it ended, else since when it runs."""
    started = field_value(run, "timing.started_at")
    since = started or field_value(run, "timing.created_at")
    if _wait.is_terminal(run):
        duration = field_value(run, "timing.duration_ms")
        ended = field_value(run, "timing.completed_at")
        if not isinstance(duration, int) or isinstance(duration, bool):
            both = isinstance(ended, datetime.datetime) and isinstance(since, datetime.datetime)
            duration = int((ended - since).total_seconds() * 1000) if both else None
        return "" if duration is None or duration < 0 else f"in {cell('duration_ms', duration)}"
    if not isinstance(since, datetime.datetime):
        return ""
    return f"{'since' if started else 'created'} {cell('created_at', since)}"


class StatusLine:
    """A wait's progress: redrawn in place on a terminal (the wait's own clock ticking
    every second), one line per change when piped. The run's times are its own."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._tty = out.isatty()
        self._started = time.monotonic()
        self._drawn = False
        self._run: ExperimentRun | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if self._tty:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _line(self, run: ExperimentRun) -> str:
        status = _wait.status_of(run)
        done = cell("completed_document_count", field_value(run, "completed_document_count"))
        total = cell("total_document_count", field_value(run, "total_document_count"))
        parts = [clean(run.id, 40), clean(status, 20), _run_time(run)]
        parts += [f"documents {done}/{total}"]
        parts += [f"errors {cell('error_count', field_value(run, 'error_count'))}"]
        if status == "completed" and isinstance(run.score, int | float):
            parts.append(f"score {run.score:.2f}")
        if self._tty and not _wait.is_terminal(run):
            waited = int(time.monotonic() - self._started)
            parts.append(f"(waiting {waited // 60}m{waited % 60:02d}s)")
        return "  ".join(part for part in parts if part)

    def __call__(self, run: ExperimentRun) -> None:
        with self._lock:
            self._run = run
            if self._tty:
                self._out.write("\r\x1b[2K" + self._line(run))
                self._drawn = True
            else:
                self._out.write(self._line(run) + "\n")
            self._out.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                if self._run is not None and not self._stop.is_set():
                    self._out.write("\r\x1b[2K" + self._line(self._run))
                    self._out.flush()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._drawn:
            self._out.write("\n")
            self._out.flush()


def wait_with_status(
    client: Retab,
    workflow_id: str,
    experiment_id: str,
    run_id: str | None,
    args: argparse.Namespace,
) -> ExperimentRun:
    """`wait_for_run`, drawing the run's progress on stdout."""
    status = StatusLine(sys.stdout)
    try:
        return client.wait_for_run(
            workflow_id,
            experiment_id,
            run_id,
            timeout=args.wait_timeout,
            poll_interval=args.interval,
            on_update=status,
        )
    finally:
        status.close()


def ended_badly(run: ExperimentRun) -> int:
    status = clean(_wait.status_of(run), 20)
    print(f"retab-runs: run {clean(run.id, 60)} ended with status {status}", file=sys.stderr)
    return EXIT_RUN_FAILED
