from typing import Literal

ExperimentStatus = Literal["cancelled", "completed", "draft", "failed", "processing"]

EXPERIMENT_STATUS_VALUES: set[ExperimentStatus] = {
    "cancelled",
    "completed",
    "draft",
    "failed",
    "processing",
}


def check_experiment_status(value: str) -> ExperimentStatus:
    if value in EXPERIMENT_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EXPERIMENT_STATUS_VALUES!r}"
    )
