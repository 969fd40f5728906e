"""The hand-written runtime that generated code (`_retab_runs_generated`) imports.

Templates emit declarations only (models' fields and schemas, operations,
resource methods); what those declarations do lives here, linted and typed:
validation (`SchemaCheck`), the model base (`Model`), operation declarations
(`Operation`) and the resource base classes the client's pipeline serves.
Private: applications import `retab_runs`.
"""

from ._errors import MissingDependencyError, RetabError, UnknownColumnError
from ._examples import example_of
from ._fast import FastDecoder, fast_decoder
from ._frames import HtmlTable
from ._model import (
    NOT_GIVEN,
    UNSET,
    Model,
    NotGiven,
    Unset,
    model_repr,
    parse_datetime,
    select_variant,
)
from ._operation import AuthScheme, ListOf, Operation, Pagination, Param, ParamLocation, Variants
from ._page import AsyncPage, SyncPage
from ._resource import (
    AsyncAPIResource,
    AsyncRequester,
    RequestOptions,
    SyncAPIResource,
    SyncRequester,
    warn_deprecated,
)
from ._response import ModelList, PagedList, RawResponse
from ._schema import SchemaCheck, SchemaError, components, describe

__all__ = [
    "NOT_GIVEN",
    "UNSET",
    "AsyncAPIResource",
    "AsyncPage",
    "AsyncRequester",
    "AuthScheme",
    "FastDecoder",
    "HtmlTable",
    "ListOf",
    "MissingDependencyError",
    "Model",
    "ModelList",
    "NotGiven",
    "Operation",
    "PagedList",
    "Pagination",
    "Param",
    "ParamLocation",
    "RawResponse",
    "RequestOptions",
    "RetabError",
    "SchemaCheck",
    "SchemaError",
    "SyncAPIResource",
    "SyncPage",
    "SyncRequester",
    "UnknownColumnError",
    "Unset",
    "Variants",
    "components",
    "describe",
    "example_of",
    "fast_decoder",
    "model_repr",
    "parse_datetime",
    "select_variant",
    "warn_deprecated",
]
