"""Every model the spec defines, as generated: one import path for all of them.

    from retab_runs.models import ExperimentRunSummary, BlockConfig

Derived from the generated package, so a model a spec change adds is here
after `scripts/regenerate` with no edit. The most used ones are also
re-exported from `retab_runs` itself.
"""

from _retab_runs_generated.models import *  # noqa: F403
from _retab_runs_generated.models import __all__ as __all__  # noqa: PLC0414 (re-export)
