"""The fake server's routes, from the spec: every operation the generated package declares.

A request is matched against each operation's method and path template
(`/v1/workflows/{workflow_id}/...`), the most literal template first (so
`/experiments/runs` is never the experiment "runs"); path parameters come
back decoded. A
path no operation has is a 404, a known path with another method a 405 (with
`Allow`), and what the fake does for a matched operation is `_state`'s
business (501 for one it does not implement).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import attrs

from _retab_runs_generated.operations import OPERATIONS
from _retab_runs_runtime import Operation

__all__ = ["Match", "Router"]


@attrs.frozen
class Match:
    """What a request path matched: an operation and its path arguments, or only other methods."""

    operation: Operation[Any] | None
    path_args: dict[str, str]
    allowed: tuple[str, ...]


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"{([^}]+)}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


class Router:
    """Matches a method and a raw (still percent-encoded) path to an operation of the spec."""

    def __init__(self, operations: tuple[Operation[Any], ...] = OPERATIONS) -> None:
        # Literal paths first: `/experiments/runs` is not the experiment "runs".
        ordered = sorted(operations, key=lambda op: op.path.count("{"))
        self._routes = [(_pattern(op.path), op) for op in ordered]

    def match(self, method: str, raw_path: str) -> Match | None:
        """None when no operation has this path."""
        allowed: list[str] = []
        matched: str | None = None  # the most literal path template the path fits
        for pattern, operation in self._routes:
            if matched is not None and operation.path != matched:
                continue
            found = pattern.fullmatch(raw_path)
            if found is None:
                continue
            matched = operation.path
            if operation.http_method == method:
                args = {name: unquote(value) for name, value in found.groupdict().items()}
                return Match(operation, args, ())
            allowed.append(operation.http_method)
        return Match(None, {}, tuple(dict.fromkeys(allowed))) if allowed else None
