from typing import Literal

ListWorkflowExperimentsOrder = Literal["asc", "desc"]

LIST_WORKFLOW_EXPERIMENTS_ORDER_VALUES: set[ListWorkflowExperimentsOrder] = {
    "asc",
    "desc",
}


def check_list_workflow_experiments_order(value: str) -> ListWorkflowExperimentsOrder:
    if value in LIST_WORKFLOW_EXPERIMENTS_ORDER_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_WORKFLOW_EXPERIMENTS_ORDER_VALUES!r}"
    )
