"""Reads of agreements: status at an instant, what a user may see, what needs doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode
from samverkan.agreements import rules
from samverkan.agreements.models import (
    Agreement,
    AgreementDecision,
    AgreementParty,
    AgreementTypeCode,
    Amendment,
    Notice,
    TerminationNotification,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HUB_MUNICIPALITY = "0180"
REMINDER_HORIZON_DAYS = 60


def local_date(instant: datetime) -> date:
    """The Swedish date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(STOCKHOLM).date()


def with_events(queryset: Any) -> Any:
    """Prefetch what the status needs, so a list costs a fixed number of queries."""
    return queryset.select_related("type").prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        Prefetch(
            "decisions",
            queryset=AgreementDecision.objects.filter(amendment__isnull=True).select_related(
                "party__organisation"
            ),
            to_attr="agreement_decisions",
        ),
        Prefetch("notices", queryset=Notice.objects.order_by("given_on", "id")),
    )


def agreement_facts(agreement: Agreement) -> rules.AgreementFacts:
    parties = list(agreement.parties.all())
    decisions_list = getattr(agreement, "agreement_decisions", None)
    if decisions_list is None:
        decisions_list = list(
            agreement.decisions.filter(amendment__isnull=True).select_related("party__organisation")
        )
    decisions = {d.party.organisation.code: d.decided_on for d in decisions_list}
    notices = sorted(agreement.notices.all(), key=lambda n: (n.given_on, n.pk))
    return rules.AgreementFacts(
        terms=agreement.terms(),
        parties=tuple(p.organisation.code for p in parties),
        decisions=decisions,
        notice_given_on=notices[0].given_on if notices else None,
    )


def agreement_status_on(agreement: Agreement, day: date) -> rules.Status:
    """The agreement's status on a Swedish date."""
    return rules.status_on(agreement_facts(agreement), day)


def agreement_status_at(agreement: Agreement, at: datetime) -> rules.Status:
    """The agreement's status at an instant (its Swedish date decides)."""
    return agreement_status_on(agreement, local_date(at))


def single_entry_municipalities_in_force(on: date) -> set[str]:
    """Codes of the municipalities whose single-entry agreement with 0180 is in force on `on`.

    One indexed query over the in-force window the services keep on each
    agreement (equal, day for day, to `rules.status_on(...).in_force`).
    Stockholm (0180) itself is not in the set: it is the hub's own municipality.
    """
    return set(
        AgreementParty.objects.filter(
            agreement__type__code=AgreementTypeCode.SINGLE_ENTRY,
            agreement__in_force_from__lte=on,
            agreement__parties__organisation__code=HUB_MUNICIPALITY,
        )
        .filter(Q(agreement__in_force_until__isnull=True) | Q(agreement__in_force_until__gte=on))
        .exclude(organisation__code=HUB_MUNICIPALITY)
        .values_list("organisation__code", flat=True)
    )


def agreements_visible_to(user: Any) -> Any:
    return with_events(Agreement.objects.visible_to(user))


def can_administer(user: Any, agreement: Agreement) -> bool:
    """An agreement administrator of (or above) one of the parties."""
    if user is None or not has_role(user, RoleCode.AGREEMENT_ADMIN):
        return False
    ids = responsible_organisation_ids(user)
    return agreement.parties.filter(organisation_id__in=ids).exists()


def administered_by(user: Any) -> Any:
    if not has_role(user, RoleCode.AGREEMENT_ADMIN):
        return Agreement.objects.none()
    return agreements_visible_to(user)


def amendment_applies_from(amendment: Amendment) -> date | None:
    """The day an amendment applies: its effective date once every party decided, else None."""
    party_ids = set(amendment.agreement.parties.values_list("id", flat=True))
    decisions = {d.party_id: d.decided_on for d in amendment.decisions.all()}
    if not party_ids or party_ids - set(decisions):
        return None
    return max([amendment.effective_date, *decisions.values()])


@dataclass(frozen=True)
class Reminder:
    agreement: Agreement
    key: str
    text: str
    urgent: bool = False


def reminders_for(user: Any, today: date) -> list[Reminder]:
    """What an agreement administrator must act on (issue 3, "Reminders")."""
    found: list[Reminder] = []
    agreements = list(administered_by(user))
    unsent = set(
        TerminationNotification.objects.filter(
            agreement__in=agreements, sent_at__isnull=True
        ).values_list("agreement_id", flat=True)
    )
    horizon = today + timedelta(days=REMINDER_HORIZON_DAYS)
    for agreement in agreements:
        status = agreement_status_on(agreement, today)
        if agreement.pk in unsent:
            found.append(
                Reminder(
                    agreement,
                    f"roc-unsent:{agreement.pk}",
                    f"{agreement.title}: uppsägningen är inte skriftligen meddelad till ROC",
                    urgent=True,
                )
            )
        if status.reason == rules.Reason.DECISIONS_MISSING:
            found.append(
                Reminder(
                    agreement,
                    f"decisions-missing:{agreement.pk}",
                    f"{agreement.title}: beslut saknas från {', '.join(status.missing_parties)}",
                )
            )
        elif status.in_force and status.last_day is not None and status.last_day <= horizon:
            if status.reason == rules.Reason.NOTICE_GIVEN:
                text = f"{agreement.title}: upphör {status.last_day:%Y-%m-%d} (uppsagt)"
            else:
                renews = rules.status_on(
                    agreement_facts(agreement), status.last_day + timedelta(days=1)
                ).in_force
                verb = "förlängs automatiskt efter" if renews else "upphör efter"
                text = f"{agreement.title}: {verb} {status.last_day:%Y-%m-%d}"
            found.append(Reminder(agreement, f"term-end:{agreement.pk}:{status.last_day}", text))
    return found
