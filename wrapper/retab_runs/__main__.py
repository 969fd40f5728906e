"""`python -m retab_runs`: the command line."""

from .cli import run

run()
