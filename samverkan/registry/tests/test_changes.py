"""Mergers and splits (issue 10): what moves, what stays, idempotence, routing, statistics."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, AgreementParty, AgreementType
from samverkan.audit.models import AuditEntry
from samverkan.collaboration.models import ActionPlan, Activity, Forum
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import InvalidInput
from samverkan.defectors.models import Assignment
from samverkan.intake.services import ReportInput, report_decide
from samverkan.intake.snapshot import registry_snapshot
from samverkan.registry import change_rules as rules
from samverkan.registry.changes import (
    apply_due_changes,
    change_apply,
    change_plan,
    change_register,
    successor_map,
)
from samverkan.registry.models import (
    ChangeEvent,
    ChangeStatus,
    OfficeHours,
    Organisation,
    OrganisationChange,
    OrganisationKind,
    PhoneLine,
    PhonePurpose,
    Unit,
    UnitKind,
)
from samverkan.registry.panels import organisation_changed_panel
from samverkan.registry.selectors import home_district

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2024, 3, 1)
NOW = datetime(2024, 3, 2, 9, 0, tzinfo=STOCKHOLM)
ALL = list(rules.RESPONSIBILITIES)


def _org(code: str, name: str, **extra: Any) -> Organisation:
    stockholm = Organisation.objects.get(code="0180")
    return Organisation.objects.create(
        code=code, name=name, kind=OrganisationKind.DISTRICT, parent=stockholm, **extra
    )


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Two fictional districts A and B merging into C, with open and closed work of every kind."""
    a = _org("0180-test-a", "Testområde A")
    b = _org("0180-test-b", "Testområde B")
    c = _org("0180-test-c", "Testområde C", valid_from=EFFECTIVE)
    gothenburg = Organisation.objects.get(code="1480")
    kind = AgreementType.objects.get(code="defector_services")

    def agreement(reference: str, until: date | None) -> Agreement:
        return Agreement.objects.create(
            type=kind,
            title=f"Avtal {reference}",
            reference=reference,
            start_date=date(2022, 1, 1),
            renewal_months=12,
            notice_months=6,
            in_force_from=date(2022, 1, 1),
            in_force_until=until,
        )

    open_agreement = agreement("T-OPEN", None)
    closed_agreement = agreement("T-CLOSED", date(2023, 12, 31))
    both_agreement = agreement("T-BOTH", None)
    open_party = AgreementParty.objects.create(
        agreement=open_agreement, organisation=a, acting_body="Testområde A:s nämnd"
    )
    AgreementParty.objects.create(agreement=open_agreement, organisation=gothenburg)
    closed_party = AgreementParty.objects.create(agreement=closed_agreement, organisation=a)
    both_a = AgreementParty.objects.create(agreement=both_agreement, organisation=a)
    both_b = AgreementParty.objects.create(agreement=both_agreement, organisation=b)

    def assignment(reference: str, state: str) -> Assignment:
        return Assignment.objects.create(
            reference=reference,
            agreement=open_agreement,
            home_municipality=gothenburg,
            receiving_municipality=Organisation.objects.get(code="0180"),
            receiving_handler=b,
            person_alias="Klient Test",
            state=state,
            created_at=NOW.replace(year=2023),
        )

    open_assignment = assignment("AVH-T-1", "active")
    ended_assignment = assignment("AVH-T-2", "ended")

    forum = Forum.objects.create(
        district=a, name="Testforum", kind="general_questions", required_per_term=2
    )
    forum.parties.set([a, b, gothenburg])
    plan = ActionPlan.objects.create(
        district=a, title="Plan 2024", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )
    old_plan = ActionPlan.objects.create(
        district=a, title="Plan 2023", period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)
    )
    open_activity, done_activity = (
        Activity.objects.create(
            plan=plan, title=title, owner=a, target_group=group, status=status, due_date=due
        )
        for title, group, status, due in (
            ("Trygghetsvandring", "unsafe_places", "ongoing", date(2024, 6, 1)),
            ("Föräldramöte", "young_people_at_risk", "done", date(2024, 2, 1)),
        )
    )
    unit = Unit.objects.create(
        organisation=a, code="test-a-mottagning", name="A mottagning", kind=UnitKind.INTAKE
    )
    unit.covers.set([a])
    PhoneLine.objects.create(unit=unit, number="08-465 004 98", purpose=PhonePurpose.OFFICE_HOURS)
    OfficeHours.objects.create(unit=unit, weekday=0, opens=time(8), closes=time(16))
    old_unit = Unit.objects.create(
        organisation=b,
        code="test-b-gammal",
        name="B gammal enhet",
        kind=UnitKind.OTHER,
        valid_to=date(2023, 12, 31),
    )
    user = User.objects.create_user(
        "test-a-user", email="a@example.invalid", organisation=a, first_name="Åsa"
    )
    gone = User.objects.create_user("test-a-gone", organisation=a, is_active=False)
    return locals()


