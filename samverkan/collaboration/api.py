"""Local collaboration API (/api/v1/collaboration): the same reads and writes as the web UI.

Web users authenticate with their session (second factor passed). Each feature
has its own router (`<feature>/api.py`); errors are the services' core errors,
answered by the API's one exception handler: 422 bad input (with the field),
403, 404. School concern reports are an intake channel:
`samverkan.intake.school_reports.api`, mounted at the same prefix.
"""

from __future__ import annotations

from samverkan.collaboration.colocation.api import router as colocation_router
from samverkan.collaboration.forums.api import router as forums_router
from samverkan.collaboration.indicators.api import router as indicators_router
from samverkan.collaboration.plans.api import router as plans_router
from samverkan.collaboration.schools.api import router as schools_router

# Mounted side by side at /collaboration (`samverkan.api`), not nested in one router:
# a nested router's paths lose their leading slash in the OpenAPI document.
routers = (forums_router, colocation_router, plans_router, schools_router, indicators_router)
