"""The fake server's HTTP side: one request handler on a threading http.server.

A request is first held to the fake's limits (`_limits`: head size, strict
body framing, JSON depth; a refusal closes the connection). It is counted,
and recorded (secrets masked) only when it carries a credential its
operation accepts, so clients without the key cannot grow the log. Then it
meets the fault queued for it, if any; otherwise it is routed by the spec
(`_routes`): a path no operation has is a 404, another method a 405, a
missing credential a 401, a missing required parameter a 422 (FastAPI's
body), and an operation the fake does not implement a 501 naming it, so a
contract test notices. The answer itself comes from `FakeState`. This module
imports neither the server nor the client.
"""

from __future__ import annotations

import io
import json
import secrets
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from _retab_runs_generated.operations import OPERATIONS
from _retab_runs_runtime import Operation, Param, SchemaCheck

from . import _limits
from ._data import malformed_body
from ._models import MASK, Fault, RecordedRequest
from ._routes import Router
from ._state import FakeState

__all__ = ["Handler", "RequestCounter", "Server"]

_SECRET_HEADERS = frozenset({"api-key", "authorization"})
# The credentials a request that matches no operation (a 404, a 405) is
# judged by: those some operation accepts.
_ANY_SCHEME = tuple(dict.fromkeys(scheme for op in OPERATIONS for scheme in op.auth))


def _readings(text: str) -> list[Any]:
    """A query or header value as each JSON type it can be read as: text, bool, int, float."""
    found: list[Any] = [text, text == "true" if text in ("true", "false") else text]
    for number in (int, float):
        try:
            found.append(number(text))
        except ValueError:
            found.append(text)
    return found


def _problem(param: Param, message: str, kind: str) -> dict[str, Any]:
    return {"loc": [param.location, param.name], "msg": message, "type": kind}