def _merge(
    world: dict[str, Any], actor: Any = None, effective: date = EFFECTIVE, now: Any = NOW
) -> Any:
    return change_register(
        actor=actor,
        kind=rules.MERGER,
        effective_date=effective,
        ending=[world["a"], world["b"]],
        successors={world["c"].pk: ALL},
        decision="Testbeslut § 1",
        now=now,
    )


def _state(world: dict[str, Any]) -> dict[str, Any]:
    """Every organisation reference the merger may touch, read fresh from the database."""
    return {
        "parties": sorted(AgreementParty.objects.values_list("pk", "organisation_id")),
        "assignments": sorted(Assignment.objects.values_list("pk", "receiving_handler_id")),
        "forums": sorted(Forum.objects.values_list("pk", "district_id")),
        "forum_parties": sorted(world["forum"].parties.values_list("pk", flat=True)),
        "plans": sorted(ActionPlan.objects.values_list("pk", "district_id")),
        "activities": sorted(Activity.objects.values_list("pk", "owner_id")),
        "units": sorted(Unit.objects.values_list("pk", "organisation_id")),
        "covers": sorted(world["unit"].covers.values_list("pk", flat=True)),
        "users": sorted(User.objects.values_list("pk", "organisation_id")),
        "events": ChangeEvent.objects.count(),
    }


