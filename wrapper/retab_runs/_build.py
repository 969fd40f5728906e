"""One call's request, built: its arguments and options checked, its headers, body and policy.

`prepare` turns an operation, the caller's arguments and the per-call
options into a `Prepared`: the httpx request (path parameters in their own
segment, query values spelled as Retab reads them, the key in the header
the operation's `security` names, the caller's headers last, the JSON body
checked against its schema), the attempt's timeout, the retry policy,
whether a retry may resend it, and the secrets every text about it masks.
Nothing is sent here; the pipeline (`_base_client`) sends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from _retab_runs_runtime import NOT_GIVEN, AuthScheme, Operation, RequestOptions, SchemaError

from . import _config, _params
from ._retry import RetryPolicy
from .errors import ConfigurationError, ConfigurationTypeError

__all__ = ["Prepared", "json_body", "prepare"]


@attrs.frozen
class Prepared:
    """One call, checked and built: the request, and what its attempts need."""

    operation: Operation[Any]
    request: httpx.Request
    timeout: httpx.Timeout
    policy: RetryPolicy
    replayable: bool
    secrets: tuple[str | None, ...]


def _auth_headers(scheme: AuthScheme, key: str) -> dict[str, str]:
    """The header carrying the key, as the operation's preferred security scheme says."""
    if scheme.kind == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {scheme.name: key}


def prepare(
    operation: Operation[Any],
    arguments: Mapping[str, object],
    options: RequestOptions,
    *,
    settings: _config.Settings,
    client_headers: Mapping[str, str],
    url_prefix: str,
    http: httpx.Client | httpx.AsyncClient,
) -> Prepared:
    """The call's request and what its attempts need; raises ConfigurationError(s) first.

    `client_headers` are the client's own (user agent, accept, `default_headers`).
    """
    extra_headers: dict[str, str] = _config.check_headers(
        "extra_headers", options.get("extra_headers")
    )
    extra_query = _config.check_query("extra_query", options.get("extra_query"))
    retries = options.get("max_retries")
    given = options.get("timeout")
    timeout = settings.timeout if given is None else _config.to_timeout(given)
    values = dict(arguments)
    if operation.param("access_token") is not None and values.get("access_token") is None:
        # The client's access token is the operation's credential parameter.
        values["access_token"] = settings.access_token
    params: dict[str, str | list[str]] = {}
    key = settings.api_key
    auth = {} if key is None or not operation.auth else _auth_headers(operation.auth[0], key)
    headers = _config.merge_headers(auth, client_headers)
    for param in operation.params:
        value = values.get(param.python_name)
        if param.location == "body":
            continue
        if param.location == "path":
            values[param.python_name] = _params.path_value(param, value)
        elif value is None:
            if param.required:
                raise ConfigurationTypeError(f"{param.python_name} is required, not None")
            if param.name.lower() == "idempotency-key":
                # One key for the call, made here and reused by every retry:
                # a retried create never starts two runs.
                headers[param.name] = f"retab-runs-{uuid.uuid4()}"
        elif param.location == "query":
            params[param.name] = _params.query_value(param, value)
        else:
            text = _params.text_value(param, value)
            headers.update(_config.check_headers(param.python_name, {param.name: text}))
    params.update(extra_query)
    # The caller's headers have the last word: an Idempotency-Key there is the call's key.
    headers = _config.merge_headers(headers, extra_headers)
    body = json_body(operation, values)
    try:
        request = http.build_request(
            operation.http_method,
            # Plain concatenation: the spec's paths are absolute (/v1/...) and
            # a base URL may carry a prefix (https://proxy/retab) that URL
            # joining would drop; one string also means one URL parse.
            url_prefix + operation.path_for(values),
            params=params or None,
            headers=headers,
            json=body,
            timeout=timeout,
        )
    except (httpx.InvalidURL, UnicodeEncodeError):
        raise _config.request_error(operation, values, extra_query, url_prefix) from None
    lowered = {name.lower() for name in headers}
    return Prepared(
        operation=operation,
        request=request,
        timeout=timeout,
        policy=RetryPolicy(
            max_retries=settings.max_retries
            if retries is None
            else _config.check_max_retries(retries)
        ),
        replayable=operation.idempotent or "idempotency-key" in lowered,
        secrets=(
            *settings.secrets,
            *_config.secret_values(extra_headers),
            extra_query.get("access_token"),
            str(values.get("access_token") or "") or None,  # one given to this call
        ),
    )


def json_body(operation: Operation[Any], values: Mapping[str, object]) -> object:
    """The JSON body of an operation that takes one, checked against its schema."""
    model = operation.body
    if model is None:
        return None
    # A member left out is not sent; one given as None is sent as null.
    body = {
        param.name: _params.json_value(values[param.python_name])
        for param in operation.params
        if param.location == "body" and values.get(param.python_name, NOT_GIVEN) is not NOT_GIVEN
    }
    try:
        model.SCHEMA.validate(body, "body")
    except SchemaError as exc:
        raise ConfigurationError(f"{operation.method_name}: {exc}") from None
    return body
