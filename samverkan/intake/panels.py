"""Start-page panels and menu entries of single entry.

The hub sees its open reports with the alarm first; a receiver sees incoming
handovers and everything overdue; a ROC operator sees unanswered information
requests. Panels carry no personal data: age, municipality and deadlines only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.core.dates import format_date
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import Panel, PanelItem, panel, register_panel
from samverkan.intake import access, selectors

PANEL_ITEMS = 8


def _when(value: object) -> str:
    return format_date(timezone.localtime(value), "j M H:i")  # type: ignore[arg-type]


@register_panel
def hub_panel(user: User) -> Panel | None:
    if not access.is_hub(user):
        return None
    rows = selectors.hub_queue(user=user)
    alarms = [row for row in rows if row.escalated]
    items = [
        PanelItem(
            text=_("%(age)s år, %(where)s – %(status)s")
            % {
                "age": row.child_age,
                "where": row.district or row.municipality,
                "status": _("inte mottagen i tid") if row.escalated else row.status_label,
            },
            url=reverse("intake:hub_report", args=[row.id]),
            detail=_("Mottagen %(when)s") % {"when": _when(row.received_at)},
            urgent=row.escalated or row.rejected,
        )
        for row in sorted(rows, key=lambda r: (not r.escalated, r.received_at))[:PANEL_ITEMS]
    ]
    title = (
        ngettext(
            "Öppna anmälningar – %(count)d larm",
            "Öppna anmälningar – %(count)d larm",
            len(alarms),
        )
        % {"count": len(alarms)}
        if alarms
        else _("Öppna anmälningar")
    )
    return Panel(
        title=title,
        empty_text=_("Inga anmälningar väntar på överlämning."),
        items=items,
        url=reverse("intake:hub_queue"),
        order=5,
        links=[(_("Registrera anmälan"), reverse("intake:hub_register"))],
    )


@panel(
    title=_("Orosanmälningar att hantera"),
    empty_text=_(
        "Inga överlämningar, nya svar från polisen eller försenade bedömningar väntar på dig."
    ),
    url_name="intake:inbox",
    order=5,
)
def receiver_panel(user: User) -> list[PanelItem] | None:
    if not access.is_receiver(user):
        return None
    rows = selectors.receiving_queue(user=user)
    answers = [
        PanelItem(
            text=_("Nytt svar från polisen: anmälan %(id)s (%(kind)s)")
            % {"id": answer.report_id, "kind": answer.kind_label},
            url=reverse("intake:receiver_report", args=[answer.report_id]) + "#requests-heading",
            detail=_("Besvarad %(when)s") % {"when": _when(answer.answered_at)}
            + (str(_(" – anmälan är klar i samverkan")) if answer.report_closed else ""),
        )
        for answer in selectors.unread_answers(user=user)
    ]
    items: list[PanelItem] = []
    overdue_items: list[PanelItem] = []
    for row in rows:
        url = reverse("intake:receiver_report", args=[row.id])
        where = row.district or row.municipality
        if row.accepted_at is None:
            text = (
                _("Eskalerad – ta emot överlämning nu: %(age)s år, %(where)s")
                if row.escalated
                else _("Ta emot överlämning: %(age)s år, %(where)s")
            )
            came = (
                _("Från skolan %(school)s %(when)s")
                if row.from_school
                else _("Mottagen av Socialjouren %(when)s")
            )
            items.append(
                PanelItem(
                    text=text % {"age": row.child_age, "where": where},
                    url=url,
                    detail=came % {"school": row.reporter, "when": _when(row.received_at)},
                    urgent=True,
                )
            )
            continue
        overdue = []
        if row.protection_overdue:
            overdue.append(str(_("skyddsbedömning försenad")))
        if row.preliminary_overdue:
            overdue.append(str(_("förhandsbedömning försenad")))
        if row.feedback_overdue:
            overdue.append(str(_("återkoppling försenad")))
        if overdue:
            overdue_items.append(
                PanelItem(
                    text=_("Anmälan %(id)s: %(what)s") % {"id": row.id, "what": ", ".join(overdue)},
                    url=url,
                    detail=_("Förhandsbedömning senast %(date)s")
                    % {"date": format_date(row.preliminary_assessment_due, "j M Y")},
                    urgent=True,
                )
            )
    # handovers to take (escalated first), then answers, then overdue steps: the
    # answers are within the first items even with much overdue
    return (items + answers + overdue_items)[:PANEL_ITEMS]


@panel(
    title=_("Frågor från socialtjänsten"),
    empty_text=_("Inga informationsbegäran väntar på svar."),
    url_name="intake:police_requests",
    order=5,
    links=[(_("Status för polisens anmälningar"), "intake:police_status")],
)
def police_panel(user: User) -> list[PanelItem] | None:
    if not access.is_police_operator(user):
        return None
    requests = selectors.information_requests_for_police(user=user, open_only=True)
    return [
        PanelItem(
            text=_("Informationsbegäran: %(kind)s") % {"kind": item.get_kind_display()},
            url=reverse("intake:police_requests"),
            detail=_("Skickad %(when)s") % {"when": _when(item.sent_at)},
        )
        for item in requests[:PANEL_ITEMS]
    ]


register_nav(_("Registrera anmälan"), "intake:hub_register", roles=set(access.HUB), order=10)
register_nav(_("Anmälningskö"), "intake:hub_queue", roles=set(access.HUB), order=11)
register_nav(_("Inkommande anmälningar"), "intake:inbox", roles=set(access.RECEIVERS), order=10)
register_nav(_("Anmälningsstatus"), "intake:police_status", roles=set(access.POLICE), order=10)
register_nav(
    _("Informationsbegäran"),
    "intake:police_requests",
    roles=set(access.POLICE),
    order=11,
)
