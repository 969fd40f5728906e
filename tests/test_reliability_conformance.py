"""Every body the spec allows parses, keeping every value; every bad body is a
ResponseValidationError. Bodies are generated from openapi.yaml's own 200
schema (hypothesis-jsonschema), with both JSON decoders the client can use.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import KEY, int64_as_bounds, load_spec
from retab_runs import ExperimentRunSummary, ResponseValidationError, Retab
from retab_runs.testing import json_decoder
from spec_oracle import Oracle

SPEC = load_spec()
ORACLE = Oracle(SPEC)
SUMMARY = SPEC["components"]["schemas"]["ExperimentRunSummary"]
REQUIRED = list(SUMMARY["required"])

# Enough to cover the schema's shapes; bounded so scripts/test stays quick.
VALID_EXAMPLES = 100
INVALID_EXAMPLES = 100


RESPONSE_SCHEMA = int64_as_bounds(
    {
        "$ref": "#/components/schemas/ExperimentRunListResponse",
        "components": {"schemas": SPEC["components"]["schemas"]},
    }
)
INT64_RANGE = range(-(2**63), 2**63)


valid_bodies = from_schema(RESPONSE_SCHEMA)
_NONEMPTY = copy.deepcopy(RESPONSE_SCHEMA)
_NONEMPTY["components"]["schemas"]["ExperimentRunListResponse"]["properties"]["runs"][
    "minItems"
] = 1
nonempty_bodies = from_schema(_NONEMPTY)
# Shrinking a multi-kilobyte body can take minutes; a failure prints its example anyway.
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


@pytest.fixture(params=["msgspec", "stdlib"])
def decoder(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs the test with each JSON decoder the client may use."""
    with json_decoder(request.param):
        yield request.param


