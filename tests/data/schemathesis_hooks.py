"""A schemathesis check for tests/test_reliability_schemathesis.py: a 501 is a failure.

The spec's `default` response documents any status, so a fake server that
answers 501 ("operation not implemented") would pass schemathesis' own
status checks; this check makes such an answer fail the contract run.
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.check
def implemented_by_the_fake(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code == 501:
        raise AssertionError(f"the fake server does not implement {case.operation.label}")
