from typing import Literal

ListWorkflowExperimentRunsSortBy = Literal["created_at"]

LIST_WORKFLOW_EXPERIMENT_RUNS_SORT_BY_VALUES: set[ListWorkflowExperimentRunsSortBy] = {
    "created_at",
}


def check_list_workflow_experiment_runs_sort_by(
    value: str,
) -> ListWorkflowExperimentRunsSortBy:
    if value in LIST_WORKFLOW_EXPERIMENT_RUNS_SORT_BY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_WORKFLOW_EXPERIMENT_RUNS_SORT_BY_VALUES!r}"
    )
