"""The administrator is audited: every admin change is in the access log with what changed
(secrets never), the log's own pages are logged when read, and authenticator keys are
never shown (issue 17 point 5)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.forms import MultiWidget
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import ApiClient, Role, User
from samverkan.audit.admin_changes import HIDDEN, AuditedAdminMixin
from samverkan.audit.models import AuditEntry
from samverkan.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _fields(form: Any) -> dict[str, Any]:
    """What a browser would post for a form as shown (unchecked boxes left out)."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=False):
                data[bound.html_name + suffix] = "" if part is None else str(part)
        elif value is True:
            data[bound.html_name] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)
    return data


def change(client: Any, url: str, **changes: Any) -> Any:
    """Open an admin change page, change some fields and save, as the administrator would."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = _fields(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _fields(formset.management_form)
        for form in formset.forms:
            data |= _fields(form)
    data |= changes
    data["_save"] = "Spara"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def last_entry(record: Any) -> AuditEntry:
    return AuditEntry.objects.filter(
        record_type=record._meta.label, record_id=str(record.pk)
    ).latest("id")


def changed(entry: AuditEntry) -> dict[str, tuple[str, str]]:
    return {c["field"]: (c["old"], c["new"]) for c in entry.detail["changes"]}


def test_every_admin_registration_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


def test_authenticator_key_is_never_shown_in_the_admin(admin_client, nacka_receiver):
    device = TOTPDevice.objects.create(user=nacka_receiver, name="telefon", confirmed=True)
    base32 = base64.b32encode(bytes.fromhex(device.key)).decode()
    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/admin/otp_totp/totpdevice/",
    ):
        body = admin_client.get(url).content.decode()
        assert device.key not in body
        assert base32 not in body and base32.rstrip("=") not in body
    assert admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403


def test_changing_a_users_organisation_and_roles_is_logged_old_to_new(
    admin_client, admin_user, nacka_receiver
):
    auditor = Role.objects.get(code="auditor")
    roles = [str(role.pk) for role in nacka_receiver.roles.all()] + [str(auditor.pk)]
    solna = Organisation.objects.get(code="0184")
    change(
        admin_client,
        f"/admin/accounts/user/{nacka_receiver.pk}/change/",
        organisation=str(solna.pk),
        roles=roles,
        last_name="Nyberg",
    )
    entry = last_entry(nacka_receiver)
    assert entry.action == "change"
    assert entry.actor_user_id == admin_user.pk
    what = changed(entry)
    assert what["organisation"] == (str(Organisation.objects.get(code="0182")), str(solna))
    assert str(auditor) in what["roles"][1] and str(auditor) not in what["roles"][0]
    assert what["last_name"][1] == "Nyberg"
    # filed under the user's (new) organisation, so its auditor reviews the change
    assert entry.controller == "0184"


def test_a_password_set_in_the_admin_is_logged_without_the_password(admin_client, nacka_receiver):
    response = admin_client.post(
        f"/admin/accounts/user/{nacka_receiver.pk}/password/",
        {"password1": "Hemligt-lösen-4711", "password2": "Hemligt-lösen-4711"},
    )
    assert response.status_code == 302
    entry = last_entry(nacka_receiver)
    stored = json.dumps(entry.detail, ensure_ascii=False)
    assert "Hemligt-lösen-4711" not in stored
    assert User.objects.get(pk=nacka_receiver.pk).password not in stored
    assert changed(entry)["password"] == (HIDDEN, HIDDEN)


def test_device_and_api_client_changes_are_logged_and_keys_never(
    admin_client, nacka_receiver, api_client_for
):
    device = TOTPDevice.objects.create(user=nacka_receiver, name="telefon", confirmed=True)
    change(admin_client, f"/admin/otp_totp/totpdevice/{device.pk}/change/", name="ny telefon")
    entry = last_entry(device)
    assert changed(entry)["name"] == ("telefon", "ny telefon")
    assert device.key not in json.dumps(entry.detail)
    assert entry.controller == "0182"  # the device's user's organisation

    client, token = api_client_for("polisen-roc", name="ROC-system")
    change(admin_client, f"/admin/accounts/apiclient/{client.pk}/change/", name="ROC-system 2")
    entry = last_entry(client)
    assert changed(entry)["name"] == ("ROC-system", "ROC-system 2")
    assert token not in json.dumps(entry.detail)
    assert ApiClient.objects.get(pk=client.pk).token_hash not in json.dumps(entry.detail)


def test_organisation_change_with_an_inline_row_is_logged(admin_client):
    nacka = Organisation.objects.get(code="0182")
    change(
        admin_client,
        f"/admin/registry/organisation/{nacka.pk}/change/",
        name="Nacka kommun (ny)",
    )
    entry = last_entry(nacka)
    assert changed(entry)["name"][1] == "Nacka kommun (ny)"
    assert entry.controller == "0182"


def test_adding_and_deleting_a_group_is_logged(admin_client):
    response = admin_client.post("/admin/auth/group/add/", {"name": "Granskare extra"})
    assert response.status_code == 302
    group = Group.objects.get(name="Granskare extra")
    entry = last_entry(group)
    assert entry.action == "create"
    assert changed(entry)["name"] == ("", "Granskare extra")
    response = admin_client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEntry.objects.filter(record_type="auth.Group", record_id=str(group.pk))
    assert deleted.latest("id").action == "delete"
    assert deleted.latest("id").detail["object"] == "Granskare extra"


def test_reading_the_log_in_the_admin_is_logged(admin_client, admin_user):
    admin_client.get("/admin/audit/auditentry/", {"q": "NACKA-1"})
    read = AuditEntry.objects.filter(record_type="audit_log", actor_user=admin_user)
    assert read.latest("id").detail["q"] == "NACKA-1"
    entry = read.latest("id")
    admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert read.latest("id").detail == {"entry": str(entry.pk)}
