"""The fast path (msgspec straight into the models) and the slow path (decode, validate,
build) give the same models for every body the fast path accepts, and the fast path
accepts nothing the slow path refuses."""

from __future__ import annotations

import copy
import datetime
import json
import os
import sys
import tracemalloc
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from _retab_runs_generated import models
from _retab_runs_generated.models import (
    ConfusionAggregate,
    ExperimentResult,
    ExperimentRun,
    ExperimentRunListResponse,
    ExperimentRunPage,
    ExtractAggregate,
    FreeForm,
    HandleInputFile,
    HandleInputJson,
    HandleInputOther,
    HandleInputs,
    LifecycleCancelled,
    LifecycleCompleted,
    LifecycleError,
    LifecycleOther,
    MetricsOther,
    MetricsSummary,
    NoMetrics,
    RunTrigger,
)
from _retab_runs_generated.operations import OPERATIONS
from _retab_runs_runtime import ListOf, Model, SchemaError, Variants, fast_decoder
from _retab_runs_runtime._check import Unsupported, check_type
from conftest import int64_as_bounds, load_spec
from retab_runs import ResponseValidationError, Retab
from retab_runs._json import decode_model, stdlib_loads
from retab_runs.testing import json_decoder, sample_run

SPEC = load_spec()
# scripts/mutate runs this file once a mutant (mutmut sets MUTANT_UNDER_TEST):
# a tenth of the examples there keeps a mutation run within minutes.
EXAMPLES = 0.1 if os.environ.get("MUTANT_UNDER_TEST") else 1.0
COMPONENTS = SPEC["components"]["schemas"]


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out: 1 and 1.0 differ, so do dict and model."""
    if isinstance(value, Model):  # the class itself: a build twin left unclassed differs
        return (type(value), typed(value.to_dict()), typed(_attrs(value)))
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat(), str(value.tzinfo))
    return (type(value).__name__, value)


def _attrs(model: Model) -> list[Any]:
    return [(name, typed(getattr(model, name))) for name in model.FIELDS.values()]


def slow(model: type[Model], body: bytes) -> Any:
    """The slow path's answer: the model, or the SchemaError/ValueError it refuses with."""
    try:
        return model.from_dict(stdlib_loads(body))
    except ValueError as exc:
        return exc


def runs_body(*runs: dict[str, Any]) -> bytes:
    return json.dumps({"runs": list(runs)}).encode()


def a_run(**overrides: Any) -> dict[str, Any]:
    run = json.loads(json.dumps(sample_run("exprun_1")))
    run.update(overrides)
    return run


LIST = ExperimentRunListResponse


def test_a_listing_takes_the_fast_path_and_builds_what_the_slow_path_builds() -> None:
    body = runs_body(a_run(), a_run(block_config={"model": "gpt-5", "deep": [{"a": [1]}]}))
    decoder = fast_decoder(LIST)
    assert decoder is not None
    fast = decoder.decode(body)
    assert fast is not None, "the sample data should not need the slow path"
    assert typed(fast) == typed(slow(LIST, body))
    assert fast.runs[1].block_config["deep"] == [{"a": [1]}]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"surprise": 1}, "a field the spec does not name: kept by the slow path"),
        ({"block_config": {"additional_properties": 1}}, "a member named like the attribute"),
        ({"document_count": 7.0}, "an integral float in an integer field"),
        ({"created_at": "2026-05-02T11:00:00"}, "a date-time without an offset (UTC)"),
        ({"status": "paused"}, "an open enum's unknown value"),
        ({"n_consensus": 4}, "an integer outside the known values"),
        ({"score": 1}, "an integer in a number field"),
        ({"created_at": "2026-05-02T11:00:00.1234567Z"}, "a fraction past microseconds"),
        ({"created_at": "2026-05-02t11:00:00z"}, "lowercase separators"),
        ({"created_at": "2026-05-02 11:00:00+02:00"}, "a space separator and an offset"),
    ],
)
def test_bodies_the_fast_path_may_leave_to_the_slow_path_end_alike(
    change: dict[str, Any], why: str
) -> None:
    body = runs_body(a_run(), a_run(**change))
    expected = slow(LIST, body)
    assert isinstance(expected, LIST), why
    got = decode_model(LIST, body)
    assert typed(got) == typed(expected), why
    if "surprise" in change:
        assert got.runs[1].additional_properties == {"surprise": 1}
    if "document_count" in change:
        assert type(got.runs[1].document_count) is int
    if change.get("score") == 1:
        assert type(got.runs[1].score) is float


