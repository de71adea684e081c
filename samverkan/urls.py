from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from samverkan.api import api

admin.site.site_header = "Samverkan – administration"
admin.site.site_title = "Samverkan"

urlpatterns = [
    path("", include("samverkan.core.urls")),
    path("konto/", include("samverkan.accounts.urls")),
    path("register/", include("samverkan.registry.urls")),
    path("avtal/", include("samverkan.agreements.urls")),
    path("anmalningar/", include("samverkan.intake.urls")),
    path("avhoppare/", include("samverkan.defectors.urls")),
    path("samverkan/", include("samverkan.collaboration.urls")),
    path("uppfoljning/", include("samverkan.followup.urls")),
    path("logg/", include("samverkan.audit.urls")),
    path("rutiner/", include("samverkan.routines.urls")),
    path("hemtagning/", include("samverkan.homecoming.urls")),
    path("verksamhetssystem/", include("samverkan.casesystems.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(settings.API_PATH, api.urls),
]

if settings.BENCHMARK:
    # Only where the benchmarking app is installed (its module imports its model).
    from samverkan.benchmarking.views import floor_urlpatterns

    urlpatterns += floor_urlpatterns
