"""Validation against the spec's schemas, unit by unit: the JSON Schema the spec means
(int formats as bounds, discriminators as rules), the path and reason of a refusal, and
the type descriptions that keep values out of messages."""

from __future__ import annotations

from typing import Any

import pytest

from _retab_runs_generated.models import ExperimentRun, ExperimentRunSummary
from _retab_runs_runtime import SchemaCheck, SchemaError, components, describe
from _retab_runs_runtime._schema import _is_datetime, _path, _prepared

PACKAGE = "_retab_runs_generated"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "null"),
        (True, "a boolean"),
        (False, "a boolean"),
        (0, "an integer"),
        (2**70, "an integer"),
        (0.5, "a number"),
        ("", "a string of 0 characters"),
        ("secret", "a string of 6 characters"),
        ([], "an array of 0 items"),
        ([1, [2]], "an array of 2 items"),
        ({}, "an object"),
        ({"k": "v"}, "an object"),
        (b"x", "a bytes"),
    ],
)
def test_describe_names_the_json_type_never_the_value(value: Any, said: str) -> None:
    assert describe(value) == said


def test_a_schema_error_names_path_rule_and_type() -> None:
    error = SchemaError("runs[3].score", "maximum", 7)
    assert (error.path, error.expected) == ("runs[3].score", "maximum")
    assert error.reason == "expected maximum, got an integer"
    assert str(error) == "runs[3].score: expected maximum, got an integer"
    assert isinstance(error, ValueError)


def test_a_schema_error_with_a_reason_adds_the_type_except_for_a_missing_field() -> None:
    error = SchemaError("runs[0].id", "type", 5, "5 is not of type string")
    assert error.reason == "5 is not of type string (got an integer)"
    missing = SchemaError("runs[0].id", "required", {}, "required field is missing")
    assert missing.reason == "required field is missing"
    assert (
        str(SchemaError("", "type", [])) == "response body: expected type, got an array of 0 items"
    )


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ([], ""),
        (["runs"], "runs"),
        (["runs", 3], "runs[3]"),
        (["runs", 3, "lifecycle", "finished_at"], "runs[3].lifecycle.finished_at"),
        ([0, "a"], "[0].a"),
        ([0, 1], "[0][1]"),
    ],
)
def test_paths_read_as_python_would_index_them(parts: list[str | int], path: str) -> None:
    assert _path(parts) == path


@pytest.mark.parametrize(
    ("fmt", "low", "high"),
    [("int32", -(2**31), 2**31 - 1), ("int64", -(2**63), 2**63 - 1)],
)
def test_integer_formats_become_bounds_that_keep_tighter_ones(
    fmt: str, low: int, high: int
) -> None:
    assert _prepared({"type": "integer", "format": fmt}) == {
        "type": "integer",
        "format": fmt,
        "minimum": low,
        "maximum": high,
    }
    tighter = _prepared({"type": "integer", "format": fmt, "minimum": 0, "maximum": 10})
    assert (tighter["minimum"], tighter["maximum"]) == (0, 10)
    looser = _prepared({"type": "integer", "format": fmt, "minimum": low - 1, "maximum": high + 1})
    assert (looser["minimum"], looser["maximum"]) == (low, high)
    assert _prepared({"type": "integer", "format": "uint8"}) == {
        "type": "integer",
        "format": "uint8",
    }


def test_bounds_reach_schemas_nested_in_lists_and_objects_without_changing_the_input() -> None:
    schema = {"anyOf": [{"type": "array", "items": {"type": "integer", "format": "int32"}}]}
    prepared = _prepared(schema)
    assert prepared["anyOf"][0]["items"]["maximum"] == 2**31 - 1
    assert "maximum" not in schema["anyOf"][0]["items"]  # the spec's own dicts are untouched


def test_a_discriminator_mapping_becomes_rules_the_mapped_variant_must_pass() -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "allOf": [{"required": ["kind"]}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"a": "#/components/schemas/A", "b": "B"},
        },
    }
    prepared = _prepared(schema)
    assert prepared["allOf"] == [
        {"required": ["kind"]},
        {
            "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
            "then": {"$ref": "#/components/schemas/A"},
        },
        {
            "if": {"properties": {"kind": {"const": "b"}}, "required": ["kind"]},
            "then": {"$ref": "#/components/schemas/B"},
        },
    ]
    unmapped = {"oneOf": [], "discriminator": {"propertyName": "kind"}}
    assert _prepared(unmapped) == unmapped


