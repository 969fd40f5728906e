from typing import Literal

ListExperimentResultsOrder = Literal["asc", "desc"]

LIST_EXPERIMENT_RESULTS_ORDER_VALUES: set[ListExperimentResultsOrder] = {
    "asc",
    "desc",
}


def check_list_experiment_results_order(value: str) -> ListExperimentResultsOrder:
    if value in LIST_EXPERIMENT_RESULTS_ORDER_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_EXPERIMENT_RESULTS_ORDER_VALUES!r}"
    )
