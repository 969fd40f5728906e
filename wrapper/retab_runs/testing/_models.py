"""The fake server's records, answers and queued faults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["MASK", "Answer", "Fault", "Malformation", "RecordedRequest"]

MASK = "***"
Malformation = Literal["not_json", "truncated", "wrong_type", "missing_field", "empty"]


@attrs.frozen
class RecordedRequest:
    """One request the server received. Secrets (Api-Key, access_token) are masked.

    `body` is the decoded JSON body (None when there was none, or it was not JSON).
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None


@attrs.frozen
class Answer:
    """What the fake answers to one operation: a status and a JSON body."""

    status: int
    body: bytes


@attrs.frozen
class Fault:
    """What the fake does to one request instead of (or on top of) answering it."""

    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    malformed: Malformation | None = None
    drop_after: int | None = None  # bytes of the response sent before the connection drops
    answered: bool = False  # with drop_after: the operation is carried out, its answer lost
    drip: tuple[int, float] | None = None  # (bytes per write, seconds between writes)
