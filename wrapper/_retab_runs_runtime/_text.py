"""Server text made safe to show: on a terminal, in a CSV file, in HTML.

A server's strings (field values, unknown member names) may hold control
characters, escape sequences, bidi overrides and line separators, which
could clear a screen, retitle a window, forge a row or reorder a line. Every
surface that shows them (the CLI, the notebook tables) writes those
characters escaped instead (`\\u001b`, `\\u202e`, `\\n`), as JSON would.

An unknown member's name becomes a column name (DataFrames, CSV headers)
through `member_column`: as sent when it is plain text, else as a JSON
string in brackets, so a column names one place in the run's JSON (a member
called `lifecycle.status` is `["lifecycle.status"]`, never the spec's nested
`lifecycle.status`), carries no raw control character, and never starts
like a spreadsheet formula.
"""

from __future__ import annotations

import json
import re

__all__ = ["UNSAFE", "column_path", "escape_unsafe", "member_column"]

UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def escape_unsafe(text: str) -> str:
    """`text` with control, bidi and line-separator characters written as JSON escapes."""
    return UNSAFE.sub(lambda m: json.dumps(m.group())[1:-1], text)


# What makes a member name not plain text: a formula's first character, a
# character that means a path or a quote in a column name, an unsafe one.
_NOT_PLAIN = re.compile(rf'^[=+\-@]|[.\[\]"\\]|{UNSAFE.pattern}')


def member_column(key: str) -> str:
    """An unknown member's name as a column name: as sent when plain, else `["..."]`."""
    if key and not _NOT_PLAIN.search(key):
        return key
    return f"[{json.dumps(key)}]"


def column_path(prefix: str, part: str) -> str:
    """A nested column's name: `timing.started_at`, or `timing["a.b"]` for a quoted part."""
    if not prefix or part.startswith("["):
        return prefix + part
    return f"{prefix}.{part}"
