"""retab-runs: a typed client for Retab's List Experiment Runs endpoint."""

from ._version import __version__

__all__ = ["__version__"]
