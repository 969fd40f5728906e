"""Arguments as they go on the wire, each checked against its parameter's schema first."""

from __future__ import annotations

import datetime

import pytest

from _retab_runs_generated.models import DocumentRef
from _retab_runs_runtime import Param, SchemaCheck
from retab_runs import ConfigurationError, ConfigurationTypeError
from retab_runs._params import check, json_value, path_value, query_value, text_value

UTC = datetime.UTC


def param(schema: dict[str, object], name: str = "arg", location: str = "query") -> Param:
    return Param(name, name, location, required=False, schema=schema)  # type: ignore[arg-type]


def test_json_value_turns_models_moments_and_lists_into_json_data() -> None:
    assert json_value(DocumentRef.from_dict({"id": "d", "filename": None})) == {
        "id": "d",
        "filename": None,
    }
    moment = datetime.datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    assert json_value(moment) == "2026-05-01T12:30:00+00:00"
    assert json_value(datetime.date(2026, 5, 1)) == "2026-05-01"
    assert json_value((moment, [datetime.date(2026, 1, 2)], 3)) == [
        "2026-05-01T12:30:00+00:00",
        ["2026-01-02"],
        3,
    ]
    assert json_value("text") == "text"


def test_a_wrong_type_and_a_wrong_value_are_told_apart() -> None:
    limit = param({"type": "integer", "minimum": 1, "maximum": 100}, "limit")
    with pytest.raises(ConfigurationTypeError) as typed:
        check(limit, "5")
    assert str(typed.value) == (
        'limit is not a value the spec accepts: the value is not of type "integer" '
        "(got a string of 1 characters)"
    )
    with pytest.raises(ConfigurationError) as ranged:
        check(limit, 0)
    assert type(ranged.value) is ConfigurationError
    assert str(ranged.value).startswith("limit is not a value the spec accepts: ")
    assert check(limit, 100) == 100


def test_a_naive_datetime_is_refused_before_its_schema() -> None:
    after = param({"type": "integer"}, "after")
    with pytest.raises(ConfigurationError) as info:
        check(after, datetime.datetime(2026, 1, 1))
    assert type(info.value) is ConfigurationError
    assert str(info.value) == (
        "after must be a timezone-aware datetime (datetime.now(datetime.UTC), not datetime.now())"
    )


def test_each_parameter_is_checked_against_its_own_schema() -> None:
    """Two parameters made one after the other never share a compiled check."""
    for _ in range(20):
        text = param({"type": "string"})
        assert check(text, "x") == "x"
        del text
        number = param({"type": "integer"})
        with pytest.raises(ConfigurationTypeError):
            check(number, "x")
        del number


def test_a_check_cached_for_another_parameter_at_the_same_id_is_not_used() -> None:
    """An id is reused once its Param is gone: the cache holds the Param to tell them apart."""
    from retab_runs import _params

    mine, other = param({"type": "integer"}), param({"type": "string"})
    _params._CHECKS[id(mine)] = (other, SchemaCheck({"type": "string"}, "_retab_runs_generated"))
    try:
        with pytest.raises(ConfigurationTypeError):
            check(mine, "text")  # a string: the other's schema would take it
        assert _params._CHECKS[id(mine)][0] is mine
    finally:
        _params._CHECKS.pop(id(mine), None)


@pytest.mark.parametrize(
    ("schema", "value", "sent"),
    [
        ({"type": "boolean"}, True, "true"),
        ({"type": "boolean"}, False, "false"),
        ({"type": "integer"}, 7, "7"),
        ({"type": "number"}, 0.5, "0.5"),
        ({"type": "string", "format": "date-time"}, datetime.datetime(2026, 5, 1, tzinfo=UTC),
         "2026-05-01T00:00:00+00:00"),
        ({"type": "array", "items": {"type": "boolean"}}, [True, False], ["true", "false"]),
        ({"type": "array", "items": {"type": "integer"}}, (1, 2), ["1", "2"]),
    ],
)  # fmt: skip
def test_query_values_are_spelled_as_retab_reads_them(
    schema: dict[str, object], value: object, sent: object
) -> None:
    assert query_value(param(schema), value) == sent


def test_a_header_value_is_text() -> None:
    assert text_value(param({"type": "boolean"}, "X-Flag", "header"), True) == "true"
    assert text_value(param({"type": "integer"}, "X-Count", "header"), 3) == "3"


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "integer"}, None, "index must be an int, not NoneType"),
        ({"type": "integer"}, True, "index must be an int, not bool"),
        ({"type": "number"}, [1], "index must be a number, not list"),
        ({"type": "string"}, 3.5j, "index must be a str, not complex"),
        ({}, None, "index must be a str, not NoneType"),
    ],
)
def test_a_path_value_of_the_wrong_type_names_the_type_the_spec_wants(
    schema: dict[str, object], value: object, message: str
) -> None:
    with pytest.raises(ConfigurationTypeError) as info:
        path_value(param(schema, "index", "path"), value)
    assert str(info.value) == message


def test_path_values_are_checked_then_sent_as_text() -> None:
    index = param({"type": "integer", "minimum": 0}, "index", "path")
    assert path_value(index, 3) == "3"
    with pytest.raises(ConfigurationError, match="index is not a value the spec accepts"):
        path_value(index, -1)
    ratio = param({"type": "number"}, "ratio", "path")
    assert path_value(ratio, 0.25) == "0.25"
    run_id = param({"type": "string", "minLength": 1}, "run_id", "path")
    assert path_value(run_id, "exprun_1") == "exprun_1"
    with pytest.raises(ConfigurationError, match=r"run_id cannot be '\.\.'"):
        path_value(run_id, "..")
