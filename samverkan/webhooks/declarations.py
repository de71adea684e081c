"""What webhooks declares: it listens to intake's announcements, and its personal data.

Listening here (imported at start-up by core/apps.py) keeps intake free of webhooks:
intake announces, this app queues (`services.deliveries_queue`), in the same
transaction.
"""

from __future__ import annotations

from samverkan.core import crossing
from samverkan.intake import announcements
from samverkan.webhooks.services import deliveries_queue


def _queue(announcement: announcements.Announcement) -> None:
    deliveries_queue(announcement)


announcements.listen("webhooks", _queue)

crossing.register_personal_data(
    crossing.PersonalData(
        model="webhooks.WebhookEndpoint",
        kept=(
            "The police system's operations address for failure mail, current while the "
            "endpoint exists; removed with it."
        ),
        names=("contact_email",),
    ),
    crossing.PersonalData(
        model="webhooks.WebhookDelivery",
        not_personal={
            "body": (
                "The report's status as the status API shows it to the police system that "
                "sent it: ids, status, times, the police reference; never an identity "
                "number, a name or the narrative. Finished deliveries are removed after "
                "WEBHOOK_LOG_DAYS (services.deliveries_prune, run by the worker hourly)."
            ),
        },
    ),
)
