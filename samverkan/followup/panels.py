"""Follow-up's menu entry (it has no start-page panel)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samverkan.core.navigation import register_nav
from samverkan.followup.access import MENU_ROLES

register_nav(_("Uppföljning"), "followup:dashboard", set(MENU_ROLES), order=80)
