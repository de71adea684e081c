"""The administrator's start-page panel (accounts that need attention) and menu entry."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.access import ADMINISTRATORS, can_administer
from samverkan.accounts.models import User
from samverkan.core.navigation import register_nav
from samverkan.core.startpage import PanelItem, panel

MAX_ITEMS = 20

register_nav(_("Administration"), "admin:index", set(ADMINISTRATORS), order=900)


def users_without_second_factor() -> list[User]:
    """Active users who cannot log in yet: no confirmed TOTP device."""
    return list(
        User.objects.filter(is_active=True)
        .exclude(totpdevice__confirmed=True)
        .select_related("organisation")
        .order_by("username")
    )


def locked_usernames() -> list[str]:
    """User names django-axes currently locks out."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return sorted(set(attempts.exclude(username__isnull=True).values_list("username", flat=True)))


@panel(
    title=_("Konton som behöver åtgärd"),
    empty_text=_("Alla konton har tvåfaktorsinloggning och inget konto är låst."),
    url_name="admin:accounts_user_changelist",
    order=90,
)
def accounts_panel(user: User) -> list[PanelItem] | None:
    if not can_administer(user):
        return None
    items: list[PanelItem] = []
    for username in locked_usernames()[:MAX_ITEMS]:
        items.append(
            PanelItem(
                text=_("%(username)s är låst efter för många misslyckade inloggningar")
                % {"username": username},
                url=reverse("admin:axes_accessattempt_changelist") + f"?username={username}",
                urgent=True,
            )
        )
    for other in users_without_second_factor()[:MAX_ITEMS]:
        items.append(
            PanelItem(
                text=_("%(username)s saknar tvåfaktorsinloggning och kan inte logga in")
                % {"username": other.username},
                url=reverse("admin:accounts_user_change", args=[other.pk]),
                detail=(
                    _("får aktivera själv vid nästa inloggning")
                    if other.can_self_enrol
                    else (other.organisation.name if other.organisation else "")
                ),
            )
        )
    return items
