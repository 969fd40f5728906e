"""Server text made safe to show: on a terminal, in a CSV file, in HTML.

A server's strings (field values, unknown member names) may hold control
characters, escape sequences, bidi overrides and line separators, which
could clear a screen, retitle a window, forge a row or reorder a line. Every
surface that shows them (the CLI, the notebook tables) writes those
characters escaped instead (`\\u001b`, `\\u202e`, `\\n`), as JSON would.
"""

from __future__ import annotations

import json
import re

__all__ = ["UNSAFE", "escape_unsafe"]

UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def escape_unsafe(text: str) -> str:
    """`text` with control, bidi and line-separator characters written as JSON escapes."""
    return UNSAFE.sub(lambda m: json.dumps(m.group())[1:-1], text)
