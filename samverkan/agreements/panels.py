"""The agreements app's start-page panels and menu entry.

- Agreement administrators see each agreement that needs attention
  (`selectors.reminders_for`; `reminders.py` mails the same list daily).

Panels of what others did that concerns a party (issue 17):

- ROC's users (the organisation an agreement type tells when it ends) see each
  notice of termination until one of them acknowledges it.
- A party's agreement administrators see, for `ON_BEHALF_DAYS` days, each
  decision the hub municipality registered for their party (they are mailed too).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.access import has_role
from samverkan.accounts.models import RoleCode, User
from samverkan.agreements import access
from samverkan.agreements.selectors import (
    notifications_waiting_for,
    on_behalf_decisions_for,
    registered_text,
    reminders_for,
)
from samverkan.core.calendar import local_date
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel

ON_BEHALF_DAYS = 30

register_nav(_("Avtal"), "agreements:list", roles=set(access.MENU_ROLES), order=40)


@panel(
    title=_("Avtal att hantera"),
    empty_text=_("Inga avtal behöver åtgärdas."),
    url_name="agreements:list",
    order=60,
)
def agreements_panel(user: User) -> list[PanelItem] | None:
    if not has_role(user, RoleCode.AGREEMENT_ADMIN):
        return None
    return [
        PanelItem(
            text=reminder.text,
            url=reverse("agreements:detail", args=[reminder.agreement.pk]),
            urgent=reminder.urgent,
        )
        for reminder in reminders_for(user, local_date(timezone.now()))
    ]


@panel(
    title=_("Uppsagda avtal att kvittera"),
    empty_text=_("Inga uppsägningar väntar på kvittens."),
    order=15,
)
def termination_notifications_panel(user: User) -> list[PanelItem] | None:
    waiting = notifications_waiting_for(user)
    if not waiting:
        return None
    return [
        PanelItem(
            text=_("Avtal uppsagt: %(title)s – sista dag %(last_day)s")
            % {
                "title": notification.agreement.title,
                "last_day": f"{notification.notice.last_day:%Y-%m-%d}",
            },
            url=reverse("agreements:notification", args=[notification.pk]),
            detail=_("Uppsagt av %(party)s. Läs och kvittera.")
            % {"party": notification.notice.given_by.organisation.name},
            urgent=True,
        )
        for notification in waiting
    ]


@panel(
    title=_("Beslut registrerade för er räkning"),
    empty_text=_("Inga beslut har registrerats för er räkning."),
    order=61,
)
def on_behalf_panel(user: User) -> list[PanelItem] | None:
    decisions = on_behalf_decisions_for(user, timezone.now() - timedelta(days=ON_BEHALF_DAYS))
    if not decisions:
        return None
    return [
        PanelItem(
            text=_("%(title)s: beslut av %(day)s")
            % {"title": decision.agreement.title, "day": f"{decision.decided_on:%Y-%m-%d}"},
            url=reverse("agreements:detail", args=[decision.agreement_id]),
            detail=registered_text(decision, decision.party),
        )
        for decision in decisions
    ]
