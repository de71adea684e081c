"""The routines library: versions, the forum's page, search, review reminders, access."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.core.startpage import panels_for
from samverkan.core.testing.json_requests import send_json
from samverkan.routines import selectors, services
from samverkan.routines.models import Routine, RoutineTopic, RoutineVersion
from samverkan.routines.reminders import send_review_reminders
from samverkan.routines.tests.conftest import make_routine, org

pytestmark = pytest.mark.django_db


def revise(actor, routine, body, **extra):
    return services.routine_revise(
        actor=actor,
        routine_id=routine.pk,
        title=extra.pop("title", routine.title),
        body=body,
        change_note=extra.pop("change_note", "Ändrat"),
        review_date=extra.pop("review_date", date(2027, 11, 1)),
        **extra,
    )


# --- versions ---------------------------------------------------------------------------------


def test_each_edit_is_a_new_version_and_older_ones_stay_readable(
    routine, collaboration_coordinator, logged_in_client
):
    first = routine.current_version
    version = revise(
        collaboration_coordinator,
        routine,
        "Andra versionen: planen upprättas åtta veckor före utskrivning.",
        title="Rutin för hemtagning från SiS",
        based_on=1,
    )
    routine.refresh_from_db()
    assert version.number == 2 and routine.current_version == version
    assert routine.title == "Rutin för hemtagning från SiS"
    assert routine.review_date == date(2027, 11, 1)
    first.refresh_from_db()
    assert first.body.startswith("Första versionen") and first.number == 1
    assert list(routine.versions.values_list("number", flat=True)) == [2, 1]

    client = logged_in_client(collaboration_coordinator)
    current = client.get(reverse("routines:detail", args=[routine.pk])).content.decode()
    assert "Andra versionen" in current and "Första versionen" not in current
    old = client.get(reverse("routines:version", args=[routine.pk, 1])).content.decode()
    assert "Första versionen" in old and "inte längre gäller" in old
    api = client.get(f"/api/v1/routines/{routine.pk}").json()
    assert api["version"] == 2 and [v["number"] for v in api["versions"]] == [2, 1]
    assert (
        client.get(f"/api/v1/routines/{routine.pk}/versions/1").json()["body"].startswith("Första")
    )
    assert AuditEntry.objects.filter(
        record_type="routines.Routine", record_id=str(routine.pk), action="change"
    ).exists()


def test_a_version_is_never_changed_or_deleted(routine):
    version = routine.current_version
    version.body = "Ändrad i efterhand"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert RoutineVersion.objects.get(pk=version.pk).body.startswith("Första")


def test_an_edit_based_on_an_old_version_is_refused(routine, collaboration_coordinator):
    revise(collaboration_coordinator, routine, "Version två", based_on=1)
    with pytest.raises(services.InvalidInput, match="version 2"):
        revise(collaboration_coordinator, routine, "Min ändring av version ett", based_on=1)
    with pytest.raises(services.InvalidInput, match="oförändrad"):
        revise(collaboration_coordinator, routine, "Version två")
    assert routine.versions.count() == 2


def test_revise_through_the_form(routine, collaboration_coordinator, logged_in_client):
    client = logged_in_client(collaboration_coordinator)
    page = client.get(reverse("routines:revise", args=[routine.pk])).content.decode()
    assert "Första versionen" in page  # the editor starts from the current text
    response = client.post(
        reverse("routines:revise", args=[routine.pk]),
        {
            "based_on": "1",
            "title": routine.title,
            "body": "Ny text.",
            "change_note": "Kortare",
            "review_date": "2027-10-01",
        },
    )
    assert response.status_code == 302
    assert Routine.objects.get(pk=routine.pk).current_version.number == 2


# --- the forum's page --------------------------------------------------------------------------


def test_the_forum_page_shows_the_current_version(
    routine, forum, collaboration_coordinator, logged_in_client
):
    revise(collaboration_coordinator, routine, "Version två", title="Hemtagning, version två")
    page = logged_in_client(collaboration_coordinator).get(
        reverse("collaboration:forum_detail", args=[forum.pk])
    )
    html = page.content.decode()
    assert "Hemtagning, version två" in html and "version 2" in html
    assert "Rutin för hemtagning<" not in html


# --- search ---------------------------------------------------------------------------------------


def titles_found(user, query: str) -> list[str]:
    """The titles of the routines `user` finds by searching for `query`, in the order given."""
    return [routine.title for routine in selectors.search(user, query)]


def test_search_by_title_and_text_in_any_case(
    routine, collaboration_coordinator, sodermalm_coordinator, logged_in_client
):
    make_routine(
        collaboration_coordinator,
        title="Säkerhetsarbete i skolan",
        body="Åtgärder vid hot mot personal.",
        topic=RoutineTopic.SECURITY,
    )
    found = partial(titles_found, collaboration_coordinator)
    assert found("hemtagning") == ["Rutin för hemtagning"]
    assert found("SÄKERHETSARBETE") == ["Säkerhetsarbete i skolan"]
    assert found("åtgärder HOT") == ["Säkerhetsarbete i skolan"]  # every word, in the text
    assert found("sex veckor") == ["Rutin för hemtagning"]
    assert found("ingenting sådant") == []
    # Only the current version is searched.
    revise(collaboration_coordinator, routine, "Ny text utan det gamla ordet.")
    assert found("veckor") == []
    # Another district sees none of Farsta's routines.
    assert list(selectors.search(sodermalm_coordinator, "hemtagning")) == []
    client = logged_in_client(collaboration_coordinator)
    page = client.get(reverse("routines:index"), {"q": "säkerhet"}).content.decode()
    assert "Säkerhetsarbete i skolan" in page and "1 träff" in page
    data = client.get("/api/v1/routines/", {"q": "Åtgärder"}).json()
    assert [r["title"] for r in data] == ["Säkerhetsarbete i skolan"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("rektorn", ["Rektor och socialtjänst"]),
        ("orosanmälningarna", ["Rektor och socialtjänst"]),
        ("orosanmälningar rektorerna", ["Rektor och socialtjänst"]),
        ("skolor", ["Rektor och socialtjänst"]),
        ("elevhälsan", []),
    ],
)
def test_search_finds_swedish_inflections(query, titles, collaboration_coordinator):
    """ "rektorn" finds "Rektor", "orosanmälningarna" finds "orosanmälan" — on SQLite and
    PostgreSQL alike (the keys are computed in Python, see core.swedish_search)."""
    make_routine(
        collaboration_coordinator,
        title="Rektor och socialtjänst",
        body="Skolan gör en orosanmälan när eleven far illa.",
        topic=RoutineTopic.INVESTIGATION_RESPONSIBILITY,
    )
    assert titles_found(collaboration_coordinator, query) == titles


# --- history: versions and reviews as they were ---------------------------------------------


def test_an_old_version_shows_the_review_date_it_was_saved_with(
    routine, collaboration_coordinator, logged_in_client
):
    revise(collaboration_coordinator, routine, "Andra versionen.", review_date=date(2027, 11, 1))
    client = logged_in_client(collaboration_coordinator)
    old = client.get(reverse("routines:version", args=[routine.pk, 1])).content.decode()
    current = client.get(reverse("routines:detail", args=[routine.pk])).content.decode()
    review_of = lambda page: page.split('id="review-date">', 1)[1].split("<", 1)[0]  # noqa: E731
    assert review_of(old) != review_of(current)
    assert "2027" in review_of(old) and "1 " in review_of(old)  # 1 June 2027, version 1's
    assert RoutineVersion.objects.get(routine=routine, number=1).review_date == date(2027, 6, 1)


def test_a_confirmed_review_is_in_the_history(routine, collaboration_coordinator, logged_in_client):
    services.routine_confirm_review(
        actor=collaboration_coordinator, routine_id=routine.pk, review_date=date(2027, 12, 1)
    )
    page = logged_in_client(collaboration_coordinator).get(
        reverse("routines:detail", args=[routine.pk])
    )
    history = page.content.decode().split('id="versions"', 1)[1]
    assert "Översyn bekräftad (version 1 gäller)" in history
    assert history.index("Översyn bekräftad") < history.index("Version 1")  # newest first


def test_the_new_version_form_starts_from_the_current_review_date(
    routine, collaboration_coordinator, logged_in_client
):
    page = logged_in_client(collaboration_coordinator).get(
        reverse("routines:revise", args=[routine.pk])
    )
    assert 'name="review_date" value="2027-06-01"' in page.content.decode()


# --- review reminders --------------------------------------------------------------------------


def test_review_reminder_when_the_date_passes(
    routine, collaboration_coordinator, sodermalm_coordinator, time_machine
):
    assert selectors.review_reminders_for(collaboration_coordinator, date(2026, 11, 25)) == []
    time_machine.move_to("2027-06-02T09:00:00+02:00", tick=False)
    (reminder,) = selectors.review_reminders_for(collaboration_coordinator, date(2027, 6, 2))
    assert reminder.overdue and reminder.routine == routine
    (panel,) = [p for p in panels_for(collaboration_coordinator) if "se över" in str(p.title)]
    assert panel.items[0].urgent and panel.items[0].text == routine.title
    assert not [p for p in panels_for(sodermalm_coordinator) if "se över" in str(p.title)]

    collaboration_coordinator.email = "farsta@example.invalid"
    collaboration_coordinator.save()
    assert send_review_reminders(today=date(2027, 6, 2)) == 1
    assert routine.title in mail.outbox[0].body
    assert send_review_reminders(today=date(2027, 6, 2)) == 0  # once
    assert send_review_reminders(today=date(2027, 6, 3)) == 0  # not again the next day

    services.routine_confirm_review(
        actor=collaboration_coordinator, routine_id=routine.pk, review_date=date(2028, 6, 1)
    )
    assert selectors.review_reminders_for(collaboration_coordinator, date(2027, 6, 2)) == []
    assert routine.versions.count() == 1  # a review without changes is not a version


def test_review_due_soon_is_shown_but_not_urgent(routine, collaboration_coordinator):
    (reminder,) = selectors.review_reminders_for(collaboration_coordinator, date(2027, 5, 15))
    assert not reminder.overdue


def test_reminder_command_runs(routine, collaboration_coordinator):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("routine_reminders", stdout=out)
    assert "0 påminnelser skickade" in out.getvalue()


# --- access -------------------------------------------------------------------------------


def test_parties_of_the_forum_read_others_get_404(
    routine, sodermalm_coordinator, nacka_receiver, logged_in_client
):
    from samverkan.accounts.demo import ensure_demo_user

    police = ensure_demo_user("polis-farsta")
    client = logged_in_client(police)
    assert client.get(reverse("routines:detail", args=[routine.pk])).status_code == 200
    # A reader who is not the owner cannot edit.
    assert client.get(reverse("routines:revise", args=[routine.pk])).status_code == 403
    with pytest.raises(services.NotAllowed):
        revise(police, routine, "Polisens ändring")
    for user in (sodermalm_coordinator, nacka_receiver):
        client = logged_in_client(user)
        for url in (
            reverse("routines:detail", args=[routine.pk]),
            reverse("routines:version", args=[routine.pk, 1]),
            f"/api/v1/routines/{routine.pk}",
        ):
            assert client.get(url).status_code == 404, (user, url)
    with pytest.raises(services.NotFound):
        revise(sodermalm_coordinator, routine, "Annan ändring")


def test_create_through_the_api(collaboration_coordinator, forum, logged_in_client):
    client = logged_in_client(collaboration_coordinator)
    response = send_json(
        client,
        "/api/v1/routines/",
        {
            "owner": "0180-farsta",
            "title": "Övergång förskola–grundskola",
            "body": "Överlämningssamtal i maj.",
            "topic": "transitions",
            "review_date": "2027-08-01",
            "parties": ["polisen-lpo-farsta"],
            "forums": [forum.pk],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["version"] == 1 and data["forums"] == [forum.pk]
    # Every API instant in the one form (core.calendar.api_instant), also outside /reports.
    assert data["version_saved_at"] == "2026-11-25T10:00:00+01:00"
    assert data["parties"] == ["0180-farsta", "polisen-lpo-farsta"]
    links = send_json(client, f"/api/v1/routines/{data['id']}/links", {"parties": [], "forums": []})
    assert links.status_code == 200
    assert links.json()["parties"] == ["0180-farsta"] and links.json()["forums"] == []
    past = send_json(
        client,
        "/api/v1/routines/",
        {
            "owner": "0180-farsta",
            "title": "X",
            "body": "Y",
            "topic": "other",
            "review_date": "2026-01-01",
        },
    )
    assert past.status_code == 422


def test_the_agreement_page_shows_its_routines(
    collaboration_coordinator, agreement_admin, logged_in_client
):
    from samverkan.agreements import services as agreement_services
    from samverkan.agreements.models import AgreementTypeCode

    agreement = agreement_services.agreement_create(
        actor=None,
        type_code=AgreementTypeCode.SCHOOL_COLLABORATION,
        title="Lokal överenskommelse Farsta",
        reference="TEST-FARSTA-1",
        organisations=[org("0180-farsta"), org("polisen-lpo-farsta")],
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
    )
    routine = make_routine(
        collaboration_coordinator,
        title="Sekretess i samverkan",
        body="Text.",
        topic=RoutineTopic.SECRECY,
        agreements=[agreement],
    )
    client = logged_in_client(agreement_admin)  # Stockholm: responsible for Farsta's agreements
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Sekretess i samverkan" in page and "version 1" in page
    assert client.get(reverse("routines:detail", args=[routine.pk])).status_code == 200
    listed = client.get(reverse("routines:index"), {"avtal": agreement.pk}).content.decode()
    assert "Sekretess i samverkan" in listed
