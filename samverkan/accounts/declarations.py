"""What accounts declares for mergers and retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core import crossing
from samverkan.registry.change_rules import USERS

# Staff are the accountability trail (ADR 0005): their accounts are not anonymised by the
# retention job; an administrator deactivates an account when the person leaves.
STAFF = "Staff accounts: the accountability trail (ADR 0005), deactivated when the person leaves."

crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model="accounts.User",
        fields=("organisation",),
        category=USERS,
        label=lambda user: f"Användare {user.get_full_name() or user.get_username()}",
        is_open=lambda user, _day: user.is_active,
    ),
    crossing.OrganisationRecords(
        model="accounts.ApiClient",
        fields=("organisation",),
        category=USERS,
        label=lambda client: f"API-klient {client.name}",
        is_open=lambda client, _day: client.is_active,
    ),
)

crossing.register_personal_data(
    crossing.PersonalData(
        model="accounts.User",
        names=("username", "first_name", "last_name", "email", "phone"),
        kept=STAFF,
    ),
    crossing.PersonalData(
        model="accounts.ApiClient", not_personal={"name": "a police system's name"}
    ),
)
