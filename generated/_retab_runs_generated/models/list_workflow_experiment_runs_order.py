from typing import Literal

ListWorkflowExperimentRunsOrder = Literal["asc", "desc"]

LIST_WORKFLOW_EXPERIMENT_RUNS_ORDER_VALUES: set[ListWorkflowExperimentRunsOrder] = {
    "asc",
    "desc",
}


def check_list_workflow_experiment_runs_order(
    value: str,
) -> ListWorkflowExperimentRunsOrder:
    if value in LIST_WORKFLOW_EXPERIMENT_RUNS_ORDER_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_WORKFLOW_EXPERIMENT_RUNS_ORDER_VALUES!r}"
    )
