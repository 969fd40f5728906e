"""The `retab_runs` logger, and a filter keeping the access token out of httpx's logs.

httpx logs every request URL at INFO on the `httpx` logger; with an access
token that URL carries the secret in its query string. Clients built with an
access token install `RedactAccessToken` on that logger (once per process),
which rewrites `access_token=<value>` to `access_token=***` in those records.
"""

from __future__ import annotations

import logging
import re

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
