"""The root of the package's errors, here so that runtime code can raise them too.

`retab_runs.errors` builds the rest of the hierarchy on `RetabError` and
re-exports both; applications import them from `retab_runs`.
"""

from __future__ import annotations

__all__ = ["MissingDependencyError", "RetabError", "UnknownColumnError"]


class RetabError(Exception):
    """Base class of every error this package raises on purpose."""


class MissingDependencyError(RetabError, ImportError):
    """A feature needs an optional package that is not installed; the message names it and
    the extra.

    `extra` is the retab-runs extra that installs it (`retab-runs[pandas]`). The
    message's command installs the package itself, which works however
    retab-runs was installed (from a clone, a wheel, or the index once published).
    """

    def __init__(self, feature: str, package: str, extra: str) -> None:
        super().__init__(
            f"{feature} needs {package}, which is not installed: pip install {package} "
            f"(the retab-runs[{extra}] extra)"
        )
        self.extra = extra
        self.package = package


class UnknownColumnError(RetabError, ValueError):
    """A column asked for by name (`runs.table(columns=[...])`) that the rows do not have;
    the message lists the ones they have."""
