"""Demo routines (issue 11). Idempotent: safe to run again.

* Farsta's routine for homecoming from SiS, in two versions, attached to the
  children-and-youth forum with the police (the forum shows version 2).
* A support material on secrecy between school, social services and police,
  whose review date has passed: it is on the Farsta coordinator's start page.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.collaboration.demo import (
    CHILDREN_FORUM,
    EDUCATION,
    FARSTA,
    GENERAL_FORUM,
    LPO_FARSTA,
)
from samverkan.collaboration.models import Forum
from samverkan.core.calendar import local_date
from samverkan.registry.models import Organisation
from samverkan.routines import services
from samverkan.routines.models import Routine, RoutineKind, RoutineTopic

HOMECOMING_TITLE = "Rutin för hemtagning från SiS, Farsta"
SECRECY_TITLE = "Stödmaterial: sekretess mellan skola, socialtjänst och polis"

HOMECOMING_V1 = """Syfte
Gemensamt arbetssätt för socialtjänsten och lokalpolisområde Farsta när en ungdom som \
placerats på ett särskilt ungdomshem (SiS) ska komma hem och det bedöms finnas hög risk \
för fortsatt kriminalitet.

Före utskrivning
Socialsekreteraren upprättar en hemtagningsplan senast sex veckor före beräknad \
utskrivning. Rättslig grund för vad som delas med polisen dokumenteras i planen: \
samtycke, eller 10 kap. 18 a § offentlighets- och sekretesslagen för den som inte fyllt \
21 år när det finns en konkret risk för fortsatt brottslighet.

Vid hemkomst
Socialtjänsten och polisens ungdomssamordnare har kontakt samma dag som ungdomen kommer hem."""

HOMECOMING_V2 = (
    HOMECOMING_V1
    + """

Efter hemkomst
Uppföljning efter två veckor och efter tre månader. Skolan bjuds in när ungdomen \
ska återgå till skolan, med vårdnadshavarens samtycke."""
)

SECRECY_TEXT = """Sekretess gäller mellan myndigheter. Uppgifter om enskilda får lämnas \
till en annan myndighet bara med samtycke eller med stöd av en sekretessbrytande \
bestämmelse. I forum för generella frågor tas inga individärenden upp.

Skolans och polisens anmälningsskyldighet (19 kap. 1 § SoL 2025:400, tidigare 14 kap. \
1 § SoL 2001:453) bryter sekretessen mot socialtjänsten."""


def load_demo() -> None:
    actor = User.objects.filter(username="farsta").first()
    forum = Forum.objects.filter(name=CHILDREN_FORUM).first()
    if actor is None or forum is None:
        return
    today = local_date(timezone.now())
    farsta = Organisation.objects.get(code=FARSTA)
    police = Organisation.objects.get(code=LPO_FARSTA)
    if not Routine.objects.filter(title=HOMECOMING_TITLE, owner=farsta).exists():
        routine = services.routine_create(
            actor=actor,
            owner=farsta,
            kind=RoutineKind.ROUTINE,
            topic=RoutineTopic.HOMECOMING,
            title="Rutin för hemtagning från SiS",
            body=HOMECOMING_V1,
            review_date=today + timedelta(days=200),
            parties=[police],
            forums=[forum],
        )
        services.routine_revise(
            actor=actor,
            routine_id=routine.pk,
            title=HOMECOMING_TITLE,
            body=HOMECOMING_V2,
            change_note="Lagt till uppföljning efter hemkomst och när skolan bjuds in.",
            review_date=today + timedelta(days=365),
        )
    if not Routine.objects.filter(title=SECRECY_TITLE, owner=farsta).exists():
        general = Forum.objects.filter(name=GENERAL_FORUM).first()
        education = Organisation.objects.filter(code=EDUCATION).first()
        services.routine_create(
            actor=None,  # the demo loader: the review date is already past
            owner=farsta,
            kind=RoutineKind.SUPPORT_MATERIAL,
            topic=RoutineTopic.SECRECY,
            title=SECRECY_TITLE,
            body=SECRECY_TEXT,
            review_date=today - timedelta(days=10),
            parties=[p for p in (police, education) if p is not None],
            forums=[f for f in (general, forum) if f is not None],
        )
