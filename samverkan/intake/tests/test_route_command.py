"""`manage.py route`: the decision as JSON, nothing written, exit 2 on bad input."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samverkan.audit.models import AuditEntry
from samverkan.intake.models import ConcernReport, NotEligibleRecord
from samverkan.intake.tests.testdata import NACKA_CHILD_FACTS

pytestmark = pytest.mark.django_db

EXAMPLE = NACKA_CHILD_FACTS


def route(tmp_path, payload, at="2026-11-24T02:10"):
    path = tmp_path / "report.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    out = StringIO()
    args = ["route", str(path)] + (["--at", at] if at else [])
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_issue_example(tmp_path, intake_registry):
    before = (
        ConcernReport.objects.count(),
        NotEligibleRecord.objects.count(),
        AuditEntry.objects.count(),
    )
    decision = route(tmp_path, EXAMPLE)
    assert decision["eligible"] is True and decision["reasons"] == []
    assert decision["responsible_municipality"] == "0182"
    assert decision["responsible_district"] is None
    assert decision["office_hours"] is False
    unit = decision["receiving_unit"]
    assert unit["kind"] == "out_of_hours" and unit["name"].startswith("Socialjour Sydost")
    assert unit["covers"] == ["0182", "0120", "0138"]
    assert unit["phone"].startswith("08-465 004 ")
    assert decision["received_at"] == "2026-11-24T02:10:00+01:00"
    assert decision["protection_assessment_due"] == "2026-11-24T23:59:59+01:00"
    assert decision["preliminary_assessment_due"] == "2026-12-08"
    assert list(decision) == [
        "eligible",
        "reasons",
        "responsible_municipality",
        "responsible_district",
        "office_hours",
        "receiving_unit",
        "received_at",
        "protection_assessment_due",
        "preliminary_assessment_due",
        "numbers",
    ]
    # Night: the joint out-of-hours service and its reserve number, then Nacka's office line.
    assert [(n["label"], n["answers_now"]) for n in decision["numbers"]] == [
        ("Dygnet runt", True),
        ("Reservnummer", True),
        ("Kontorstid", False),
    ]
    assert decision["numbers"][0]["number"] == unit["phone"]
    after = (
        ConcernReport.objects.count(),
        NotEligibleRecord.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before  # writes nothing


def test_demo_agreements_decide(tmp_path, intake_registry):
    norrtalje = route(tmp_path, {**EXAMPLE, "home_municipality": "0188"})
    assert norrtalje["reasons"] == ["no_agreement_in_force"]
    assert norrtalje["responsible_municipality"] == "0188"
    assert norrtalje["receiving_unit"]["kind"] == "out_of_hours"
    nynashamn = route(tmp_path, {**EXAMPLE, "home_municipality": "0192"})
    assert nynashamn["reasons"] == ["no_agreement_in_force"]  # only Stockholm decided
    # Sigtuna: agreement from 2026-12-01
    assert route(tmp_path, {**EXAMPLE, "home_municipality": "0191"}, "2026-11-30T23:59")[
        "reasons"
    ] == ["no_agreement_in_force"]
    assert route(tmp_path, {**EXAMPLE, "home_municipality": "0191"}, "2026-12-01T00:00")["eligible"]


def test_stockholm_district_in_office_hours(tmp_path, intake_registry):
    decision = route(
        tmp_path,
        {**EXAMPLE, "home_municipality": "0180", "home_district": "Farsta"},
        "2026-11-24T10:00",
    )
    assert decision["eligible"] is True
    assert decision["responsible_district"] == "Farsta"
    assert decision["office_hours"] is True
    assert decision["receiving_unit"]["kind"] == "intake"


def test_home_unknown_names_the_municipality_of_stay(tmp_path, intake_registry):
    decision = route(tmp_path, {**EXAMPLE, "home_municipality": None})
    assert decision["eligible"] is False
    assert decision["reasons"] == ["home_municipality_unknown"]
    assert decision["responsible_municipality"] == "0184"
    assert decision["receiving_unit"] is not None


def test_offset_instant_is_accepted(tmp_path, intake_registry):
    decision = route(tmp_path, EXAMPLE, "2026-11-24T01:10:00Z")
    assert decision["received_at"] == "2026-11-24T02:10:00+01:00"


@pytest.mark.parametrize(
    ("payload", "at", "message"),
    [
        ("{not json", "2026-11-24T02:10", "Ogiltig JSON"),
        ([1, 2], "2026-11-24T02:10", "JSON-objekt"),
        ({**EXAMPLE, "found_in": "9999"}, "2026-11-24T02:10", "found_in"),
        ({**EXAMPLE, "home_municipality": "01"}, "2026-11-24T02:10", "home_municipality"),
        (
            {**EXAMPLE, "home_municipality": "0180", "home_district": "Gamla stan"},
            "2026-11-24T02:10",
            "home_district",
        ),
        (
            {k: v for k, v in EXAMPLE.items() if k != "gang_related"},
            "2026-11-24T02:10",
            "gang_related",
        ),
        ({**EXAMPLE, "gang_related": "ja"}, "2026-11-24T02:10", "gang_related"),
        ({**EXAMPLE, "person_id": None}, "2026-11-24T02:10", "birth_date"),
        (
            {**EXAMPLE, "person_id": None, "birth_date": "15/5/2012"},
            "2026-11-24T02:10",
            "birth_date",
        ),
        (EXAMPLE, "igår", "at"),
        (EXAMPLE, "2026-03-29T02:30", "finns inte"),
        (EXAMPLE, "2026-10-25T02:30", "två gånger"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, intake_registry, payload, at, message):
    with pytest.raises(CommandError) as error:
        route(tmp_path, payload, at)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_missing_file_exits_2(intake_registry):
    with pytest.raises(CommandError) as error:
        call_command("route", "/nonexistent/report.json", "--at", "2026-11-24T02:10")
    assert error.value.returncode == 2
