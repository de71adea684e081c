"""Defector figures on a known data set, and the scheduled export command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from samverkan.audit.models import AuditEntry
from samverkan.core.calendar import STOCKHOLM
from samverkan.defectors.models import (
    Assignment,
    CostEntry,
    ImplementationPlan,
    PlannedIntervention,
    Reconciliation,
)
from samverkan.defectors.tests.conftest import make_agreement
from samverkan.followup.defector_selectors import defector_dashboard
from samverkan.followup.periods import period_containing
from samverkan.followup.selectors import Scope
from samverkan.followup.tests import dataset

DECEMBER = period_containing("month", date(2026, 12, 1))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def defector_data(registry_demo: dict[str, Any]) -> dict[str, Any]:
    orgs = registry_demo
    agreement = make_agreement(orgs, reference="AVH-FOLLOWUP")
    item = agreement.defector_catalogue.order_by("order").first()

    def assignment(ref: str, home: str, receiving: str, state: str, **extra: Any) -> Assignment:
        return Assignment.objects.create(
            reference=ref,
            agreement=agreement,
            home_municipality=orgs[home],
            receiving_municipality=orgs[receiving],
            person_alias=f"Alias {ref}",
            state=state,
            created_at=at(extra.pop("created", date(2026, 1, 10))),
            **extra,
        )

    a1 = assignment("A1", "0180", "1480", "active", started_on=date(2026, 2, 1))
    a2 = assignment("A2", "0180", "1480", "ended", ended_on=date(2026, 12, 10))
    assignment("A3", "1480", "1280", "requested", created=date(2026, 12, 1))
    assignment("A4", "1280", "0180", "declined")
    assignment("A5", "0180", "1280", "ended", ended_on=date(2025, 6, 1))

    def cost(a: Assignment, kind: str, side: str, day: date, amount: str) -> None:
        plan, _ = ImplementationPlan.objects.get_or_create(assignment=a)
        intervention, _ = PlannedIntervention.objects.get_or_create(
            plan=plan, kind=kind, catalogue_item=item if kind == "catalogue" else None
        )
        CostEntry.objects.create(
            assignment=a,
            intervention=intervention,
            booked_by_side=side,
            booked_by_organisation=a.receiving_municipality
            if side == "receiving"
            else a.home_municipality,
            incurred_on=day,
            period="2026-H2",
            amount=Decimal(amount),
            booked_at=at(day),
        )

    cost(a1, "catalogue", "receiving", date(2026, 12, 5), "10000.00")
    cost(a1, "housing", "home", date(2026, 12, 6), "5000.00")
    cost(a2, "catalogue", "receiving", date(2026, 12, 1), "2000.00")
    cost(a2, "catalogue", "receiving", date(2026, 11, 30), "999.00")  # outside the period
    Reconciliation.objects.create(
        agreement=agreement,
        period="2026-H2",
        party_a=orgs["0180"],
        party_b=orgs["1480"],
        b_for_a=Decimal("12000.00"),
        equalisation=Decimal("12000.00"),
        payer=orgs["0180"],
        computed_at=at(date(2027, 1, 5)),
        locked_at=at(date(2027, 1, 10)),
    )
    return {"agreement": agreement, "item": item, "orgs": orgs}


def cells(table: Any) -> dict[str, list[Any]]:
    return {row.key: [c.value for c in row.cells] for row in table.all_rows()}


def test_defector_figures_by_hand(defector_data: dict[str, Any]) -> None:
    board = defector_dashboard(period=DECEMBER, scope=Scope(), suppress=False)
    assert cells(board.table("pairs")) == {
        "0180>1480": [0, 1, 1, 2],
        "1480>1280": [1, 0, 0, 1],
        "total": [1, 1, 1, 3],
    }
    item = defector_data["item"]
    assert cells(board.table("costs_by_intervention")) == {
        f"catalogue:{item.name}": [Decimal("12000.00"), 2],
        "housing:": [Decimal("5000.00"), 1],
        "total": [Decimal("17000.00"), 2],
    }
    assert cells(board.table("reconciliations")) == {
        "total": [1],
        "locked": [1],
        "equalised": [1],
        "equalisation": [Decimal("12000.00")],
        "reconciled_costs": [Decimal("12000.00")],
    }
    assert cells(board.table("balance")) == {
        "0180": [2, 0, Decimal("0.00"), Decimal("12000.00"), Decimal("-12000.00")],
        "1280": [0, 1, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")],
        "1480": [1, 2, Decimal("12000.00"), Decimal("0.00"), Decimal("12000.00")],
    }


def test_a_single_reconciliation_does_not_print_its_amounts(defector_data: dict[str, Any]) -> None:
    """Issue 17: one reconciliation's amounts are the costs of a few children."""
    outside = defector_dashboard(period=DECEMBER, scope=Scope(), suppress=True)
    texts = {r.key: [c.text(5) for c in r.cells] for r in outside.table("reconciliations").rows}
    assert texts["total"] == ["1"]  # reconciliations are between organisations
    assert texts["equalisation"] == ["–"]
    assert texts["reconciled_costs"] == ["–"]
    inside = defector_dashboard(period=DECEMBER, scope=Scope(), suppress=False)
    texts = {r.key: [c.text(5) for c in r.cells] for r in inside.table("reconciliations").rows}
    assert texts["equalisation"] == ["12\u00a0000,00 kr"]  # not "12000.00"


