"""Spotting bytes a server sent after a complete response, so that connection is not reused.

A broken server (or a proxy) that writes two responses for one request
leaves the second in the client's buffer, and the next request on that
keep-alive connection would read it as its own answer: another experiment's
runs. `Framing` follows the responses read on one connection far enough to
know where each one ends: its head, then `Content-Length` bytes of body, or
the chunks of a chunked body up to the last chunk and its trailer. Bytes past
that end, before the next request is written, mark the connection `poisoned`;
our network streams then report it readable while idle, which is how
httpcore learns a connection must not be reused.

Only a response delimited by the connection closing has no end to follow;
such a connection is never reused anyway. A head or chunk line longer than
MAX_RESPONSE_HEAD stops the following (httpcore refuses those itself).
"""

from __future__ import annotations

from .._constants import MAX_RESPONSE_HEAD

__all__ = ["Framing"]

# What the bytes being read are.
_HEAD = "head"  # a response head, up to its blank line
_BODY = "body"  # `_left` bytes of body; then the response ends
_CHUNK_LINE = "chunk line"  # a chunk's size line
_CHUNK = "chunk"  # `_left` bytes of chunk data and its CRLF; then the next size line
_TRAILER = "trailer"  # trailer lines after the last chunk, up to a blank line
_DONE = "done"  # the response has ended: any byte now is a stray one
_LOST = "lost"  # a framing we do not follow: stop until the next request


class Framing:
    """Follows the response framing of one connection, from what is read and written."""

    def __init__(self) -> None:
        self.poisoned = False
        self._line = bytearray()  # a head or line being gathered
        self.wrote()

    def wrote(self) -> None:
        """A request went out: the next bytes begin its response (a line left half
        gathered, from a framing given up on, is dropped)."""
        self._state = _HEAD
        self._line.clear()
        self._left = 0  # read only once a head or chunk line has set it

    def read(self, data: bytes) -> None:
        """Bytes arrived from the server."""
        view = memoryview(data)
        while view and not self.poisoned and self._state != _LOST:
            if self._state == _DONE:
                self.poisoned = True
            elif self._state in (_BODY, _CHUNK):
                taken = min(self._left, len(view))
                self._left -= taken
                view = view[taken:]
                if self._left == 0:
                    self._state = _DONE if self._state == _BODY else _CHUNK_LINE
            else:
                view = self._gather(view)

    def _gather(self, view: memoryview) -> memoryview:
        """Gathers a head (up to a blank line) or one line; acts on it once complete."""
        marker = b"\r\n\r\n" if self._state == _HEAD else b"\r\n"
        start = len(self._line)
        self._line += view
        end = self._line.find(marker, max(0, start - len(marker) + 1))
        if end < 0:
            if len(self._line) > MAX_RESPONSE_HEAD:
                self._state = _LOST
            return view[len(view) :]
        rest = view[end + len(marker) - start :]
        text = bytes(self._line[:end])
        self._line.clear()
        if self._state == _HEAD:
            self._start_body(text)
        elif self._state == _CHUNK_LINE:
            self._start_chunk(text)
        elif not text:  # a trailer line (the only other kind): a blank one ends the response
            self._state = _DONE
        return rest

    def _start_body(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        try:
            status = int(parts[1])
        except (IndexError, ValueError):
            self._state = _LOST
            return
        if 100 <= status < 200:
            return  # an interim response: the real head follows
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        length = headers.get(b"content-length")
        encoding = headers.get(b"transfer-encoding")
        if status in (204, 304):
            self._state = _DONE
        elif encoding is not None:
            chunked = encoding.split(b",")[-1].strip() == b"chunked"  # the last coding
            self._state = _CHUNK_LINE if chunked else _LOST
        elif length is None or not length.isdigit():
            self._state = _LOST
        else:
            self._left = int(length)  # a zero length: `read` ends it at once
            self._state = _BODY

    def _start_chunk(self, line: bytes) -> None:
        size = line.partition(b";")[0].strip()
        try:
            self._left = int(size, 16)
        except ValueError:
            self._state = _LOST
            return
        if self._left == 0:
            self._state = _TRAILER
        else:
            self._left += 2  # the CRLF after the chunk's data
            self._state = _CHUNK
