from typing import Literal

GetExperimentMetricsView = Literal["by_document", "by_target", "summary", "votes"]

GET_EXPERIMENT_METRICS_VIEW_VALUES: set[GetExperimentMetricsView] = {
    "by_document",
    "by_target",
    "summary",
    "votes",
}


def check_get_experiment_metrics_view(value: str) -> GetExperimentMetricsView:
    if value in GET_EXPERIMENT_METRICS_VIEW_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_EXPERIMENT_METRICS_VIEW_VALUES!r}"
    )
