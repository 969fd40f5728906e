"""Every default of retab-runs, in one place (argument > environment > these)."""

import httpx

__all__ = [
    "AIOHTTP_CHUNK",
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "CLI_MESSAGE_LIMIT",
    "DEFAULT_BASE_URL",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "ERROR_BODY_LIMIT",
    "FRAMING_HEADERS",
    "INITIAL_RETRY_DELAY",
    "KEEPALIVE_EXPIRY",
    "LOG_ENV",
    "MAX_COMPARED_DOCUMENTS",
    "MAX_CONNECTIONS",
    "MAX_ID_LENGTH",
    "MAX_KEEPALIVE_CONNECTIONS",
    "MAX_POLL_INTERVAL",
    "MAX_RESPONSE_HEAD",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "MEMORY_MULTIPLE",
    "MESSAGE_LIMIT",
    "MIN_MAX_RESPONSE_SIZE",
    "POLL_BACKOFF_AFTER",
    "POOL_SLICE",
    "SECRET_HEADERS",
    "TERMINAL_STATUSES",
]

API_KEY_ENV = "RETAB_API_KEY"
BASE_URL_ENV = "RETAB_API_BASE_URL"
LOG_ENV = "RETAB_LOG"

DEFAULT_BASE_URL = "https://api.retab.com"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONCURRENCY = 8

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

# httpx's default pool size, stated: fan-out never runs more requests at once,
# since waiting for a pooled connection degrades badly past it.
MAX_CONNECTIONS = 100
# Idle connections kept for reuse, and for how long (httpx's defaults).
MAX_KEEPALIVE_CONNECTIONS = 20
KEEPALIVE_EXPIRY = 5.0
# The async pool is split into httpcore pools of at most this many
# connections: httpcore's work per request grows with its pool's size
# (_pool_slices).
POOL_SLICE = 10

# wait_for_run: statuses after which a run changes no more (an unknown status
# is not one of them), and how polling paces itself.
TERMINAL_STATUSES = frozenset({"completed", "error", "cancelled"})
DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_POLL_INTERVAL = 2.0
POLL_BACKOFF_AFTER = 60.0
MAX_POLL_INTERVAL = 15.0

# Response bodies (decoded): past this limit a body is refused rather than read.
# Decoding costs up to ~44x a body in memory (a body of `[[[]]],` items: a
# list per 2 bytes; tests/test_memory_bound.py measures the densest shapes and
# asserts at most MEMORY_MULTIPLE), so 40 MiB keeps any body under 2 GiB of
# RSS. 40 MiB holds ~65,000 runs of 630 bytes; a longer history needs a larger
# max_response_size.
# Error bodies are read up to their own limit only.
DEFAULT_MAX_RESPONSE_SIZE = 40 * 2**20
MEMORY_MULTIPLE = 48
# A response head larger than this is not followed by the framing check.
MAX_RESPONSE_HEAD = 64 * 2**10
# How much of a body the aiohttp transport reads at a time.
AIOHTTP_CHUNK = 64 * 2**10
MIN_MAX_RESPONSE_SIZE = 1024
ERROR_BODY_LIMIT = 64 * 2**10

# Headers whose values are credentials: masked like the key wherever text may
# reach a user or a log.
SECRET_HEADERS = frozenset({"api-key", "authorization", "cookie", "proxy-authorization"})

# Headers that say how a message is framed or where it goes: httpx and h11
# write them from the request itself, and a caller's copy would contradict
# them (a chunked body with a length, a length the body does not have).
FRAMING_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "expect",
        "host",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)

# Ids sent in a path (workflow, experiment, run): longer ones are refused
# before sending, as no server route would take them.
MAX_ID_LENGTH = 4096

# `compare_runs` reads at most this many per-document results of a run
# without metrics (the metrics body itself is bounded by the response size).
MAX_COMPARED_DOCUMENTS = 100_000

# Error messages are one line of at most this many characters, whatever the
# server's `detail` holds (the full body stays on `.body`); the command line
# cuts its own one-line messages shorter, for a terminal.
MESSAGE_LIMIT = 500
CLI_MESSAGE_LIMIT = 400
