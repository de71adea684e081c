"""Start-page panel (routines due for review, for the owner's coordinators) and the menu entry."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel
from samverkan.routines.access import READERS
from samverkan.routines.selectors import review_reminders_for

register_nav(_("Rutiner och stödmaterial"), "routines:index", roles=READERS, order=43)


@panel(
    title=_("Rutiner att se över"),
    empty_text=_("Inga rutiner behöver ses över."),
    url_name="routines:index",
    order=44,
)
def review_panel(user: User) -> list[PanelItem] | None:
    reminders = review_reminders_for(user, local_date(timezone.now()))
    if not reminders:
        return None
    return [
        PanelItem(
            text=r.routine.title,
            url=reverse("routines:detail", args=[r.routine.pk]),
            detail=(
                _("Skulle ha setts över senast %(day)s")
                if r.overdue
                else _("Ses över senast %(day)s")
            )
            % {"day": r.routine.review_date.isoformat()},
            urgent=r.overdue,
        )
        for r in reminders[:8]
    ]
