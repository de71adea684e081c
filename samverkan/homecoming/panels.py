"""Start-page panel: each party's open actions in homecoming plans, overdue first. Menu entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel
from samverkan.homecoming import rules
from samverkan.homecoming.access import HOMECOMING_ROLES, works_with_plans
from samverkan.homecoming.selectors import basis_changes_for_police, overdue_actions_for

SOON_DAYS = 7

register_nav(_("Hemtagning från SiS"), "homecoming:index", roles=HOMECOMING_ROLES, order=45)


@panel(
    title=_("Era åtgärder i hemtagningsplaner"),
    empty_text=_("Inga åtgärder i hemtagningsplaner väntar på er."),
    url_name="homecoming:index",
    order=46,
)
def actions_panel(user: User) -> list[PanelItem] | None:
    if not works_with_plans(user):
        return None
    due = overdue_actions_for(user, soon_days=SOON_DAYS)
    if not due:
        return None
    return [
        PanelItem(
            text=_("%(plan)s: %(text)s") % {"plan": a.plan_reference, "text": a.text[:80]},
            url=reverse("homecoming:detail", args=[a.plan_id]),
            detail=(
                _("Försenad, skulle vara klar %(due)s") if a.overdue else _("Klar senast %(due)s")
            )
            % {"due": a.due_date.isoformat()},
            urgent=a.overdue,
        )
        for a in due[:8]
    ]


@panel(
    title=_("Ändrad grund för delning i hemtagningsplaner"),
    empty_text=_("Inga ändringar."),
    url_name="homecoming:index",
    order=47,
)
def basis_changes_panel(user: User) -> list[PanelItem] | None:
    """The police are told when social services change the basis so that they see less."""
    changes = basis_changes_for_police(user)
    if not changes:
        return None
    return [
        PanelItem(
            text=_("%(plan)s: %(district)s har ändrat grunden till ”%(basis)s”")
            % {
                "plan": change.plan.reference,
                "district": change.plan.district.name,
                "basis": change.get_new_display(),
            },
            url=reverse("homecoming:index"),
            detail=_("Ni ser inte längre %(lost)s.")
            % {"lost": rules.listed([rules.Section(c) for c in change.lost_to_police])},
            urgent=False,
        )
        for change in changes[:8]
    ]
