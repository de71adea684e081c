"""Coordinators create forums, action plans, co-location entries and indicators in the app."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.collaboration.models import Forum, ForumKind, Function
from samverkan.collaboration.tests.conftest import org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-25T10:00:00+01:00", tick=False):
        yield


def forum_form(**overrides):
    data = {
        "district": str(org("0180-farsta").pk),
        "name": "Trygghetsforum Farsta",
        "kind": ForumKind.GENERAL_QUESTIONS,
        "required_per_term": "3",
        "required_functions": [Function.UNIT_MANAGER, Function.SCHOOL_PRINCIPAL],
        "parties": [str(org("polisen-lpo-farsta").pk)],
        "purpose": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_forum_that_appears_in_the_list(
    logged_in_client, collaboration_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    index = client.get(reverse("collaboration:index")).content.decode()
    assert reverse("collaboration:forum_new") in index
    assert client.get(reverse("collaboration:forum_new")).status_code == 200
    response = client.post(reverse("collaboration:forum_new"), forum_form())
    assert response.status_code == 302
    forum = Forum.objects.get()
    assert response["Location"] == reverse("collaboration:forum_detail", args=[forum.pk])
    assert forum.district.code == "0180-farsta"
    assert forum.required_per_term == 3
    assert forum.required_functions == [Function.UNIT_MANAGER, Function.SCHOOL_PRINCIPAL]
    assert {p.code for p in forum.parties.all()} == {"0180-farsta", "polisen-lpo-farsta"}
    assert AuditEntry.objects.filter(record_type="collaboration.Forum").exists()
    assert "Trygghetsforum Farsta" in client.get(reverse("collaboration:index")).content.decode()


def test_forum_form_errors_are_swedish_and_keep_the_input(
    logged_in_client, collaboration_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    response = client.post(
        reverse("collaboration:forum_new"), forum_form(required_per_term="0", name="Mitt forum")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mitt forum" in page
    assert "större än eller lika med 1" in page
    assert Forum.objects.count() == 0


def test_forum_creation_is_for_the_districts_own_coordinator(
    logged_in_client, nacka_receiver, sodermalm_coordinator, police_coordinator
):
    url = reverse("collaboration:forum_new")
    assert logged_in_client(nacka_receiver).get(url).status_code == 403
    assert logged_in_client(nacka_receiver).post(url, forum_form()).status_code == 403
    assert logged_in_client(police_coordinator).get(url).status_code == 403
    other = logged_in_client(sodermalm_coordinator)
    assert other.get(url).status_code == 200  # for Södermalm's own forums
    assert other.post(url, forum_form()).status_code == 403  # not Farsta's
    assert Forum.objects.count() == 0
