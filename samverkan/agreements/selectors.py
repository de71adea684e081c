"""Reads of agreements: status at an instant, what a user may see, what needs doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.agreements import access, rules
from samverkan.agreements.models import (
    Agreement,
    AgreementDecision,
    AgreementParty,
    AgreementTypeCode,
    AgreementVersion,
    Amendment,
    Notice,
    TerminationNotification,
)
from samverkan.core.calendar import local_date
from samverkan.registry.reference_data import STOCKHOLM_CODE

REMINDER_HORIZON_DAYS = 60


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
            agreement__parties__organisation__code=STOCKHOLM_CODE,
        )
        .filter(Q(agreement__in_force_until__isnull=True) | Q(agreement__in_force_until__gte=on))
        .exclude(organisation__code=STOCKHOLM_CODE)
        .values_list("organisation__code", flat=True)
    )


def agreements_visible_to(actor: Any) -> Any:
    """The agreements the actor (a user or an API client) may read, with their events."""
    return with_events(access.visible_to(actor))


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
    agreements = list(with_events(access.administered_by(user)))
    horizon = today + timedelta(days=REMINDER_HORIZON_DAYS)
    pending_amendments = Amendment.objects.filter(agreement__in=agreements).prefetch_related(
        "decisions"
    )
    for amendment in pending_amendments.select_related("agreement"):
        if amendment_applies_from(amendment) is None:
            found.append(
                Reminder(
                    amendment.agreement,
                    f"amendment-decisions:{amendment.pk}",
                    f"{amendment.agreement.title}: beslut saknas om tillägg {amendment.number}",
                )
            )
    for agreement in agreements:
        status = agreement_status_on(agreement, today)
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


def on_behalf_decisions_for(user: Any, since: datetime) -> list[AgreementDecision]:
    """Decisions the hub registered for the user's parties since `since` (they are told)."""
    if not access.is_agreement_admin(user):
        return []
    return list(
        AgreementDecision.objects.filter(
            on_behalf=True,
            recorded_at__gte=since,
            party__organisation_id__in=responsible_organisation_ids(user),
        )
        .select_related(
            "agreement", "party__organisation", "recorded_by", "recorded_by_organisation"
        )
        .order_by("-recorded_at")
    )


def notifications_waiting_for(user: Any) -> list[TerminationNotification]:
    """What the system told the user's organisation (ROC) and nobody there acknowledged yet."""
    return list(
        access.notifications_to(user)
        .filter(acknowledged_at__isnull=True)
        .select_related("agreement", "notice__given_by__organisation")
        .order_by("created_at", "pk")
    )


def recorder_text(record: AgreementDecision | Notice) -> str:
    """Who registered a decision or notice, e.g. "Anna Vikander (Stockholm)"."""
    from django.utils.translation import gettext as _

    user = record.recorded_by
    if user is None:
        return str(_("systemet"))
    name = user.display_name
    organisation = record.recorded_by_organisation
    return f"{name} ({organisation.name})" if organisation else name


def registered_text(record: AgreementDecision | Notice, party: AgreementParty) -> str:
    """The history's note on who registered it: "registrerat av Stockholm för Nacka (…)"."""
    from django.utils.translation import gettext as _

    if isinstance(record, AgreementDecision) and record.on_behalf:
        user = record.recorded_by
        return _("registrerat av %(hub)s för %(party)s (%(name)s)") % {
            "hub": record.recorded_by_organisation.name if record.recorded_by_organisation else "",
            "party": party.organisation.name,
            "name": user.display_name if user else _("systemet"),
        }
    return _("registrerat av %(who)s") % {"who": recorder_text(record)}


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    text: str
    document_url: str = ""
    registered: str = ""  # who registered it (decisions and notices)


def _doc_url(kind: str, record: Any) -> str:
    """Served only through core:document, which checks access and audits the download."""
    from samverkan.core.documents import document_url

    return document_url(record)


