"""The `retab_runs` logger, its RETAB_LOG switch, and the access-token filter for httpx logs.

`RETAB_LOG=info` (each retry) or `RETAB_LOG=debug` (also each successful
request: path, status, time, request id) sends the `retab_runs` logger to
stderr without any logging setup in the application, as `OPENAI_LOG` does.
Messages carry ids and paths, never the key or the access token.

httpx logs every request URL at INFO on the `httpx` logger; with an access
token that URL carries the secret in its query string. Clients built with an
access token install `RedactAccessToken` on that logger (once per process),
which rewrites `access_token=<value>` to `access_token=***` in those records.
"""

from __future__ import annotations

import logging
import os
import re

from ._constants import LOG_ENV

__all__ = [
    "RedactAccessToken",
    "logger",
    "protect_httpx_logs",
    "setup_from_env",
]

logger = logging.getLogger("retab_runs")

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"'#]+")


class RedactAccessToken(logging.Filter):
    """Masks `access_token=...` in a record's message before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "access_token=" in message:
            record.msg = _TOKEN_IN_URL.sub(r"\1***", message)
            record.args = None
        return True


def protect_httpx_logs() -> None:
    """Install the redacting filter on the `httpx` logger, if not there yet."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactAccessToken) for f in httpx_logger.filters):
        httpx_logger.addFilter(RedactAccessToken())


def setup_from_env() -> None:
    """Honour RETAB_LOG (info or debug): a stderr handler on the `retab_runs` logger, once."""
    level = {"info": logging.INFO, "debug": logging.DEBUG}.get(
        os.environ.get(LOG_ENV, "").strip().lower()
    )
    if level is None or any(getattr(h, "_retab_log", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
    handler._retab_log = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
