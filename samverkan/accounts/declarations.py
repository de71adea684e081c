"""What accounts declares for mergers and retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core.crossing import (
    OrganisationRecords,
    PersonalData,
    register_organisation_records,
    register_personal_data,
)
from samverkan.registry.change_rules import USERS

# Staff are the accountability trail (ADR 0005): their accounts are not anonymised by the
# retention job; an administrator deactivates an account when the person leaves.
STAFF = "Staff accounts: the accountability trail (ADR 0005), deactivated when the person leaves."

register_organisation_records(
    OrganisationRecords(
        model="accounts.User",
        fields=("organisation",),
        category=USERS,
        label=lambda user: f"Användare {user.get_full_name() or user.get_username()}",
        is_open=lambda user, _day: user.is_active,
    ),
    OrganisationRecords(
        model="accounts.ApiClient",
        fields=("organisation",),
        category=USERS,
        label=lambda client: f"API-klient {client.name}",
        is_open=lambda client, _day: client.is_active,
    ),
)

register_personal_data(
    PersonalData(
        model="accounts.User",
        names=("username", "first_name", "last_name", "email", "phone"),
        kept=STAFF,
    ),
    PersonalData(model="accounts.ApiClient", not_personal={"name": "a police system's name"}),
)
