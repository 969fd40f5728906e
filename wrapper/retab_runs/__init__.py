"""retab-runs: a typed client for Retab's List Experiment Runs endpoint.

    from retab_runs import Retab

    with Retab() as client:                  # key from RETAB_API_KEY
        for run in client.list_runs("wf_abc123", "exp_abc"):
            print(run.id, run.status, run.score)

Every model the spec defines is re-exported here (and in `retab_runs.models`),
taken from the generated package as it is, so a spec change that adds,
renames or removes a model needs no edit here. The public surface is exactly
`__all__`: the hand-written names below, then the models
(tests/test_exported_members.py pins both).
"""

import typing as _typing

from _retab_runs_generated import models as _models
from _retab_runs_generated.models import *  # noqa: F403 (every model, as generated)

from ._client import NOT_GIVEN, AsyncRetab, Retab
from ._compare import DocumentComparison, RunComparison, compare_runs
from ._http._clients import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._logs import setup_from_env as _setup_logging_from_env
from ._response import AsyncPage, PagedList, RawResponse, RunList, SyncPage
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
    EventLoopError,
    InternalServerError,
    MissingCredentialsError,
    MissingDependencyError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    RetabError,
    UnknownColumnError,
    UnprocessableEntityError,
    WaitTimeoutError,
)

if _typing.TYPE_CHECKING:
    from ._http._aiohttp import AioHttpClient

_setup_logging_from_env()


def __getattr__(name: str) -> _typing.Any:
    # AioHttpClient needs the `aiohttp` extra: imported when asked for, so
    # `import retab_runs` never imports aiohttp.
    if name == "AioHttpClient":
        from ._http._aiohttp import AioHttpClient  # noqa: PLC0415

        return AioHttpClient
    raise AttributeError(f"module 'retab_runs' has no attribute {name!r}")


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AioHttpClient",
    "AsyncPage",
    "AsyncRetab",
    "AuthenticationError",
    "BadRequestError",
    "CertificateVerificationError",
    "ClientClosedError",
    "ConfigurationError",
    "ConfigurationTypeError",
    "ConflictError",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "DocumentComparison",
    "EventLoopError",
    "InternalServerError",
    "MissingCredentialsError",
    "MissingDependencyError",
    "NotFoundError",
    "PagedList",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "Retab",
    "RetabError",
    "RunComparison",
    "RunList",
    "SyncPage",
    "UnknownColumnError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
    "compare_runs",
]
__all__ += _models.__all__