def test_a_merger_moves_every_kind_of_open_record_and_leaves_closed_ones(
    world, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        change = _merge(w, admin_user, now=None)  # applied now: the notice is fresh
    assert change.status == ChangeStatus.APPLIED  # a past date is applied at once

    def org(obj: Any, field: str) -> int:
        obj.refresh_from_db()
        return getattr(obj, f"{field}_id")

    c, a, b = w["c"].pk, w["a"].pk, w["b"].pk
    # Agreement party: the agreement stays in force, the successor is bound.
    assert org(w["open_party"], "organisation") == c
    assert w["open_party"].acting_body == "Testområde A:s nämnd"  # who signed stays on record
    assert org(w["closed_party"], "organisation") == a
    # Both ending districts were parties: one becomes the successor, no duplicate party.
    assert {org(w["both_a"], "organisation"), org(w["both_b"], "organisation")} == {c, b}
    # Defector assignments.
    assert org(w["open_assignment"], "receiving_handler") == c
    assert org(w["ended_assignment"], "receiving_handler") == b
    # Forums (convener and parties, B dropped since C is there already), plans, activities.
    assert org(w["forum"], "district") == c
    assert set(w["forum"].parties.values_list("code", flat=True)) == {"0180-test-c", "1480"}
    assert org(w["plan"], "district") == c
    assert org(w["old_plan"], "district") == a
    assert org(w["open_activity"], "owner") == c
    assert org(w["done_activity"], "owner") == a
    # Units go with their phone lines and office hours; a unit no longer valid stays.
    assert org(w["unit"], "organisation") == c
    assert list(w["unit"].covers.values_list("pk", flat=True)) == [c]
    assert w["unit"].phone_lines.count() == 1 and w["unit"].office_hours.count() == 1
    assert org(w["old_unit"], "organisation") == b
    # Memberships: active users move and are told; deactivated ones keep their organisation.
    assert org(w["user"], "organisation") == c
    assert org(w["gone"], "organisation") == a
    assert [m.to for m in mailoutbox] == [["a@example.invalid"]]
    assert "Testområde C" in mailoutbox[0].body
    panel = organisation_changed_panel(w["user"])
    assert panel is not None and "Testområde A har gått upp i Testområde C" in str(
        panel.items[0].text
    )
    # The ending organisations end the day before; an event per moved record; audited.
    w["a"].refresh_from_db()
    assert w["a"].valid_to == date(2024, 2, 29)
    events = set(change.events.values_list("record_type", "field", "action"))
    assert events == {
        ("agreements.AgreementParty", "organisation", "move"),
        ("defectors.Assignment", "receiving_handler", "move"),
        ("collaboration.Forum", "district", "move"),
        ("collaboration.Forum", "parties", "move"),
        ("collaboration.Forum", "parties", "remove"),
        ("collaboration.ActionPlan", "district", "move"),
        ("collaboration.Activity", "owner", "move"),
        ("registry.Unit", "organisation", "move"),
        ("registry.Unit", "covers", "move"),
        ("accounts.User", "organisation", "move"),
    }
    assert change.events.count() == 11  # two agreement parties, the rest one each
    actions = AuditEntry.objects.filter(
        record_type="registry.OrganisationChange", record_id=str(change.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["change", "create"]


def test_a_rerun_changes_nothing(world, admin_user):
    change = _merge(world, admin_user)
    apply_due_changes(now=NOW)  # whatever else was due (the 2023 mergers) is applied first
    before = _state(world)
    assert apply_due_changes(now=NOW) == []
    assert change_apply(actor=None, change=change, now=NOW) == []
    # Even with the status put back by hand, applying again finds nothing left to move.
    OrganisationChange.objects.filter(pk=change.pk).update(status=ChangeStatus.PLANNED)
    change.refresh_from_db()
    assert change_apply(actor=None, change=change, now=NOW) == []
    assert _state(world) == before


def test_the_preview_lists_what_will_move_and_the_job_applies_it_on_the_day(world, admin_user):
    change = _merge(world, admin_user, effective=date(2024, 4, 1))
    assert change.status == ChangeStatus.PLANNED
    plan = change_plan(change)
    moved = {(m.candidate.record_type, m.candidate.label) for m in plan.moves}
    assert ("agreements.AgreementParty", "Avtal T-OPEN (T-OPEN)") in moved
    assert ("defectors.Assignment", "Avhopparuppdrag AVH-T-1") in moved
    assert ("registry.Unit", "Enhet A mottagning") in moved
    assert ("accounts.User", "Användare Åsa") in moved
    kept = {m.candidate.label for m in plan.kept}
    assert {"Avtal T-CLOSED (T-CLOSED)", "Avhopparuppdrag AVH-T-2", "Enhet B gammal enhet"} <= kept
    unit_row = next(
        m
        for m in plan.moves
        if m.candidate.label == "Enhet A mottagning" and m.candidate.field == "organisation"
    )
    assert unit_row.candidate.detail == "med 1 telefonnummer och 1 öppettider"
    # Nothing moved yet; the job does nothing the day before and applies it on the day.
    assert ChangeEvent.objects.filter(change=change).count() == 0
    assert change not in apply_due_changes(now=datetime(2024, 3, 31, 23, 59, tzinfo=STOCKHOLM))
    applied = apply_due_changes(now=datetime(2024, 4, 1, 0, 1, tzinfo=STOCKHOLM))
    assert change in applied
    assert ChangeEvent.objects.filter(change=change).count() == len(plan.moves)


def test_the_admin_page_previews_then_registers(world, logged_in_client, admin_user):
    client = logged_in_client(admin_user)
    assert client.get("/register/organisationsforandringar/").status_code == 200
    data = {
        "kind": "merger",
        "effective_date": "2030-01-01",
        "ending": [world["a"].pk, world["b"].pk],
        "successor_1": world["c"].pk,
        "decision": "Testbeslut",
        "action": "preview",
    }
    response = client.post("/register/organisationsforandringar/ny/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Avhopparuppdrag AVH-T-1" in html and "Enhet A mottagning" in html
    assert "Står kvar" in html or "Avslutad" in html
    assert not OrganisationChange.objects.filter(effective_date=date(2030, 1, 1)).exists()
    response = client.post(
        "/register/organisationsforandringar/ny/",
        {**data, "action": "register", "previewed": response.context["preview_token"]},
    )
    change = OrganisationChange.objects.get(effective_date=date(2030, 1, 1))
    assert response.status_code == 302 and change.status == ChangeStatus.PLANNED
    detail = client.get(f"/register/organisationsforandringar/{change.pk}/").content.decode()
    assert "Avtal T-OPEN" in detail


def test_only_administrators_reach_the_pages(logged_in_client, analyst, client):
    assert logged_in_client(analyst).get("/register/organisationsforandringar/").status_code == 403
    assert client.get("/register/organisationsforandringar/ny/").status_code == 302


def test_a_split_gives_each_responsibility_to_one_successor(world):
    d = _org("0180-test-d", "Testområde D")
    change = change_register(
        actor=None,
        kind=rules.SPLIT,
        effective_date=EFFECTIVE,
        ending=[world["a"]],
        successors={
            world["c"].pk: ["agreements", "defectors", "units"],
            d.pk: ["collaboration", "users"],
        },
        now=NOW,
    )
    assert change.status == ChangeStatus.APPLIED
    world["open_party"].refresh_from_db()
    world["forum"].refresh_from_db()
    world["user"].refresh_from_db()
    assert world["open_party"].organisation_id == world["c"].pk
    assert world["forum"].district_id == d.pk
    assert world["user"].organisation_id == d.pk
    with pytest.raises(InvalidInput):
        change_register(
            actor=None,
            kind=rules.SPLIT,
            effective_date=EFFECTIVE,
            ending=[world["b"]],
            successors={world["c"].pk: ["agreements"], d.pk: ["agreements"]},
            now=NOW,
        )


def _route(district: str, at: datetime) -> Any:
    return report_decide(
        data=ReportInput(
            person_id=None,
            birth_date=date(2010, 1, 1),
            found_in="0180",
            home_municipality="0180",
            home_district=district,
            gang_related=True,
        ),
        at=at,
    )


def test_routing_before_and_after_the_2023_merger_in_swedish_time():
    just_before = datetime(2023, 6, 30, 23, 59, tzinfo=STOCKHOLM)  # 21:59 UTC
    just_after = datetime(2023, 7, 1, 0, 0, tzinfo=STOCKHOLM)  # 22:00 UTC on 30 June
    before = _route("Spånga-Tensta", just_before)
    after = _route("Spånga-Tensta", just_after)
    assert before.responsible_organisation == "0180-spanga-tensta"
    assert before.responsible_district == "Spånga-Tensta"
    assert after.responsible_organisation == "0180-jarva"
    assert after.responsible_district == "Järva"  # the former name answers with the successor
    assert _route("Östermalm", just_after).responsible_organisation == "0180-norra-innerstaden"
    with pytest.raises(InvalidInput):
        _route("Järva", just_before)  # did not exist yet
    # In office hours each goes to the intake unit valid then.
    friday = _route("Spånga-Tensta", datetime(2023, 6, 30, 10, 0, tzinfo=STOCKHOLM))
    monday = _route("Spånga-Tensta", datetime(2023, 7, 3, 10, 0, tzinfo=STOCKHOLM))
    assert friday.receiving_unit is not None and friday.receiving_unit.name.startswith(
        "Spånga-Tensta"
    )
    assert monday.receiving_unit is not None and monday.receiving_unit.name.startswith("Järva")


def test_home_district_accepts_former_names():
    stockholm = Organisation.objects.get(code="0180")
    assert home_district(stockholm, "spånga-tensta", on=date(2024, 1, 1)).code == "0180-jarva"
    assert home_district(stockholm, "Norrmalm", on=date(2024, 1, 1)).code == (
        "0180-norra-innerstaden"
    )
    assert home_district(stockholm, "Spånga-Tensta", on=date(2023, 6, 30)).code == (
        "0180-spanga-tensta"
    )
    assert home_district(stockholm, "Farsta", on=date(2024, 1, 1)).code == "0180-farsta"
    with pytest.raises(Organisation.DoesNotExist):
        home_district(stockholm, "Järva", on=date(2023, 6, 30))


def test_routing_at_an_earlier_instant_sees_a_moved_unit_where_it_was(world):
    _merge(world)
    then = registry_snapshot(datetime(2024, 2, 20, 10, 0, tzinfo=STOCKHOLM))
    now = registry_snapshot(datetime(2024, 3, 20, 10, 0, tzinfo=STOCKHOLM))
    unit_then = next(u for u in then.units if u.id == world["unit"].pk)
    unit_now = next(u for u in now.units if u.id == world["unit"].pk)
    assert (unit_then.organisation, unit_then.covers) == ("0180-test-a", ("0180-test-a",))
    assert (unit_now.organisation, unit_now.covers) == ("0180-test-c", ("0180-test-c",))


def test_successor_map_follows_chains():
    spanga = Organisation.objects.get(code="0180-spanga-tensta")
    jarva = Organisation.objects.get(code="0180-jarva")
    assert successor_map([spanga.pk]) == {spanga.pk: jarva.pk}
    assert successor_map([spanga.pk], date(2023, 6, 30)) == {spanga.pk: spanga.pk}
