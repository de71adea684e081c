"""Demo data for local collaboration (issue 6). Idempotent: safe to run again.

* Farsta district with lokalpolisområde Farsta: two social workers stationed at the
  police (one day and two days a week), consultations and trainings, a forum for
  children and youth with the police (three meetings per term), a district-wide
  general forum, a situational picture and an action plan of six activities across
  four owners (district, police, education administration, traffic office).
* Norra innerstaden: fourteen compulsory schools (six independent) and sixteen
  upper-secondary schools (fifteen independent), source 05's Norrmalm numbers.
  Made-up names marked "(demo)"; school-unit codes in the 9999xxxx demo series
  (9999 1001–1014 compulsory, 9999 1101–1116 upper secondary). Some have a
  school-collaboration agreement with the district.
* The demo school-staff user `skola` works at one of those schools; two of its
  concern reports concern pupils registered in Farsta.
* Identity numbers: Skatteverket's test-number series only (`intake.demo`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import Agreement, AgreementTypeCode, DecisionBody
from samverkan.collaboration import rules, services
from samverkan.collaboration.models import (
    ActionPlan,
    ActivityStatus,
    AnonymousConsultation,
    Attendance,
    CoLocation,
    Forum,
    ForumKind,
    Function,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    PictureContribution,
    ProgressNote,
    QuestionType,
    ReportFollowed,
    SeriousTalk,
    TargetGroup,
)
from samverkan.core.calendar import STOCKHOLM, local_date
from samverkan.intake import services as intake
from samverkan.intake.demo import demo_person_id
from samverkan.intake.models import ConcernReport, SourceChannel
from samverkan.intake.school_reports import services as school_reports
from samverkan.registry.models import Organisation, OrganisationKind, School, SchoolOperator
from samverkan.registry.reference_data import STOCKHOLM_CODE

FARSTA = "0180-farsta"
NORRA = "0180-norra-innerstaden"
LPO_FARSTA = "polisen-lpo-farsta"
EDUCATION = "0180-utbildningsforvaltningen"
TRAFFIC = "0180-trafikkontoret"
CHILDREN_FORUM = "Barn och unga – samverkan med polisen, Farsta"
GENERAL_FORUM = "Områdesövergripande samverkan, Farsta"

COMPULSORY = [
    # (name, independent)
    ("Vasaparkens skola (demo)", False),
    ("Sankt Eriks grundskola (demo)", False),
    ("Tegnérlundens skola (demo)", False),
    ("Observatorieskolan (demo)", False),
    ("Norrtullsskolan (demo)", False),
    ("Gärdets grundskola (demo)", False),
    ("Lärkstadens skola (demo)", False),
    ("Humlegårdsskolan (demo)", False),
    ("Friskolan Rödbergen (demo)", True),
    ("Demoakademin Vasastan (demo)", True),
    ("Montessoriskolan Sibyllan (demo)", True),
    ("Internationella skolan Norr (demo)", True),
    ("Kunskapsskolan Odenplan (demo)", True),
    ("Waldorfskolan Tulegatan (demo)", True),
]
UPPER_SECONDARY = [
    ("Norra Reals gymnasium (demo)", False),
    ("Gymnasiet Odenplan (demo)", True),
    ("Handelsgymnasiet City (demo)", True),
    ("Designgymnasiet Norr (demo)", True),
    ("Teknikgymnasiet Vasastan (demo)", True),
    ("Naturvetargymnasiet Roslagstull (demo)", True),
    ("Mediegymnasiet Sveavägen (demo)", True),
    ("Estetiska gymnasiet Norr (demo)", True),
    ("Idrottsgymnasiet Östermalm (demo)", True),
    ("Ekonomigymnasiet Stureplan (demo)", True),
    ("Vårdgymnasiet Karlavägen (demo)", True),
    ("Språkgymnasiet Engelbrekt (demo)", True),
    ("Samhällsgymnasiet Tekniska (demo)", True),
    ("Entreprenörsgymnasiet Hötorget (demo)", True),
    ("Musikgymnasiet Vanadis (demo)", True),
    ("Hotell- och restauranggymnasiet Norr (demo)", True),
]
SKOLA_SCHOOL = "99991001"  # the demo user `skola` works here
# Schools with a school-collaboration agreement with Norra innerstaden.
WITH_AGREEMENT = ["99991001", "99991002", "99991003", "99991004", "99991009", "99991101"]


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _today() -> date:
    return local_date(timezone.now())


def _coordinator() -> User | None:
    return User.objects.filter(username="farsta").first()


# --- organisations and schools ------------------------------------------------------------


def _committees() -> None:
    stockholm = _org(STOCKHOLM_CODE)
    for code, name in (
        (EDUCATION, "Utbildningsförvaltningen, Stockholms stad"),
        (TRAFFIC, "Trafikkontoret, Stockholms stad"),
    ):
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": OrganisationKind.COMMITTEE,
                "parent": stockholm,
                "county_code": "01",
            },
        )


def _schools() -> None:
    district = _org(NORRA)
    specs = [
        (f"9999{1001 + i}", name, independent, (False, True, False))
        for i, (name, independent) in enumerate(COMPULSORY)
    ] + [
        (f"9999{1101 + i}", name, independent, (False, False, True))
        for i, (name, independent) in enumerate(UPPER_SECONDARY)
    ]
    for code, name, independent, (preschool, compulsory, upper) in specs:
        organisation, _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": OrganisationKind.SCHOOL,
                "parent": None if independent else district,
                "county_code": "01",
            },
        )
        School.objects.update_or_create(
            organisation=organisation,
            defaults={
                "operator": SchoolOperator.INDEPENDENT if independent else SchoolOperator.MUNICIPAL,
                "has_preschool": preschool,
                "has_compulsory": compulsory,
                "has_upper_secondary": upper,
                "district": district,
            },
        )


def _school_agreements() -> None:
    district = _org(NORRA)
    for code in WITH_AGREEMENT:
        reference = f"SKOLA-NI-{code}"
        if Agreement.objects.filter(reference=reference).exists():
            continue
        school = _org(code)
        agreement = agreement_services.agreement_create(
            actor=None,
            type_code=AgreementTypeCode.SCHOOL_COLLABORATION,
            title=f"Samverkansöverenskommelse skola – socialtjänst: {school.name}",
            reference=reference,
            organisations=[district, school],
            start_date=date(2025, 8, 1),
            end_date=date(2026, 7, 31),
        )
        for party in agreement.parties.select_related("organisation"):
            agreement_services.decision_record(
                actor=None,
                agreement=agreement,
                party=party,
                body_kind=DecisionBody.DELEGATE,
                body_name="Stadsdelsdirektör"
                if party.organisation_id == district.pk
                else "Rektor (delegation från huvudmannen)",
                decided_on=date(2025, 6, 15),
            )


def _skola_user() -> None:
    User.objects.filter(username="skola").update(organisation=_org(SKOLA_SCHOOL))


# --- co-location -----------------------------------------------------------------------------


def _colocation(actor: User) -> None:
    farsta, police = _org(FARSTA), _org(LPO_FARSTA)
    CoLocation.objects.get_or_create(
        district=farsta,
        police_unit=police,
        social_worker="Sara Lindqvist (demo)",
        defaults={"weekdays": [1], "valid_from": date(2023, 9, 1), "note": "En dag i veckan."},
    )
    CoLocation.objects.get_or_create(
        district=farsta,
        police_unit=police,
        social_worker="Amir Haddad (demo), SIG-samordnare",
        defaults={
            "weekdays": [0, 3],
            "valid_from": date(2024, 4, 1),
            "note": "Utökat till två dagar i veckan från 1 april 2024.",
        },
    )
    if AnonymousConsultation.objects.filter(district=farsta).exists():
        return
    today = _today()
    consultations = [
        (40, QuestionType.WHETHER_TO_REPORT, 3),
        (33, QuestionType.HOW_TO_REPORT, 1),
        (26, QuestionType.SOCIAL_SERVICES_ROLE, None),
        (19, QuestionType.WHETHER_TO_REPORT, 0),
        (12, QuestionType.SECRECY, None),
        (200, QuestionType.WHETHER_TO_REPORT, 6),
        (190, QuestionType.WHETHER_TO_REPORT, 2),
    ]
    for days_ago, kind, report_after in consultations:
        held = today - timedelta(days=days_ago)
        services.consultation_record(
            actor=actor,
            district=farsta,
            police_unit=police,
            held_on=held,
            question_type=kind,
            question="En pojke, 15 år, har setts med äldre personer kopplade till ett nätverk. "
            "Polisen undrar om det räcker för en orosanmälan.",
            advice="Ja: oro räcker, anmälaren behöver inte vara säker. Beskriv vad som setts, "
            "när och var, och ange om vårdnadshavarna vet.",
            report_followed=ReportFollowed.YES if report_after is not None else ReportFollowed.NO,
            report_filed_on=held + timedelta(days=report_after)
            if report_after is not None
            else None,
        )
    for days_ago, topic, participants in (
        (60, "Socialtjänstens uppdrag och orosanmälan", 14),
        (230, "Barn och unga i kriminella miljöer: insatser och SIG", 11),
    ):
        services.training_record(
            actor=actor,
            district=farsta,
            police_unit=police,
            held_on=today - timedelta(days=days_ago),
            topic=topic,
            participants=participants,
        )


# --- forums and meetings --------------------------------------------------------------------


def _meeting(
    forum: Forum, actor: User, held_on: date, functions: list[str], status: str, minutes: str
) -> Meeting:
    meeting = Meeting.objects.create(
        forum=forum,
        held_on=held_on,
        status=status,
        agenda="1. Lägesbild av inflödet\n2. Uppföljning av beslut\n3. Övriga frågor",
        minutes=minutes,
        recorded_by=actor,
    )
    Attendance.objects.bulk_create(Attendance(meeting=meeting, function=f) for f in functions)
    return meeting


def _forums(actor: User) -> None:
    farsta, police = _org(FARSTA), _org(LPO_FARSTA)
    if Forum.objects.filter(name=CHILDREN_FORUM).exists():
        return
    today = _today()
    term = rules.term_of(today)
    previous = term.previous()
    children = Forum.objects.create(
        district=farsta,
        name=CHILDREN_FORUM,
        kind=ForumKind.CHILDREN_AT_RISK,
        required_per_term=3,
        required_functions=[
            Function.UNIT_MANAGER,
            Function.SOCIAL_WORKER,
            Function.POLICE_YOUTH_COORDINATOR,
        ],
        purpose="Lägesbild av inflödet till socialtjänsten och polisen, avstämning inför "
        "allvarssamtal och ärendespecifika frågor (tre gånger per termin).",
    )
    children.parties.set([farsta, police])
    full = list(children.required_functions)
    # Previous term: three meetings, every function present.
    for month_offset in (1, 3, 5):
        _meeting(
            children,
            actor,
            previous.start + timedelta(days=30 * month_offset + 10),
            full,
            MeetingStatus.HELD,
            "Genomgång av inflödet. Avstämning inför två allvarssamtal.",
        )
    # This term: one held (the youth coordinator missing), one held in full, one planned.
    first = _meeting(
        children,
        actor,
        term.start + timedelta(days=50),
        [Function.UNIT_MANAGER, Function.SOCIAL_WORKER],
        MeetingStatus.HELD,
        "Polisens ungdomssamordnare hade förhinder.",
    )
    MeetingDecision.objects.create(
        meeting=first,
        text="Ta fram gemensam rutin för hemtagning från SiS-placering.",
        owner=farsta,
        owner_function=Function.UNIT_MANAGER,
        due_date=term.start + timedelta(days=120),
    )
    MeetingDecision.objects.create(
        meeting=first,
        text="Polisen redovisar trygghetsmätningen för Farsta centrum.",
        owner=police,
        owner_function=Function.POLICE_YOUTH_COORDINATOR,
        due_date=today - timedelta(days=3),
    )
    if term.start + timedelta(days=100) < today:
        _meeting(
            children,
            actor,
            term.start + timedelta(days=100),
            full,
            MeetingStatus.HELD,
            "Uppföljning av beslut; rutinen för hemtagning pågår.",
        )
    _meeting(
        children,
        actor,
        max(today + timedelta(days=14), term.start + timedelta(days=150)),
        [],
        MeetingStatus.PLANNED,
        "",
    )

    general = Forum.objects.create(
        district=farsta,
        name=GENERAL_FORUM,
        kind=ForumKind.GENERAL_QUESTIONS,
        required_per_term=1,
        required_functions=[
            Function.DEPARTMENT_HEAD,
            Function.SCHOOL_PRINCIPAL,
            Function.HEAD_OF_LEISURE,
            Function.POLICE_AREA_MANAGER,
        ],
        purpose="Samarbete i generella frågor för hela stadsdelsområdet: inga individärenden.",
    )
    schools = Organisation.objects.filter(school__district=farsta)
    general.parties.set([farsta, police, _org(EDUCATION), _org(TRAFFIC), *schools])
    _meeting(
        general,
        actor,
        previous.start + timedelta(days=80),
        list(general.required_functions),
        MeetingStatus.HELD,
        "Genomgång av den lokala överenskommelsen och åtgärdsplanen. Skolorna beskrev "
        "frånvaron under terminen på gruppnivå.",
    )
    _meeting(
        general,
        actor,
        term.start + timedelta(days=75),
        [Function.DEPARTMENT_HEAD, Function.SCHOOL_PRINCIPAL, Function.POLICE_AREA_MANAGER],
        MeetingStatus.HELD,
        "Trygghet kring skolvägar; fritidsverksamheten rapporterar till nästa möte.",
    )


# --- situational picture and action plan ------------------------------------------------------


def _plan(actor: User) -> None:
    farsta = _org(FARSTA)
    if ActionPlan.objects.filter(district=farsta).exists():
        return
    today = _today()
    picture = services.situational_picture_create(
        actor=None,
        district=farsta,
        title="Lokal lägesbild Farsta",
        period_start=today - timedelta(days=180),
        period_end=today,
    )
    PictureContribution.objects.create(
        picture=picture,
        organisation=_org(LPO_FARSTA),
        text="Ökad oro kring Farsta centrum kvällstid; fler unga i sällskap med äldre "
        "personer kopplade till kriminella nätverk.",
    )
    PictureContribution.objects.create(
        picture=picture,
        organisation=farsta,
        text="Fler orosanmälningar från skolor om hög frånvaro under hösten.",
    )
    plan = services.action_plan_create(
        actor=None,
        district=farsta,
        title="Åtgärdsplan Farsta – lokal samverkansöverenskommelse",
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
        situational_picture=picture,
    )
    activities = [
        (
            "Fältassistenter och polis går gemensamma kvällsvandringar vid Farsta centrum",
            FARSTA,
            TargetGroup.UNSAFE_PLACES,
            ActivityStatus.ONGOING,
            60,
        ),
        (
            "Allvarssamtal inom en vecka efter polisens orosanmälan",
            FARSTA,
            TargetGroup.YOUNG_PEOPLE_AT_RISK,
            ActivityStatus.ONGOING,
            30,
        ),
        (
            "Riktade insatser mot kriminella miljöer i Hökarängen",
            LPO_FARSTA,
            TargetGroup.CRIMINAL_ENVIRONMENTS,
            ActivityStatus.ONGOING,
            90,
        ),
        (
            "Stöd till särskilt utsatta brottsoffer tillsammans med brottsofferjouren",
            LPO_FARSTA,
            TargetGroup.VULNERABLE_VICTIMS,
            ActivityStatus.PLANNED,
            120,
        ),
        (
            "Frånvaroteam på högstadieskolorna med tidig kontakt med socialtjänsten",
            EDUCATION,
            TargetGroup.YOUNG_PEOPLE_AT_RISK,
            ActivityStatus.DELAYED,
            -10,
        ),
        (
            "Bättre belysning och röjning av buskage på gångvägen vid Farsta strand",
            TRAFFIC,
            TargetGroup.UNSAFE_PLACES,
            ActivityStatus.DONE,
            -30,
        ),
    ]
    for title, owner, group, status, due_in in activities:
        activity = services.activity_add(
            actor=None,
            plan_id=plan.pk,
            title=title,
            owner=_org(owner),
            target_group=group,
            due_date=today + timedelta(days=due_in),
            status=status,
        )
        ProgressNote.objects.create(
            activity=activity,
            text="Lägesrapport vid senaste samverkansmötet (demo).",
            at=timezone.now() - timedelta(days=14),
        )


def _serious_talks(actor: User) -> None:
    farsta, police = _org(FARSTA), _org(LPO_FARSTA)
    if SeriousTalk.objects.filter(district=farsta).exists():
        return
    today = _today()
    for index, (born, plan) in enumerate(
        [(date(2010, 3, 14), True), (date(2009, 11, 2), True), (date(2011, 6, 20), False)]
    ):
        services.serious_talk_record(
            actor=actor,
            district=farsta,
            police_unit=police,
            held_on=today - timedelta(days=20 + 40 * index),
            person_id=demo_person_id(born, female=index == 1),
            social_worker="Sara Lindqvist (demo)",
            police_officer="Ungdomssamordnare Polisen Farsta (demo)",
            plan_agreed=plan,
            follow_up="Uppföljande samtal om sex veckor.",
        )


# --- concern reports from a school ------------------------------------------------------------


def _school_reports() -> None:
    principal = User.objects.filter(username="skola").first()
    receiver = User.objects.filter(username="farsta-mottagning").first()
    if principal is None or receiver is None:
        return
    if ConcernReport.objects.filter(source_channel=SourceChannel.SCHOOL).exists():
        return
    principal.refresh_from_db()
    now = timezone.now()
    for index, (born, days_ago, decide_after) in enumerate(
        [(date(2012, 2, 9), 40, 9), (date(2013, 8, 30), 25, None), (date(2011, 4, 4), 2, None)]
    ):
        received = datetime.combine(
            local_date(now) - timedelta(days=days_ago), time(10, 15), tzinfo=STOCKHOLM
        )
        report = school_reports.school_report_file(
            actor=principal,
            data=school_reports.SchoolReportInput(
                person_id=demo_person_id(born, female=index % 2 == 0),
                birth_date=None,
                registered_municipality=STOCKHOLM_CODE,
                registered_district="Farsta",
                narrative="Eleven har hög frånvaro och berättar om oro hemma (demo).",
                reporter_name="Karin Björkman",
                reporter_title="Rektor",
            ),
            received_at=received,
        )
        if days_ago > 2:
            intake.handover_accept(
                actor=receiver, report_id=report.pk, at=received + timedelta(hours=1)
            )
        if decide_after is not None:
            # the protection assessment comes first (intake.rules.preliminary_refusal)
            intake.protection_assessment_record(
                actor=receiver,
                report_id=report.pk,
                made_at=received + timedelta(hours=2),
                immediate_protection_needed=False,
            )
            intake.preliminary_assessment_record(
                actor=receiver,
                report_id=report.pk,
                decision="investigation_opened",
                decided_on=local_date(received) + timedelta(days=decide_after),
            )


# --- indicators ---------------------------------------------------------------------------------


def _indicators() -> None:
    farsta = _org(FARSTA)
    children = Forum.objects.filter(name=CHILDREN_FORUM).first()
    general = Forum.objects.filter(name=GENERAL_FORUM).first()
    if children is None or general is None or Indicator.objects.filter(district=farsta).exists():
        return
    for name, kind, unit, higher in (
        (
            "Orosanmälningar från skolor med förhandsbedömning inom 14 dagar",
            IndicatorKind.SCHOOL_PRELIMINARY_WITHIN_14_DAYS,
            "%",
            True,
        ),
        (
            "Dagar från konsultation till orosanmälan (median)",
            IndicatorKind.CONSULTATION_TO_REPORT_DAYS,
            "dagar",
            False,
        ),
        ("Unga i målgruppen med en plan", IndicatorKind.YOUNG_PEOPLE_WITH_PLAN, "", True),
        (
            "Barn som anmälts igen inom sex månader",
            IndicatorKind.RECURRENCE_SIX_MONTHS,
            "%",
            False,
        ),
    ):
        Indicator.objects.create(
            district=farsta,
            forum=children,
            name=name,
            kind=kind,
            unit=unit,
            higher_is_better=higher,
        )
    manual = Indicator.objects.create(
        district=farsta,
        forum=general,
        name="Elever i årskurs 7–9 med hög frånvaro",
        kind=IndicatorKind.MANUAL,
        unit="%",
        higher_is_better=False,
        description="Andel elever med mer än 20 procent frånvaro, på gruppnivå.",
    )
    term = rules.term_of(_today())
    for offset, value in ((3, "9.4"), (2, "8.8"), (1, "7.9")):
        key = term
        for _step in range(offset):
            key = key.previous()
        IndicatorValue.objects.update_or_create(
            indicator=manual,
            term=key.key,
            defaults={"value": Decimal(value), "source": "Skolornas frånvarouppföljning (demo)"},
        )


def load_demo() -> None:
    with transaction.atomic():
        _committees()
        _schools()
        _school_agreements()
        _skola_user()
    actor = _coordinator()
    if actor is None:
        return
    with transaction.atomic():
        _colocation(actor)
        _forums(actor)
        _serious_talks(actor)
        _school_reports()
        _plan(actor)
        _indicators()
