"""How long each free-text field of a concern report may be (issue 18, point 11).

One table for the hub's forms (``maxlength`` and the help text say it), the
police API's schemas (a 422 naming the field) and the services (so no channel
stores more). Generous for what a worker writes on the phone, but bounded:
a pasted document belongs in the municipality's own case system.
"""

from __future__ import annotations

from samverkan.core.errors import InvalidInput

NARRATIVE = 5000
RISK_INFORMATION = 3000
CLARIFICATION = 2000
NOTE = 1000
REJECTION_REASON = 1000
EXTENSION_REASON = 2000
QUESTION = 2000
ANSWER = 5000

# ReportInput field -> limit (the short fields' limits are their columns' lengths).
REPORT_FIELDS = {
    "narrative": NARRATIVE,
    "risk_information": RISK_INFORMATION,
    "reporting_officer_name": 200,
    "reporting_officer_unit": 200,
    "reporting_officer_phone": 40,
    "police_reference": 60,
}


def limit_text(limit: int) -> str:
    """What the form's help says: "Högst 5 000 tecken." """
    return f"Högst {limit:,} tecken.".replace(",", "\u00a0")


def check_length(field: str, value: str, limit: int) -> None:
    """`InvalidInput` naming the field when `value` is longer than `limit` characters."""
    if len(value) > limit:
        raise InvalidInput(
            field,
            f"Får vara högst {limit:,} tecken lång (nu {len(value):,}).".replace(",", "\u00a0"),
        )
