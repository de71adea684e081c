"""What casesystems declares: its adapters, intake's acceptances it listens to, the section
it adds to the receiver's report page, and its records (issue 21.2).

Listening here (imported at start-up by core/apps.py) keeps intake free of case systems:
intake announces an acceptance, this app queues the handover in the same transaction.
"""

from __future__ import annotations

from samverkan.casesystems import adapters
from samverkan.casesystems.lifecare.adapter import LifecareAdapter
from samverkan.casesystems.sections import receiver_report_section
from samverkan.casesystems.services import on_acceptance
from samverkan.core import crossing
from samverkan.core.page_sections import register_section
from samverkan.intake import announcements


def _queue(acceptance: announcements.Acceptance) -> None:
    on_acceptance(acceptance)


adapters.register(LifecareAdapter())
announcements.listen_acceptance("casesystems", _queue)
register_section("intake.receiver_report", "casesystems", receiver_report_section, order=50)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        "casesystems.CaseSystemConnection",
        ("organisation",),
        "A connection is the organisation's own installation of its case system; a "
        "successor connects its own (an operator sets it up, docs/operations/integrations.md).",
    ),
)
crossing.register_personal_data(
    crossing.PersonalData(
        model="casesystems.CaseSystemAttempt",
        not_personal={
            "answer": (
                "An excerpt of the case system's answer: the new actualisation's id, or its "
                "error text. The request that carried the identity number is never stored."
            ),
        },
    ),
)