@pytest.mark.parametrize(
    "change",
    [
        {"document_count": 2**63},
        {"document_count": -(2**63) - 1},
        {"document_count": 7.5},
        {"document_count": True},
        {"score": 1.5},
        {"score": -0.1},
        {"score": "0.5"},
        {"created_at": "yesterday"},
        {"created_at": "2026-05-02T11:00Z"},
        {"created_at": "2026-02-30T11:00:00Z"},
        {"id": None},
        {"id": 7},
        {"status": 3},
        {"block_config": [1]},
        {"block_config": "gpt-5"},
        {"parent_run_id": {"a": 1}},
        {"n_consensus": "5"},
        {"duration_ms": 1e400},
    ],
    ids=repr,
)
def test_the_fast_path_accepts_nothing_the_slow_path_refuses(change: dict[str, Any]) -> None:
    body = runs_body(a_run(), a_run(**change)).replace(b"Infinity", b"1e400")
    decoder = fast_decoder(LIST)
    assert decoder is not None
    assert decoder.decode(body) is None
    refusal = slow(LIST, body)
    assert isinstance(refusal, ValueError)
    if isinstance(refusal, SchemaError):
        assert refusal.path.startswith("runs[1].")


def test_a_required_field_missing_is_named_by_the_slow_path() -> None:
    run = a_run()
    del run["created_at"]
    decoder = fast_decoder(LIST)
    assert decoder is not None and decoder.decode(runs_body(run)) is None
    with pytest.raises(SchemaError) as caught:
        decode_model(LIST, runs_body(run))
    assert caught.value.path == "runs[0].created_at"


_LISTING = int64_as_bounds(
    {"$ref": "#/components/schemas/ExperimentRunListResponse"}
    | {"components": {"schemas": COMPONENTS}}
)
_STRICT = copy.deepcopy(_LISTING)
for _schema in _STRICT["components"]["schemas"].values():
    if _schema.get("properties"):
        _schema["additionalProperties"] = False  # so hypothesis draws bodies the fast path takes


@settings(max_examples=int(150 * EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(value=from_schema(_LISTING) | from_schema(_STRICT))
def test_fast_and_slow_paths_agree_on_valid_bodies(value: Any) -> None:
    body = json.dumps(value).encode()
    decoder = fast_decoder(LIST)
    assert decoder is not None
    fast = decoder.decode(body)
    expected = slow(LIST, body)
    assert isinstance(expected, LIST)
    if fast is not None:
        assert typed(fast) == typed(expected)
    assert typed(decode_model(LIST, body)) == typed(expected)


_junk = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2**63,
        -(2**63) - 1,
        7.0,
        0.5,
        1.5,
        "",
        "x",
        "2026-05-02T11:00:00",
        "2026-05-02T11:00:00Z",
        [],
        [1],
        {},
        {"a": 1},
    ]
)


