from typing import Literal

NConsensus = Literal[3, 5, 7]

N_CONSENSUS_VALUES: set[NConsensus] = {
    3,
    5,
    7,
}


def check_n_consensus(value: int) -> NConsensus:
    if value in N_CONSENSUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {N_CONSENSUS_VALUES!r}"
    )
