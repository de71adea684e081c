"""What every collaboration service shares: the audit entry, the owner checks, the
personal-data guard.

Services raise the core errors (`samverkan.core.errors`) with a Swedish message
that the pages and the API show as they are; `InvalidInput.field` names the
offending field. `PersonalDataFound` is the personal-data guard: identity numbers
are always refused; names are refused in anonymous consultations and, in
general-questions minutes, need the writer's confirmation
(`confirmed_no_personal_data=True`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.services import audit_record_of
from samverkan.collaboration import rules
from samverkan.collaboration.access import OWNER_KINDS, require_coordinator
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput
from samverkan.registry.models import Organisation, OrganisationKind

M = TypeVar("M", bound=Model)


class PersonalDataFound(InvalidInput):
    """Text holds personal data; `needs_confirmation`: only possible names, writer may confirm."""

    def __init__(self, field: str, message: str, *, needs_confirmation: bool) -> None:
        super().__init__(field, message)
        self.needs_confirmation = needs_confirmation


def audit(actor: Any, action: str, record: Model, district: Organisation, **detail: Any) -> None:
    """The audit entry of a write; the district is the controller of every record here
    (new records: `core.audited.create_audited` with the district's code)."""
    audit_record_of(
        record, actor=actor, action=action, controller=district.code, detail=detail or None
    )


def titled_period_fields(
    actor: Any, district: Organisation, title: str, start: date, end: date, *, what: str
) -> dict[str, Any]:
    """The checked, cleaned fields of a district's titled record covering a period (a
    situational picture, an action plan), for `create_audited`.

    Without an actor the demo and the data loaders create it; a person must coordinate."""
    if actor is not None:
        require_coordinator(actor, district.pk)
    check_period(title, start, end, what=what)
    return {"district": district, "title": title.strip(), "period_start": start, "period_end": end}


def today() -> date:
    return local_date(timezone.now())


# --- owners and parties ------------------------------------------------------------------


def check_owner_kind(district: Organisation) -> None:
    if district.kind not in OWNER_KINDS:
        raise InvalidInput("district", "Välj ett stadsdelsområde eller en kommun.")


def own_district(actor: Any, district: Organisation) -> User:
    """The record's owner must be a district (or municipality) the actor coordinates."""
    check_owner_kind(district)
    return require_coordinator(actor, district.pk)


def check_parties(district: Organisation, police_unit: Organisation) -> None:
    """A joint record of a district (or municipality) and a police unit."""
    if police_unit.kind != OrganisationKind.POLICE_UNIT:
        raise InvalidInput("police_unit", "Välj en polisenhet.")
    check_owner_kind(district)


def check_period(title: str, start: date, end: date, *, what: str) -> None:
    """A titled record covering a period (a situational picture, an action plan)."""
    if end < start:
        raise InvalidInput("period_end", f"{what} slut kan inte vara före dess början.")
    if not title.strip():
        raise InvalidInput("title", "Ange en rubrik.")


# --- personal-data guard --------------------------------------------------------------------


def _quote(items: Sequence[str]) -> str:
    return ", ".join(f"”{item}”" for item in items)


def guard_text(
    field: str, text: str, *, refuse_names: bool, confirmed: bool, on: date | None = None
) -> None:
    """Refuse identity numbers; refuse or ask to confirm names (see the module docstring)."""
    findings = rules.scan_personal_data(text, on=on or today())
    if findings.identity_numbers:
        raise PersonalDataFound(
            field,
            "Texten innehåller ett personnummer eller samordningsnummer "
            f"({_quote(findings.identity_numbers)}). Här får inga personuppgifter finnas: "
            "ta bort numret och beskriv utan att peka ut någon.",
            needs_confirmation=False,
        )
    if refuse_names and findings.likely_names:
        raise PersonalDataFound(
            field,
            f"Texten verkar innehålla namn ({_quote(findings.likely_names)}). Konsultationen "
            "är anonym: skriv till exempel ”pojken, 15 år” i stället för namnet.",
            needs_confirmation=False,
        )
    if findings.names and not confirmed:
        raise PersonalDataFound(
            field,
            f"Texten kan innehålla namn på personer ({_quote(findings.names)}). "
            "Individärenden får inte tas upp här. Ta bort namnen, eller bekräfta att det "
            "inte är namn på enskilda personer.",
            needs_confirmation=True,
        )