@settings(max_examples=int(200 * EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    value=from_schema(_STRICT),
    field=st.sampled_from(sorted(COMPONENTS["ExperimentRunSummary"]["properties"])),
    junk=_junk,
)
def test_a_changed_field_is_refused_by_both_paths_or_read_alike(
    value: Any, field: str, junk: Any
) -> None:
    if not value["runs"]:
        value["runs"].append(json.loads(json.dumps(sample_run("exprun_1"))))
    value["runs"][-1][field] = junk
    body = json.dumps(value).encode()
    decoder = fast_decoder(LIST)
    assert decoder is not None
    fast = decoder.decode(body)
    expected = slow(LIST, body)
    if not isinstance(expected, LIST):
        assert fast is None, f"the fast path accepted {field}={junk!r}, which the spec refuses"
    elif fast is not None:
        assert typed(fast) == typed(expected)


def test_a_page_of_full_runs_takes_the_fast_path() -> None:
    # ExperimentRun's lifecycle is a union of objects told apart by `status`; its trigger
    # renames `type`: both built through the build twins, each object of its real class.
    runs = [
        a_full_run(lifecycle={"status": "completed"}),
        a_full_run(lifecycle={"status": "error", "message": None, "details": {"context": {}}}),
        a_full_run(lifecycle={"status": "cancelled", "reason": "asked"}),
    ]
    body = json.dumps({"data": runs, "list_metadata": {"after": "c"}}).encode()
    decoder = fast_decoder(ExperimentRunPage)
    assert decoder is not None
    fast = decoder.decode(body)
    assert fast is not None
    assert typed(fast) == typed(slow(ExperimentRunPage, body))
    assert [type(run.lifecycle) for run in fast.data] == [
        LifecycleCompleted, LifecycleError, LifecycleCancelled
    ]  # fmt: skip
    assert type(fast.data[0].trigger) is RunTrigger and fast.data[0].trigger.type_ == "api"
    assert fast.data[1].lifecycle["details"]["context"] == FreeForm()


def a_full_run(**overrides: Any) -> dict[str, Any]:
    run = copy.deepcopy(ExperimentRun.SCHEMA.schema["example"])
    run.update(overrides)
    return run


@pytest.mark.parametrize(
    ("lifecycle", "why"),
    [
        ({"status": "paused"}, "a status the mapping does not list: LifecycleOther"),
        ({"status": "completed", "note": 1}, "a member the variant does not name: kept"),
        ({"status": "error", "message": 7}, "the mapped variant refuses it: the body is refused"),
        ({"status": 3}, "a tag that is not a string"),
        ({"message": "x"}, "no tag at all"),
    ],
)
def test_a_union_member_the_tag_cannot_decide_is_left_to_the_slow_path(
    lifecycle: dict[str, Any], why: str
) -> None:
    body = json.dumps(a_full_run(lifecycle=lifecycle)).encode()
    decoder = fast_decoder(ExperimentRun)
    assert decoder is not None
    assert decoder.decode(body) is None, why
    expected = slow(ExperimentRun, body)
    if isinstance(expected, ExperimentRun):
        assert typed(decode_model(ExperimentRun, body)) == typed(expected)
        assert lifecycle.get("status") != "paused" or type(expected.lifecycle) is LifecycleOther
    else:
        assert isinstance(expected, SchemaError) and expected.path.startswith("lifecycle"), why


def test_a_map_of_models_told_apart_by_a_const_member_takes_the_fast_path() -> None:
    # HandleInputs: one of three models a handle, no discriminator; `type` is a const in
    # two of them (json, file), which tells them apart; the third, a catch-all, is slow.
    example = ExperimentResult.SCHEMA.schema["example"]
    inputs = {
        "a": {"type": "json", "data": [1, {"x": None}]},
        "b": {"type": "file", "document": {"id": "f"}},
    }
    body = json.dumps({**example, "handle_inputs": inputs, "handle_outputs": {}}).encode()
    decoder = fast_decoder(ExperimentResult)
    assert decoder is not None
    fast = decoder.decode(body)
    assert fast is not None and typed(fast) == typed(slow(ExperimentResult, body))
    assert type(fast.handle_inputs) is HandleInputs
    assert [type(x) for x in fast.handle_inputs.additional_properties.values()] == [
        HandleInputJson, HandleInputFile
    ]  # fmt: skip
    other = json.dumps({**example, "handle_inputs": {"c": {"type": "html"}}}).encode()
    assert decoder.decode(other) is None
    read = decode_model(ExperimentResult, other)
    assert type(read.handle_inputs["c"]) is HandleInputOther


SUMMARY = {
    "kind": "summary",
    "experiment_id": "exp_1",
    "run_id": "exprun_1",
    "block_execution_fingerprint": "f",
    "block_type": "extract",
}


@pytest.mark.parametrize(
    ("aggregate", "fast_reads_it", "expected"),
    [
        (None, True, type(None)),
        ({"likelihoods": {"a": 1, "b": 0.5}}, True, ExtractAggregate),
        ({"diag": {"x": 0.5}, "flows": [{"source": "a", "target": "b"}]}, True, ConfusionAggregate),
        ({"likelihoods": {}, "flows": []}, False, ExtractAggregate),  # flows: kept as extra
        ({"likelihoods": {}, "diag": {}}, False, SchemaError),  # both match: oneOf refuses
        ({}, False, SchemaError),  # neither matches
        ({"likelihoods": {"a": "x"}}, False, SchemaError),
    ],
)
def test_a_oneof_without_a_discriminator_is_told_by_its_members(
    aggregate: Any, fast_reads_it: bool, expected: type
) -> None:
    # MetricsSummary.aggregate: ExtractAggregate or ConfusionAggregate (or null), by
    # which required members are present; exactly one must match.
    body = json.dumps({**SUMMARY, "aggregate": aggregate}).encode()
    decoder = fast_decoder(MetricsSummary)
    assert decoder is not None
    fast = decoder.decode(body)
    assert (fast is not None) == fast_reads_it
    answer = slow(MetricsSummary, body)
    if expected is SchemaError:
        assert isinstance(answer, SchemaError) and answer.path.startswith("aggregate")
        return
    assert type(answer.aggregate) is expected
    if fast is not None:
        assert typed(fast) == typed(answer)
    if aggregate and "flows" in aggregate and "likelihoods" in aggregate:
        assert answer.aggregate.additional_properties == {"flows": []}


@pytest.mark.parametrize("depth", [900, 1020, 5000])
def test_deep_content_inside_a_union_variant_is_read_alike_or_refused(depth: int) -> None:
    # The variant is decoded from its own `msgspec.Raw`: still within the body's depth
    # limit, and past the thread's recursion limit the slow path reads it.
    deep = "[" * depth + "]" * depth
    run = a_full_run(lifecycle={"status": "error", "details": {"context": {"x": 1}}})
    body = json.dumps(run).encode().replace(b'{"x": 1}', f'{{"x": {deep}}}'.encode())
    if depth > 1024:
        with pytest.raises(ValueError, match="nested too deeply"):
            decode_model(ExperimentRun, body)
        return
    read, expected = decode_model(ExperimentRun, body), slow(ExperimentRun, body)
    assert type(read.lifecycle) is type(expected.lifecycle) is LifecycleError
    assert _depth(read.lifecycle["details"]["context"]["x"]) == depth
    assert _depth(expected.lifecycle["details"]["context"]["x"]) == depth


def _depth(value: Any) -> int:
    """How deep a nest of one-item-or-empty lists goes, counted without recursion."""
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    return depth


def test_a_top_level_list_of_models_takes_the_fast_path() -> None:
    answer = ListOf(ExperimentRun)
    body = json.dumps([a_full_run(), a_full_run(id="r2", lifecycle={"status": "queued"})]).encode()
    decoder = fast_decoder(answer)
    assert decoder is not None
    fast = decoder.decode(body)
    assert fast is not None and typed(fast) == typed(answer.from_dict(stdlib_loads(body)))
    assert decoder.decode(json.dumps([a_full_run(), a_full_run(x=1)]).encode()) is None
    with pytest.raises(SchemaError) as caught:
        decode_model(answer, json.dumps([a_full_run(), a_full_run(id=7)]).encode())
    assert caught.value.path == "[1].id"


# Every model of the spec has a fast decoder but these (docs/performance.md says why);
# their bodies are read by the slow path alone.
SLOW_ONLY = {
    "BlockConfig": "a free-form body: the slow path keeps it whole, as cheaply",
    "FreeForm": "a free-form body",
    "Scores": "a free-form body (numbers by name)",
    "HandleInputs": "a map of models at the top (read fast where a model holds it)",
    "CreateExperimentRequest": "if/then",
}
MODELS = sorted(
    (c for c in vars(models).values() if isinstance(c, type) and issubclass(c, Model)),
    key=lambda c: c.__name__,
)


def test_every_model_of_the_spec_has_a_fast_decoder_but_the_documented_ones() -> None:
    assert {m.__name__ for m in MODELS if fast_decoder(m) is None} == set(SLOW_ONLY)
    assert len(MODELS) > len(SLOW_ONLY) * 3


def _drawn(model: type[Model], strict: bool) -> Any:
    schemas = copy.deepcopy(COMPONENTS)
    if strict:  # so hypothesis draws bodies the fast path takes
        for schema in schemas.values():
            if schema.get("properties"):
                schema["additionalProperties"] = False
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return from_schema(int64_as_bounds(ref | {"components": {"schemas": schemas}}))


def _agree(answer: Any, body: bytes) -> None:
    """What the fast path builds is what the slow path builds; it accepts nothing more."""
    decoder = fast_decoder(answer)
    assert decoder is not None
    fast = decoder.decode(body)
    try:
        expected = answer.from_dict(stdlib_loads(body))
    except ValueError:
        assert fast is None, f"the fast path accepted a body the spec refuses: {body[:300]!r}"
        return
    if fast is not None:
        assert typed(fast) == typed(expected)
    assert typed(decode_model(answer, body)) == typed(expected)


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m.__name__ not in SLOW_ONLY], ids=lambda m: m.__name__
)
@settings(max_examples=int(15 * EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), junk=_junk)
def test_fast_and_slow_paths_agree_on_every_model(
    model: type[Model], data: st.DataObject, junk: Any
) -> None:
    """Bodies drawn from each model's schema, some with a member set to junk."""
    value = data.draw(_drawn(model, strict=False) | _drawn(model, strict=True))
    _agree(model, json.dumps(value).encode())
    members = sorted(model.SCHEMA.schema.get("properties", {}))
    if isinstance(value, dict) and members:
        value[data.draw(st.sampled_from(members))] = junk
        _agree(model, json.dumps(value).encode())


