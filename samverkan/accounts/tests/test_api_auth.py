"""API clients: a token printed once, stored only hashed, refused once revoked."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from ninja import Router
from ninja.testing import TestClient

from samverkan.accounts.api_auth import ApiTokenAuth, api_client_revoke, client_for_token
from samverkan.accounts.demo import DEMO_API_TOKEN
from samverkan.accounts.models import ApiClient

router = Router(auth=ApiTokenAuth())


@router.get("/whoami")
def whoami(request):
    return {"client": request.auth.name, "organisation": request.auth.organisation.code}


api = TestClient(router)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(code: str, name: str) -> str:
    out = StringIO()
    call_command("create_api_client", "--organisation", code, "--name", name, stdout=out)
    return out.getvalue()


def test_command_prints_a_token_that_authenticates(registry_demo):
    output = create("polisen-roc", "ROC ärendesystem")
    token = output.strip().splitlines()[-1]

    response = api.get("/whoami", headers=bearer(token))

    assert response.status_code == 200
    assert response.json() == {"client": "ROC ärendesystem", "organisation": "polisen-roc"}


def test_token_is_stored_only_as_its_sha256_hash(registry_demo):
    token = create("polisen-roc", "ROC ärendesystem").strip().splitlines()[-1]
    client = ApiClient.objects.get(name="ROC ärendesystem")

    assert token.startswith("svk_") and len(token) > 40
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in ApiClient.objects.values_list().get(pk=client.pk)]
    assert token not in stored
    assert client.token_prefix == token[:10]


def test_each_client_gets_its_own_token(api_client_for):
    _client_a, token_a = api_client_for("polisen-roc", name="A")
    _client_b, token_b = api_client_for("polisen-roc", name="B")

    assert token_a != token_b


def test_unknown_organisation_is_a_clear_error_with_exit_code(registry_demo):
    with pytest.raises(CommandError, match="Okänd organisationskod") as raised:
        create("polisen-finns-inte", "X")
    assert raised.value.returncode == 1
    assert not ApiClient.objects.exists()


def test_duplicate_name_is_a_clear_error(registry_demo):
    create("polisen-roc", "ROC ärendesystem")

    with pytest.raises(CommandError, match="redan en API-klient"):
        create("polisen-roc", "ROC ärendesystem")
    assert ApiClient.objects.count() == 1


def test_revoked_client_gets_401(api_client_for):
    client, token = api_client_for("polisen-roc")
    assert api.get("/whoami", headers=bearer(token)).status_code == 200

    api_client_revoke(client=client)

    assert api.get("/whoami", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer svk_not-a-real-token"},
        {"Authorization": "Bearer not-even-the-prefix"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_missing_or_wrong_token_gets_401(api_client_for, header):
    api_client_for("polisen-roc")

    assert api.get("/whoami", headers=header).status_code == 401


def test_demo_roc_client_authenticates_with_the_demo_token(roc_api_client):
    client, token = roc_api_client

    assert token == DEMO_API_TOKEN
    assert client_for_token(DEMO_API_TOKEN) == client
    assert client.organisation.code == "polisen-roc"


def test_other_police_client_belongs_to_another_organisation(
    roc_api_client, other_police_api_client
):
    client, token = other_police_api_client

    assert client_for_token(token) == client
    assert client.organisation.code != roc_api_client[0].organisation.code


def test_admin_lists_clients_without_tokens_and_can_revoke(
    logged_in_client, admin_user, api_client_for
):
    client, token = api_client_for("polisen-roc")
    browser = logged_in_client(admin_user)

    page = browser.get("/admin/accounts/apiclient/").content.decode()
    assert client.name in page
    assert token not in page and client.token_hash not in page

    browser.post(
        "/admin/accounts/apiclient/",
        {"action": "revoke", "_selected_action": [client.pk]},
    )

    client.refresh_from_db()
    assert not client.is_active
    assert client_for_token(token) is None


def test_creating_and_revoking_a_client_is_in_the_access_log(api_client_for):
    from samverkan.audit.models import AuditEntry

    client, _token = api_client_for("polisen-roc")
    api_client_revoke(client=client)

    actions = list(
        AuditEntry.objects.filter(record_type="accounts.ApiClient", record_id=str(client.pk))
        .order_by("id")
        .values_list("action", "controller")
    )
    assert actions == [("create", "polisen-roc"), ("change", "polisen-roc")]
