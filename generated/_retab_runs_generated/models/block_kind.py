from typing import Literal

BlockKind = Literal["classifier", "extract", "for_each", "split"]

BLOCK_KIND_VALUES: set[BlockKind] = {
    "classifier",
    "extract",
    "for_each",
    "split",
}


def check_block_kind(value: str) -> BlockKind:
    if value in BLOCK_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BLOCK_KIND_VALUES!r}"
    )
