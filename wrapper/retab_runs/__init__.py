"""retab-runs: a typed client for Retab's List Experiment Runs endpoint.

    from retab_runs import Retab

    with Retab() as client:                  # key from RETAB_API_KEY
        for run in client.list_runs("wf_abc123", "exp_abc"):
            print(run.id, run.status, run.score)

The models are the generated ones (`retab_api_client.models`), re-exported.
"""

from retab_api_client.models import (
    BlockConfig,
    BlockKind,
    ExperimentRunListResponse,
    ExperimentRunStatus,
    ExperimentRunSummary,
    NConsensus,
)

from ._client import AsyncRetab, Retab
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetabError,
    UnprocessableEntityError,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncRetab",
    "AuthenticationError",
    "BadRequestError",
    "BlockConfig",
    "BlockKind",
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
    "ResponseValidationError",
    "Retab",
    "RetabError",
    "UnprocessableEntityError",
    "__version__",
]
