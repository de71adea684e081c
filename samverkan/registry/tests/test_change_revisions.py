"""Withdrawing and correcting a planned organisation change; a successor that has ended.

Issue 16 point 3: a planned change can be withdrawn (with a reason kept in
its history) or corrected (after a fresh preview); one whose successor has
since ended is flagged and is not carried out until corrected; of two
administrators acting at once on the same change only one succeeds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from samverkan.accounts.models import User
from samverkan.audit.models import AuditEntry
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed
from samverkan.registry import change_rules as rules
from samverkan.registry import changes
from samverkan.registry.models import ChangeStatus, Organisation, OrganisationChange, RevisionAction
from samverkan.registry.panels import planned_changes_panel

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2031, 1, 1)
ON_THE_DAY = datetime(2031, 1, 1, 0, 5, tzinfo=STOCKHOLM)
ALL = list(rules.RESPONSIBILITIES)
BASE = "/register/organisationsforandringar"


def _district(slug: str, **extra: Any) -> Organisation:
    return Organisation.objects.create(
        code=f"0180-rev-{slug}",
        name=f"Revområde {slug.upper()}",
        kind="district",
        parent=Organisation.objects.get(code="0180"),
        **extra,
    )


@pytest.fixture
def planned(db: None, admin_user: User) -> dict[str, Any]:
    """Districts A and B merging into C on EFFECTIVE; D is there to correct towards."""
    a, b, c, d = (_district(slug) for slug in "abcd")
    worker = User.objects.create_user("rev-a-user", organisation=a)
    change = changes.change_register(
        actor=admin_user,
        kind=rules.MERGER,
        effective_date=EFFECTIVE,
        ending=[a, b],
        successors={c.pk: ALL},
    )
    assert change.status == ChangeStatus.PLANNED
    return {"a": a, "b": b, "c": c, "d": d, "worker": worker, "change": change}


def _corrected_to_d(
    w: dict[str, Any], actor: Any, version: int = 0, ending: str = "ab"
) -> OrganisationChange:
    return changes.change_correct(
        actor=actor,
        change=w["change"],
        version=version,
        kind=rules.MERGER,
        effective_date=EFFECTIVE,
        ending=[w[slug] for slug in ending],
        successors={w["d"].pk: ALL},
        decision="Rättat beslut § 2",
        reason="Fel efterträdare angavs.",
    )


def _audit_reasons(change: OrganisationChange) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            record_type="registry.OrganisationChange", record_id=str(change.pk), action="change"
        ).values_list("reason", flat=True)
    )


# --- withdrawing ---------------------------------------------------------------------------


def test_a_withdrawn_change_is_kept_with_its_reason_and_never_carried_out(planned, admin_user):
    w = planned
    change = changes.change_withdraw(
        actor=admin_user, change=w["change"], version=0, reason="Beslutet upphävdes."
    )
    assert change.status == ChangeStatus.WITHDRAWN
    revision = change.revisions.get()
    assert (revision.action, revision.reason, revision.by) == (
        RevisionAction.WITHDRAWN,
        "Beslutet upphävdes.",
        admin_user,
    )
    assert revision.before["successors"] == {"0180-rev-c": ALL}
    assert _audit_reasons(change) == ["Beslutet upphävdes."]
    # The day comes: nothing moves, and routing does not follow the withdrawn change.
    assert change not in changes.apply_due_changes(now=ON_THE_DAY)
    with pytest.raises(Conflict):
        changes.change_apply(actor=None, change=change, now=ON_THE_DAY)
    w["worker"].refresh_from_db()
    assert w["worker"].organisation_id == w["a"].pk
    assert changes.successor_map([w["a"].pk]) == {w["a"].pk: w["a"].pk}


def test_withdrawing_needs_a_reason_and_an_administrator(planned, admin_user, analyst):
    with pytest.raises(InvalidInput) as error:
        changes.change_withdraw(actor=admin_user, change=planned["change"], version=0, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(NotAllowed):
        changes.change_withdraw(actor=analyst, change=planned["change"], version=0, reason="Skäl")
    planned["change"].refresh_from_db()
    assert planned["change"].status == ChangeStatus.PLANNED


def test_the_detail_page_withdraws(planned, admin_user, logged_in_client):
    client = logged_in_client(admin_user)
    change = planned["change"]
    url = f"{BASE}/{change.pk}/aterkalla/"
    page = client.get(f"{BASE}/{change.pk}/").content.decode()
    assert "Återkalla förändringen" in page and f'action="{url}"' in page
    response = client.post(url, {"version": 0, "reason": ""})
    assert response.status_code == 200 and "Detta fält måste fyllas i." in response.content.decode()
    response = client.post(url, {"version": 0, "reason": "Beslutet upphävdes."}, follow=True)
    html = response.content.decode()
    assert "Förändringen är återkallad. Den genomförs inte." in html
    assert "Beslutet upphävdes." in html and "Återkallad" in html
    # The page someone else still had open: told it changed, nothing written twice.
    response = client.post(url, {"version": 0, "reason": "Igen."}, follow=True)
    assert "sedan du öppnade sidan" in response.content.decode()
    assert change.revisions.count() == 1


# --- correcting ----------------------------------------------------------------------------


def test_a_correction_keeps_what_the_change_said_before(planned, admin_user):
    w = planned
    change = _corrected_to_d(w, admin_user)
    assert (change.version, change.decision) == (1, "Rättat beslut § 2")
    assert list(change.successors.values_list("organisation_id", flat=True)) == [w["d"].pk]
    revision = change.revisions.get()
    assert revision.action == RevisionAction.CORRECTED
    assert revision.before["successors"] == {"0180-rev-c": ALL}
    assert _audit_reasons(change) == ["Fel efterträdare angavs."]
    changes.apply_due_changes(now=ON_THE_DAY)
    w["worker"].refresh_from_db()
    assert w["worker"].organisation_id == w["d"].pk


def test_a_correction_is_checked_like_a_new_change(planned, admin_user):
    w = planned
    with pytest.raises(InvalidInput):  # D both ends and succeeds
        _corrected_to_d(w, admin_user, ending="ad")
    assert w["change"].revisions.count() == 0


def test_the_correction_page_registers_only_what_was_previewed(
    planned, admin_user, logged_in_client
):
    w = planned
    client = logged_in_client(admin_user)
    change = w["change"]
    url = f"{BASE}/{change.pk}/rattelse/"
    form = client.get(url)
    assert form.status_code == 200 and form.context["form"].initial["successor_1"] == w["c"].pk
    data = {
        "kind": "merger",
        "effective_date": EFFECTIVE.isoformat(),
        "ending": [w["a"].pk, w["b"].pk],
        "successor_1": w["d"].pk,
        "version": 0,
        "reason": "Fel efterträdare angavs.",
    }
    # Registering without a preview shows the preview first and registers nothing.
    response = client.post(url, {**data, "action": "register"})
    assert response.status_code == 200 and "Förhandsgranskning" in response.content.decode()
    assert "Användare rev-a-user" in response.content.decode()
    token = response.context["preview_token"]
    change.refresh_from_db()
    assert change.version == 0
    # Changed after the preview: previewed again, still not registered.
    other = {**data, "successor_1": w["c"].pk}
    response = client.post(url, {**other, "action": "register", "previewed": token})
    assert response.status_code == 200 and response.context["preview_token"] != token
    assert OrganisationChange.objects.get(pk=change.pk).version == 0
    # The previewed input, confirmed: corrected.
    response = client.post(url, {**data, "action": "register", "previewed": token})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.version == 1
    assert list(change.successors.values_list("organisation_id", flat=True)) == [w["d"].pk]
    # The same page posted again (a second administrator with it open): refused, shown anew.
    response = client.post(url, {**data, "action": "register", "previewed": token})
    assert response.status_code == 302 and response.url == f"{BASE}/{change.pk}/"
    assert OrganisationChange.objects.get(pk=change.pk).version == 1


def test_an_applied_change_cannot_be_revised(planned, admin_user, logged_in_client):
    change = planned["change"]
    changes.apply_due_changes(now=ON_THE_DAY)
    change.refresh_from_db()
    with pytest.raises(Conflict):
        changes.change_withdraw(
            actor=admin_user, change=change, version=change.version, reason="Skäl"
        )
    response = logged_in_client(admin_user).get(f"{BASE}/{change.pk}/rattelse/")
    assert response.status_code == 302


def test_only_administrators_withdraw_or_correct(planned, analyst, logged_in_client, client):
    change = planned["change"]
    for url in (f"{BASE}/{change.pk}/rattelse/", f"{BASE}/{change.pk}/aterkalla/"):
        assert logged_in_client(analyst).post(url, {"reason": "x", "version": 0}).status_code == 403
        assert client.post(url, {"reason": "x", "version": 0}).status_code == 302  # to log-in
    with pytest.raises(NotAllowed):
        _corrected_to_d(planned, analyst)
    change.refresh_from_db()
    assert (change.status, change.version) == (ChangeStatus.PLANNED, 0)


@pytest.mark.parametrize("second", ["withdraw", "correct"])
def test_of_two_acting_on_the_same_version_only_one_succeeds(planned, admin_user, second):
    """Both saw version 0; the conditional update lets the first through, not the second."""
    w = planned
    _corrected_to_d(w, admin_user, version=0)
    with pytest.raises(Conflict):
        if second == "withdraw":
            changes.change_withdraw(actor=admin_user, change=w["change"], version=0, reason="Skäl")
        else:
            _corrected_to_d(w, admin_user, version=0)
    change = OrganisationChange.objects.get(pk=w["change"].pk)
    assert (change.status, change.version, change.revisions.count()) == (
        ChangeStatus.PLANNED,
        1,
        1,
    )


# --- a successor that has ended ------------------------------------------------------------


def test_a_change_whose_successor_has_ended_is_flagged_and_waits(
    planned, admin_user, logged_in_client
):
    w = planned
    Organisation.objects.filter(pk=w["c"].pk).update(valid_to=date(2030, 12, 31))
    change = w["change"]
    client = logged_in_client(admin_user)
    flag = "Efterträdaren har upphört"
    assert flag in client.get(f"{BASE}/").content.decode()
    assert flag in client.get(f"{BASE}/{change.pk}/").content.decode()
    panel = planned_changes_panel(admin_user)
    assert panel is not None
    item = next(i for i in panel.items if i.url.endswith(f"/{change.pk}/"))
    assert item.urgent and flag in str(item.detail)
    # Not carried out: the job goes on with other changes, applying by hand is refused.
    assert change not in changes.apply_due_changes(now=ON_THE_DAY)
    with pytest.raises(Conflict):
        changes.change_apply(actor=None, change=change, now=ON_THE_DAY)
    w["worker"].refresh_from_db()
    assert w["worker"].organisation_id == w["a"].pk
    # Corrected to a successor that is there: carried out.
    _corrected_to_d(w, admin_user)
    assert OrganisationChange.objects.get(pk=change.pk) in changes.apply_due_changes(now=ON_THE_DAY)


def test_a_successor_another_planned_change_ends_first_is_flagged(planned, admin_user):
    w = planned
    changes.change_register(
        actor=admin_user,
        kind=rules.MERGER,
        effective_date=date(2030, 7, 1),
        ending=[w["c"]],
        successors={w["d"].pk: ALL},
    )
    panel = planned_changes_panel(admin_user)
    assert panel is not None
    item = next(i for i in panel.items if i.url.endswith(f"/{w['change'].pk}/"))
    assert item.urgent
    # ... and a new change cannot be registered with it.
    with pytest.raises(InvalidInput):
        changes.change_register(
            actor=admin_user,
            kind=rules.MERGER,
            effective_date=EFFECTIVE,
            ending=[_district("e")],
            successors={w["c"].pk: ALL},
        )