def agreement_timeline(agreement: Agreement, today: date) -> list[TimelineEvent]:
    """Decisions, start, renewals, notice, notifications, amendments and DPAs, by date."""
    from django.utils.translation import gettext as _

    events: list[TimelineEvent] = []
    decisions = agreement.decisions.select_related(
        "party__organisation", "amendment", "recorded_by", "recorded_by_organisation"
    )
    for d in decisions:
        subject = _("tillägg %(n)s") % {"n": d.amendment.number} if d.amendment else _("avtalet")
        events.append(
            TimelineEvent(
                d.decided_on,
                "decision",
                _("Beslut om %(subject)s: %(party)s, %(body)s %(ref)s")
                % {
                    "subject": subject,
                    "party": d.party.organisation.name,
                    "body": d.body_name,
                    "ref": d.reference,
                },
                _doc_url("decision", d),
                registered_text(d, d.party),
            )
        )
    facts = agreement_facts(agreement)
    window = rules.in_force_window(facts)
    if window is not None and window[0] <= today:
        events.append(TimelineEvent(window[0], "start", _("Avtalet börjar gälla")))
        terms = agreement.terms()
        upto = today if window[1] is None else min(today, window[1])
        if terms.renews and terms.end_date is not None:
            k = 0
            while True:
                term_end = rules.add_months(terms.end_date, k * terms.renewal_months)
                next_day = term_end + timedelta(days=1)
                if next_day > upto:
                    break
                renewal, last = terms.term_at(next_day)
                if renewal <= k and last is not None:
                    break
                text = (
                    _("Förlängt (förlängning %(n)s) till och med %(last)s")
                    % {"n": renewal, "last": last}
                    if last
                    else _("Gäller därefter tills vidare")
                )
                events.append(TimelineEvent(next_day, "renewal", text))
                if last is None:
                    break
                k += 1
    for notice in agreement.notices.select_related(
        "given_by__organisation", "recorded_by", "recorded_by_organisation"
    ):
        events.append(
            TimelineEvent(
                notice.given_on,
                "notice",
                _("Uppsagt av %(party)s; sista dag %(last)s")
                % {"party": notice.given_by.organisation.name, "last": notice.last_day},
                _doc_url("notice", notice),
                registered_text(notice, notice.given_by),
            )
        )
    for task in agreement.termination_notifications.select_related("recipient"):
        events.append(
            TimelineEvent(
                local_date(task.created_at),
                "notified",
                _("Systemet underrättade %(to)s om uppsägningen") % {"to": task.recipient.name},
            )
        )
        if task.acknowledged_at:
            events.append(
                TimelineEvent(
                    local_date(task.acknowledged_at),
                    "acknowledged",
                    _("%(to)s kvitterade underrättelsen") % {"to": task.recipient.name},
                )
            )
    for amendment in agreement.amendments.all():
        applies = amendment_applies_from(amendment)
        events.append(
            TimelineEvent(
                amendment.effective_date,
                "amendment",
                _("Tillägg %(n)s: %(summary)s (%(state)s)")
                % {
                    "n": amendment.number,
                    "summary": amendment.summary,
                    "state": _("gäller från %(d)s") % {"d": applies}
                    if applies
                    else _("beslut saknas"),
                },
            )
        )
    for dpa in agreement.data_processing_agreements.select_related("controller", "processor"):
        events.append(
            TimelineEvent(
                dpa.valid_from,
                "dpa",
                _("Personuppgiftsbiträdesavtal: %(c)s ansvarig, %(p)s biträde, %(from)s–%(to)s")
                % {
                    "c": dpa.controller.name,
                    "p": dpa.processor.name,
                    "from": dpa.valid_from,
                    "to": dpa.valid_to or "",
                },
                _doc_url("dpa", dpa),
            )
        )
    if window is not None and window[1] is not None and window[1] < today:
        events.append(TimelineEvent(window[1], "end", _("Sista dagen avtalet gällde")))
    return sorted(events, key=lambda e: e.day)


def decided_on(agreement: Agreement) -> date | None:
    """The day the last party decided on the agreement itself (None while one is missing)."""
    return rules.decided_on(agreement_facts(agreement))


def pending_amendments(agreement: Agreement) -> list[Amendment]:
    """Amendments not yet decided by every party (no version of their own yet)."""
    return list(agreement.amendments.filter(versions__isnull=True).order_by("number"))


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    version: AgreementVersion | None = agreement.versions.order_by("-number").first()
    return version
