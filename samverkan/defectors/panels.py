"""The defector coordinator's start-page panel: what waits for their municipality now."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.core.startpage import Panel, PanelItem
from samverkan.defectors import access, selectors


def defector_panel(user: User) -> Panel | None:
    if not access.may_work_with_defectors(user):
        return None
    items: list[PanelItem] = []
    for task in selectors.open_children_tasks_for(user=user):
        items.append(
            PanelItem(
                text=_("Barn har aktualiserats i uppdrag %(ref)s – klargör ansvaret")
                % {"ref": task.assignment.reference},
                url=reverse("defectors:detail", kwargs={"pk": task.assignment_id}) + "#barn",
                detail=task.description[:120],
                urgent=True,
            )
        )
    for assignment in selectors.requests_awaiting_answer_for(user=user).select_related(
        "home_municipality"
    ):
        items.append(
            PanelItem(
                text=_("Begäran om uppdrag %(ref)s från %(home)s väntar på svar")
                % {"ref": assignment.reference, "home": assignment.home_municipality.name},
                url=reverse("defectors:detail", kwargs={"pk": assignment.pk}) + "#atgarder",
            )
        )
    for reconciliation in selectors.reconciliations_awaiting_approval_for(user=user):
        items.append(
            PanelItem(
                text=_("Kostnadsavstämning %(period)s (%(a)s – %(b)s) väntar på ert godkännande")
                % {
                    "period": reconciliation.period_obj.label,
                    "a": reconciliation.party_a.name,
                    "b": reconciliation.party_b.name,
                },
                url=reverse("defectors:reconciliation", kwargs={"pk": reconciliation.pk}),
            )
        )
    return Panel(
        title=_("Avhopparuppdrag"),
        empty_text=_("Inget väntar på dig i avhopparuppdragen."),
        items=items,
        url=reverse("defectors:list"),
        order=40,
    )