def list_runs_of(content: bytes) -> list[ExperimentRunSummary]:
    """list_runs over a transport answering 200 with exactly `content`."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=content))
    with Retab(KEY, max_retries=0, http_client=httpx.Client(transport=transport)) as client:
        return client.list_runs("wf", "exp")


def assert_round_trip(sent: dict[str, Any], runs: list[ExperimentRunSummary]) -> None:
    """Parsed runs, back to dicts, equal what was sent: same order, values, extras."""
    assert len(runs) == len(sent["runs"])
    for original, run in zip(sent["runs"], runs, strict=True):
        again = run.to_dict()
        assert ORACLE.canonical(SUMMARY, again) == ORACLE.canonical(SUMMARY, original)
        assert list(again) == ORACLE.key_order(SUMMARY, original)
        json.dumps(again)  # JSON-ready


class TestValidBodies:
    @settings(
        max_examples=VALID_EXAMPLES,
        deadline=None,
        phases=NO_SHRINK,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=valid_bodies)
    def test_every_valid_body_parses_and_round_trips(self, body: dict[str, Any]) -> None:
        for name in ("msgspec", "stdlib"):
            with json_decoder(name):
                runs = list_runs_of(json.dumps(body).encode())
            assert_round_trip(body, runs)

    @settings(
        max_examples=60,
        deadline=None,
        phases=NO_SHRINK,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        body=nonempty_bodies,
        status=st.text(min_size=1, max_size=20),
        kind=st.text(min_size=1, max_size=20),
        n_consensus=st.integers(-(2**63), 2**63 - 1),
        extras=st.dictionaries(
            st.text(min_size=1, max_size=12).filter(lambda k: k not in SUMMARY["properties"]),
            st.recursive(
                st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=4,
        ),
    )
    def test_unknown_values_and_fields_survive(
        self,
        body: dict[str, Any],
        status: str,
        kind: str,
        n_consensus: int,
        extras: dict[str, Any],
    ) -> None:
        body = copy.deepcopy(body)
        body["runs"][0].update(status=status, block_kind=kind, n_consensus=n_consensus, **extras)
        runs = list_runs_of(json.dumps(body).encode())
        assert (runs[0].status, runs[0].block_kind, runs[0].n_consensus) == (
            status,
            kind,
            n_consensus,
        )
        for key, value in extras.items():
            assert runs[0].additional_properties[key] == value
        assert_round_trip(body, runs)


# -- invalid bodies ------------------------------------------------------------

WRONG = {name: ORACLE.wrong_values(prop) for name, prop in SUMMARY["properties"].items()}


@st.composite
def invalid_bodies(draw: st.DrawFn) -> tuple[str, bytes]:
    """(what is wrong, body bytes) for a body the spec rejects."""
    body = draw(nonempty_bodies)
    index = draw(st.integers(0, len(body["runs"]) - 1))
    run = body["runs"][index]
    text = json.dumps(body)
    kind = draw(
        st.sampled_from(
            ["missing", "wrong_type", "not_json", "truncated", "huge_number", "non_utf8", "shape"]
        )
    )
    if kind == "missing":
        del run[draw(st.sampled_from(REQUIRED))]
    elif kind == "wrong_type":
        field = draw(st.sampled_from(sorted(f for f in WRONG if WRONG[f])))
        run[field] = draw(st.sampled_from(WRONG[field]))
    elif kind == "not_json":
        return kind, draw(st.sampled_from([b"<html>502</html>", b"", b"runs", b"{'runs': []}"]))
    elif kind == "truncated":
        return kind, text[: draw(st.integers(0, len(text) - 1))].encode()
    elif kind == "huge_number":
        field = draw(st.sampled_from(["document_count", "error_count", "n_consensus"]))
        huge = draw(st.sampled_from(["1e400", "-1e400", str(2**70), str(-(2**70)), "9" * 5000]))
        run[field] = "__HUGE__"
        return kind, json.dumps(body).replace('"__HUGE__"', huge).encode()
    elif kind == "non_utf8":
        run["id"] = "__BAD__"
        encoded = json.dumps(body).encode()
        return kind, encoded.replace(
            b"__BAD__", draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]))
        )
    else:
        return kind, json.dumps(
            draw(st.sampled_from([[], [body], "runs", 3, None, {"runs": {}}]))
        ).encode()
    return kind, json.dumps(body).encode()


@settings(
    max_examples=INVALID_EXAMPLES,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=invalid_bodies())
def test_every_invalid_body_is_a_response_validation_error(case: tuple[str, bytes]) -> None:
    kind, content = case
    for name in ("msgspec", "stdlib"):
        with json_decoder(name), pytest.raises(ResponseValidationError) as info:
            list_runs_of(content)
        if kind in ("missing", "wrong_type"):
            assert info.value.field is not None and info.value.field.startswith("runs[")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (b'{"runs": [{"id": "r"}]}', "runs[0].definition_fingerprint"),
        (b'{"runs": "x"}', "runs"),
        (b'{"runs": [1]}', "runs[0]"),
        (b"[1, 2]", None),
    ],
)
def test_field_is_named_with_either_decoder(
    decoder: str, payload: bytes, field: str | None
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        list_runs_of(payload)
    assert info.value.field == field


def _one_run_with(example_body: dict[str, Any], field: str, literal: str) -> bytes:
    body = copy.deepcopy(example_body)
    body["runs"] = body["runs"][:1]
    body["runs"][0][field] = "__VALUE__"
    return json.dumps(body).replace('"__VALUE__"', literal).encode()


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("7", 7),
        ("7.0", 7),
        ("1e18", 10**18),
        ("-0.0", 0),
        (str(2**63 - 1), 2**63 - 1),
        (str(-(2**63)), -(2**63)),
    ],
)
def test_an_integer_field_holds_an_int_whatever_its_spelling(
    decoder: str, example_body: dict[str, Any], literal: str, expected: int
) -> None:
    runs = list_runs_of(_one_run_with(example_body, "document_count", literal))
    assert runs[0].document_count == expected
    assert type(runs[0].document_count) is int
    assert json.dumps(runs[0].to_dict()["document_count"]) == str(expected)


@pytest.mark.parametrize("literal", ["7.5", str(2**63), str(-(2**63) - 1), "1e19", "true", '"7"'])
def test_an_integer_field_refuses_fractions_and_values_past_int64(
    decoder: str, example_body: dict[str, Any], literal: str
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        list_runs_of(_one_run_with(example_body, "document_count", literal))
    assert info.value.field == "runs[0].document_count"


def test_gzip_encoded_body_is_decoded_once(example_body: dict[str, Any]) -> None:
    import gzip

    compressed = gzip.compress(json.dumps(example_body).encode())
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=compressed, headers={"Content-Encoding": "gzip"}
        )
    )
    with Retab(KEY, http_client=httpx.Client(transport=transport)) as client:
        assert [r.id for r in client.list_runs("wf", "exp")] == ["exprun_2"]
