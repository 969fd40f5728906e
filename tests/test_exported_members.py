"""The public surface, pinned: a change to it must be meant (httpx's test of the same name)."""

from __future__ import annotations

import retab_runs
import retab_runs.models
import retab_runs.testing
from conftest import load_spec

PUBLIC = [
    "NOT_GIVEN", "APIConnectionError", "APIError", "APIStatusError", "APITimeoutError",
    "AioHttpClient", "AsyncPage", "AsyncRetab", "AuthenticationError", "BadRequestError",
    "CertificateVerificationError", "ClientClosedError", "ConfigurationError",
    "ConfigurationTypeError", "ConflictError", "DefaultAsyncHttpxClient", "DefaultHttpxClient",
    "DocumentComparison", "EventLoopError", "InternalServerError", "MissingCredentialsError",
    "MissingDependencyError", "NotFoundError",
    "PagedList", "PaginationError",
    "PermissionDeniedError", "RateLimitError", "RawResponse", "ResponseTooLargeError",
    "ResponseValidationError",
    "Retab", "RetabError", "RunComparison", "RunList", "SyncPage", "UnknownColumnError",
    "UnprocessableEntityError",
    "WaitTimeoutError", "__version__", "compare_runs",
]  # fmt: skip

TESTING = [
    "FakeRetabServer", "RecordedRequest", "httpx_transports", "json_decoder", "no_retry_waits",
    "sample_data", "sample_run", "set_retry_waits",
]  # fmt: skip


def test_retab_runs_exports_exactly_its_public_api() -> None:
    """The hand-written names, pinned; then every generated model, derived from the spec."""
    assert retab_runs.__all__ == [*PUBLIC, *retab_runs.models.__all__]
    for name in retab_runs.__all__:
        assert hasattr(retab_runs, name), name


def test_public_names_are_all_that_is_public() -> None:
    """Every public attribute of the package is in __all__ (submodules aside)."""
    public = {
        name
        for name, value in vars(retab_runs).items()
        if not name.startswith("_") and type(value).__name__ != "module"
    }
    # AioHttpClient is imported on first access (it needs the `aiohttp` extra).
    expected = {*PUBLIC, *retab_runs.models.__all__} - {"__version__", "AioHttpClient"}
    assert public == expected


def test_testing_kit_exports() -> None:
    assert retab_runs.testing.__all__ == TESTING


def test_models_export_every_schema_of_the_spec() -> None:
    """Derived, not pinned: retab_runs.models follows the spec (a schema that is only a
    union of others, ExperimentMetrics, is its members: there is no class of it)."""
    schemas = {
        name: schema
        for name, schema in load_spec()["components"]["schemas"].items()
        if "type" in schema or "properties" in schema or "enum" in schema
    }
    assert "ExperimentMetrics" not in schemas
    for name in schemas:
        assert hasattr(retab_runs.models, name), name
    assert set(retab_runs.models.__all__) >= set(schemas)


def test_every_error_is_a_retab_error() -> None:
    errors = [
        value
        for value in vars(retab_runs).values()
        if isinstance(value, type) and issubclass(value, BaseException)
    ]
    assert errors and all(issubclass(error, retab_runs.RetabError) for error in errors)