def test_a_deep_schema_is_prepared_without_recursion() -> None:
    schema: dict[str, Any] = {"type": "integer", "format": "int32"}
    for _ in range(5000):
        schema = {"items": schema}
    prepared = _prepared(schema)
    for _ in range(5000):
        prepared = prepared["items"]
    assert prepared["maximum"] == 2**31 - 1


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-05-02T11:00:00Z", True),
        ("2026-05-02t11:00:00z", True),
        ("2026-05-02 11:00:00+02:00", True),
        ("2026-05-02T11:00:00", True),
        ("2026-05-02T11:00:00.1234567Z", True),
        ("2026-05-02", False),
        ("2026-05-02T11:00Z", False),
        ("2026-02-30T11:00:00Z", False),
        ("yesterday", False),
        ("", False),
    ],
)
def test_a_date_time_is_what_msgspec_reads_as_one(text: str, ok: bool) -> None:
    assert _is_datetime(text) is ok
    assert SchemaCheck({"type": "string", "format": "date-time"}, PACKAGE).is_valid(text) is ok


def test_components_are_read_once_per_package() -> None:
    first = components(PACKAGE)
    assert "ExperimentRunSummary" in first
    assert components(PACKAGE) is first


def test_a_refusal_names_the_deepest_failing_path_under_the_prefix() -> None:
    run = ExperimentRunSummary.SCHEMA.example()
    check = SchemaCheck(
        {
            "type": "object",
            "properties": {
                "runs": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ExperimentRunSummary"},
                }
            },
        },
        PACKAGE,
    )
    check.validate({"runs": [run]})  # valid: nothing raised
    with pytest.raises(SchemaError) as caught:
        check.validate({"runs": [run, run | {"score": 2}]}, "body")
    assert (caught.value.path, caught.value.expected) == ("body.runs[1].score", "maximum")
    with pytest.raises(SchemaError) as caught:
        check.validate({"runs": [run, run | {"status": 3}]})
    # status is anyOf(enum, string): the branch errors say where it went wrong.
    assert caught.value.path == "runs[1].status"
    missing = {key: value for key, value in run.items() if key != "created_at"}
    with pytest.raises(SchemaError) as caught:
        check.validate([missing], "runs")
    assert caught.value.path == "runs"
    with pytest.raises(SchemaError) as caught:
        check.validate({"runs": [missing]}, "")
    assert (caught.value.path, caught.value.expected) == ("runs[0].created_at", "required")
    assert caught.value.reason == "required field is missing"


def test_a_refusal_inside_a_discriminated_variant_is_reported_at_its_own_path() -> None:
    run = ExperimentRun.SCHEMA.example()
    run["lifecycle"] = {"status": "error", "message": 5}
    with pytest.raises(SchemaError) as caught:
        ExperimentRun.SCHEMA.validate(run)
    assert caught.value.path == "lifecycle.message"


def test_a_value_is_never_quoted_in_a_refusal() -> None:
    run = ExperimentRunSummary.SCHEMA.example() | {"id": {"secret": "sk-live-123"}}
    with pytest.raises(SchemaError) as caught:
        ExperimentRunSummary.SCHEMA.validate(run)
    assert "sk-live" not in str(caught.value)
    assert caught.value.path == "id"


def test_branch_errors_are_searched_to_64_unions_deep() -> None:
    node = {
        "anyOf": [
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/Node"}}, "required": ["a"]},
            {"type": "integer"},
        ]
    }
    check = SchemaCheck({"$ref": "#/$defs/Node", "$defs": {"Node": node}}, PACKAGE)
    for depth, found in ((10, 10), (64, 64), (65, 64), (70, 64)):
        value: Any = "x"
        for _ in range(depth):
            value = {"a": value}
        with pytest.raises(SchemaError) as caught:
            check.validate(value)
        assert caught.value.path == ".".join(["a"] * found), depth


def test_each_package_has_its_own_components(tmp_path: Any, monkeypatch: Any) -> None:
    package = tmp_path / "other_generated"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "schema.json").write_text('{"Other": {"type": "string"}}', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    ours = components(PACKAGE)
    theirs = components("other_generated")
    assert theirs == {"Other": {"type": "string"}}
    assert components(PACKAGE) is ours and "Other" not in ours
    assert components("other_generated") is theirs


def _listing_check() -> SchemaCheck:
    items = {"$ref": "#/components/schemas/ExperimentRunSummary"}
    return SchemaCheck(
        {"type": "object", "properties": {"runs": {"type": "array", "items": items}}}, PACKAGE
    )


def test_of_refusals_as_deep_the_first_is_named() -> None:
    run = ExperimentRunSummary.SCHEMA.example()
    body = {"runs": [run, run | {"score": 2}, run | {"score": 3}]}
    with pytest.raises(SchemaError) as caught:
        _listing_check().validate(body)
    assert caught.value.path == "runs[1].score"


def test_the_search_for_the_deepest_refusal_stops_after_fifty_errors() -> None:
    # 51 shallow errors, then a deeper one: the search is bounded, and still refuses.
    run = ExperimentRunSummary.SCHEMA.example()
    body = {"runs": [1] * 51 + [run | {"score": 2}]}
    with pytest.raises(SchemaError) as caught:
        _listing_check().validate(body)
    assert caught.value.path == "runs[0]"
    with pytest.raises(SchemaError) as caught:
        _listing_check().validate({"runs": [1] * 50 + [run | {"score": 2}]})
    assert caught.value.path == "runs[50].score"
