import pytest

from samverkan.accounts.models import ApiClient
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_user_actor_is_recorded_with_name_and_organisation(nacka_receiver):
    entry = audit_record(
        actor=nacka_receiver,
        action=AuditAction.VIEW,
        record_type="concern_report",
        record_id=42,
        controller="0182",
        reason="Förhandsbedömning",
    )
    assert entry.actor_user_id == nacka_receiver.pk
    assert entry.actor_client_id is None
    assert entry.actor_label == "Maja Mottag (nacka.mottagare)"
    assert entry.actor_organisation == "0182"
    assert entry.record_id == "42"
    assert entry.reason == "Förhandsbedömning"


def test_api_client_actor(organisations):
    client = ApiClient.objects.create(
        organisation=organisations["polisen-roc"], name="ROC-system", token_hash="x" * 64
    )
    entry = audit_record(
        actor=client, action=AuditAction.CREATE, record_type="concern_report", record_id="7"
    )
    assert entry.actor_client_id == client.pk
    assert entry.actor_label == "API: ROC-system"
    assert entry.actor_organisation == "polisen-roc"


def test_system_actor():
    entry = audit_record(
        actor=None, action=AuditAction.ANONYMISE, record_type="concern_report", record_id="7"
    )
    assert (entry.actor_user_id, entry.actor_client_id, entry.actor_label) == (None, None, "system")


def test_anonymous_actor():
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(
        actor=AnonymousUser(), action=AuditAction.LOGIN, record_type="user", record_id="x"
    )
    assert entry.actor_label == "anonym"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": "peek", "record_type": "t", "record_id": "1"},
        {"action": "view", "record_type": "", "record_id": "1"},
        {"action": "view", "record_type": "t", "record_id": "x" * 61},
    ],
)
def test_bad_calls_are_refused(kwargs):
    with pytest.raises(ValueError):
        audit_record(actor=None, **kwargs)


def test_unknown_actor_type_is_refused():
    with pytest.raises(TypeError):
        audit_record(actor="kalle", action="view", record_type="t", record_id="1")


def test_write_costs_at_most_a_few_queries(django_assert_max_num_queries, nacka_receiver):
    nacka_receiver.organisation  # loaded once per request anyway
    with django_assert_max_num_queries(3):
        audit_record(actor=nacka_receiver, action="view", record_type="t", record_id="1")