class RequestCounter:
    """How many requests reached the handler, recorded or not (thread-safe)."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self._count += 1

    @property
    def count(self) -> int:
        return self._count


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of
    # concurrent clients, which then wait a full second to retry.
    request_queue_size = 128

    def __init__(
        self,
        state: FakeState,
        credentials: tuple[str, str | None],
        latency: Callable[[], float],
        port: int = 0,
        *,
        idle_timeout: float,
        received: RequestCounter,
    ) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = state
        self.router = Router()
        self.checks: dict[int, SchemaCheck] = {}
        self.credentials = credentials
        self.latency = latency
        self.idle_timeout = idle_timeout
        self.received = received

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a timeout, a test ending) is normal here, not news."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API
    # Headers and body go out in two writes; with Nagle on, the client's
    # delayed ACK would add ~40 ms to every response.
    disable_nagle_algorithm = True
    server_version = "FakeRetab/1.0"
    sys_version = ""
    server: Server
    _repeated: dict[str, list[str]]
    _reader: _limits.RequestReader

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests and the demo read their own output."""

    def setup(self) -> None:
        # Reads through a RequestReader: bounded by the idle timeout, silence
        # and slow requests alike; http.server closes the connection past it.
        super().setup()
        self.rfile.close()
        self._reader = _limits.RequestReader(self.connection, self.server.idle_timeout)
        self.rfile = io.BufferedReader(self._reader)

    def __getattr__(self, name: str) -> Any:
        # http.server looks for do_<METHOD>; every method goes through the
        # spec's routes (a method no operation has is a 405 there).
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        state = self.server.state
        self.server.received.add()
        try:
            payload = self._read_request()
        except _limits.Refusal as refusal:
            self._send_json(refusal.status, {"detail": refusal.detail}, {"Connection": "close"})
            _limits.drain(self.connection)
            return
        split = urlsplit(self.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        query = dict(pairs)
        self._repeated = {name: [v for n, v in pairs if n == name] for name in query}
        match = self.server.router.match(self.command, split.path)
        operation = match.operation if match is not None else None
        authorized = self._authorized(operation, query)
        if authorized:
            self._record(split.path, query, payload)
        fault = state.next_fault()
        delay = self.server.latency() + (fault.delay if fault is not None else 0.0)
        if delay:
            time.sleep(delay)
        if fault is not None and fault.drop_after is not None and not fault.answered:
            self._drop(fault.drop_after)
            return
        if fault is not None and fault.status is not None:
            self._send_json(fault.status, fault.body, fault.headers)
            return
        if match is None:
            self._send_json(404, {"detail": "Not Found"})
            return
        if operation is None:
            allow = {"Allow": ", ".join(match.allowed)}
            self._send_json(405, {"detail": "Method Not Allowed"}, allow)
            return
        if not authorized:
            self._send_json(401, {"detail": "Invalid or missing API key"})
            return
        self._answer(operation, {**query, **match.path_args}, payload, fault)

    def _answer(
        self,
        operation: Operation[Any],
        arguments: dict[str, Any],
        payload: Any,
        fault: Fault | None,
    ) -> None:
        for p in operation.params:
            if p.location == "header" and p.name in self.headers:
                arguments[p.name] = self.headers[p.name]
        problems = self._problems(operation, arguments, payload)
        if problems:
            self._send_json(422, {"detail": problems})
            return
        if operation.body is not None:
            arguments["body"] = payload
        answer = self.server.state.answer(operation.operation_id, arguments)
        if answer is None:
            detail = (
                f"The fake Retab server does not implement operation {operation.operation_id} "
                f"({operation.http_method} {operation.path})"
            )
            self._send_json(501, {"detail": detail})
            return
        if fault is not None and fault.drop_after is not None:
            self._drop(fault.drop_after)  # carried out; the answer is lost on the way
            return
        body = answer.body
        malformed = fault.malformed if fault is not None else None
        if malformed is not None and answer.status < 300 and operation.success is not None:
            body = malformed_body(malformed, body, operation.success)
        self._send(answer.status, body, drip=fault.drip if fault else None)

    def _problems(
        self, operation: Operation[Any], arguments: dict[str, Any], payload: Any
    ) -> list[dict[str, Any]]:
        """FastAPI-style details of what the request lacks or gets wrong (none: it is valid)."""
        problems = []
        for p in operation.params:
            if p.location in ("path", "body"):
                continue
            if p.name not in arguments:
                if p.required:
                    problems.append(_problem(p, "Field required", "missing"))
            elif not self._valid(p, self._repeated.get(p.name) or [arguments[p.name]]):
                problems.append(_problem(p, "Input is not valid", "value_error"))
        if operation.body is not None and not (
            isinstance(payload, dict) and operation.body.SCHEMA.is_valid(payload)
        ):
            problems.append({"loc": ["body"], "msg": "Invalid body", "type": "value_error"})
        return problems

    def _valid(self, param: Param, texts: list[str]) -> bool:
        """Whether a query or header value, read as its schema's type, is one the spec takes.

        A parameter sent once may be a scalar or a one-item array; repeated
        (`?tag=a&tag=b`), an array of them.
        """
        check = self.server.checks.get(id(param))
        if check is None:
            check = SchemaCheck(dict(param.schema), "_retab_runs_generated")
            self.server.checks[id(param)] = check
        readings = [_readings(text) for text in texts]
        arrays = [[reading[kind] for reading in readings] for kind in range(len(readings[0]))]
        scalars = readings[-1] if len(texts) == 1 else []
        return any(check.is_valid(candidate) for candidate in [*scalars, *arrays])

    def _read_request(self) -> Any:
        """The JSON body (None: none, or not JSON), read within the limits (`_limits`):
        exactly the bytes `Content-Length` frames, not one more."""
        try:
            _limits.check_head(self.headers)
            length = _limits.body_length(self.headers)
            raw = self.rfile.read(length)
            if len(raw) < length:
                raise _limits.Refusal(400, "The body ended before Content-Length")
            return _limits.parse_json(raw)
        finally:
            self._reader.request_read()

    def _authorized(self, operation: Operation[Any] | None, query: Mapping[str, str]) -> bool:
        """Whether the request carries the key in a way the operation's `security` accepts.

        An operation that declares no scheme needs no credential; the
        `access_token` query parameter is accepted where the operation has one.
        A request that matches no operation (None) is judged by every scheme
        some operation accepts, and the access token.
        """
        if operation is not None and not operation.auth:
            return True
        key, token = self.server.credentials
        for scheme in operation.auth if operation is not None else _ANY_SCHEME:
            given = self.headers.get(scheme.name)
            if scheme.kind == "bearer":
                given = given[7:] if given and given.lower().startswith("bearer ") else None
            if given is not None and secrets.compare_digest(given.encode(), key.encode()):
                return True
        if operation is not None and operation.param("access_token") is None:
            return False
        access = query.get("access_token")
        return bool(access and token and secrets.compare_digest(access.encode(), token.encode()))

    def _record(self, path: str, query: Mapping[str, str], body: Any) -> None:
        headers = {
            name: (MASK if name.lower() in _SECRET_HEADERS else value)
            for name, value in self.headers.items()
        }
        masked = {k: (MASK if k == "access_token" else v) for k, v in query.items()}
        self.server.state.record(
            RecordedRequest(
                method=self.command,
                path=unquote(path),
                raw_path=path,
                query=masked,
                headers=headers,
                body=body,
            )
        )

    def _send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), headers)

    def _send(
        self,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        drip: tuple[int, float] | None = None,
    ) -> None:
        if self.command == "HEAD":
            body = b""  # HEAD answers never carry a body
        self.send_response(status)
        if status != 204:  # No Content: no body, so no type
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", self.server.state.request_id())
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
            body = b'{"runs": [' + b'{"id": "exprun_x"}, ' * 500 + b"{}]}"
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write((head + body)[:after_bytes])
            self.wfile.flush()
        # An RST instead of a polite FIN: what a crashed upstream looks like.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
