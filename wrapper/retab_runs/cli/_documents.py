"""Each document of two runs, as the command prints it: a table, CSV, JSON or markdown.

Used by `compare A B` and by the gate's `--max-document-drop`. Server text
(document ids, filenames, statuses) goes through `clean` for a terminal and
through `md` for markdown: a code span (`_gate.code_span`), where it opens
no link, image or HTML tag.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import attrs

from .._documents import DocumentComparison
from ._gate import code_span
from ._output import _csv_value, clean

__all__ = ["DOCUMENT_COLUMNS", "documents_csv", "documents_markdown", "documents_text", "md"]

DOCUMENT_COLUMNS = [field.name for field in attrs.fields(DocumentComparison)]
# The columns a person reads (the rest are in JSON and CSV).
_SHOWN = ("document_id", "filename", "score_a", "score_b", "delta", "status_a", "status_b")
_HEADERS = ("DOCUMENT", "FILENAME", "A", "B", "DELTA", "IN A", "IN B")


def md(text: str, limit: int = 80) -> str:
    """`text` safe in a markdown table cell: one line, cut, as code."""
    return code_span(text, limit, in_table=True)


def _cell(name: str, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:+.2f}" if name == "delta" else f"{value:.2f}"
    return str(value)


def _md_cell(name: str, value: Any) -> str:
    return md(value, 60) if isinstance(value, str) else _cell(name, value)


def _more(documents: Sequence[DocumentComparison], shown: int) -> str:
    more = len(documents) - shown
    return f"… and {more} more documents" if more > 0 else ""


def documents_text(documents: Sequence[DocumentComparison], limit: int) -> str:
    """The `limit` worst documents as an aligned table, and how many more there are."""
    shown = documents[:limit]
    table = [list(_HEADERS)]
    table += [[clean(_cell(name, getattr(d, name)), 40) for name in _SHOWN] for d in shown]
    widths = [max(len(row[i]) for row in table) for i in range(len(_SHOWN))]
    out = io.StringIO()
    for row in table:
        out.write("  ".join(text.ljust(widths[i]) for i, text in enumerate(row)).rstrip() + "\n")
    more = _more(documents, len(shown))
    return out.getvalue() + (more + "\n" if more else "")


def documents_csv(documents: Sequence[DocumentComparison], raw: bool = False) -> str:
    """Every document, one CSV row each (cells guarded against spreadsheet formulas)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DOCUMENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for document in documents:
        row = attrs.asdict(document)
        writer.writerow({key: _csv_value(value, raw) for key, value in row.items()})
    return out.getvalue()


def documents_markdown(documents: Sequence[DocumentComparison], limit: int) -> str:
    """The `limit` worst documents as a GitHub-flavoured table, every server string escaped."""
    shown = documents[:limit]
    lines = [
        "| document | filename | A | B | delta | in A | in B |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        "| " + " | ".join(_md_cell(name, getattr(d, name)) for name in _SHOWN) + " |" for d in shown
    ]
    more = _more(documents, len(shown))
    return "\n".join(lines) + "\n" + (f"\n{md(more, 200)}\n" if more else "")
