"""Start-page panels and the menu entry of the registry (issue 10).

A user whose organisation a merger or split moved is told on the start page
for `NOTICE_DAYS` days after the change was applied (and by mail when it was
applied, see `changes.change_apply`). Administrators see planned changes, a change
whose successor has ended marked urgent (it waits for a correction).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel
from samverkan.registry import access
from samverkan.registry.changes import ended_successors_of, moved_work, notice_text, visible_changes
from samverkan.registry.models import ChangeEvent, ChangeStatus

NOTICE_DAYS = 60

register_nav(
    _("Organisationsförändringar"),
    "registry:changes",
    roles=set(access.ADMINISTRATORS),
    order=850,
)


@panel(
    title=_("Din organisation har ändrats"),
    empty_text=_("Ingen ändring av din organisation."),
    order=5,
)
def organisation_changed_panel(user: User) -> list[PanelItem] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    since = timezone.now() - timedelta(days=NOTICE_DAYS)
    events = (
        ChangeEvent.objects.filter(
            record_type="accounts.User", record_id=user.pk, change__applied_at__gte=since
        )
        .select_related("change", "from_organisation", "to_organisation")
        .order_by("-change__applied_at")
    )
    items = [
        PanelItem(
            text=notice_text(
                event.from_organisation.name,
                event.to_organisation.name if event.to_organisation else "",
                event.change.effective_date,
                moved_work(event.change_id, event.from_organisation_id),
            ),
        )
        for event in events
    ]
    if not items:
        return None
    return items


@panel(
    title=_("Planerade organisationsförändringar"),
    empty_text=_("Inga organisationsförändringar väntar."),
    url_name="registry:changes",
    order=90,
)
def planned_changes_panel(user: User) -> list[PanelItem] | None:
    if not access.can_manage_changes(user):
        return None
    planned = list(visible_changes(user).filter(status=ChangeStatus.PLANNED))
    flagged = ended_successors_of(planned)
    return [
        PanelItem(
            text=_("%(kind)s %(day)s: %(ending)s → %(successors)s")
            % {
                "kind": change.get_kind_display(),
                "day": change.effective_date.isoformat(),
                "ending": ", ".join(o.name for o in change.ending.all()),
                "successors": ", ".join(s.organisation.name for s in change.successors.all()),
            },
            url=reverse("registry:change_detail", args=[change.pk]),
            detail=_("Efterträdaren har upphört – rätta förändringen.")
            if change.pk in flagged
            else "",
            urgent=change.pk in flagged,
        )
        for change in planned
    ]
