"""A body just under the size limit costs at most MEMORY_MULTIPLE times the limit in RSS.

The densest shapes JSON has (an empty object or array per 3 bytes, a small
object, short strings, floats) are sent as a run's unknown field, and the
listing is parsed in a fresh process that reports its RSS growth. With the
default limit this keeps any body under 2 GiB; the test uses a 6 MiB limit so
it stays quick.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from retab_runs._constants import DEFAULT_MAX_RESPONSE_SIZE, MEMORY_MULTIPLE

LIMIT = 6 * 2**20

CASE = """
import json, resource, sys
import httpx
from retab_runs import Retab
from retab_runs.testing import sample_run

limit, item = {limit}, {item!r}
run = json.dumps(sample_run("r1")).encode()
head, tail = run[:-1] + b', "junk": [', b"0]}}]}}"
count = (limit - len(head) - len(tail) - 12) // len(item)
body = b'{{"runs": [' + head + item * count + tail
assert len(body) <= limit
bodies = [b'{{"runs": [' + run + b"]}}", body]
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=bodies.pop(0)))
client = Retab("sk-test", http_client=httpx.Client(transport=transport), max_response_size=limit)
client.list_runs("wf", "exp")  # warm, with one run: imports and caches are not the body's cost
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
runs = client.list_runs("wf", "exp")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert len(runs[0].additional_properties["junk"]) == count + 1
print((after - before) * 1024)
"""


def test_the_default_keeps_the_worst_case_under_2_gib() -> None:
    assert DEFAULT_MAX_RESPONSE_SIZE * MEMORY_MULTIPLE < 2 * 2**30


@pytest.mark.parametrize(
    "item",
    [b"{},", b"[],", b'{"a":0},', b'"ab",', b"1.5,", b"[0],", b'{"":{}},', b"[[[[[[]]]]]],"],
    ids=repr,
)
def test_a_body_at_the_limit_costs_a_bounded_multiple_of_it(item: bytes) -> None:
    code = CASE.format(limit=LIMIT, item=item)
    env_path = str(Path(__file__).parent)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=env_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    growth = int(result.stdout)
    assert growth <= MEMORY_MULTIPLE * LIMIT, f"{growth / LIMIT:.1f}x the limit"
