"""The registry's admin pages answer, in Swedish, for an administrator past the second factor."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import User
from samverkan.registry.models import Organisation, Unit


@pytest.fixture
def admin_client(client, registry_demo_data, settings):
    # No collectstatic needed for these pages: plain storage instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user = User.objects.create_superuser("admin-test", password="x" * 20)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/registry/organisation/",
        "/admin/registry/organisation/?kind=district",
        "/admin/registry/organisation/?q=nacka",
        "/admin/registry/unit/?kind=out_of_hours",
        "/admin/registry/contactperson/",
        "/admin/registry/school/",
    ],
)
def test_admin_lists(admin_client, path):
    response = admin_client.get(path, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200


def test_admin_change_pages_show_units_and_hours(admin_client):
    nacka = Organisation.objects.get(code="0182")
    body = admin_client.get(f"/admin/registry/organisation/{nacka.pk}/change/").content.decode()
    assert "Socialjour Sydost" in body
    unit = Unit.objects.get(code="socialjour-sydost")
    body = admin_client.get(f"/admin/registry/unit/{unit.pk}/change/").content.decode()
    assert "Öppettider" in body or "öppettider" in body
    assert "08-465 004 50" in body
