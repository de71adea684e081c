"""Demo homecoming plan (issue 11). Idempotent: safe to run again.

Farsta's social services and lokalpolisområde Farsta plan the homecoming of a
young person (fiction: a Skatteverket test identity number, a made-up name)
from a SiS home. Shared with the police under 10 kap. 18 a § OSL: the police
user `polis-farsta` sees identity, release, the concrete risk, its own actions
and the contacts. One action of each party is overdue, so both start pages show
it. Telephone numbers are from PTS's series reserved for fiction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.homecoming import services
from samverkan.homecoming.models import HomecomingPlan, RiskLevel, SharingBasis
from samverkan.intake.demo import demo_person_id
from samverkan.registry.models import Organisation

FARSTA = "0180-farsta"
LPO_FARSTA = "polisen-lpo-farsta"
DEMO_NAME = "Elias Exempelsson (demo)"


def load_demo() -> None:
    actor = User.objects.filter(username="farsta").first()
    farsta = Organisation.objects.filter(code=FARSTA).first()
    police = Organisation.objects.filter(code=LPO_FARSTA).first()
    if actor is None or farsta is None or police is None:
        return
    if HomecomingPlan.objects.filter(district=farsta, name=DEMO_NAME).exists():
        return
    today = local_date(timezone.now())
    plan = services.plan_create(
        actor=actor,
        district=farsta,
        police_unit=police,
        person_id=demo_person_id(date(2009, 4, 12), female=False),
        name=DEMO_NAME,
        sis_home="Demohemmet, särskilt ungdomshem (demo)",
        expected_release=today + timedelta(days=21),
        risk_level=RiskLevel.HIGH,
        concrete_risk="Tidigare grova brott tillsammans med ett lokalt nätverk som har sökt "
        "kontakt under placeringen (demo).",
        risk_assessment="Skyddsfaktorer: motiverad att börja skolan igen, god kontakt med "
        "mamman. Riskfaktorer: kamratkrets, skulder till nätverket (demo).",
        sharing_basis=SharingBasis.OSL_10_18A,
    )
    for party, text, owner, days in (
        (
            farsta,
            "Möte med den unge och vårdnadshavare på SiS-hemmet inför utskrivningen.",
            "Socialsekreterare, enheten för ungdom",
            7,
        ),
        (
            farsta,
            "Ordna skolplacering och kontakt med elevhälsan till hemkomsten.",
            "Socialsekreterare, enheten för ungdom",
            -2,
        ),
        (
            police,
            "Informera områdespoliserna om datum för hemkomst.",
            "Polisens ungdomssamordnare",
            -1,
        ),
        (
            police,
            "Ungdomssamordnaren träffar den unge första veckan efter hemkomsten.",
            "Polisens ungdomssamordnare",
            25,
        ),
    ):
        services.action_add(
            actor=actor,
            plan_id=plan.pk,
            party=party,
            text=text,
            owner_name=owner,
            due_date=today + timedelta(days=days),
        )
    for organisation, name, title, phone in (
        (farsta, "Sara Lindqvist (demo)", "Socialsekreterare, enheten för ungdom", "08-465 004 71"),
        (
            police,
            "Ungdomssamordnare Polisen Farsta (demo)",
            "Polisens ungdomssamordnare",
            "070-174 06 10",
        ),
    ):
        services.contact_add(
            actor=actor,
            plan_id=plan.pk,
            organisation=organisation,
            name=name,
            title=title,
            phone=phone,
        )
