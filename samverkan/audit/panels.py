"""The access log's menu entry (it has no start-page panel)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samverkan.audit.access import AUDITORS
from samverkan.core.navigation import register_nav

register_nav(_("Logg"), "audit:search", roles=set(AUDITORS), order=900)
