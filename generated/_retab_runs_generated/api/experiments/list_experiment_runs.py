from typing import Any
from urllib.parse import quote

from ...types import UNSET, Unset


def build_request_kwargs(
    workflow_id: str,
    experiment_id: str,
    *,
    access_token: None | str | Unset = UNSET,
) -> dict[str, Any]:
    """`method`, `url` (the path, ids percent-encoded) and `params` of list_experiment_runs."""
    params: dict[str, Any] = {}

    json_access_token: None | str | Unset
    if isinstance(access_token, Unset):
        json_access_token = UNSET
    else:
        json_access_token = access_token
    params["access_token"] = json_access_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    return {
        "method": "get",
        "url": "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs".format(
            workflow_id=quote(str(workflow_id), safe=""),
            experiment_id=quote(str(experiment_id), safe=""),
        ),
        "params": params,
    }
