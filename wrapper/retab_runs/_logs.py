"""The `retab_runs` logger, its RETAB_LOG switch, and the filter that keeps secrets out of logs.

`RETAB_LOG=info` (each retry) or `RETAB_LOG=debug` (also each successful
request: path, status, time, request id) sends the `retab_runs` logger to
stderr without any logging setup in the application, as `OPENAI_LOG` does.
Messages carry ids and paths, never the key or the access token.

The libraries a request passes through log it too, once an application
turns DEBUG on: httpx each URL (with an access token, the secret is in its
query string), httpcore every response head, headers and all (a server or
proxy that echoes the key in a header puts it there). Every client installs
`MaskSecrets` once per process on those named loggers (`LIBRARY_LOGGERS`);
it only ever masks: while a call of ours is sending, its secrets (in every
form `errors.secret_pattern` knows) are masked in each record those loggers
make, and `access_token=<value>` is masked in any record. The secrets live
in a context variable set around each attempt, so one thread's or task's
secrets never touch another's records, and a record of some other client's
request is left alone (but for an access token in its URL).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator

from ._constants import LOG_ENV
from ._redact import mask

__all__ = [
    "LIBRARY_LOGGERS",
    "MaskSecrets",
    "logger",
    "masking",
    "protect_library_logs",
    "setup_from_env",
]

logger = logging.getLogger("retab_runs")

# Every logger a request passes through. A filter on a logger sees only the
# records made on it (not its children's), hence each one by name; h11
# makes none today, and a filter costs nothing where no record is made.
LIBRARY_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "h11",
    "aiohttp.client",
    "retab_runs",
)

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"'#]+")
_sending: contextvars.ContextVar[tuple[str | None, ...]] = contextvars.ContextVar(
    "retab_runs_sending_secrets", default=()
)
_install = threading.Lock()


class MaskSecrets(logging.Filter):
    """Masks the sending call's secrets, and any `access_token=...`, in a record's message.

    Never drops a record; a record with nothing to mask is left as it was.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, not ours
            return True
        masked = mask(message, _sending.get())
        if "access_token=" in masked:
            masked = _TOKEN_IN_URL.sub(r"\1***", masked)
        if masked != message:
            record.msg, record.args = masked, None
        return True


@contextlib.contextmanager
def masking(secrets: Iterable[str | None]) -> Iterator[None]:
    """Mask `secrets` in the library loggers' records made inside this block (this
    thread or task only)."""
    token = _sending.set(tuple(secrets))
    try:
        yield
    finally:
        _sending.reset(token)


def protect_library_logs() -> None:
    """Install `MaskSecrets` on every logger of `LIBRARY_LOGGERS`, where not there yet."""
    with _install:
        for name in LIBRARY_LOGGERS:
            named = logging.getLogger(name)
            if not any(isinstance(f, MaskSecrets) for f in named.filters):
                named.addFilter(MaskSecrets())


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
