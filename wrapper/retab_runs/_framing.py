"""Spotting bytes a server sent after a complete response, so that connection is not reused.

A broken server (or a proxy) that writes two responses for one request
leaves the second in the client's buffer, and the next request on that
keep-alive connection would read it as its own answer: another experiment's
runs. `Framing` follows the responses read on one connection far enough to
know where each one ends (its head, then `Content-Length` bytes of body).
Bytes past that end, before the next request is written, mark the connection
`poisoned`; our network streams then report it readable while idle, which is
how httpcore learns a connection must not be reused.

Responses whose end cannot be known this cheaply (chunked, or delimited by
the connection closing) are not followed; bytes after them go unnoticed, as
before. Retab answers with `Content-Length`.
"""

from __future__ import annotations

from ._constants import MAX_RESPONSE_HEAD

__all__ = ["Framing"]


class Framing:
    """Follows the response framing of one connection, from what is read and written."""

    def __init__(self) -> None:
        self.poisoned = False
        self._head = bytearray()
        self._body_left: int | None = None  # None: reading a head
        self._done = False  # the response to the last request has ended
        self._lost = False  # a framing we do not follow: stop until the next request

    def wrote(self) -> None:
        """A request went out: the next bytes begin its response."""
        self._head.clear()
        self._body_left = None
        self._done = False
        self._lost = False

    def read(self, data: bytes) -> None:
        """Bytes arrived from the server."""
        view = memoryview(data)
        while view and not (self._lost or self.poisoned):
            if self._done:
                self.poisoned = True
                return
            if self._body_left is not None:
                taken = min(self._body_left, len(view))
                self._body_left -= taken
                view = view[taken:]
                if self._body_left == 0:
                    self._body_left = None
                    self._done = True
                continue
            view = self._read_head(view)

    def _read_head(self, view: memoryview) -> memoryview:
        start = len(self._head)
        self._head += view
        end = self._head.find(b"\r\n\r\n", max(0, start - 3))
        if end < 0:
            if len(self._head) > MAX_RESPONSE_HEAD:
                self._lost = True
            return view[len(view) :]
        rest = view[end + 4 - start :]
        head = bytes(self._head[:end])
        self._head.clear()
        self._start_body(head)
        return rest

    def _start_body(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        try:
            status = int(parts[1])
        except (IndexError, ValueError):
            self._lost = True
            return
        if 100 <= status < 200:
            return  # an interim response: the real head follows
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get(b"content-length")
        if status in (204, 304):
            self._done = True
        elif b"transfer-encoding" in headers or length is None or not length.isdigit():
            self._lost = True
        elif int(length) == 0:
            self._done = True
        else:
            self._body_left = int(length)
