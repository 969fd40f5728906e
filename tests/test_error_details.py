"""What an error object carries: the attributes a caller reads, each bounded and masked."""

from __future__ import annotations

import pytest
from pytest_httpx import HTTPXMock

from conftest import KEY
from retab_runs import (
    APIStatusError,
    InternalServerError,
    ResponseTooLargeError,
    Retab,
)
from retab_runs._redact import preview


def test_a_body_that_is_not_json_leaves_body_none_and_keeps_the_text(
    httpx_mock: HTTPXMock,
) -> None:
    httpx_mock.add_response(status_code=500, text=f"oops {KEY}", headers={"x-request-id": "r1"})
    with Retab(KEY, max_retries=0) as client, pytest.raises(InternalServerError) as info:
        client.list_runs("wf", "exp")
    error = info.value
    assert error.body is None and error.request_id == "r1" and error.status_code == 500
    assert error.response.text == "oops ***"
    assert error.response.reason_phrase == "Internal Server Error"
    assert error.response.http_version == "HTTP/1.1"
    # The kept body is the masked one, and its headers describe it, not the sent one.
    assert error.response.headers["content-length"] == str(len("oops ***"))


def test_a_plain_detail_on_an_undocumented_status_is_the_message(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=418, json={"detail": "short and stout"})
    with Retab(KEY, max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.list_runs("wf", "exp")
    assert "short and stout" in str(info.value) and info.value.status_code == 418


def test_a_status_without_a_reason_phrase_still_reads(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=599, content=b"")
    with Retab(KEY, max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.list_runs("wf", "exp")
    assert str(info.value).startswith("Error code: 599 - Error")


def test_a_long_request_id_is_cut_to_200_characters(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        status_code=400, json={"detail": "x"}, headers={"x-request-id": "q" * 500}
    )
    with Retab(KEY, max_retries=0) as client, pytest.raises(APIStatusError) as info:
        client.list_runs("wf", "exp")
    assert info.value.request_id == "q" * 199 + "…"


def test_a_body_past_the_limit_names_the_limit_and_the_request(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(content=b"[" * 4096, headers={"x-request-id": "big"})
    with (
        Retab(KEY, max_retries=0, max_response_size=1024) as client,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        client.list_runs("wf", "exp")
    assert (info.value.limit, info.value.request_id) == (1024, "big")
    assert "1024" in str(info.value) or "1 KiB" in str(info.value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a" * 38, "'" + "a" * 38 + "'"),  # 40 characters quoted: whole
        ("a" * 39, "'" + "a" * 38 + "…"),  # 41: cut to 40
        ("x\\ny", "'x\\\\ny'"),
    ],
)
def test_preview_quotes_and_cuts_at_forty(value: str, shown: str) -> None:
    assert preview(value) == shown
    assert len(preview("z" * 100, 10)) == 10
