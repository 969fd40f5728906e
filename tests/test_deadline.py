"""The whole-attempt deadline, unit by unit: what the streams and the body loop ask of it."""

from __future__ import annotations

import time

import httpx
import pytest

from retab_runs._http import _deadline


def test_outside_an_attempt_there_is_no_deadline() -> None:
    assert _deadline.remaining() is None
    assert _deadline.cap(7.0, TimeoutError) == 7.0
    assert _deadline.cap(None, TimeoutError) is None


def test_an_attempt_without_a_read_timeout_has_no_deadline() -> None:
    with _deadline.scope(None) as deadline:
        assert deadline == float("inf")
        assert _deadline.remaining() is None
        assert _deadline.cap(3.0, TimeoutError) == 3.0


def test_operations_are_cut_to_what_is_left() -> None:
    with _deadline.scope(5.0) as deadline:
        left = _deadline.remaining()
        assert left is not None and 4.5 < left <= 5.0
        assert _deadline.cap(60.0, TimeoutError) == pytest.approx(left, abs=0.1)
        assert _deadline.cap(1.0, TimeoutError) == 1.0  # a shorter operation timeout stays
        assert _deadline.cap(None, TimeoutError) == pytest.approx(left, abs=0.1)
        assert deadline == pytest.approx(time.monotonic() + 5.0, abs=0.1)
    assert _deadline.remaining() is None  # the scope ends with the attempt


def test_past_the_deadline_operations_fail_at_once() -> None:
    with _deadline.scope(0.0):
        time.sleep(0.002)
        left = _deadline.remaining()
        assert left is not None and 0 < left <= 0.001  # the smallest wait, never negative
        with pytest.raises(TimeoutError, match=r"^the response took longer than the read timeout$"):
            _deadline.cap(10.0, TimeoutError)


def test_the_body_loop_checks_the_deadline_between_chunks() -> None:
    request = httpx.Request("GET", "https://api.retab.com/")
    _deadline.check(time.monotonic() + 60, request)  # in time: nothing
    with pytest.raises(
        httpx.ReadTimeout, match=r"^the response took longer than the read timeout$"
    ) as info:
        _deadline.check(time.monotonic() - 0.001, request)
    assert info.value.request is request


def test_less_than_a_second_left_is_still_time_to_use() -> None:
    with _deadline.scope(0.5):
        left = _deadline.cap(10.0, TimeoutError)
        assert left is not None and 0.3 < left <= 0.5
