from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from samverkan.accounts import views

app_name = "accounts"


def oidc_urlpatterns() -> list[URLPattern | URLResolver]:
    """OpenID Connect log-in (mozilla-django-oidc's views, our callback class)."""
    return [path("oidc/", include("mozilla_django_oidc.urls"))]


urlpatterns: list[URLPattern | URLResolver] = [
    path("logga-in/", views.login_view, name="login"),
    path("aktivera-tvafaktor/", views.enrol_view, name="enrol"),
    path("logga-ut/", views.logout_view, name="logout"),
]
if settings.OIDC_ENABLED:
    urlpatterns += oidc_urlpatterns()