@settings(max_examples=int(40 * EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_and_slow_paths_agree_on_every_variants_answer(data: st.DataObject) -> None:
    answers = [op.success for op in OPERATIONS if isinstance(op.success, Variants)]
    assert answers, "the spec's metrics answer"
    answer = data.draw(st.sampled_from(answers))
    model = data.draw(st.sampled_from(answer.models))
    value = data.draw(_drawn(model, strict=data.draw(st.booleans())))
    _agree(answer, json.dumps(value).encode())


def test_a_variants_answer_is_read_by_its_tag() -> None:
    answer = next(op.success for op in OPERATIONS if isinstance(op.success, Variants))
    body = json.dumps({"kind": "no_metrics", "experiment_id": "exp_1", "message": None}).encode()
    got = decode_model(answer, body)
    assert type(got) is NoMetrics and got.experiment_id == "exp_1"
    decoder = fast_decoder(answer)
    assert decoder is not None and decoder.decode(body) is not None
    other = json.dumps({"kind": "histogram", "bins": [1]}).encode()
    assert decoder.decode(other) is None  # a kind the mapping does not list: the slow path
    assert type(decode_model(answer, other)) is MetricsOther


@pytest.mark.parametrize(
    ("schema", "named"),
    [
        ({"type": "string", "pattern": "^a"}, "pattern"),
        ({"type": "string", "format": "email"}, "email"),
        ({"type": "array", "items": {}, "uniqueItems": True}, "uniqueItems"),
        (
            {"type": "object", "properties": {"a": {}}, "additionalProperties": {"type": "string"}},
            "additionalProperties",
        ),
        ({"oneOf": [{"type": "string"}]}, "inline schemas"),
        ({"oneOf": [{"$ref": "#/components/schemas/Node"}], "type": "object"}, "oneOf beside"),
        ({"allOf": [{"type": "string"}]}, "allOf"),
        ({"$ref": "#/components/schemas/Node"}, "recursive"),
        ({"type": "object", "properties": {"class": {"type": "string"}}}, "'class'"),
        ({"enum": [1.5]}, "enum"),
        ({"type": "number", "multipleOf": 2}, "multipleOf"),
        ({"type": "object", "additionalProperties": False}, "no members described"),
        ({"type": "object", "required": ["a"]}, "no members described"),
        ({"anyOf": [{"type": "object"}], "discriminator": {"propertyName": "k"}}, "discriminator"),
        ({"type": "number", "format": "decimal"}, "decimal"),
    ],
)
def test_a_shape_the_fast_path_cannot_check_is_named_and_left_to_the_slow_path(
    schema: dict[str, Any], named: str
) -> None:
    node = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    with pytest.raises(Unsupported, match=named):
        check_type(schema, {"Node": node})


def test_with_a_raised_recursion_limit_a_deep_body_is_refused_before_msgspec_reads_it() -> None:
    deep = "[" * 5000 + "]" * 5000
    body = runs_body(a_run()).replace(b'"model"', f'"model": {deep}, "m"'.encode(), 1)
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        with pytest.raises(ValueError, match="nested too deeply"):
            decode_model(LIST, body)
    finally:
        sys.setrecursionlimit(saved)


def test_a_listing_over_http_reads_an_unknown_field_and_free_form_content() -> None:
    body = runs_body(a_run(block_config={"model": "m", "n": 2**70}), a_run(new_field=[1, 2]))
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with Retab(
        "sk-test", base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=transport)
    ) as client:
        runs = client.list_runs("wf", "exp")
    assert runs[0].block_config is not None and runs[0].block_config["n"] == 2**70
    assert runs[1]["new_field"] == [1, 2]


def test_a_body_that_is_not_json_is_a_response_validation_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b'{"runs": [}'))
    with (
        Retab(
            "sk-test", base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=transport)
        ) as client,
        pytest.raises(ResponseValidationError, match="not valid JSON"),
    ):
        client.list_runs("wf", "exp")


