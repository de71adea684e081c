"""A refused request for a record leaves an attempt in the log (issue 17 point 9)."""

import pytest

from samverkan.audit.middleware import record_ids
from samverkan.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def attempts(user):
    return AuditEntry.objects.filter(action="refused", actor_user=user)


def test_a_record_the_user_may_not_see_leaves_an_attempt(signed_in, nacka_receiver):
    response = signed_in(nacka_receiver).get("/anmalningar/mottagning/987654/")
    assert response.status_code == 404
    attempt = attempts(nacka_receiver).get()
    assert (attempt.record_type, attempt.record_id) == ("intake:receiver_report", "987654")
    assert attempt.actor_organisation == "0182"
    assert attempt.detail["status"] == 404
    assert "Nekad" in attempt.reason


def test_a_record_of_another_role_leaves_an_attempt(signed_in, nacka_receiver):
    response = signed_in(nacka_receiver).get("/anmalningar/socialjouren/42/")
    assert response.status_code == 403
    attempt = attempts(nacka_receiver).get()
    assert (attempt.record_type, attempt.record_id) == ("intake:hub_report", "42")


def test_the_attempt_is_read_by_the_actors_auditor(signed_in, nacka_receiver, nacka_auditor):
    signed_in(nacka_receiver).get("/anmalningar/mottagning/987654/")
    body = signed_in(nacka_auditor).get("/logg/", {"action": "refused"}).content.decode()
    assert "987654" in body


def test_pages_without_a_record_and_anonymous_requests_leave_none(
    client, signed_in, nacka_receiver
):
    client.get("/anmalningar/mottagning/987654/")  # to the log-in page
    signed_in(nacka_receiver).get("/anmalningar/socialjouren/")  # 403, but no record named
    assert not AuditEntry.objects.filter(action="refused").exists()


def test_record_ids_are_the_id_arguments():
    assert record_ids({"pk": 3, "kind": "notice"}) == ["3"]
    assert record_ids({"board": "x", "export_format": "csv"}) == []
    assert record_ids({"agreement_id": 1, "notification_pk": 2}) == ["1", "2"]
