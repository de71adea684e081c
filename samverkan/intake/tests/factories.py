"""Helpers to register reports in tests through the real service."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from samverkan.intake.services import ReportInput, report_register

SE = ZoneInfo("Europe/Stockholm")

NACKA_CHILD = ReportInput(
    person_id="201205152380",
    birth_date=None,
    found_in="0184",
    home_municipality="0182",
    home_district=None,
    gang_related=True,
    reporting_officer_name="Polis Testsson",
    reporting_officer_unit="ROC",
    reporting_officer_phone="08-465 004 99",
    risk_information="Hot från rivaliserande nätverk.",
    narrative="Påträffad vid tunnelbanan.",
    wants_feedback=True,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SE)


def register(actor, received_at: str = "2026-11-24T02:10", **overrides):
    return report_register(
        actor=actor, data=replace(NACKA_CHILD, **overrides), received_at=at(received_at)
    )
