"""Backup and restore of a populated instance (issue 9, part 8).

Runs the real commands in subprocesses against databases of its own — two
SQLite files in a temporary directory, or two new PostgreSQL databases on the
test cluster when DATABASE_URL points at PostgreSQL — so it touches neither
the test database nor another xdist worker's. A populated instance (demo data
plus extra access-log entries with awkward JSON) is backed up while it stays
open, restored into an EMPTY database, and every report, ledger entry and
audit entry must be found there, with the hash chain verifying.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from samverkan.core.testing.processes import run_python

BASE_DIR = Path(settings.BASE_DIR)

EXTRA_AUDIT = """
from django.db import transaction
from samverkan.audit.services import audit_record
with transaction.atomic():
    for n in range(5):
        audit_record(actor=None, action="view", record_type="test.Backup", record_id=n,
                     reason="Återläsningsprov åäö", detail={"n": n, "x": 0.1 * n,
                     "text": "åäö – ☃", "nested": {"list": [1, "två", None]}})
"""

SNAPSHOT = """
import json
from samverkan.audit.models import AuditEntry
from samverkan.audit.verify import verify_chain
from samverkan.defectors.models import CostEntry
from samverkan.intake.models import ConcernReport, NotEligibleRecord
chain = verify_chain()
print("SNAPSHOT:" + json.dumps({
    "reports": sorted(
        [str(r.public_id), r.person_id, r.received_at.isoformat(), r.narrative, r.status]
        for r in ConcernReport.objects.all()
    ),
    "not_eligible": sorted(str(r.public_id) for r in NotEligibleRecord.objects.all()),
    "ledger": sorted(
        [c.pk, c.assignment_id, str(c.amount), c.incurred_on.isoformat(), c.period]
        for c in CostEntry.objects.all()
    ),
    "audit": list(AuditEntry.objects.order_by("id").values_list("entry_hash", flat=True)),
    "chain_ok": chain.ok,
    "chain_checked": chain.checked,
}))
"""


def manage(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SAMVERKAN_ENV": "development"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = run_python([str(BASE_DIR / "manage.py"), *args], env, timeout=900)
    if check and completed.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed


def snapshot(database_url: str, prepare: str = "") -> dict:
    output = manage(database_url, "shell", "-c", prepare + SNAPSHOT).stdout
    line = next(line for line in output.splitlines() if line.startswith("SNAPSHOT:"))
    return json.loads(line.removeprefix("SNAPSHOT:"))


@pytest.fixture
def two_databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(source URL, empty target URL) on the engine the suite runs on."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        )
        return
    import psycopg

    prefix, _, _ = base.rpartition("/")
    names = [f"samverkan_backup_{kind}_{uuid.uuid4().hex[:10]}" for kind in ("src", "dst")]
    with psycopg.connect(f"{prefix}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{prefix}/{names[0]}", f"{prefix}/{names[1]}"
    finally:
        with psycopg.connect(f"{prefix}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_of_populated_instance_restores_completely_into_empty_database(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = two_databases
    manage(source, "migrate", "--noinput", "-v", "0")
    manage(source, "setup_demo")
    before = snapshot(source, prepare=EXTRA_AUDIT)
    assert before["chain_ok"]
    assert len(before["reports"]) >= 5
    assert len(before["ledger"]) >= 5
    assert len(before["audit"]) >= 50

    backup_file = tmp_path / "samverkan.backup"
    backed_up = manage(source, "backup_database", "--output", str(backup_file))
    assert backup_file.is_file() and "OK" in backed_up.stdout
    assert (backup_file.stat().st_mode & 0o777) == 0o600

    restored = manage(target, "restore_database", "--input", str(backup_file))
    assert "audit_verify: OK" in restored.stdout

    after = snapshot(target)
    assert after["reports"] == before["reports"]
    assert after["not_eligible"] == before["not_eligible"]
    assert after["ledger"] == before["ledger"]
    # Every entry of the source, in order, then only the restore's own entry (the
    # backup's entry is written after the copy is taken, so it is not in it).
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert len(after["audit"]) == len(before["audit"]) + 1
    assert after["chain_ok"] and after["chain_checked"] == len(after["audit"])
    assert "OK" in manage(target, "audit_verify").stdout

    # Never into a database that has data.
    again = manage(target, "restore_database", "--input", str(backup_file), check=False)
    assert again.returncode != 0
    assert "inte tom" in again.stderr
