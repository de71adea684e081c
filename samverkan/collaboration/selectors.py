"""Reads of local collaboration (SPEC §6, §7), as other apps and the tests call them.

Who sees which records is `collaboration.access`; each feature's reads live with
it (`colocation`, `forums`, `plans`, `schools`, `indicators`).
"""

from samverkan.collaboration.access import activities_visible_to
from samverkan.collaboration.colocation.selectors import colocation_calendar, serious_talks_for
from samverkan.collaboration.forums.selectors import (
    forum_compliance,
    function_label,
    open_decisions,
)
from samverkan.collaboration.indicators.selectors import compute_indicator, indicator_series
from samverkan.collaboration.plans.selectors import inflow_figures, picture_tables
from samverkan.collaboration.schools.selectors import school_register

__all__ = [
    "activities_visible_to",
    "colocation_calendar",
    "compute_indicator",
    "forum_compliance",
    "function_label",
    "indicator_series",
    "inflow_figures",
    "open_decisions",
    "picture_tables",
    "school_register",
    "serious_talks_for",
]
