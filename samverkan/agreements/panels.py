"""Start-page panels of what others did that concerns a party (issue 17).

- ROC's users (the organisation an agreement type tells when it ends) see each
  notice of termination until one of them acknowledges it.
- A party's agreement administrators see, for `ON_BEHALF_DAYS` days, each
  decision the hub municipality registered for their party (they are mailed too).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.selectors import (
    notifications_waiting_for,
    on_behalf_decisions_for,
    registered_text,
)
from samverkan.core.startpage import Panel, PanelItem

ON_BEHALF_DAYS = 30


def termination_notifications_panel(user: User) -> Panel | None:
    waiting = notifications_waiting_for(user)
    if not waiting:
        return None
    items = [
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
    return Panel(
        title=_("Uppsagda avtal att kvittera"),
        empty_text=_("Inga uppsägningar väntar på kvittens."),
        items=items,
        order=15,
    )


def on_behalf_panel(user: User) -> Panel | None:
    decisions = on_behalf_decisions_for(user, timezone.now() - timedelta(days=ON_BEHALF_DAYS))
    if not decisions:
        return None
    items = [
        PanelItem(
            text=_("%(title)s: beslut av %(day)s")
            % {"title": decision.agreement.title, "day": f"{decision.decided_on:%Y-%m-%d}"},
            url=reverse("agreements:detail", args=[decision.agreement_id]),
            detail=registered_text(decision, decision.party),
        )
        for decision in decisions
    ]
    return Panel(
        title=_("Beslut registrerade för er räkning"),
        empty_text=_("Inga beslut har registrerats för er räkning."),
        items=items,
        order=61,
    )
