from typing import Literal

ExperimentRunStatus = Literal["cancelled", "completed", "error", "pending", "running"]

EXPERIMENT_RUN_STATUS_VALUES: set[ExperimentRunStatus] = {
    "cancelled",
    "completed",
    "error",
    "pending",
    "running",
}


def check_experiment_run_status(value: str) -> ExperimentRunStatus:
    if value in EXPERIMENT_RUN_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EXPERIMENT_RUN_STATUS_VALUES!r}"
    )
