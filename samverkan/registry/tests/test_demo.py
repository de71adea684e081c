"""Demo data: idempotent, fiction-only numbers, and the demo log-ins command."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, User
from samverkan.registry.demo import load_demo
from samverkan.registry.models import (
    ContactPerson,
    OfficeHours,
    Organisation,
    PhoneLine,
    School,
    Unit,
)
from samverkan.registry.reference_data import MUNICIPALITIES

MODELS = [Organisation, Unit, OfficeHours, PhoneLine, ContactPerson, School]
# PTS: 08-465 004 00–99, 031-390 06 00–99, 040-628 04 00–99, 070-174 06 05–99.
FICTION = re.compile(
    r"^(08-465 004 \d\d|031-390 06 \d\d|040-628 04 \d\d|070-174 06 (0[5-9]|[1-9]\d))$"
)

pytestmark = pytest.mark.django_db


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_loading_the_demo_twice_creates_nothing_new():
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first
    assert len(first["Unit"]) > 40


def test_every_phone_number_is_reserved_for_fiction(registry_demo_data):
    numbers = list(PhoneLine.objects.values_list("number", flat=True))
    numbers += list(ContactPerson.objects.values_list("phone", flat=True))
    assert numbers
    assert [n for n in numbers if not FICTION.match(n)] == []
    assert len(set(PhoneLine.objects.values_list("number", flat=True))) == PhoneLine.objects.count()


def test_every_municipality_has_contact_persons_in_escalation_order(registry_demo_data):
    # The 28 of the demo's area; the rest of Sweden's municipalities have none to show.
    codes = [m.code for m in MUNICIPALITIES]
    for municipality in Organisation.objects.filter(kind="municipality", code__in=codes):
        orders = list(municipality.contact_persons.values_list("escalation_order", flat=True))
        assert orders == [1, 2], municipality.code


def test_demo_schools_have_a_district_and_a_form(registry_demo_data):
    school = School.objects.get(organisation__code="99990001")
    assert school.district.code == "0180-farsta"
    assert school.school_forms == ["förskola", "grundskola"]
    school.full_clean()


def test_demo_logins_lists_users_with_a_demo_device(registry_demo_data):
    user = User.objects.create_user(
        "demo-hub", password="x" * 20, organisation=Organisation.objects.get(code="0180")
    )
    user.roles.add(Role.objects.get_or_create(code="hub_worker")[0])
    TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    User.objects.create_user("no-device", password="x" * 20)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "demo-hub" in text and "Stockholm" in text and "Socialjouren" in text
    assert "no-device" not in text
    assert "one-time code" in text


def test_demo_logins_without_users_says_what_to_do(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "setup_demo" in out.getvalue()
