"""A fake Retab server and test helpers: real HTTP on 127.0.0.1, standard library only.

    from retab_runs import Retab
    from retab_runs.testing import FakeRetabServer, sample_run

    with FakeRetabServer() as server:
        server.add_runs("wf_1", "exp_1", [sample_run("exprun_1")])
        with Retab(server.api_key, base_url=server.url) as client:
            assert client.list_runs("wf_1", "exp_1")[0].id == "exprun_1"

The server answers `GET /v1/workflows/{workflow_id}/experiments/{experiment_id}/runs`
as openapi.yaml describes it (auth, 404s, newest first, `x-request-id`); faults
can be queued for the next requests and `requests` records what arrived,
secrets masked. `no_retry_waits()` makes the client's retries instant.

Split by concern, as respx's kit is: `_data` (sample runs that follow the
spec), `_models` (records and faults), `_server` (the server and its fault
queue), `_handler` (the HTTP side), `_waits` (the no-wait switch),
`_decoder` (which JSON decoder responses go through), `_transports`
(httpx's own transports, for HTTP mocking libraries); the
pytest fixtures are `retab_runs.pytest_plugin` (outside this package, so a
test session that does not use them never imports the server).
"""

from ._data import sample_data, sample_run
from ._decoder import json_decoder
from ._models import RecordedRequest
from ._server import FakeRetabServer
from ._transports import httpx_transports
from ._waits import no_retry_waits, set_retry_waits

__all__ = [
    "FakeRetabServer",
    "RecordedRequest",
    "httpx_transports",
    "json_decoder",
    "no_retry_waits",
    "sample_data",
    "sample_run",
    "set_retry_waits",
]
