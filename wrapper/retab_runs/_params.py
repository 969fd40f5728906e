"""A call's parameters as they go on the wire, each checked against its spec schema first.

Every parameter an operation declares (`Param`: path, query, header or a
body member) carries its schema; a value is turned into its JSON form
(datetimes as ISO 8601 with a `T`, dates as `YYYY-MM-DD`, models as dicts)
and checked against that schema before anything is sent, so a wrong type
or a value out of range is a ConfigurationError naming the argument, not a
422 from the server. Path values are then percent-encoded into their own
segment (`Operation.path_for`), query values spelled as Retab reads them
(`true`/`false`, repeated names for arrays).
"""

from __future__ import annotations

import datetime
from typing import Any

from _retab_runs_runtime import Model, Param, SchemaCheck, SchemaError

from . import _config
from .errors import ConfigurationError, ConfigurationTypeError

__all__ = ["json_value", "path_value", "query_value", "text_value"]

_PACKAGE = "_retab_runs_generated"
# One compiled check per declared parameter, built on first use. Keyed by
# identity (a Param's schema is a dict: not hashable), holding the Param
# itself so an id is never reused by another while its entry exists.
_CHECKS: dict[int, tuple[Param, SchemaCheck]] = {}
_KINDS = {"integer": "an int", "number": "a number"}


def json_value(value: object) -> object:
    """A Python argument as JSON data: models as dicts, datetimes and dates in ISO 8601."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def check(param: Param, value: object) -> object:
    """`value` as JSON data, refused unless the parameter's schema accepts it."""
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        raise ConfigurationError(
            f"{param.python_name} must be a timezone-aware datetime "
            "(datetime.now(datetime.UTC), not datetime.now())"
        )
    data = json_value(value)
    cached = _CHECKS.get(id(param))
    if cached is None or cached[0] is not param:
        cached = _CHECKS[id(param)] = (param, SchemaCheck(dict(param.schema), _PACKAGE))
    schema_check = cached[1]
    try:
        schema_check.validate(data)  # the message names the parameter itself
    except SchemaError as exc:
        error = ConfigurationTypeError if exc.expected == "type" else ConfigurationError
        raise error(f"{param.python_name} is not a value the spec accepts: {exc.reason}") from None
    return data


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def path_value(param: Param, value: object) -> str:
    """A path parameter's text (an id is checked as ids are: not empty, not `.`/`..`)."""
    if isinstance(value, str):
        _config.check_id(param.python_name, value)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        kind = _KINDS.get(str(param.schema.get("type")), "a str")
        raise ConfigurationTypeError(
            f"{param.python_name} must be {kind}, not {type(value).__name__}"
        )
    return _scalar(check(param, value))


def query_value(param: Param, value: object) -> str | list[str]:
    """A query value as sent: booleans as JSON spells them, an array as repeated values."""
    data: Any = check(param, value)
    if isinstance(data, list):
        return [_scalar(item) for item in data]
    return _scalar(data)


def text_value(param: Param, value: object) -> str:
    """A header parameter's text."""
    return _scalar(check(param, value))
