"""The fake server's HTTP side: one request handler on a threading http.server.

It answers the one endpoint as openapi.yaml describes it, applies the fault
queued for the request, and records what arrived with secrets masked.
"""

from __future__ import annotations

import json
import secrets
import socket
import struct
import sys
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ._data import malformed_body, sample_run
from ._models import MASK, RecordedRequest

if TYPE_CHECKING:
    from ._server import FakeRetabServer


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of
    # concurrent clients, which then wait a full second to retry.
    request_queue_size = 128

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
        key = endpoint_ids(split.path)
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
            body = malformed_body(fault.malformed, body)
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


def endpoint_ids(raw_path: str) -> tuple[str, str] | None:
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
