"""The access log speaks Swedish: every key the apps write into an entry's detail is shown
to the auditor under a Swedish name (`audit.names.DETAIL_LABELS`), yes/no as "ja"/"nej"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from samverkan.audit.models import AuditEntry
from samverkan.audit.names import DETAIL_LABELS, describe
from samverkan.retention.services import retention_apply

pytestmark = pytest.mark.django_db


def _keys(value: Any) -> set[str]:
    """The keys of a detail, with those of the dictionaries inside it (by record type)."""
    if not isinstance(value, dict):
        return set()
    found = set(value)
    for inner in value.values():
        if isinstance(inner, dict):
            found |= {key for key in inner if "." not in key} | set().union(
                *(_keys(v) for v in inner.values())
            )
    return found


def test_every_key_the_demo_writes_has_a_swedish_name(registry_demo: Any) -> None:
    call_command("setup_demo", stdout=None)
    retention_apply(today=date(2045, 1, 1))  # every demo record's retention has ended
    written = set().union(*(_keys(d) for d in AuditEntry.objects.values_list("detail", flat=True)))
    assert len(written) > 40  # the demo writes the apps' own entries
    assert written - DETAIL_LABELS.keys() == set()


def test_a_detail_is_told_in_swedish() -> None:
    lines = describe(
        {
            "legal_basis": "consent",
            "suppressed": "True",
            "locked": False,
            "by_type": {"intake.ConcernReport": {"examined": 6, "anonymised": 5}},
        }
    )
    assert lines == [
        "Rättslig grund: consent",
        "Små tal dolda: ja",
        "Låst: nej",
        "Per posttyp: intake.ConcernReport: granskade: 6; gallrade: 5",
    ]
