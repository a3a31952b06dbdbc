"""Stage 4, the live searches: explorers look at the real site, logged in or out, for the checks to judge.

Declare your own with `@explorer(...)` beside a check that asks for it with
`@check(..., explores=(NAME,))`; see base.py.
"""

from .base import ExploreContext, ExplorerSpec, ExploreSkipped, explorer

BUILT_IN_MODULES = (
    "journeytest.explore.cancel",
    "journeytest.explore.passwords",
    "journeytest.explore.contact",
)

__all__ = ["BUILT_IN_MODULES", "ExploreContext", "ExploreSkipped", "ExplorerSpec", "explorer"]
