from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samverkan.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("agreement_status", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_nacka_in_force_with_the_current_term_end(demo):
    lines = run("--at", "2026-11-25T12:00:00+01:00", "--municipality", "0182")
    nacka = Agreement.objects.get(reference="SN-ROC-0182")
    assert lines == [
        {
            "agreement": str(nacka.pk),
            "type": "single_entry",
            "parties": ["0180", "0182"],
            "in_force": True,
            "reason": "in_force",
            "last_day": "2026-12-31",
        }
    ]


def test_each_demo_reason(demo):
    at = ("--at", "2026-11-25T12:00:00+01:00", "--type", "single_entry")
    reasons = {line["parties"][1]: (line["reason"], line["last_day"]) for line in run(*at)}
    assert reasons["0192"] == ("decisions_missing", None)
    assert reasons["0191"] == ("not_started", None)
    assert reasons["0120"] == ("terminated", "2026-06-10")
    assert "0188" not in reasons
    assert len(reasons) == 24
    notice = run("--at", "2026-04-01", "--municipality", "0120")
    assert (notice[0]["reason"], notice[0]["last_day"]) == ("notice_given", "2026-06-10")


def test_expired_reason_for_an_agreement_without_renewal(demo):
    from datetime import date

    from samverkan.agreements.demo import organisation
    from samverkan.agreements.services import agreement_create

    agreement_create(
        actor=None,
        type_code="school_collaboration",
        title="Skola",
        reference="SKOLA-1",
        organisations=[organisation("0180"), organisation("0182")],
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        renewal_months=0,
    )
    lines = run("--at", "2025-01-01T00:00:00+01:00", "--type", "school_collaboration")
    assert [(line["reason"], line["in_force"], line["last_day"]) for line in lines] == [
        ("expired", False, "2024-12-31")
    ]


def test_municipality_without_agreement_prints_nothing(demo):
    assert run("--at", "2026-11-25T12:00:00+01:00", "--municipality", "0188") == []
    assert run("--at", "2026-11-25T12:00:00+01:00", "--municipality", "9999") == []


def test_bad_instant_and_unknown_type_exit_2(demo):
    with pytest.raises(CommandError) as bad_instant:
        call_command("agreement_status", "--at", "igår")
    assert bad_instant.value.returncode == 2
    assert "Ogiltig tidpunkt" in str(bad_instant.value)
    with pytest.raises(CommandError) as bad_type:
        call_command("agreement_status", "--at", "2026-11-25", "--type", "lunch")
    assert bad_type.value.returncode == 2


def test_exit_status_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "agreement_status", "--at", "not-a-time"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Ogiltig tidpunkt" in result.stderr


def test_refresh_windows_repairs_a_hand_edited_window(demo):
    from datetime import date

    nacka = Agreement.objects.get(reference="SN-ROC-0182")
    Agreement.objects.filter(pk=nacka.pk).update(in_force_from=None)
    out = StringIO()
    call_command("agreement_refresh_windows", stdout=out)
    nacka.refresh_from_db()
    assert nacka.in_force_from == date(2024, 2, 1)
    assert "1 avtal ändrade" in out.getvalue()
