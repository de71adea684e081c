"""Agreements API (/api/v1/agreements): read for the parties, write for their administrators.

Web users authenticate with their session (second factor passed); API clients
with their bearer token (read only: an API client is no agreement administrator).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from samverkan.accounts.api_auth import ApiTokenAuth
from samverkan.agreements import access, selectors, services
from samverkan.agreements.models import (
    PARTY_DETAIL_FIELDS,
    Agreement,
    AgreementDecision,
    AgreementParty,
    Amendment,
    DecisionBody,
    Notice,
    TerminationNotification,
)
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound


class VerifiedSessionAuth(SessionAuth):
    """The web session, only once the second factor is passed."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_verified():  # type: ignore[union-attr,attr-defined]
            return user
        return None


READ_AUTH = [VerifiedSessionAuth(), ApiTokenAuth()]
WRITE_AUTH = [VerifiedSessionAuth()]

router = Router(tags=["agreements"])


class AgreementStatusOut(Schema):
    in_force: bool
    reason: str
    in_force_from: date | None
    last_day: date | None
    renewal: int | None
    missing_parties: list[str]


class PartyOut(Schema):
    code: str
    name: str
    org_number: str
    role: str


class AgreementOut(Schema):
    id: int
    type: str
    title: str
    reference: str
    start_date: date
    end_date: date | None
    renewal_months: int
    max_renewals: int | None
    notice_months: int
    parties: list[PartyOut]
    status: AgreementStatusOut


# Decisions, notices and notifications are read from their records: an organisation by
# its code, the registration as the history writes it.
class AgreementDecisionOut(Schema):
    id: int
    party: str = Field(alias="party.organisation.code")
    amendment: int | None
    body_kind: str
    body_name: str
    decided_on: date
    reference: str
    on_behalf: bool  # the hub registered it for the party, with its signed decision
    registered: str  # who registered it, e.g. "registrerat av Stockholm för Nacka (…)"

    @staticmethod
    def resolve_amendment(decision: AgreementDecision) -> int | None:
        return decision.amendment.number if decision.amendment else None

    @staticmethod
    def resolve_registered(decision: AgreementDecision) -> str:
        return selectors.registered_text(decision, decision.party)


class NoticeOut(Schema):
    id: int
    given_by: str = Field(alias="given_by.organisation.code")
    given_on: date
    last_day: date
    registered: str

    @staticmethod
    def resolve_registered(notice: Notice) -> str:
        return selectors.registered_text(notice, notice.given_by)


class NotificationOut(Schema):
    id: int
    recipient: str = Field(alias="recipient.code")
    acknowledged_at: datetime | None


class AmendmentOut(Schema):
    id: int
    number: int
    summary: str
    effective_date: date
    applies_from: date | None


class AgreementDetailOut(AgreementOut):
    decisions: list[AgreementDecisionOut]
    notices: list[NoticeOut]
    notifications: list[NotificationOut]
    amendments: list[AmendmentOut]


class PartyDetailsIn(Schema):
    """A party's details; a field left out is left as it is."""

    acting_body: str | None = None
    signatory_name: str | None = None
    signatory_title: str | None = None
    contact_person: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


class PartyDetailsOut(Schema):
    code: str
    acting_body: str
    signatory_name: str
    signatory_title: str
    contact_person: str
    contact_email: str
    contact_phone: str


class AmendmentIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("summary", "text")
    summary: str
    text: str = ""
    effective_date: date


def _visible(request: HttpRequest) -> Any:
    return selectors.agreements_visible_to(request.auth)  # type: ignore[attr-defined]


def _visible_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement: Agreement | None = _visible(request).filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound("Avtalet finns inte.")
    return agreement


def _agreement_out(agreement: Agreement, at: datetime) -> dict[str, Any]:
    status = selectors.agreement_status_at(agreement, at)
    return {
        "id": agreement.pk,
        "type": agreement.type.code,
        "title": agreement.title,
        "reference": agreement.reference,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "renewal_months": agreement.renewal_months,
        "max_renewals": agreement.max_renewals,
        "notice_months": agreement.notice_months,
        "parties": [
            {
                "code": p.organisation.code,
                "name": p.organisation.name,
                "org_number": p.organisation.org_number,
                "role": p.role,
            }
            for p in agreement.parties.all()
        ],
        "status": {
            "in_force": status.in_force,
            "reason": status.reason.value,
            "in_force_from": status.in_force_from,
            "last_day": status.last_day,
            "renewal": status.renewal,
            "missing_parties": list(status.missing_parties),
        },
    }


def _detail_out(agreement: Agreement) -> dict[str, Any]:
    data = _agreement_out(agreement, timezone.now())
    recorder = ("recorded_by", "recorded_by_organisation")
    data["decisions"] = list(
        agreement.decisions.select_related("party__organisation", "amendment", *recorder)
    )
    data["notices"] = list(agreement.notices.select_related("given_by__organisation", *recorder))
    data["notifications"] = list(agreement.termination_notifications.select_related("recipient"))
    data["amendments"] = [
        {
            "id": a.pk,
            "number": a.number,
            "summary": a.summary,
            "effective_date": a.effective_date,
            "applies_from": selectors.amendment_applies_from(a),
        }
        for a in agreement.amendments.all()
    ]
    return data


