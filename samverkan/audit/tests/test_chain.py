import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.audit.services import GENESIS_HASH, audit_record, compute_entry_hash
from samverkan.audit.tests.conftest import triggers_off
from samverkan.audit.verify import verify_chain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_audit_log")]


def write(n, **kwargs):
    entries = []
    for i in range(n):
        values = {
            "actor": None,
            "action": AuditAction.VIEW,
            "record_type": "concern_report",
            "record_id": i,
            "controller": "0182",
        }
        values.update(kwargs)
        entries.append(audit_record(**values))
    return entries


def run_verify(*args):
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_empty_log_verifies():
    assert run_verify().strip() == "OK, 0 entries"


def test_chain_of_many_entries_verifies_across_batches():
    entries = write(250)
    assert entries[0].previous_hash == GENESIS_HASH
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    assert run_verify("--batch-size", "7").strip() == "OK, 250 entries"


def test_hash_survives_the_round_trip_through_the_database():
    entry = audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        record_type="concern_report",
        record_id="R-2026-000123",
        controller="0180-farsta",
        reason="Begäran från förvaltningsrätten – Åsa Öberg",
        detail={
            "decided_on": date(2026, 11, 25),
            "amount": Decimal("12.50"),
            "ratio": 1e20,
            "nested": {"b": [1, 2.5, "ä"], "a": None},
        },
    )
    stored = AuditEntry.objects.values().get(pk=entry.pk)
    assert compute_entry_hash(stored) == entry.entry_hash
    assert run_verify().strip() == "OK, 1 entries"


def test_changed_entry_is_named_by_audit_verify():
    entries = write(20)
    victim = entries[11]
    with triggers_off():
        raw("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["covering up", victim.pk])
    with pytest.raises(CommandError) as excinfo:
        run_verify("--batch-size", "5")
    assert excinfo.value.returncode == 1
    message = str(excinfo.value)
    assert f"entry {victim.pk} " in message
    assert "changed" in message
    assert "11 entries before it verified" in message


def test_removed_entry_breaks_the_chain_at_the_next_one():
    entries = write(10)
    with triggers_off():
        raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[4].pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_entry_id == entries[5].pk
    assert f"entry {entries[3].pk}" in report.problem


def test_rewritten_entry_with_recomputed_hash_is_caught_at_the_next_one():
    entries = write(5)
    victim = AuditEntry.objects.values().get(pk=entries[2].pk)
    victim["actor_label"] = "someone else"
    new_hash = compute_entry_hash(victim)
    with triggers_off():
        raw(
            "UPDATE audit_auditentry SET actor_label = %s, entry_hash = %s WHERE id = %s",
            ["someone else", new_hash, entries[2].pk],
        )
    report = verify_chain()
    assert report.broken_entry_id == entries[3].pk


def test_changed_first_entry_is_found():
    entries = write(3)
    with triggers_off():
        raw("UPDATE audit_auditentry SET controller = '0184' WHERE id = %s", [entries[0].pk])
    assert verify_chain().broken_entry_id == entries[0].pk


def test_orm_update_is_refused_by_the_database():
    entry = write(1)[0]
    entry.reason = "changed"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_orm_delete_is_refused_by_the_database():
    entry = write(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_update_and_delete_are_refused():
    entry = write(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditentry SET reason = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_a_fork_cannot_be_stored():
    first = write(1)[0]
    fork = AuditEntry(
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor_label="x",
        action="view",
        record_type="t",
        record_id="1",
        previous_hash=first.previous_hash,
        entry_hash="f" * 64,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_entry_in_a_rolled_back_transaction_leaves_the_chain_whole():
    write(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        write(1, record_id="lost")
        raise RuntimeError("the service failed")
    write(2)
    assert not AuditEntry.objects.filter(record_id="lost").exists()
    assert run_verify().strip() == "OK, 4 entries"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_guard():
    write(3)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    entry = write(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite's test database is in memory)")
    errors = []

    def writer(n):
        try:
            for i in range(25):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action=AuditAction.VIEW,
                        record_type="concern_report",
                        record_id=f"{n}-{i}",
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert run_verify().strip() == "OK, 100 entries"


# --- every stored field is under the hash ----------------------------------------------------
# The fields an entry stores besides its id and its own hash, read from the model rather
# than from `HASHED_FIELDS`: a field dropped from the hash (or one added to the model and
# never hashed) makes a case below fail instead of quietly disappearing from the list.
STORED_FIELDS = [
    field.attname
    for field in AuditEntry._meta.concrete_fields
    if field.attname not in ("id", "entry_hash")
]

# A different, valid value for each stored field; a new field needs one here.
TAMPERED = {
    "at": datetime(2020, 1, 1, tzinfo=UTC),
    "actor_user_id": "user",  # another user (a row must exist: it is a foreign key)
    "actor_client_id": "client",
    "actor_label": "someone else",
    "actor_organisation": "0184",
    "action": AuditAction.DELETE,
    "record_type": "other_type",
    "record_id": "other-id",
    "controller": "0184",
    "reason": "covering up",
    "detail": '{"covered": "up"}',
    "previous_hash": "1" * 64,
}


def test_every_stored_field_has_a_tampered_value():
    assert sorted(TAMPERED) == sorted(STORED_FIELDS)


@pytest.mark.parametrize("column", STORED_FIELDS)
def test_changing_any_stored_field_breaks_verification(column, make_user, api_client_for):
    """An entry changed in any one field no longer verifies (its hash no longer matches)."""
    entries = write(3, reason="why", detail={"shown": "x"})
    victim = entries[1]
    value = TAMPERED[column]
    if value == "user":
        value = make_user("someone.else", "0184").pk
    elif value == "client":
        value = api_client_for("0184")[0].pk
    with triggers_off():
        raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, victim.pk])
    report = verify_chain()
    assert not report.ok, f"changing {column} went unnoticed"
    assert report.broken_entry_id == victim.pk
