"""Realistic `POST /api/v1/reports` bodies for the benchmarks (fiction only).

Identity numbers are Skatteverket's test series (birth numbers 238/239, never
assigned to a real person); phone numbers are from PTS's fiction range. About
one in eight is outside single entry (not gang related), as in real traffic.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

HOMES = ("0182", "0184", "0186", "0183", "0163", "0127", "0181", "0180", "0180", "0180")
DISTRICTS = ("Farsta", "Järva", "Södermalm", "Bromma", "Skärholmen", "Kungsholmen")
FOUND = ("0180", "0184", "0182", "0183", "0186")


def _luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def test_person_id(born: date, female: bool) -> str:
    body = f"{born:%y%m%d}{238 if female else 239}"
    return f"{born:%Y}{body[2:]}{_luhn(body)}"


def report_payload(i: int, prefix: str = "BENCH") -> dict[str, Any]:
    home = HOMES[i % len(HOMES)]
    born = date(2009, 1, 1) + timedelta(days=(i * 37) % 2500)
    return {
        "person_id": test_person_id(born, female=i % 3 == 0),
        "birth_date": None,
        "found_in": FOUND[i % len(FOUND)],
        "home_municipality": home,
        "home_district": DISTRICTS[i % len(DISTRICTS)] if home == "0180" else None,
        "gang_related": i % 8 != 0,
        "police_reference": f"{prefix}-{i:08d}",
        "reporting_officer": {
            "name": "Kim Testsson",
            "unit": "Polisen, Regionalt operativt center (ROC)",
            "phone": "08-465 004 71",
        },
        "narrative": (
            "Påträffad sent på kvällen i sällskap med äldre personer kopplade till ett "
            "kriminellt nätverk; uppgifter om att barnet förvarat narkotika (fiktiv)."
        ),
        "risk_information": "Uppgifter om hot från ett rivaliserande nätverk (fiktiv).",
        "wants_feedback": i % 2 == 0,
    }
