"""`python -m retab_runs`: the command line."""

from .cli import run

__all__: list[str] = []

run()
