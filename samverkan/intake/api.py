"""Police systems' API for concern reports, mounted at /api/v1/reports (issue 4).

Every instant in a reply has one form, `core.calendar.api_instant`: ISO 8601 in
Swedish local time with its UTC offset, to the second
(``2026-12-05T22:14:03+01:00``); a date is ``ÅÅÅÅ-MM-DD``. A report that is not
covered carries no deadlines (null). Numbers to call come in the order of who
answers now (`registry.rules.numbers_to_call`).

`POST /api/v1/reports` registers a report (201; 200 with the same report on a
retry with the same `police_reference`); `GET /api/v1/reports/{id}` gives its
status only. Errors share one shape — the one django-ninja uses for schema
errors — so a client handles them alike::

    {"detail": [{"type": "invalid", "loc": ["body", "payload", "person_id"],
                 "msg": "Kontrollsiffran stämmer inte."}]}
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from samverkan.accounts.api_auth import ApiTokenAuth, calling_client
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.calendar import api_instant, local_date
from samverkan.core.errors import InvalidInput
from samverkan.core.identity import InvalidPersonId, parse_person_id
from samverkan.core.mapping import copy_fields
from samverkan.intake import limits
from samverkan.intake.models import InformationRequest, SourceChannel
from samverkan.intake.selectors import information_requests_for_client, report_status_for_client
from samverkan.intake.services import ReportInput, information_request_answer, report_register

router = Router(auth=ApiTokenAuth(), tags=["Orosanmälningar (en ingång)"])


class ReportingOfficer(Schema):
    name: str = Field(..., min_length=1, max_length=200, description="Anmälande polis.")
    unit: str = Field("", max_length=200, description="Polisens enhet.")
    phone: str = Field("", max_length=40, description="Telefon till anmälande polis.")


class ReportIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("narrative", "risk_information")  # the number has its field
    person_id: str | None = Field(
        ...,
        description=(
            "Personnummer eller samordningsnummer, 10 eller 12 siffror, med eller utan "
            "skiljetecken; null när identiteten är okänd."
        ),
        examples=["201205152380"],
    )
    birth_date: date | None = Field(
        ..., description="Uppskattat födelsedatum när person_id är null."
    )
    found_in: str = Field(..., description="Kommunkod där barnet påträffades.", examples=["0184"])
    home_municipality: str | None = Field(
        ..., description="Bosättningskommunens kod; null om okänd.", examples=["0182"]
    )
    home_district: str | None = Field(
        ..., description="Stockholms stadsdelsområde (namn) när bosättningskommunen är 0180."
    )
    gang_related: bool = Field(..., description="Risk i samband med gängrelaterad brottslighet.")
    police_reference: str = Field(
        ...,
        min_length=1,
        max_length=60,
        description="Polisens referens; unik per klient. Samma referens igen ger samma anmälan.",
    )
    reporting_officer: ReportingOfficer
    narrative: str = Field(
        ...,
        max_length=limits.NARRATIVE,
        description=f"Händelsen. {limits.limit_text(limits.NARRATIVE)}",
    )
    risk_information: str = Field(
        "",
        max_length=limits.RISK_INFORMATION,
        description=(
            "Riskinformation (hot, gängtillhörighet). " + limits.limit_text(limits.RISK_INFORMATION)
        ),
    )
    wants_feedback: bool = Field(
        False, description="Polisen vill veta om utredning inleds (SoL 19 kap. 6 §)."
    )


class ReceivingUnitOut(Schema):
    name: str
    kind: Literal["intake", "out_of_hours"]
    phone: str
    covers: list[str]


INSTANT = "ISO 8601, svensk tid med UTC-förskjutning, hela sekunder: 2026-12-05T22:14:03+01:00."


class NumberOut(Schema):
    number: str
    label: Literal["Kontorstid", "Dygnet runt", "Reservnummer"]
    unit: str
    answers_now: bool = Field(..., description="Enheten har öppet och svarar nu.")


class DecisionOut(Schema):
    eligible: bool
    reasons: list[str]
    responsible_municipality: str | None
    responsible_district: str | None
    office_hours: bool
    receiving_unit: ReceivingUnitOut | None
    numbers: list[NumberOut] = Field(
        ..., description="Nummer att ringa, den som svarar nu först (jouren kvällar och helger)."
    )
    received_at: str = Field(..., description=INSTANT)
    protection_assessment_due: str | None = Field(
        ..., description=f"Null när anmälan inte omfattas av en ingång. {INSTANT}"
    )
    preliminary_assessment_due: str | None = Field(
        ..., description="ÅÅÅÅ-MM-DD; null när anmälan inte omfattas av en ingång."
    )
    advice: str = Field(..., description="Vad polisen ska göra (på svenska).")


StatusCode = Literal["received", "handed_over", "accepted", "not_eligible"]


class RegistrationOut(Schema):
    id: str
    status: StatusCode
    decision: DecisionOut


class FeedbackOut(Schema):
    investigation_opened: bool
    decided_on: str = Field(..., description="ÅÅÅÅ-MM-DD.")
    delivered_at: str = Field(..., description=INSTANT)


class StatusOut(Schema):
    id: str
    status: StatusCode
    police_reference: str | None = Field(
        ...,
        description=(
            "Polisens referens för anmälan; null när den inte omfattas av en ingång "
            "(då sparas inga uppgifter om den, bara en anonym uppgift för statistik)."
        ),
    )
    received_at: str = Field(..., description=INSTANT)
    handed_over_at: str | None = Field(..., description=INSTANT)
    accepted_at: str | None = Field(..., description=INSTANT)
    reasons: list[str]
    feedback: FeedbackOut | None


class ReportErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ReportErrorOut(Schema):
    detail: list[ReportErrorItem]


_client = calling_client  # the police system calling


@router.post(
    "",
    response={
        200: RegistrationOut,
        201: RegistrationOut,
        403: ReportErrorOut,
        409: ReportErrorOut,
        422: ReportErrorOut,
    },
    summary="Lämna en orosanmälan till en ingång",
    description=(
        "Registrerar anmälan hos Socialjouren Stockholm (navet). 201: ny anmälan; "
        "200: samma `police_reference` igen – samma anmälan, aldrig en till – också när "
        "Socialjouren redan har tagit emot den per telefon med den referensen; "
        "409: referensen används redan för ett annat barn (annat person-/samordningsnummer "
        "eller födelsedatum, eller annan bosättningskommun) – ingenting registreras. "
        "Omfattas anmälan inte av en ingång sparas inga personuppgifter; svaret säger "
        "vem polisen ska kontakta."
    ),
)
def report_create(request: HttpRequest, payload: ReportIn) -> Any:
    client = _client(request)
    if payload.person_id is not None:
        try:
            parse_person_id(payload.person_id, on=local_date(timezone.now()))
        except InvalidPersonId as error:
            raise InvalidInput("person_id", error.message) from error
    officer = payload.reporting_officer
    # The body's other fields are the report's, by the same names.
    data = copy_fields(
        ReportInput,
        payload,
        found_in=payload.found_in.strip(),
        home_municipality=(payload.home_municipality or "").strip() or None,
        home_district=(payload.home_district or "").strip() or None,
        reporting_officer_name=officer.name,
        reporting_officer_unit=officer.unit,
        reporting_officer_phone=officer.phone,
        police_reference=payload.police_reference.strip(),
        source_channel=SourceChannel.POLICE_API,
        gang_risk=None,  # the school's question; the police answer `gang_related`
    )
    result = report_register(actor=client, data=data)
    status = result.report.status if result.report is not None else "not_eligible"
    body = {
        "id": result.public_id,
        "status": status,
        "decision": {**result.decision.as_json(), "advice": result.decision.advice},
    }
    return Status(201 if result.created else 200, body)


class InformationRequestOut(Schema):
    id: int
    report_id: str
    kind: Literal["risk_assessment", "gang_affiliation", "other"]
    question: str
    sent_at: str = Field(..., description=INSTANT)
    answered_at: str | None = Field(..., description=INSTANT)


class AnswerIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("answer",)
    answer: str = Field(
        ...,
        min_length=1,
        max_length=limits.ANSWER,
        description=f"Polisens svar. {limits.limit_text(limits.ANSWER)}",
    )


def _request_out(request: InformationRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "report_id": str(request.report.public_id),
        "kind": request.kind,
        "question": request.question,
        "sent_at": api_instant(request.sent_at),
        "answered_at": api_instant(request.answered_at) if request.answered_at else None,
    }


@router.get(
    "/information-requests",
    response={200: list[InformationRequestOut]},
    summary="Obesvarade informationsbegäranden till polisen",
    description="Kommunernas frågor (riskbedömning, gängtillhörighet) till klientens enhet.",
)
def information_request_list(request: HttpRequest) -> Any:
    client = _client(request)
    requests = information_requests_for_client(client=client)
    return Status(200, [_request_out(r) for r in requests])


@router.post(
    "/information-requests/{request_id}/answer",
    response={
        200: InformationRequestOut,
        404: ReportErrorOut,
        409: ReportErrorOut,
        422: ReportErrorOut,
    },
    summary="Besvara en informationsbegäran",
)
def information_request_answer_endpoint(
    request: HttpRequest, request_id: int, payload: AnswerIn
) -> Any:
    client = _client(request)
    answered = information_request_answer(
        actor=client, request_id=request_id, answer=payload.answer
    )
    return Status(200, _request_out(answered))


@router.get(
    "/{report_id}",
    response={200: StatusOut, 404: ReportErrorOut},
    summary="Status för en anmälan",
    description=(
        "Bara status och tider – received, handed_over, accepted eller not_eligible – och, "
        "när polisen bad om det och kommunen har lämnat den, återkopplingen om utredning "
        "inleds. Aldrig socialtjänstens bedömningar. En annan klients anmälan: 404."
    ),
)
def report_status(request: HttpRequest, report_id: str) -> Any:
    client = _client(request)
    view = report_status_for_client(client=client, report_id=report_id)
    return Status(200, view.as_json())
