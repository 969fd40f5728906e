from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.experiment_run_list_response import ExperimentRunListResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: str,
    experiment_id: str,
    *,
    access_token: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_access_token: None | str | Unset
    if isinstance(access_token, Unset):
        json_access_token = UNSET
    else:
        json_access_token = access_token
    params["access_token"] = json_access_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/workflows/{workflow_id}/experiments/{experiment_id}/runs".format(
            workflow_id=quote(str(workflow_id), safe=""),
            experiment_id=quote(str(experiment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ExperimentRunListResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ExperimentRunListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ExperimentRunListResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: str,
    experiment_id: str,
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> Response[ErrorResponse | ExperimentRunListResponse | HTTPValidationError]:
    """List Experiment Runs

     Every run of the experiment, newest first. The whole history comes back in one response: there is no
    page, cursor or limit.

    Args:
        workflow_id (str):
        experiment_id (str):
        access_token (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExperimentRunListResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        experiment_id=experiment_id,
        access_token=access_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: str,
    experiment_id: str,
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> ErrorResponse | ExperimentRunListResponse | HTTPValidationError | None:
    """List Experiment Runs

     Every run of the experiment, newest first. The whole history comes back in one response: there is no
    page, cursor or limit.

    Args:
        workflow_id (str):
        experiment_id (str):
        access_token (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExperimentRunListResponse | HTTPValidationError
    """

    return sync_detailed(
        workflow_id=workflow_id,
        experiment_id=experiment_id,
        client=client,
        access_token=access_token,
    ).parsed


async def asyncio_detailed(
    workflow_id: str,
    experiment_id: str,
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> Response[ErrorResponse | ExperimentRunListResponse | HTTPValidationError]:
    """List Experiment Runs

     Every run of the experiment, newest first. The whole history comes back in one response: there is no
    page, cursor or limit.

    Args:
        workflow_id (str):
        experiment_id (str):
        access_token (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExperimentRunListResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        experiment_id=experiment_id,
        access_token=access_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: str,
    experiment_id: str,
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> ErrorResponse | ExperimentRunListResponse | HTTPValidationError | None:
    """List Experiment Runs

     Every run of the experiment, newest first. The whole history comes back in one response: there is no
    page, cursor or limit.

    Args:
        workflow_id (str):
        experiment_id (str):
        access_token (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExperimentRunListResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            experiment_id=experiment_id,
            client=client,
            access_token=access_token,
        )
    ).parsed
