"""Start-page panels and menu entries of local collaboration.

A coordinator sees forums behind on their meetings this term and overdue decisions
and activities; a school sees the status of its own concern reports; every party
sees the action-plan activities it owns that are overdue. No personal data.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samverkan.accounts.access import has_role
from samverkan.accounts.models import User
from samverkan.collaboration import access
from samverkan.collaboration.access import ACTIVITY_OWNERS, PARTICIPANTS
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.forums.selectors import forum_compliance
from samverkan.collaboration.models import ActivityStatus, DecisionStatus, MeetingDecision
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel
from samverkan.intake.school_reports.access import REPORTERS as SCHOOL_REPORTERS
from samverkan.intake.school_reports.selectors import school_reports_by

register_nav(_("Lokal samverkan"), "collaboration:index", roles=set(PARTICIPANTS), order=40)
# The school channel is intake's, but its pages live under /samverkan/ with the rest
# of a school's work; so are its menu entry and panel.
register_nav(
    _("Orosanmälan från skolan"),
    "collaboration:school_report",
    roles=set(SCHOOL_REPORTERS),
    order=41,
)


def compliance_text(forum: str, held: int, required: int, term: str) -> str:
    """ "2 av 3 möten hållna" while short; "4 möten hållna (krav 3)" once the count is met."""
    meetings = ngettext("%(n)s möte hållet", "%(n)s möten hållna", held) % {"n": held}
    if held < required:
        meetings = ngettext(
            "%(held)s av %(n)s möte hållet", "%(held)s av %(n)s möten hållna", required
        ) % {"held": held, "n": required}
    else:
        meetings = _("%(meetings)s (krav %(n)s)") % {"meetings": meetings, "n": required}
    return f"{forum}: {meetings} {term}"


@panel(
    title=_("Lokal samverkan"),
    empty_text=_("Alla forum ligger i fas denna termin och inga beslut är försenade."),
    url_name="collaboration:index",
    order=40,
)
def coordinator_panel(user: User) -> list[PanelItem] | None:
    if not access.is_coordinator(user):
        return None
    day = today()
    items: list[PanelItem] = []
    forums = access.forums_visible_to(user)
    for forum in forums:
        row = forum_compliance(forum, today=day, terms=1)[0]
        if not row.met:
            items.append(
                PanelItem(
                    text=compliance_text(forum.name, row.held, row.required, row.term.label),
                    url=reverse("collaboration:forum_detail", args=[forum.pk]),
                    detail=_("Funktioner saknas vid något möte")
                    if row.held and not row.functions_met
                    else "",
                    urgent=False,
                )
            )
    overdue = MeetingDecision.objects.filter(
        meeting__forum__in=forums, status=DecisionStatus.OPEN, due_date__lt=day
    ).select_related("meeting__forum")
    for decision in overdue[:5]:
        items.append(
            PanelItem(
                text=_("Försenat beslut: %(text)s") % {"text": decision.text[:80]},
                url=reverse("collaboration:forum_detail", args=[decision.meeting.forum_id]),
                detail=_("Klart senast %(due)s") % {"due": decision.due_date.isoformat()},
                urgent=True,
            )
        )
    return items


@panel(
    title=_("Era aktiviteter i åtgärdsplanen"),
    empty_text=_("Inga aktiviteter väntar på er."),
    order=41,
)
def activities_panel(user: User) -> list[PanelItem] | None:
    if not has_role(user, *ACTIVITY_OWNERS):
        return None
    organisation_id = user.organisation_id
    if organisation_id is None:
        return None
    day = today()
    mine = (
        access.activities_visible_to(user)
        .filter(owner_id=organisation_id)
        .exclude(status__in=[ActivityStatus.DONE, ActivityStatus.CANCELLED])
        .order_by("due_date")
    )
    if not mine.exists():
        return None
    return [
        PanelItem(
            text=activity.title,
            url=reverse("collaboration:activity_update", args=[activity.pk]),
            detail=_("Klar senast %(due)s") % {"due": activity.due_date.isoformat()},
            urgent=activity.due_date < day,
        )
        for activity in mine[:8]
    ]


@panel(
    title=_("Skolans orosanmälningar"),
    empty_text=_("Skolan har inte skickat någon anmälan här."),
    url_name="collaboration:school_report",
    links=[(_("Gör en orosanmälan"), "collaboration:school_report")],
    order=42,
)
def school_panel(user: User) -> list[PanelItem] | None:
    if not has_role(user, *SCHOOL_REPORTERS):
        return None
    reports = list(school_reports_by(user)[:5])
    return [
        PanelItem(
            text=_("Till %(to)s – %(status)s")
            % {"to": r.controller.name, "status": r.get_status_display()},
            url=reverse("collaboration:school_report_receipt", args=[str(r.public_id)]),
        )
        for r in reports
    ]
