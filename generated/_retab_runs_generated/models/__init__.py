"""Contains all the data models used in inputs/outputs"""

from .block_config import BlockConfig
from .block_kind import BlockKind
from .error_detail import ErrorDetail
from .error_details import ErrorDetails
from .error_response import ErrorResponse
from .experiment_run import ExperimentRun
from .experiment_run_cancel_response import ExperimentRunCancelResponse
from .experiment_run_create_request import ExperimentRunCreateRequest
from .experiment_run_list_response import ExperimentRunListResponse
from .experiment_run_page import ExperimentRunPage
from .experiment_run_status import ExperimentRunStatus
from .experiment_run_summary import ExperimentRunSummary
from .free_form import FreeForm
from .http_validation_error import HTTPValidationError
from .lifecycle_cancelled import LifecycleCancelled
from .lifecycle_completed import LifecycleCompleted
from .lifecycle_error import LifecycleError
from .lifecycle_other import LifecycleOther
from .lifecycle_pending import LifecyclePending
from .lifecycle_queued import LifecycleQueued
from .lifecycle_running import LifecycleRunning
from .lifecycle_status import LifecycleStatus
from .list_metadata import ListMetadata
from .list_workflow_experiment_runs_order import ListWorkflowExperimentRunsOrder
from .list_workflow_experiment_runs_sort_by import ListWorkflowExperimentRunsSortBy
from .n_consensus import NConsensus
from .run_timing import RunTiming
from .run_trigger import RunTrigger
from .validation_error import ValidationError

__all__ = (
    "BlockConfig",
    "BlockKind",
    "ErrorDetail",
    "ErrorDetails",
    "ErrorResponse",
    "ExperimentRun",
    "ExperimentRunCancelResponse",
    "ExperimentRunCreateRequest",
    "ExperimentRunListResponse",
    "ExperimentRunPage",
    "ExperimentRunStatus",
    "ExperimentRunSummary",
    "FreeForm",
    "HTTPValidationError",
    "LifecycleCancelled",
    "LifecycleCompleted",
    "LifecycleError",
    "LifecycleOther",
    "LifecyclePending",
    "LifecycleQueued",
    "LifecycleRunning",
    "LifecycleStatus",
    "ListMetadata",
    "ListWorkflowExperimentRunsOrder",
    "ListWorkflowExperimentRunsSortBy",
    "NConsensus",
    "RunTiming",
    "RunTrigger",
    "ValidationError",
)
