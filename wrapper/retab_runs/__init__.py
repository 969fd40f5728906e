"""retab-runs: a typed client for Retab's List Experiment Runs endpoint.

    from retab_runs import Retab

    with Retab() as client:                  # key from RETAB_API_KEY
        for run in client.list_runs("wf_abc123", "exp_abc"):
            print(run.id, run.status, run.score)

The most used generated models are re-exported here; `retab_runs.models`
holds every model the spec defines. The public surface is exactly `__all__`
(tests/test_exported_members.py pins it).
"""

import typing as _typing

from _retab_runs_generated.models import (
    BlockConfig,
    BlockKind,
    ExperimentRunListResponse,
    ExperimentRunStatus,
    ExperimentRunSummary,
    NConsensus,
)

from ._client import NOT_GIVEN, AsyncRetab, Retab
from ._logs import setup_from_env as _setup_logging_from_env
from ._response import RawResponse, RunList
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CertificateVerificationError,
    ClientClosedError,
    ConfigurationError,
    ConfigurationTypeError,
    ConflictError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    RetabError,
    UnprocessableEntityError,
    WaitTimeoutError,
)

if _typing.TYPE_CHECKING:
    from ._aiohttp import AioHttpClient

_setup_logging_from_env()


def __getattr__(name: str) -> _typing.Any:
    # AioHttpClient needs the `aiohttp` extra: imported when asked for, so
    # `import retab_runs` never imports aiohttp.
    if name == "AioHttpClient":
        from ._aiohttp import AioHttpClient  # noqa: PLC0415

        return AioHttpClient
    raise AttributeError(f"module 'retab_runs' has no attribute {name!r}")


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AioHttpClient",
    "AsyncRetab",
    "AuthenticationError",
    "BadRequestError",
    "BlockConfig",
    "BlockKind",
    "CertificateVerificationError",
    "ClientClosedError",
    "ConfigurationError",
    "ConfigurationTypeError",
    "ConflictError",
    "ExperimentRunListResponse",
    "ExperimentRunStatus",
    "ExperimentRunSummary",
    "InternalServerError",
    "MissingCredentialsError",
    "NConsensus",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "Retab",
    "RetabError",
    "RunList",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
]