def test_an_integer_too_big_for_a_number_field_is_a_spec_mismatch() -> None:
    # ExperimentRun.score has no bounds: the validator accepts 10**400, a float cannot hold it.
    run = ExperimentRun.SCHEMA.example()
    body = (
        json.dumps(run | {"score": 7}).encode().replace(b'"score": 7', b'"score": 1' + b"0" * 400)
    )
    with pytest.raises(OverflowError):
        decode_model(ExperimentRun, body)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    client = Retab(
        "sk-test", base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=transport)
    )
    with client, pytest.raises(ResponseValidationError, match="beyond the double range"):
        client.workflows.experiments.runs.get("exprun_1")


def _peak_bytes(decode: Any) -> int:
    tracemalloc.start()
    try:
        decode()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_listing_decodes_in_less_memory_than_the_slow_path_takes() -> None:
    # What a user notices of the fast path besides its speed: the dict tree is never
    # built. The stdlib switch always takes the slow path.
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    runs = [sample_run(f"exprun_{i}", created_at=start) for i in range(2000)]
    body = json.dumps({"runs": runs}).encode()
    decode_model(LIST, body)  # compiled before measuring
    fast = _peak_bytes(lambda: decode_model(LIST, body))
    with json_decoder("stdlib"):
        slow = _peak_bytes(lambda: decode_model(LIST, body))
    assert fast < 0.8 * slow, (fast, slow)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[1e400]", "number out of the double range"),
        (b'["\\ud800"]', "a lone surrogate escape is not valid UTF-16 text"),
    ],
)
def test_the_stdlib_decoder_says_why_it_refuses(body: bytes, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        stdlib_loads(body)
    assert str(caught.value) == message