def _admin_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = _visible_agreement(request, agreement_id)
    if not access.can_administer(request.auth, agreement):  # type: ignore[attr-defined]
        raise NotAllowed("Bara avtalsadministratörer för parterna kan ändra avtalet.")
    return agreement


def _party(agreement: Agreement, code: str) -> AgreementParty:
    party: AgreementParty | None = agreement.parties.filter(organisation__code=code).first()
    if party is None:
        raise NotFound("Organisationen är inte part i avtalet.")
    return party


def _amendment(agreement: Agreement, number: int | None) -> Amendment | None:
    if not number:
        return None
    amendment: Amendment | None = agreement.amendments.filter(number=number).first()
    if amendment is None:
        raise NotFound("Tillägget finns inte.")
    return amendment


@router.get("/", response=list[AgreementOut], auth=READ_AUTH)
def list_agreements(
    request: HttpRequest, at: datetime | None = None, type: str | None = None
) -> list[dict[str, Any]]:
    """The agreements your organisation is a party to, with their status at `at` (now)."""
    instant = at or timezone.now()
    if instant.tzinfo is None:
        raise InvalidInput("at", "Ange tidpunkten med tidszon, t.ex. 2026-11-25T12:00:00+01:00.")
    queryset = _visible(request)
    if type:
        queryset = queryset.filter(type__code=type)
    return [_agreement_out(a, instant) for a in queryset.order_by("pk")]


@router.get("/{agreement_id}", response=AgreementDetailOut, auth=READ_AUTH)
def get_agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    return _detail_out(_visible_agreement(request, agreement_id))


@router.post("/{agreement_id}/decisions", response={201: AgreementDecisionOut}, auth=WRITE_AUTH)
def record_decision(
    request: HttpRequest,
    agreement_id: int,
    party: Form[str],
    body_kind: Form[str],
    body_name: Form[str],
    decided_on: Form[date],
    reference: Form[str] = "",
    amendment: Form[int | None] = None,
    document: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
) -> Status[AgreementDecision]:
    agreement = _admin_agreement(request, agreement_id)
    if body_kind not in DecisionBody.values:
        raise InvalidInput("body_kind", "body_kind ska vara political_committee eller delegate.")
    decision = services.decision_record(
        actor=request.auth,  # type: ignore[attr-defined]
        agreement=agreement,
        party=_party(agreement, party),
        amendment=_amendment(agreement, amendment),
        body_kind=body_kind,
        body_name=body_name,
        decided_on=decided_on,
        reference=reference,
        document=document,
    )
    return Status(201, decision)


@router.post("/{agreement_id}/notice", response={201: NoticeOut}, auth=WRITE_AUTH)
def give_notice(
    request: HttpRequest,
    agreement_id: int,
    party: Form[str],
    given_on: Form[date],
    document: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
) -> Status[Notice]:
    agreement = _admin_agreement(request, agreement_id)
    notice = services.notice_give(
        actor=request.auth,  # type: ignore[attr-defined]
        agreement=agreement,
        party=_party(agreement, party),
        given_on=given_on,
        document=document,
    )
    return Status(201, notice)


@router.post(
    "/notifications/{notification_id}/acknowledge", response=NotificationOut, auth=WRITE_AUTH
)
def acknowledge_notification(request: HttpRequest, notification_id: int) -> TerminationNotification:
    """The recipient (ROC) acknowledges the notice of termination the system told it of."""
    notification = (
        access.notifications_visible_to(request.auth)  # type: ignore[attr-defined]
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        raise NotFound("Underrättelsen finns inte.")
    notification = services.notification_acknowledge(
        actor=request.auth,  # type: ignore[attr-defined]
        notification=notification,
    )
    return notification


@router.post("/{agreement_id}/amendments", response={201: AmendmentOut}, auth=WRITE_AUTH)
def add_amendment(
    request: HttpRequest, agreement_id: int, payload: AmendmentIn
) -> Status[dict[str, Any]]:
    agreement = _admin_agreement(request, agreement_id)
    amendment = services.amendment_add(
        actor=request.auth,  # type: ignore[attr-defined]
        agreement=agreement,
        summary=payload.summary,
        text=payload.text,
        effective_date=payload.effective_date,
    )
    return Status(
        201,
        {
            "id": amendment.pk,
            "number": amendment.number,
            "summary": amendment.summary,
            "effective_date": amendment.effective_date,
            "applies_from": None,
        },
    )


@router.patch("/{agreement_id}/parties/{code}", response=PartyDetailsOut, auth=WRITE_AUTH)
def update_party(
    request: HttpRequest, agreement_id: int, code: str, payload: PartyDetailsIn
) -> dict[str, Any]:
    """Your own party's committee, signatory and contact (a party acts only for itself)."""
    agreement = _admin_agreement(request, agreement_id)
    party = services.agreement_party_update(
        actor=request.auth,  # type: ignore[attr-defined]
        party=_party(agreement, code),
        **payload.dict(),
    )
    return {"code": party.organisation.code, **{f: getattr(party, f) for f in PARTY_DETAIL_FIELDS}}
