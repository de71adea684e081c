"""Access follows the responsible organisation; views check roles."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from samverkan.accounts.access import has_role, responsible_organisation_ids, role_codes
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import Role, RoleCode, User
from samverkan.core.models import ScopedQuerySet
from samverkan.registry.models import ContactPerson, Organisation


class ContactPersonQuerySet(ScopedQuerySet):
    scope_field = "organisation"


def contacts(records=None):
    """The scoped queryset, limited to the records a test made (the demo has more)."""
    queryset = ContactPersonQuerySet(model=ContactPerson)
    if records is not None:
        queryset = queryset.filter(pk__in=[record.pk for record in records.values()])
    return queryset


@pytest.fixture
def contact_people(registry_demo):
    orgs = registry_demo
    return {
        code: ContactPerson.objects.create(organisation=orgs[code], name=f"Kontakt {code}")
        for code in ("0180", "0180-farsta", "0180-norra-innerstaden", "0182", "0184")
    }


def ids(*organisations: Organisation) -> set[int]:
    return {organisation.pk for organisation in organisations}


def test_stockholm_user_covers_its_districts(hub_worker, registry_demo):
    found = responsible_organisation_ids(hub_worker)

    assert ids(registry_demo["0180"], registry_demo["0180-farsta"]) <= found
    assert registry_demo["0180-norra-innerstaden"].pk in found
    assert registry_demo["0182"].pk not in found


def test_district_user_covers_only_its_district(collaboration_coordinator, registry_demo):
    found = responsible_organisation_ids(collaboration_coordinator)

    assert registry_demo["0180-farsta"].pk in found
    assert registry_demo["0180"].pk not in found
    assert registry_demo["0180-norra-innerstaden"].pk not in found


def test_nacka_user_does_not_cover_solna(nacka_receiver, registry_demo):
    found = responsible_organisation_ids(nacka_receiver)

    assert registry_demo["0182"].pk in found
    assert registry_demo["0184"].pk not in found


def test_user_without_organisation_and_anonymous_see_nothing(admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert responsible_organisation_ids(admin_user) == frozenset()
    assert responsible_organisation_ids(AnonymousUser()) == frozenset()


def test_visible_to_lets_nacka_read_its_own_record_but_not_solnas(nacka_receiver, contact_people):
    visible = contacts(contact_people).visible_to(nacka_receiver)

    assert contact_people["0182"] in visible
    assert contact_people["0184"] not in visible
    assert not visible.filter(pk=contact_people["0184"].pk).exists()


def test_visible_to_stockholm_includes_district_records(hub_worker, contact_people):
    visible = set(contacts(contact_people).visible_to(hub_worker))

    assert visible == {
        contact_people["0180"],
        contact_people["0180-farsta"],
        contact_people["0180-norra-innerstaden"],
    }


def test_visible_to_district_user_excludes_the_city_and_other_districts(
    collaboration_coordinator, contact_people
):
    assert set(contacts(contact_people).visible_to(collaboration_coordinator)) == {
        contact_people["0180-farsta"]
    }


def test_visible_to_user_without_organisation_is_empty(admin_user, contact_people):
    assert not contacts(contact_people).visible_to(admin_user).exists()


def test_roles_come_from_the_users_role_rows(nacka_receiver, hub_worker):
    assert role_codes(nacka_receiver) == {RoleCode.RECEIVER}
    assert has_role(hub_worker, RoleCode.HUB_WORKER, RoleCode.RECEIVER)
    assert not has_role(nacka_receiver, RoleCode.HUB_WORKER)


def test_every_role_code_exists_after_migrate(db):
    assert set(Role.objects.values_list("code", flat=True)) == set(RoleCode.values)


@role_required(RoleCode.RECEIVER, RoleCode.HUB_WORKER)
def handover_view(request):
    return HttpResponse("ok")


class TestRoleRequired:
    def request_as(self, user):
        request = RequestFactory().get("/mottagning/")
        request.user = user
        return request

    def test_user_with_the_role_gets_the_page(self, nacka_receiver):
        assert handover_view(self.request_as(nacka_receiver)).status_code == 200

    def test_user_without_the_role_gets_403(self, analyst):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            handover_view(self.request_as(analyst))

    def test_anonymous_is_sent_to_log_in_and_back(self):
        from django.contrib.auth.models import AnonymousUser

        response = handover_view(self.request_as(AnonymousUser()))

        assert response.status_code == 302
        assert response["Location"] == "/konto/logga-in/?next=/mottagning/"

    def test_superuser_without_the_role_is_refused_too(self, admin_user):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            handover_view(self.request_as(admin_user))

    def test_needs_at_least_one_role(self):
        with pytest.raises(ValueError):
            role_required()

    def test_forbidden_through_the_full_stack_is_a_403_page(
        self, logged_in_client, analyst, settings
    ):
        from django.urls import path

        import samverkan.urls as project_urls

        class Urls:
            urlpatterns = [path("mottagning/", handover_view), *project_urls.urlpatterns]

        settings.ROOT_URLCONF = Urls
        browser = logged_in_client(analyst)

        assert browser.get("/mottagning/").status_code == 403


def test_user_model_has_organisation(nacka_receiver):
    assert User.objects.get(pk=nacka_receiver.pk).organisation.code == "0182"
