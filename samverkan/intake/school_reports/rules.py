"""Pure rules of the school channel: how a school's report maps onto intake's report.

A school reports straight to the district (or municipality) where the pupil is
registered (folkbokförd); the report is found where the school is. The school
names the pupil's residence as its form and API do; intake names it as its
`ReportInput` does.
"""

from __future__ import annotations

# intake's field name → the school channel's field name, where they differ
SCHOOL_FIELD_OF: dict[str, str] = {
    "home_municipality": "registered_municipality",
    "home_district": "registered_district",
}

# A school reports straight to the district (or municipality) where the pupil is
# registered (folkbokförd): it is not single entry, so neither the gang-related
# condition, the county nor an agreement applies; the child must be under 18 and
# the registered municipality known, else there is nobody to route to. These are
# intake's refusal reasons a school's report is refused for, with the field and the text.
#
# Routing (intake.rules.decide): to the intake unit of the pupil's district when the
# school knows it; a Stockholm pupil whose district the school does not know goes to
# the municipality's central intake (Stockholm's own intake unit in the registry,
# "Stockholm, mottagningen barn och unga"), which passes it on. Not knowing the
# district is therefore no refusal reason.
SCHOOL_REASONS: dict[str, tuple[str, str]] = {
    "invalid_person_id": (
        "person_id",
        "Identitetsnumret är ogiltigt. Kontrollera det, eller lämna det tomt och ange "
        "elevens födelsedatum.",
    ),
    "age_18_or_over": (
        "person_id",
        "Eleven har fyllt 18 år. En orosanmälan enligt SoL 19 kap. 1 § gäller barn; "
        "kontakta socialtjänsten i elevens kommun direkt.",
    ),
    "home_municipality_unknown": (
        "home_municipality",
        "Ange kommunen där eleven är folkbokförd; anmälan går dit.",
    ),
}

# Asked of the school, never pre-ticked; "Vet inte" is an answer a school may give.
GANG_RISK_ANSWERS = ("yes", "no", "unknown")  # intake.models.GangRisk values
GANG_RISK_QUESTION = (
    "Svara Ja, Nej eller Vet inte: finns risk i samband med gängrelaterad brottslighet?"
)

# The school's receipt: short enough to read out on the phone, sequential per year.
RECEIPT_PREFIX = "S"


def receipt_number(year: int, sequence: int) -> str:
    """ "S-2026-0017": the 17th school report of 2026 (more digits after the 9999th)."""
    return f"{RECEIPT_PREFIX}-{year}-{sequence:04d}"


# at most this many sent forms are remembered per session (a second send is no second report)
REMEMBERED_SUBMISSIONS = 20


def reporting_unit(reporter_title: str, school_name: str) -> str:
    """The reporter's unit as intake records it: "Rektor, Testskolan"."""
    return ", ".join(part for part in (reporter_title.strip(), school_name) if part)
