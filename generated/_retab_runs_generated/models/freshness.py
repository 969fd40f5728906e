from typing import Literal

Freshness = Literal["fresh", "stale", "unknown"]

FRESHNESS_VALUES: set[Freshness] = {
    "fresh",
    "stale",
    "unknown",
}


def check_freshness(value: str) -> Freshness:
    if value in FRESHNESS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FRESHNESS_VALUES!r}")
