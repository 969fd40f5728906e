"""The `retab-runs` command (also `python -m retab_runs`).

    retab-runs list WORKFLOW_ID EXPERIMENT_ID [--format table|json|csv] [--columns a,b]
                    [--base-url URL]
    retab-runs demo [--format table|json|csv] [--columns a,b]

Credentials come from the environment (RETAB_API_KEY, RETAB_API_BASE_URL), as
for the library. Errors print one line on stderr, never a traceback, and exit
with a code a script can branch on:

    0 success   2 usage   3 credentials or authentication
    4 not found   5 any other API error (connection, server, bad response)
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

from _retab_runs_generated.models import ExperimentRunSummary
from _retab_runs_generated.types import Unset

from . import __version__
from ._client import Retab
from .errors import (
    APIError,
    AuthenticationError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
)

EXIT_OK, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_API = 0, 2, 3, 4, 5

# The spec's fields in its order (derived from the generated model); unknown
# fields follow, sorted.
FIELDS = list(ExperimentRunSummary.FIELDS)
# The table's default columns: a curated few; `--columns` picks any field.
TABLE_COLUMNS = [
    "id",
    "status",
    "score",
    "document_count",
    "error_count",
    "created_at",
    "duration_ms",
]
HEADERS = {
    "document_count": "DOCUMENTS",
    "error_count": "ERRORS",
    "created_at": "CREATED",
    "duration_ms": "DURATION",
}


def _duration(ms: int | None) -> str:
    if ms is None:
        return "-"
    seconds = ms // 1000
    if seconds < 60:
        return f"{ms / 1000:.1f}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _when(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _cell(name: str, value: Any) -> str:
    if value is None or isinstance(value, Unset):
        return "-"
    if name == "duration_ms" and isinstance(value, int):
        return _duration(value)
    if name == "score" and isinstance(value, float | int):
        return f"{value:.2f}"
    if isinstance(value, datetime.datetime):
        return _when(value)
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


def _value(run: ExperimentRunSummary, name: str) -> Any:
    try:
        return run[name]
    except KeyError:
        return None


def format_table(runs: Sequence[ExperimentRunSummary], columns: Sequence[str] | None = None) -> str:
    """An aligned, human-readable table: newest run first, as served.

    `columns` are JSON field names (spec or unknown); by default a curated
    few of the spec's fields.
    """
    names = list(columns) if columns else [c for c in TABLE_COLUMNS if c in FIELDS]
    header = [HEADERS.get(name, name.upper()) for name in names]
    rows = [[_cell(name, _value(run, name)) for name in names] for run in runs]
    numeric = {
        i
        for i, name in enumerate(names)
        if (rows and all(_is_number(_value(run, name)) for run in runs)) or name == "duration_ms"
    }
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    if not rows:
        lines.append("(no runs)")
    return "\n".join(lines) + "\n"


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def format_json(runs: Sequence[ExperimentRunSummary]) -> str:
    """`{"runs": [...]}`: every spec field in spec order, then unknown ones as sent."""
    return json.dumps({"runs": [run.to_dict() for run in runs]}, indent=2) + "\n"


def format_csv(runs: Sequence[ExperimentRunSummary]) -> str:
    """One row per run; objects (block_config) as JSON text; unknown fields as extra columns."""
    dicts = [run.to_dict() for run in runs]
    extra = sorted({key for d in dicts for key in d} - set(FIELDS))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS + extra, lineterminator="\n")
    writer.writeheader()
    for d in dicts:
        writer.writerow(
            {
                key: json.dumps(value) if isinstance(value, dict | list) else value
                for key, value in d.items()
            }
        )
    return out.getvalue()


FORMATS = {"table": format_table, "json": format_json, "csv": format_csv}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retab-runs",
        description="List the runs of a Retab workflow experiment, newest first.",
        epilog="Credentials: RETAB_API_KEY (and RETAB_API_BASE_URL) from the environment.",
    )
    parser.add_argument("--version", action="version", version=f"retab-runs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list an experiment's runs")
    listing.add_argument("workflow_id")
    listing.add_argument("experiment_id")
    listing.add_argument("--base-url", help="default: RETAB_API_BASE_URL, else api.retab.com")
    listing.add_argument(
        "--api-key",
        help="discouraged: it lands in shell history; prefer RETAB_API_KEY",
    )

    demo = commands.add_parser("demo", help="list sample runs from a built-in fake Retab server")
    for sub in (listing, demo):
        sub.add_argument("--format", choices=sorted(FORMATS), default="table")
        sub.add_argument("--timeout", type=float, default=None, help="seconds per attempt")
        sub.add_argument(
            "--columns",
            type=_columns,
            default=None,
            help="table columns, comma-separated JSON field names "
            f"(default: {','.join(TABLE_COLUMNS)}; any of: {','.join(FIELDS)}, "
            "or an unknown field)",
        )
    return parser


def _columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected comma-separated field names")
    return names


def _render(args: argparse.Namespace, runs: Sequence[ExperimentRunSummary]) -> str:
    if args.format == "table":
        return format_table(runs, args.columns)
    return FORMATS[args.format](runs)


def _fail(message: str, code: int) -> int:
    print(f"retab-runs: error: {message}", file=sys.stderr)
    return code


def _list(args: argparse.Namespace) -> int:
    if args.api_key is not None:
        print(
            "retab-runs: warning: --api-key is visible in shell history and process lists; "
            "prefer the RETAB_API_KEY environment variable",
            file=sys.stderr,
        )
    with Retab(args.api_key, base_url=args.base_url, timeout=args.timeout) as client:
        runs = client.list_runs(args.workflow_id, args.experiment_id)
    sys.stdout.write(_render(args, runs))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from .testing import FakeRetabServer  # noqa: PLC0415  (only the demo needs it)

    with FakeRetabServer(sample=True) as server, server.client(timeout=args.timeout) as client:
        if args.format != "table":
            runs: list[Any] = client.list_runs("wf_demo", "exp_invoices")
            sys.stdout.write(_render(args, runs))
            return EXIT_OK
        print(f"Fake Retab server at {server.url} (sample data, real HTTP)\n")
        for experiment in ("exp_invoices", "exp_contracts"):
            runs = client.list_runs("wf_demo", experiment)
            print(f"Runs of wf_demo / {experiment}, newest first:")
            sys.stdout.write(format_table(runs, args.columns))
            print()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 (one exit per error kind)
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _demo(args) if args.command == "demo" else _list(args)
    except (MissingCredentialsError, AuthenticationError, PermissionDeniedError) as exc:
        return _fail(str(exc), EXIT_AUTH)
    except NotFoundError as exc:
        return _fail(str(exc), EXIT_NOT_FOUND)
    except APIError as exc:
        suffix = f" (request id {exc.request_id})" if exc.request_id else ""
        return _fail(f"{exc}{suffix}", EXIT_API)
    except (ValueError, TypeError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
