"""Contains all the data models used in inputs/outputs"""

from .block_config import BlockConfig
from .block_kind import BlockKind
from .error_detail import ErrorDetail
from .error_details import ErrorDetails
from .error_response import ErrorResponse
from .experiment_run_list_response import ExperimentRunListResponse
from .experiment_run_status import ExperimentRunStatus
from .experiment_run_summary import ExperimentRunSummary
from .http_validation_error import HTTPValidationError
from .n_consensus import NConsensus
from .validation_error import ValidationError

__all__ = (
    "BlockConfig",
    "BlockKind",
    "ErrorDetail",
    "ErrorDetails",
    "ErrorResponse",
    "ExperimentRunListResponse",
    "ExperimentRunStatus",
    "ExperimentRunSummary",
    "HTTPValidationError",
    "NConsensus",
    "ValidationError",
)