def test_amounts_are_written_in_swedish() -> None:
    from samverkan.followup.stats import Cell

    assert Cell(Decimal("57640.9900000000")).text() == "57\u00a0640,99 kr"
    assert Cell(Decimal("-200")).text() == "−200,00 kr"


def test_defector_figures_suppressed(defector_data: dict[str, Any]) -> None:
    board = defector_dashboard(period=DECEMBER, scope=Scope(), suppress=True)
    texts = {r.key: [c.text(5) for c in r.cells] for r in board.table("balance").rows}
    assert texts["0180"] == ["<5", "0", "–", "–", "–"]  # amounts for < 5 assignments go too
    costs = {r.key: [c.text(5) for c in r.cells] for r in board.table("costs_by_intervention").rows}
    assert costs["housing:"] == ["–", "<5"]


def test_defector_page_hides_aliases(
    logged_in_client: Any, analyst: Any, defector_data: dict[str, Any]
) -> None:
    text = (
        logged_in_client(analyst)
        .get("/uppfoljning/avhoppare/?period=month&datum=2026-12-01")
        .content.decode()
    )
    assert "Uppdrag per par av kommuner" in text
    assert "Alias" not in text


def test_followup_export_command(
    registry_demo: dict[str, Any], hub_worker: Any, tmp_path: Path
) -> None:
    dataset.build(registry_demo, hub_worker)
    before = AuditEntry.objects.filter(action="export").count()
    target = tmp_path / "uppfoljning.xlsx"
    call_command(
        "followup_export",
        "--from", "2026-12-01", "--to", "2026-12-31", "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    workbook = load_workbook(target)
    assert "Mottagna anmälningar" in workbook.sheetnames
    assert "Uppdrag per par av kommuner" in workbook.sheetnames
    assert AuditEntry.objects.filter(action="export").count() == before + 3

    csv_target = tmp_path / "u.csv"
    call_command(
        "followup_export", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv",
        "--output", str(csv_target), "--unsuppressed",
    )  # fmt: skip
    rows = list(
        csv.DictReader(io.StringIO(csv_target.read_text(encoding="utf-8-sig")), delimiter=";")
    )
    total = next(
        r for r in rows if r["tabell"] == "Mottagna anmälningar" and r["rad"] == "Mottagna totalt"
    )
    assert total["värde"] == "9"

    json_target = tmp_path / "u.json"
    call_command(
        "followup_export", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "json",
        "--output", str(json_target),
    )  # fmt: skip
    payload = json.loads(json_target.read_text())
    assert [d["dashboard"] for d in payload["dashboards"]] == [
        "En ingång",
        "Avhoppare",
        "Samverkan",
    ]
    for needle in [*dataset.PERSON_IDS, *dataset.NAMES]:
        assert needle not in json_target.read_text()

    with pytest.raises(CommandError, match="Slutdatum"):
        call_command(
            "followup_export", "--from", "2026-12-31", "--to", "2026-12-01", "--format", "csv"
        )
