"""Demo data for defector assignments (issue 5), on the agreements demo's defector agreement.

Two fictional people under code names (no identity numbers): "Klient Alfa"
moves from Stockholm to Göteborg (a high BOPS threat with relocation, so
Stockholm's central defector unit handles it), "Klient Beta" from Göteborg
to Stockholm (handled by Järva). Both have plans, costs across 2023's two
half-years, a follow-up each, and the first half-year reconciliation between
Stockholm and Göteborg is approved by both; the second awaits approval.
Idempotent: nothing is created twice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from samverkan.accounts.demo import ensure_demo_user
from samverkan.agreements.models import Agreement
from samverkan.core.calendar import STOCKHOLM
from samverkan.defectors import rules, services
from samverkan.defectors.models import Assignment, AssignmentEvent, HandlingRule
from samverkan.registry.models import Organisation, Unit

AGREEMENT_REFERENCE = "AVH-2023-1"
CENTRAL_UNIT_CODE = "0180-avhopparverksamhet"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=STOCKHOLM)


def _document() -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% DEMO - samtycke (paahittat)\n", name="samtycke-demo.pdf")


def _prepare(
    home_user: Any,
    receiving_user: Any,
    agreement: Any,
    receiving: Organisation,
    alias: str,
    story: dict[str, date],
    *,
    threat: rules.ThreatLevel,
    relocation: bool,
    receiving_handler: Organisation | None = None,
) -> Assignment:
    assignment = services.assignment_create(
        actor=home_user,
        agreement=agreement,
        receiving_municipality=receiving,
        person_alias=alias,
        summary="Påhittad demoperson. Vill lämna ett kriminellt nätverk och behöver bo i en "
        "annan kommun under en tid.",
        receiving_handler=receiving_handler,
    )
    services.threat_assessment_record(
        actor=home_user,
        assignment=assignment,
        assessed_on=story["threat"],
        level=threat,
        relocation_needed=relocation,
        police_unit=Organisation.objects.filter(code="polisen-bops").first(),
        note="Bedömning från Polisens brottsoffer- och personsäkerhetssektion (demo).",
    )
    services.assignment_start_consultation(actor=home_user, assignment=assignment)
    services.consultation_record(
        actor=home_user,
        assignment=assignment,
        held_on=story["consultation"],
        participants="Avhopparsamordnare i båda kommunerna, Polisens avhopparsamordnare",
        notes="Genomgång av behov, hotbild och möjliga insatser i den mottagande kommunen.",
        decisions="Hemkommunen ordnar tillfälligt boende. Mottagande kommun erbjuder "
        "motivationssamtal och stöd från SIG-lots.",
    )
    police = Organisation.objects.filter(kind="police_unit").order_by("code")
    for kind in rules.PreconditionKind:
        is_police = kind in (
            rules.PreconditionKind.POLICE_CONSULTATION_HOME,
            rules.PreconditionKind.POLICE_CONSULTATION_RECEIVING,
        )
        services.precondition_confirm(
            actor=home_user,
            assignment=assignment,
            kind=kind,
            confirmed_on=story["consultation"],
            police_unit=police.first() if is_police else None,
            police_unit_name="Polisen (demo)" if is_police and not police.exists() else "",
            legal_basis=rules.LegalBasis.CONSENT.value
            if kind is rules.PreconditionKind.LEGAL_BASIS
            else "",
            document=_document() if kind in rules.DOCUMENT_REQUIRED else None,
        )
    assignment.refresh_from_db()
    services.assignment_request(actor=home_user, assignment=assignment)
    assignment.refresh_from_db()
    services.assignment_accept(actor=receiving_user, assignment=assignment)
    services.plan_decide(
        actor=home_user,
        assignment=assignment,
        decided_on=story["plan"],
        goals="Bryta med den kriminella miljön, stabilt boende, sysselsättning.",
    )
    services.assignment_activate(actor=home_user, assignment=assignment, started_on=story["start"])
    # Give the state history the story's dates (the audit log keeps the real times).
    stamps = {
        rules.State.DRAFT: story["created"],
        rules.State.CONSULTATION: story["consultation"],
        rules.State.REQUESTED: story["requested"],
        rules.State.ACCEPTED: story["accepted"],
        rules.State.ACTIVE: story["start"],
    }
    for state, day in stamps.items():
        AssignmentEvent.objects.filter(assignment=assignment, to_state=state.value).update(
            at=_at(day)
        )
    Assignment.objects.filter(pk=assignment.pk).update(created_at=_at(story["created"]))
    assignment.refresh_from_db()
    return assignment


def _intervention(home_user: Any, assignment: Assignment, agreement: Any, code: str) -> Any:
    return services.plan_intervention_add(
        actor=home_user,
        assignment=assignment,
        kind=rules.InterventionKind.CATALOGUE,
        catalogue_item=agreement.defector_catalogue.get(code=code),
    )


def _book(
    actor: Any, assignment: Assignment, intervention: Any, rows: list[tuple[date, str]]
) -> None:
    for day, amount in rows:
        services.cost_book(
            actor=actor,
            assignment=assignment,
            intervention=intervention,
            incurred_on=day,
            amount=Decimal(amount),
            note="Demo",
        )


def load_demo() -> None:
    agreement = Agreement.objects.filter(reference=AGREEMENT_REFERENCE).first()
    if agreement is None:
        return
    services.seed_catalogue(agreement)
    stockholm = Organisation.objects.get(code="0180")
    gothenburg = Organisation.objects.get(code="1480")
    HandlingRule.objects.get_or_create(
        municipality=stockholm,
        defaults={
            "central_organisation": stockholm,
            "central_unit": Unit.objects.filter(code=CENTRAL_UNIT_CODE).first(),
            "central_for_high_threat_relocation": True,
        },
    )
    if Assignment.objects.filter(agreement=agreement, person_alias="Klient Alfa").exists():
        return
    sthlm_user = ensure_demo_user("avhopp")
    gbg_user = ensure_demo_user("avhopp-gbg")

    alfa = _prepare(
        sthlm_user,
        gbg_user,
        agreement,
        gothenburg,
        "Klient Alfa",
        {
            "created": date(2023, 2, 6),
            "threat": date(2023, 2, 8),
            "consultation": date(2023, 2, 15),
            "requested": date(2023, 2, 20),
            "accepted": date(2023, 2, 22),
            "plan": date(2023, 2, 28),
            "start": date(2023, 3, 1),
        },
        threat=rules.ThreatLevel.HIGH,
        relocation=True,
    )
    beta = _prepare(
        gbg_user,
        sthlm_user,
        agreement,
        stockholm,
        "Klient Beta",
        {
            "created": date(2023, 4, 3),
            "threat": date(2023, 4, 4),
            "consultation": date(2023, 4, 12),
            "requested": date(2023, 4, 17),
            "accepted": date(2023, 4, 19),
            "plan": date(2023, 4, 26),
            "start": date(2023, 5, 2),
        },
        threat=rules.ThreatLevel.MEDIUM,
        relocation=True,
        # Handled by Spånga-Tensta until the 2023 merger moves it to Järva (issue 10).
        receiving_handler=Organisation.objects.filter(code="0180-spanga-tensta").first(),
    )

    alfa_talks = _intervention(sthlm_user, alfa, agreement, "motivational_talks")
    alfa_sig = _intervention(sthlm_user, alfa, agreement, "sig_guide")
    alfa_housing = services.plan_intervention_add(
        actor=sthlm_user,
        assignment=alfa,
        kind=rules.InterventionKind.HOUSING,
        description="Tillfälligt boende (korttidskontrakt)",
    )
    beta_krami = _intervention(gbg_user, beta, agreement, "work_programme")
    beta_budget = _intervention(gbg_user, beta, agreement, "budget_debt_counselling")
    beta_support = services.plan_intervention_add(
        actor=gbg_user,
        assignment=beta,
        kind=rules.InterventionKind.OUTSIDE,
        description="Försörjningsstöd",
    )
    for intervention, user in (
        (alfa_talks, gbg_user),
        (alfa_sig, gbg_user),
        (beta_krami, sthlm_user),
        (beta_budget, sthlm_user),
    ):
        services.intervention_set_status(actor=user, intervention=intervention, status="ongoing")

    # First half-year 2023.
    _book(
        gbg_user,
        alfa,
        alfa_talks,
        [(date(2023, 3, 31), "18400.00"), (date(2023, 5, 31), "18400.00")],
    )
    _book(gbg_user, alfa, alfa_sig, [(date(2023, 6, 30), "24650.50")])
    _book(sthlm_user, alfa, alfa_housing, [(date(2023, 3, 1), "42000.00")])
    _book(sthlm_user, beta, beta_krami, [(date(2023, 6, 30), "15200.00")])
    _book(gbg_user, beta, beta_support, [(date(2023, 5, 31), "6100.00")])
    first = services.reconciliation_compute(
        actor=sthlm_user, agreement=agreement, period=rules.Period(2023, 1), other_party=gothenburg
    )
    services.reconciliation_approve(actor=sthlm_user, reconciliation=first)
    services.reconciliation_approve(actor=gbg_user, reconciliation=first)

    # Second half-year 2023 (the first is locked: a late correction is dated when it is made).
    _book(gbg_user, alfa, alfa_talks, [(date(2023, 9, 30), "12300.00")])
    _book(gbg_user, alfa, alfa_sig, [(date(2023, 7, 3), "-650.50")])
    _book(
        sthlm_user,
        beta,
        beta_krami,
        [(date(2023, 9, 30), "15200.00"), (date(2023, 11, 30), "15200.00")],
    )
    _book(sthlm_user, beta, beta_budget, [(date(2023, 10, 31), "7800.00")])
    services.reconciliation_compute(
        actor=gbg_user, agreement=agreement, period=rules.Period(2023, 2), other_party=stockholm
    )

    services.followup_record(
        actor=sthlm_user,
        assignment=alfa,
        held_on=date(2023, 6, 14),
        participants="Stockholms centrala avhopparverksamhet, Göteborgs avhopparsamordnare",
        intervention_status="Motivationssamtal varannan vecka; SIG-lots har stöttat kontakter.",
        motivation="Hög, deltar aktivt.",
        threat="Oförändrad, inga nya incidenter.",
        next_step="Påbörja arbetsinriktad insats efter sommaren.",
    )
    services.followup_record(
        actor=gbg_user,
        assignment=beta,
        held_on=date(2023, 9, 20),
        participants="Göteborgs avhopparsamordnare, Järva stadsdelsförvaltning",
        intervention_status="KRAMI pågår, budgetrådgivning inledd.",
        motivation="Varierande men stabil.",
        threat="Latent.",
        next_step="Planera för återflytt eller fortsatt boende.",
    )
    services.assignment_end(
        actor=sthlm_user,
        assignment=alfa,
        reason="Målen i genomförandeplanen uppnådda; eget boende ordnat.",
        ended_on=date(2024, 2, 29),
    )
    AssignmentEvent.objects.filter(assignment=alfa, to_state=rules.State.ENDED.value).update(
        at=_at(date(2024, 2, 29))
    )
    services.lesson_save(
        actor=sthlm_user,
        agreement=agreement,
        text="Tidigt samråd med Polisen i båda kommunerna gjorde flytten trygg. "
        "Boendefrågan tog längst tid.",
    )
    services.lesson_save(
        actor=gbg_user,
        agreement=agreement,
        text="SIG-lotsens praktiska stöd de första veckorna var avgörande för etableringen.",
    )
    # A draft Stockholm is still preparing: Göteborg does not see it until it is requested.
    services.assignment_create(
        actor=sthlm_user,
        agreement=agreement,
        receiving_municipality=gothenburg,
        person_alias="Klient Gamma",
        summary="Påhittad demoperson. Utkast: samråd med Polisen är ännu inte inlett.",
    )
