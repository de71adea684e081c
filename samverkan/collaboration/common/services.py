"""What every collaboration service shares: the audit entry, the owner checks, the
personal-data guard.

Services raise the core errors (`samverkan.core.errors`) with a Swedish message
that the pages and the API show as they are; `InvalidInput.field` names the
offending field. The personal-data guard is the one in `samverkan.core.personal_data`:
identity numbers are always refused; names are refused in anonymous consultations
and action plans (``names="refuse"``) and, in general-questions minutes, need the
writer's confirmation (`confirmed_no_personal_data=True`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.services import audit_record_of
from samverkan.collaboration.access import OWNER_KINDS, require_coordinator
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput
from samverkan.core.personal_data import PersonalDataFound, guard_text

__all__ = ["PersonalDataFound", "guard_text"]  # the core guard, as the services import it
from samverkan.registry.models import Organisation, OrganisationKind

M = TypeVar("M", bound=Model)


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
