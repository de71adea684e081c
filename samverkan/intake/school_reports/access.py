"""Who files school concern reports: the staff of a school unit (the services check the unit)."""

from __future__ import annotations

from samverkan.accounts.models import RoleCode

REPORTERS = (RoleCode.SCHOOL_STAFF,)
