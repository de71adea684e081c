"""The defector coordinator's start-page panel (what waits for their municipality) and menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel
from samverkan.defectors import access, selectors

register_nav(_("Avhoppare"), "defectors:list", set(access.MENU_ROLES), order=50)


@panel(
    title=_("Avhopparuppdrag"),
    empty_text=_("Inget väntar på dig i avhopparuppdragen."),
    url_name="defectors:list",
    order=40,
)
def defector_panel(user: User) -> list[PanelItem] | None:
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
    return items
