"""Contains all the data models used in inputs/outputs"""

from .artifact import Artifact
from .block_config import BlockConfig
from .block_kind import BlockKind
from .confusion_aggregate import ConfusionAggregate
from .create_experiment_request import CreateExperimentRequest
from .document_capture import DocumentCapture
from .document_provenance import DocumentProvenance
from .document_ref import DocumentRef
from .document_score import DocumentScore
from .error_detail import ErrorDetail
from .error_details import ErrorDetails
from .error_response import ErrorResponse
from .experiment_document import ExperimentDocument
from .experiment_drift import ExperimentDrift
from .experiment_freshness import ExperimentFreshness
from .experiment_result import ExperimentResult
from .experiment_result_page import ExperimentResultPage
from .experiment_run import ExperimentRun
from .experiment_run_cancel_response import ExperimentRunCancelResponse
from .experiment_run_create_request import ExperimentRunCreateRequest
from .experiment_run_list_response import ExperimentRunListResponse
from .experiment_run_page import ExperimentRunPage
from .experiment_run_status import ExperimentRunStatus
from .experiment_run_summary import ExperimentRunSummary
from .experiment_status import ExperimentStatus
from .extract_aggregate import ExtractAggregate
from .file_ref import FileRef
from .flow import Flow
from .free_form import FreeForm
from .freshness import Freshness
from .get_experiment_metrics_view import GetExperimentMetricsView
from .handle_input_file import HandleInputFile
from .handle_input_json import HandleInputJson
from .handle_input_other import HandleInputOther
from .handle_inputs import HandleInputs
from .http_validation_error import HTTPValidationError
from .lifecycle_cancelled import LifecycleCancelled
from .lifecycle_completed import LifecycleCompleted
from .lifecycle_error import LifecycleError
from .lifecycle_other import LifecycleOther
from .lifecycle_pending import LifecyclePending
from .lifecycle_queued import LifecycleQueued
from .lifecycle_running import LifecycleRunning
from .lifecycle_status import LifecycleStatus
from .list_experiment_results_order import ListExperimentResultsOrder
from .list_metadata import ListMetadata
from .list_workflow_experiment_runs_order import ListWorkflowExperimentRunsOrder
from .list_workflow_experiment_runs_sort_by import ListWorkflowExperimentRunsSortBy
from .list_workflow_experiments_order import ListWorkflowExperimentsOrder
from .metrics_by_document import MetricsByDocument
from .metrics_by_target import MetricsByTarget
from .metrics_other import MetricsOther
from .metrics_summary import MetricsSummary
from .metrics_votes import MetricsVotes
from .n_consensus import NConsensus
from .no_metrics import NoMetrics
from .run_timing import RunTiming
from .run_trigger import RunTrigger
from .scores import Scores
from .stale_metrics import StaleMetrics
from .stale_run import StaleRun
from .target_confusion import TargetConfusion
from .target_document import TargetDocument
from .target_score import TargetScore
from .update_experiment_request import UpdateExperimentRequest
from .validation_error import ValidationError
from .vote_row import VoteRow
from .workflow_experiment import WorkflowExperiment
from .workflow_experiment_page import WorkflowExperimentPage

__all__ = (
    "Artifact",
    "BlockConfig",
    "BlockKind",
    "ConfusionAggregate",
    "CreateExperimentRequest",
    "DocumentCapture",
    "DocumentProvenance",
    "DocumentRef",
    "DocumentScore",
    "ErrorDetail",
    "ErrorDetails",
    "ErrorResponse",
    "ExperimentDocument",
    "ExperimentDrift",
    "ExperimentFreshness",
    "ExperimentResult",
    "ExperimentResultPage",
    "ExperimentRun",
    "ExperimentRunCancelResponse",
    "ExperimentRunCreateRequest",
    "ExperimentRunListResponse",
    "ExperimentRunPage",
    "ExperimentRunStatus",
    "ExperimentRunSummary",
    "ExperimentStatus",
    "ExtractAggregate",
    "FileRef",
    "Flow",
    "FreeForm",
    "Freshness",
    "GetExperimentMetricsView",
    "HandleInputFile",
    "HandleInputJson",
    "HandleInputOther",
    "HandleInputs",
    "HTTPValidationError",
    "LifecycleCancelled",
    "LifecycleCompleted",
    "LifecycleError",
    "LifecycleOther",
    "LifecyclePending",
    "LifecycleQueued",
    "LifecycleRunning",
    "LifecycleStatus",
    "ListExperimentResultsOrder",
    "ListMetadata",
    "ListWorkflowExperimentRunsOrder",
    "ListWorkflowExperimentRunsSortBy",
    "ListWorkflowExperimentsOrder",
    "MetricsByDocument",
    "MetricsByTarget",
    "MetricsOther",
    "MetricsSummary",
    "MetricsVotes",
    "NConsensus",
    "NoMetrics",
    "RunTiming",
    "RunTrigger",
    "Scores",
    "StaleMetrics",
    "StaleRun",
    "TargetConfusion",
    "TargetDocument",
    "TargetScore",
    "UpdateExperimentRequest",
    "ValidationError",
    "VoteRow",
    "WorkflowExperiment",
    "WorkflowExperimentPage",
)
