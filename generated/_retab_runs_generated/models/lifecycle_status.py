from typing import Literal

LifecycleStatus = Literal[
    "cancelled", "completed", "error", "pending", "queued", "running"
]

LIFECYCLE_STATUS_VALUES: set[LifecycleStatus] = {
    "cancelled",
    "completed",
    "error",
    "pending",
    "queued",
    "running",
}


def check_lifecycle_status(value: str) -> LifecycleStatus:
    if value in LIFECYCLE_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIFECYCLE_STATUS_VALUES!r}"
    )
