"""Demo concern reports in different states, loaded by `setup_demo` (idempotent).

Identity numbers: only Skatteverket's published *testpersonnummer* series
(open data, dataportal.se "Testpersonnummer", CC0): every date has the birth
numbers 238 and 239 with the Luhn check digit, numbers Skatteverket never
assigns to a real person. `demo_person_id` builds them from a birth date, so
the demo never contains a number that could belong to someone. People named
here are fictional; phone numbers are from PTS's fiction range.

Each report is posted through the real services by the ROC demo API client and
keyed by its police reference ("DEMO-…"), so running this again finds the
report and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from stdnum import luhn

from samverkan.accounts.demo import ensure_demo_api_client
from samverkan.accounts.models import ApiClient, User
from samverkan.core.calendar import local_date
from samverkan.intake import services
from samverkan.intake.services import ReportInput
from samverkan.registry.reference_data import STOCKHOLM_CODE


def demo_person_id(born: date, *, female: bool = True) -> str:
    """A Skatteverket test personnummer (birth number 238 female / 239 male), 12 digits."""
    body = f"{born:%y%m%d}{238 if female else 239}"
    return f"{born:%Y}{body[2:]}{luhn.calc_check_digit(body)}"


BASE = ReportInput(
    person_id=None,
    birth_date=None,
    found_in="0184",
    home_municipality="0182",
    home_district=None,
    gang_related=True,
    reporting_officer_name="Demo Polissson",
    reporting_officer_unit="Polisen, Regionalt operativt center (ROC)",
    reporting_officer_phone="08-465 004 70",
    risk_information="Uppgifter om hot från ett rivaliserande nätverk (demo).",
    narrative="Påträffad sent på kvällen i sällskap med äldre personer (demo).",
    wants_feedback=True,
)


@dataclass(frozen=True)
class DemoReport:
    reference: str
    data: ReportInput
    minutes_ago: int
    state: str  # received, handed_over, accepted, protection, preliminary, feedback, not_eligible
    receiver: str = ""  # username of the receiver who accepts


DEMO_REPORTS = (
    DemoReport(
        "DEMO-0001",
        replace(BASE, person_id=demo_person_id(date(2011, 3, 14))),
        minutes_ago=6,
        state="received",
    ),
    DemoReport(
        "DEMO-0002",
        replace(
            BASE,
            person_id=demo_person_id(date(2010, 9, 2), female=False),
            found_in=STOCKHOLM_CODE,
            home_municipality="0184",
        ),
        minutes_ago=12,
        state="handed_over",
    ),
    DemoReport(
        "DEMO-0003",
        replace(
            BASE,
            person_id=demo_person_id(date(2012, 1, 20), female=False),
            found_in="0183",
            home_municipality="0183",
        ),
        minutes_ago=40,
        state="received",  # not accepted in time: escalates
    ),
    DemoReport(
        "DEMO-0004",
        replace(BASE, person_id=demo_person_id(date(2009, 6, 30))),
        minutes_ago=60 * 26,
        state="protection",
        receiver="nacka",
    ),
    DemoReport(
        "DEMO-0005",
        replace(
            BASE,
            person_id=demo_person_id(date(2010, 11, 5), female=False),
            found_in=STOCKHOLM_CODE,
            home_municipality=STOCKHOLM_CODE,
            home_district="Farsta",
        ),
        minutes_ago=60 * 24 * 5,
        state="preliminary",
        receiver="farsta-mottagning",
    ),
    DemoReport(
        "DEMO-0006",
        replace(BASE, person_id=None, birth_date=date(2013, 4, 1), wants_feedback=False),
        minutes_ago=60 * 3,
        state="accepted",
        receiver="nacka",
    ),
    DemoReport(
        "DEMO-0007",
        replace(BASE, person_id=demo_person_id(date(2011, 8, 8)), home_municipality="0188"),
        minutes_ago=90,
        state="not_eligible",
    ),
)


# A back-dated history over the last completed quarters, so that open data (which
# publishes completed quarters only) and its suppression can be seen in the demo:
# per quarter, reports per home municipality — Solna's 3 is a small count.
HISTORY_QUARTERS = 2
HISTORY_PER_QUARTER = {"0182": 8, "0183": 6, "0184": 3}


def _history(client: ApiClient, now: datetime) -> None:
    from samverkan.followup.open_data import published_quarters

    for quarter in published_quarters(local_date(now))[-HISTORY_QUARTERS:]:
        start, _end = quarter.bounds()
        for code, count in HISTORY_PER_QUARTER.items():
            for n in range(count):
                data = replace(
                    BASE,
                    person_id=None,
                    birth_date=date(2011, 1 + n % 12, 1 + n),
                    found_in=code,
                    home_municipality=code,
                    wants_feedback=False,
                    police_reference=f"HIST-{quarter.first:%Y%m}-{code}-{n}",
                )
                received = start + timedelta(days=3 + 7 * n, hours=n % 9)
                services.report_register(actor=client, data=data, received_at=received)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _roc_client() -> ApiClient | None:
    client, _token = ensure_demo_api_client()
    return client


def load_demo() -> None:
    client = _roc_client()
    hub = _user("socialjour")
    if client is None or hub is None:
        return
    now = timezone.now()
    for spec in DEMO_REPORTS:
        _load_one(spec, client, hub, now)
    _history(client, now)


def _load_one(spec: DemoReport, client: ApiClient, hub: User, now: datetime) -> None:
    received = now - timedelta(minutes=spec.minutes_ago)
    data = replace(spec.data, police_reference=spec.reference)
    result = services.report_register(actor=client, data=data, received_at=received)
    report = result.report
    if not result.created or report is None or spec.state == "received":
        return
    number = report.receiving_unit.phone_lines.first() if report.receiving_unit else None
    services.handover_attempt_record(
        actor=hub,
        report_id=report.pk,
        number_called=number.number if number else "08-465 004 01",
        reached=True,
        person_reached="Jourhavande (demo)",
        at=received + timedelta(minutes=4),
    )
    receiver = _user(spec.receiver) if spec.receiver else None
    if spec.state == "handed_over" or receiver is None:
        return
    services.handover_accept(
        actor=receiver, report_id=report.pk, at=received + timedelta(minutes=7)
    )
    if spec.state == "accepted":
        return
    services.protection_assessment_record(
        actor=receiver,
        report_id=report.pk,
        made_at=received + timedelta(minutes=50),
        immediate_protection_needed=False,
    )
    if spec.state == "protection":
        return
    services.preliminary_assessment_record(
        actor=receiver,
        report_id=report.pk,
        decision="investigation_opened",
        decided_on=local_date(now),
    )
