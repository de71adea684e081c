"""The HTTP API for police systems and other clients: one NinjaAPI, a router per app."""

from ninja import NinjaAPI

from samverkan.agreements.api import router as agreements_router
from samverkan.collaboration.api import router as collaboration_router
from samverkan.defectors.api import router as defectors_router
from samverkan.followup.api import router as followup_router
from samverkan.homecoming.api import router as homecoming_router
from samverkan.intake.api import router as intake_router
from samverkan.registry.api import router as registry_router
from samverkan.routines.api import router as routines_router

api = NinjaAPI(
    title="Samverkan API",
    version="1",
    description="Orosanmälningar från polisen (en ingång), avtal och samverkan.",
    urls_namespace="api",
)
api.add_router("/registry", registry_router)
api.add_router("/agreements", agreements_router)
api.add_router("/reports", intake_router)
api.add_router("/defectors", defectors_router)
api.add_router("/collaboration", collaboration_router)
api.add_router("/followup", followup_router)
api.add_router("/routines", routines_router)
api.add_router("/homecoming", homecoming_router)
