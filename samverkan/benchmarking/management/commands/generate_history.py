"""Bulk-load years of realistic history for the benchmarks (issue 8).

    python manage.py generate_history --reports 1000000 --years 10

Run it after `setup_demo` (it needs the demo municipalities, users, the ROC API
client, the defector assignments and the collaboration forums). It adds:

* N eligible concern reports spread over the last Y years across every demo
  municipality with a single-entry agreement and Stockholm's districts, each
  with its handover, events (received, handed over, accepted, both
  assessments, feedback), protection and preliminary assessments, sometimes
  an escalation, an information request and feedback to the police;
* about 15 % as many anonymous not-eligible records;
* audit entries for every step, appended to the hash chain exactly as
  `audit_record` chains them (`audit_verify` passes afterwards);
* defector ledger costs on the demo assignments and collaboration meetings
  with attendance on the demo forums;
* the follow-up daily summaries of every day written (`followup.summaries.backfill`),
  so that the dashboard benchmarks read what a real installation reads.

History is closed (accepted, assessed, fed back): the queues hold only the
`--open` newest reports (default 40), as a staffed hub would — so a queue's
size does not grow with history, only the tables around it. Run it again
with `--open 0` to add more history without growing the queues.

Memory is bounded: reports are built and written in batches of `--batch`
(default 2,000) inside one transaction per batch; nothing is kept between
batches except the last audit hash. On PostgreSQL each batch takes the audit
chain's advisory lock, so a live server may keep writing beside it.

Speed (issue 8: a million reports in minutes, not hours): the hot tables are
not built as model instances. Each row is a plain tuple in the column order
taken from the model's `_meta`, converted as the backend's adapters would,
and written with `COPY ... FROM STDIN` on PostgreSQL and one `executemany`
INSERT per table on SQLite. Primary keys that other rows refer to (reports,
handovers, audit entries) are reserved first, inside the batch's
transaction, so that children can name their parents and the audit ids
follow the chain: on PostgreSQL from the table's own sequence (`nextval`, so
a live server's inserts beside it never collide), on SQLite above the
table's highest id and AUTOINCREMENT counter (the IMMEDIATE transaction
holds the write lock). Everything else gets its id from the database.
On PostgreSQL a writer thread with its own connection writes one batch while
the main thread builds the next (the server's share of a batch — COPY, index
updates, the deferred foreign-key checks at commit — runs on the other core).
The audit entries are hashed as they are built, onto the newest entry as the
run started; the writer reads the newest entry again under the chain's lock
and, if a live server appended meanwhile, hashes the batch again onto it.
"""

from __future__ import annotations

import functools
import json
import queue
import random
import resource
import threading
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format
from stdnum import luhn

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.audit.services import (
    _CHAIN_LOCK_KEY,
    GENESIS_HASH,
    HASHED_FIELDS,
    compute_entry_hash,
)
from samverkan.core.calendar import STOCKHOLM, local_date
from samverkan.core.deadlines import preliminary_assessment_due, protection_assessment_due
from samverkan.followup import summaries
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    EventKind,
    Feedback,
    Handover,
    InformationRequest,
    NotEligibleRecord,
    PreliminaryAssessment,
    PreliminaryDecision,
    ProtectionAssessment,
    ReportEvent,
    ReportStatus,
    SourceChannel,
)
from samverkan.intake.rules import Reason
from samverkan.intake.snapshot import late_from
from samverkan.registry.models import Organisation, OrganisationKind, Unit
from samverkan.registry.reference_data import STOCKHOLM_CODE, STOCKHOLM_COUNTY
from samverkan.registry.selectors import stockholm_districts

REPORT = "intake.ConcernReport"
FIRST_NAMES = ("Alex", "Kim", "Robin", "Sam", "Charlie", "Nour", "Elia", "Mika", "Love", "Ida")
LAST_NAMES = ("Berg", "Lind", "Ek", "Holm", "Sjö", "Strand", "Dahl", "Falk", "Nord", "Vik")
NARRATIVES = (
    "Påträffad sent på kvällen i sällskap med äldre personer kopplade till ett nätverk (fiktiv).",
    "Omhändertagen vid en kontroll i centrum; uppgifter om hot från ett rivaliserande nätverk.",
    "Anträffad i en lägenhet som används av ett kriminellt nätverk; förvarade narkotika.",
    "Misstänkt för att ha rekryterats till att utföra våldsuppdrag (fiktiv uppgift).",
)
RISKS = (
    "Uppgifter om hot mot barnet och familjen (fiktiv).",
    "Barnet uppges ha skulder till personer i nätverket (fiktiv).",
    "",
)
NOT_ELIGIBLE_REASONS = (
    [Reason.NOT_GANG_RELATED],
    [Reason.AGE_18_OR_OVER],
    [Reason.NO_AGREEMENT_IN_FORCE],
    [Reason.HOME_MUNICIPALITY_UNKNOWN],
    [Reason.FOUND_OUTSIDE_COUNTY, Reason.NOT_GANG_RELATED],
)
DECISIONS = tuple(d.value for d in PreliminaryDecision)
INVESTIGATED = (
    PreliminaryDecision.INVESTIGATION_OPENED.value,
    PreliminaryDecision.ALREADY_RUNNING.value,
)
OFFICER_UNIT = "Polisen, Regionalt operativt center (ROC)"
QUESTION = "Finns en aktuell riskbedömning? (fiktiv)"
ANSWER = "Ja, bifogas muntligen (fiktiv)."
NOTIFIED = ["mottagning@example.invalid"]
# The stored values of the choices written here (plain str: no enum look-up per row).
AGE_ADULT = NotEligibleRecord.AgeBand.ADULT.value
AGE_AGE_15_17 = NotEligibleRecord.AgeBand.AGE_15_17.value
AUDIT_CHANGE = AuditAction.CHANGE.value
AUDIT_CREATE = AuditAction.CREATE.value
AUDIT_HANDOVER = AuditAction.HANDOVER.value
AUDIT_VIEW = AuditAction.VIEW.value
CHANNEL_POLICE_API = SourceChannel.POLICE_API.value
EVENT_ACCEPTED = EventKind.ACCEPTED.value
EVENT_ESCALATED = EventKind.ESCALATED.value
EVENT_FEEDBACK_DELIVERED = EventKind.FEEDBACK_DELIVERED.value
EVENT_HANDED_OVER = EventKind.HANDED_OVER.value
EVENT_PRELIMINARY_ASSESSED = EventKind.PRELIMINARY_ASSESSED.value
EVENT_PROTECTION_ASSESSED = EventKind.PROTECTION_ASSESSED.value
EVENT_RECEIVED = EventKind.RECEIVED.value
HANDOVER_ACCEPTED = Handover.Outcome.ACCEPTED.value
HANDOVER_PENDING = Handover.Outcome.PENDING.value
REQUEST_RISK_ASSESSMENT = InformationRequest.Kind.RISK_ASSESSMENT.value
STATUS_ACCEPTED = ReportStatus.ACCEPTED.value
STATUS_HANDED_OVER = ReportStatus.HANDED_OVER.value
STATUS_RECEIVED = ReportStatus.RECEIVED.value
VIA_SYSTEM = Handover.Via.SYSTEM.value


@functools.lru_cache(maxsize=8192)
def demo_person_id(born: date, *, female: bool) -> str:
    """A Skatteverket test personnummer (238/239 series): never a real person."""
    body = f"{born:%y%m%d}{238 if female else 239}"
    return f"{born:%Y}{body[2:]}{luhn.calc_check_digit(body)}"


# --- plain rows, written in bulk -------------------------------------------------------------


class Json(str):
    """A JSON field's value already serialised (for values written many times over)."""

    __slots__ = ()


def json_text(value: Any) -> Json:
    """As JSONField stores it on both engines: `json.dumps` with the default settings."""
    return Json(json.dumps(value))


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How the backend adapts a Python value of this field for the driver (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda v: v if isinstance(v, Json) else json.dumps(v)
    if connection.vendor != "sqlite":
        return None  # psycopg adapts dates, aware datetimes, UUIDs and decimals itself
    if isinstance(field, models.DateTimeField):
        # Django stores an aware datetime on SQLite as naive UTC text.
        def utc_text(v: datetime) -> str:
            if v.tzinfo is not UTC:
                return str(ops.adapt_datetimefield_value(v))
            return str(v)[:-6]  # without "+00:00"

        return utc_text
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return lambda v: v.hex
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return None


class Table:
    """One table's rows as tuples, in the order of `names` (attnames from the model's _meta).

    Columns not named get the field's default: a callable default (a new UUID) is
    called per row, a constant one is converted once. A NOT NULL field without a
    default that is not named is refused here, so a new required field on the model
    stops the command instead of writing rows the application cannot read.
    """

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [n for n in names if n not in fields]
        if unknown:
            raise CommandError(f"{model.__name__} has no field {unknown}")
        self.model = model
        self.table = model._meta.db_table
        self.rows: list[tuple[Any, ...]] = []
        named = [fields[n] for n in names]
        rest = [f for f in fields.values() if f.attname not in names and not f.primary_key]
        constant: list[Any] = []
        self.per_row: list[Callable[[], Any]] = []
        constant_fields: list[models.Field[Any, Any]] = []
        per_row_fields: list[models.Field[Any, Any]] = []
        for field in rest:
            if not field.has_default() and not field.null and not field.blank:
                raise CommandError(f"{model.__name__}.{field.name} is required: name it")
            fresh_container = field.default in (dict, list)
            if field.has_default() and callable(field.default) and not fresh_container:
                per_row_fields.append(field)
                convert = _converter(field)
                make = field.default
                self.per_row.append(make if convert is None else _then(make, convert))
            else:
                value = field.get_default()
                convert = _converter(field)
                constant.append(value if convert is None or value is None else convert(value))
                constant_fields.append(field)
        self.constant = tuple(constant)
        ordered = (*named, *per_row_fields, *constant_fields)
        self.columns = [f.column for f in ordered]
        self.pg_types = [_pg_type(f) for f in ordered] if connection.vendor == "postgresql" else []
        self.convert = [(i, c) for i, f in enumerate(named) if (c := _converter(f)) is not None]

    def row(self, *values: Any) -> tuple[Any, ...]:
        """The named values, converted for the driver, followed by the defaults."""
        if self.convert:
            row = list(values)
            for i, convert in self.convert:
                if row[i] is not None:
                    row[i] = convert(row[i])
            values = tuple(row)
        if self.per_row:
            values = (*values, *(make() for make in self.per_row))
        return (*values, *self.constant) if self.constant else values

    def add(self, *values: Any) -> None:
        self.rows.append(self.row(*values))

    def take(self) -> list[tuple[Any, ...]]:
        """The rows collected since the last take."""
        rows, self.rows = self.rows, []
        return rows

    def write_rows(self, rows: list[tuple[Any, ...]]) -> int:
        """Write rows made by `row` on this thread's connection; returns how many."""
        if not rows:
            return 0
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        raw = connection.connection
        if connection.vendor == "postgresql":
            # Binary COPY: the server parses no text (timestamps, numbers) on the way in.
            with raw.cursor() as cursor:  # type: ignore[union-attr]
                cursor.adapters.register_dumper(Json, JsonTextBinaryDumper)
                sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.copy(sql) as copy:
                    copy.set_types(self.pg_types)
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            cursor = raw.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            finally:
                cursor.close()
        return len(rows)


def _pg_type(field: models.Field[Any, Any]) -> str:
    """The PostgreSQL type name binary COPY must be told for the field's column."""
    db_type = (field.db_type(connection) or "").split("(")[0].strip()
    names = {
        "bigint": "int8",
        "integer": "int4",
        "smallint": "int2",
        "boolean": "bool",
        "timestamp with time zone": "timestamptz",
        "date": "date",
        "jsonb": "jsonb",
        "uuid": "uuid",
        "text": "text",
        "varchar": "varchar",
        "numeric": "numeric",
    }
    if db_type not in names:
        raise CommandError(f"no binary COPY type for {field} ({db_type})")
    return names[db_type]


class JsonTextBinaryDumper(Dumper):
    """jsonb in binary COPY from text already serialised (a version byte, then the text)."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: Any) -> bytes:
        return b"\x01" + obj.encode()


def _then(make: Callable[[], Any], convert: Callable[[Any], Any]) -> Callable[[], Any]:
    return lambda: convert(make())


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for `model` that no other writer will be given.

    PostgreSQL: from the table's own sequence, as a live server's inserts take theirs;
    ascending. SQLite: above both the highest id and the AUTOINCREMENT counter, under
    the write lock the IMMEDIATE transaction took; inserting them moves the counter.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk.column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        assert connection.in_atomic_block, "reserve ids inside the write transaction"
        quote = connection.ops.quote_name
        highest_sql = f"SELECT coalesce(max({quote(pk.column)}), 0) FROM {quote(table)}"  # noqa: S608
        cursor.execute(highest_sql)
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        counter = cursor.fetchone()
        first = max(highest, counter[0] if counter else 0) + 1
        return list(range(first, first + count))


@dataclass(frozen=True)
class Actor:
    """Who did something, as the audit entry and the report event name them."""

    user_id: int | None
    client_id: int | None
    audit_label: str
    organisation: str
    event_label: str
    full_name: str = ""

    @classmethod
    def of_user(cls, user: User) -> Actor:
        name = user.get_full_name()
        return cls(
            user_id=user.pk,
            client_id=None,
            audit_label=f"{name} ({user.username})" if name else user.username,
            organisation=user.organisation.code if user.organisation else "",
            event_label=name or user.username,
            full_name=name,
        )

    @classmethod
    def of_client(cls, client: ApiClient) -> Actor:
        label = f"API: {client.name}"
        return cls(None, client.pk, label, client.organisation.code, label)


SYSTEM = Actor(None, None, "system", "", "")


@dataclass(frozen=True)
class Detail:
    """An audit entry's detail: the value (as hashed) and its stored JSON."""

    value: dict[str, Any]
    stored: Json

    @classmethod
    def of(cls, value: dict[str, Any]) -> Detail:
        return cls(value, json_text(value))


NO_DETAIL = Detail.of({})
ACCEPTED_DETAIL = Detail.of({"accepted": True, "via": "system"})


@dataclass(frozen=True)
class Target:
    """Where a report goes: its municipality, the controller (a district in Stockholm), unit."""

    municipality_id: int
    controller_id: int
    controller_code: str
    district_id: int | None
    unit_id: int | None
    unit_name: str


class Chain:
    """Appends audit entries to the hash chain as `audit_record` does; written with each batch.

    The entries are hashed in order and given ids reserved in one ascending block
    when the batch is written, so id order is chain order, as audit_verify walks it.

    Each entry is hashed by the audit module's own `compute_entry_hash`, so the
    history follows the hash format wherever it goes.
    """

    NAMES = ("id", *HASHED_FIELDS, "entry_hash")

    def __init__(self) -> None:
        self.table = Table(AuditEntry, self.NAMES)
        self.pending: list[tuple[Any, ...]] = []
        self.last_hash = ""

    def start(self) -> None:
        """Chain onto the newest entry (a guess: the writer checks it under the lock)."""
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        self.last_hash = last or GENESIS_HASH

    def take(self) -> tuple[str, list[tuple[Any, ...]]]:
        """(the hash the pending entries chain onto, the entries) since the last take."""
        pending, self.pending = self.pending, []
        previous = pending[0][-2] if pending else self.last_hash
        return previous, pending

    def add(
        self,
        at: datetime,
        action: str,
        record_id: int,
        controller: str,
        actor: Actor,
        detail: Detail = NO_DETAIL,
    ) -> None:
        values: dict[str, Any] = {
            "at": at,
            "actor_user_id": actor.user_id,
            "actor_client_id": actor.client_id,
            "actor_label": actor.audit_label,
            "actor_organisation": actor.organisation,
            "action": action,
            "record_type": REPORT,
            "record_id": str(record_id),
            "controller": controller,
            "reason": "",
            "detail": detail.value,
            "previous_hash": self.last_hash,
        }
        entry_hash = compute_entry_hash(values)
        values["detail"] = detail.stored
        self.pending.append((*(values[name] for name in HASHED_FIELDS), entry_hash))
        self.last_hash = entry_hash

    def write(self, previous: str, entries: list[tuple[Any, ...]]) -> int:
        """Append the entries to the chain, in the caller's transaction.

        Takes the chain's lock (the advisory lock on PostgreSQL; SQLite's IMMEDIATE
        transaction already holds the write lock) and reads the newest hash. Anyone
        who appended since the entries were hashed (a live server) makes them be
        hashed again onto that entry, with `compute_entry_hash` itself.
        """
        if not entries:
            return 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        last = last or GENESIS_HASH
        if last != previous:
            entries = rechain(entries, last)
        ids = reserve_ids(AuditEntry, len(entries))
        row = self.table.row
        return self.table.write_rows(
            [row(pk, *values) for pk, values in zip(ids, entries, strict=True)]
        )


def rechain(entries: list[tuple[Any, ...]], previous: str) -> list[tuple[Any, ...]]:
    """The entries (Chain.NAMES without id) hashed again, in order, onto `previous`."""
    chained = []
    for entry in entries:
        values: dict[str, Any] = dict(zip(Chain.NAMES[1:], entry, strict=True))
        values["detail"] = json.loads(values["detail"])
        values["previous_hash"] = previous
        previous = compute_entry_hash(values)
        chained.append((*entry[:-2], values["previous_hash"], previous))
    return chained


@dataclass
class Batch:
    """One batch's rows, ready to write: per table (parents first), then the audit entries."""

    tables: list[tuple[Table, list[tuple[Any, ...]]]]
    previous_hash: str
    audit: list[tuple[Any, ...]]

    @property
    def rows(self) -> int:
        return sum(len(rows) for _, rows in self.tables) + len(self.audit)

    def write(self, chain: Chain) -> int:
        """Write it all in one transaction; the audit chain last, to hold its lock briefly."""
        with transaction.atomic():
            rows = sum(table.write_rows(rows) for table, rows in self.tables)
            rows += chain.write(self.previous_hash, self.audit)
        return rows


class Writer(threading.Thread):
    """Writes batches on its own connection while the next batch is being built.

    On PostgreSQL most of a batch's cost is the server's (COPY, index updates, the
    deferred foreign-key checks at commit), on the other core; the next batch is
    built meanwhile. The queue holds one batch, so memory stays at a few batches
    (one being built, one queued, one being written) whatever N is.
    """

    def __init__(self, chain: Chain) -> None:
        super().__init__(name="generate_history-writer", daemon=True)
        self.chain = chain
        self.queue: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.rows = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    self.rows += batch.write(self.chain)
        except BaseException as error:  # handed to the main thread
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()

    def put(self, batch: Batch | None) -> None:
        if self.error is not None and batch is not None:
            self.finish()
        self.queue.put(batch)

    def finish(self) -> int:
        """Wait for the last batch; re-raise what went wrong in the writer."""
        if self.is_alive():
            self.queue.put(None)
            self.join()
        if self.error is not None:
            raise CommandError(f"writing a batch failed: {self.error!r}") from self.error
        return self.rows


REPORT_NAMES = (
    "id",
    "received_at",
    "source_channel",
    "api_client_id",
    "reporting_organisation_id",
    "police_reference",
    "person_id",
    "birth_date",
    "found_in_id",
    "home_municipality_id",
    "home_district_id",
    "responsible_municipality_id",
    "controller_id",
    "receiving_unit_id",
    "reporting_officer_name",
    "reporting_officer_unit",
    "reporting_officer_phone",
    "gang_related",
    "risk_information",
    "narrative",
    "wants_feedback",
    "eligible",
    "reasons",
    "status",
    "routed_at",
    "handed_over_at",
    "accepted_at",
    "accepted_by_id",
    "accepted_by_name",
    "escalated_at",
    *ConcernReport.DEADLINE_FIELDS,
    "closed_at",
)
HANDOVER_NAMES = (
    "id",
    "report_id",
    "organisation_id",
    "receiving_unit_id",
    "started_at",
    "outcome",
    "completed_at",
    "via",
    "accepted_by_id",
    "receiver_name",
    "recorded_by_id",
)
EVENT_NAMES = (
    "report_id",
    "kind",
    "at",
    "actor_user_id",
    "actor_client_id",
    "actor_label",
    "detail",
)


class Command(BaseCommand):
    help = "Bulk-load years of realistic history (benchmarks, issue 8). Run after setup_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, required=True, help="eligible reports to add")
        parser.add_argument("--years", type=float, default=10.0, help="spread over this many years")
        parser.add_argument("--open", type=int, default=40, help="newest reports left open")
        parser.add_argument("--batch", type=int, default=2000, help="reports per transaction")
        parser.add_argument("--seed", type=int, default=8, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        started = clock.monotonic()
        self.rng = random.Random(options["seed"])  # noqa: S311 (fiction, not secrets)
        self.now = timezone.now()
        total, years, open_count, batch = (
            options["reports"],
            options["years"],
            options["open"],
            options["batch"],
        )
        if total < 0 or years <= 0 or batch <= 0:
            raise CommandError("--reports ≥ 0, --years > 0 and --batch > 0")
        self._load_context()
        self._make_tables()
        open_count = min(open_count, total)
        closed = total - open_count
        # Closed history: from Y years ago to a week ago, in time order.
        span = timedelta(days=365.25 * years) - timedelta(days=7)
        first = self.now - timedelta(days=365.25 * years)
        rows = 0
        done = 0
        chain = Chain()
        chain.start()
        # PostgreSQL: a writer thread on its own connection writes a batch while the next
        # is built (ids come from the sequences, outside any transaction). Not inside a
        # caller's transaction (a test's): the writer could not see its rows.
        writer = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            writer = Writer(chain)
            writer.start()
        try:
            while done < total:
                size = min(batch, total - done)
                times: list[tuple[datetime, bool]] = []
                for i in range(done, done + size):
                    if i < closed:
                        at = first + span * ((i + self.rng.random()) / max(closed, 1))
                        times.append((at, False))
                    else:
                        k = i - closed  # open ones: the last two days
                        at = self.now - timedelta(hours=48) * (1 - (k + 0.5) / max(open_count, 1))
                        times.append((at, True))
                if writer is not None:
                    built = self._batch(times, chain)
                    writer.put(built)
                    rows += built.rows
                else:
                    # SQLite's ids are taken above the table's highest under the write
                    # lock: build and write in the one transaction.
                    with transaction.atomic():
                        built = self._batch(times, chain)
                        rows += built.write(chain)
                done += size
                self._progress(options["verbosity"], done, total, batch, rows, started)
        finally:
            if writer is not None:
                writer.finish()
        rows += self._meetings_and_costs(total, years)
        # The rows were copied in bulk, past the writes' marks: the dashboard's daily
        # summaries are built for the days written, as the migration does for a history.
        summarised = summaries.backfill(local_date(first), local_date(self.now))
        self.stdout.write(f"daily summaries: {summarised} days")
        # What an operator does after any bulk load: fresh planner statistics. Without
        # them SQLite picks the plain controller index over the partial open-reports
        # index for the receiving queue (a sort of all of an organisation's history).
        # PostgreSQL's autovacuum would get there too, later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = clock.monotonic() - started
        self.stdout.write(
            f"generate_history: {total} reports, {rows} rows in {elapsed:.1f} s "
            f"({total / max(elapsed, 1e-9):.0f} reports/s); peak RSS {peak_rss_mb():.0f} MB"
        )

    def _progress(
        self, verbosity: int, done: int, total: int, batch: int, rows: int, started: float
    ) -> None:
        if verbosity >= 2 or (done // batch) % 25 == 0 or done == total:
            self.stdout.write(
                f"{done}/{total} reports, {rows} rows, "
                f"{clock.monotonic() - started:.0f} s, peak RSS {peak_rss_mb():.0f} MB"
            )

    # --- context ---------------------------------------------------------------------

    def _load_context(self) -> None:
        organisations = {
            o.code: o
            for o in Organisation.objects.filter(
                kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
            ).select_related("parent")
        }
        county = [
            o for c, o in organisations.items() if c.startswith(STOCKHOLM_COUNTY) and len(c) == 4
        ]
        if not county:
            raise CommandError("no demo municipalities: run `manage.py setup_demo` first")
        districts = list(stockholm_districts())
        units: dict[int, Unit] = {}
        for unit in Unit.objects.filter(kind="intake").prefetch_related("covers"):
            units.setdefault(unit.organisation_id, unit)
            for covered in unit.covers.all():
                units.setdefault(covered.pk, unit)

        def target(municipality: Organisation, controller: Organisation) -> Target:
            unit = units.get(controller.pk)
            return Target(
                municipality_id=municipality.pk,
                controller_id=controller.pk,
                controller_code=controller.code,
                district_id=controller.pk if controller.kind == OrganisationKind.DISTRICT else None,
                unit_id=unit.pk if unit else None,
                unit_name=unit.name if unit else "",
            )

        self.targets = [target(o, o) for o in county if o.code != STOCKHOLM_CODE] + [
            target(organisations[STOCKHOLM_CODE], d) for d in districts
        ]
        self.county = county
        self.county_ids = [o.pk for o in county]
        self.county_codes = [o.code for o in county]
        client = ApiClient.objects.select_related("organisation").filter(is_active=True).first()
        if client is None:
            raise CommandError("no API client: run `manage.py setup_demo` first")
        self.client = client
        self.client_actor = Actor.of_client(client)
        self.roc = client.organisation
        users = list(User.objects.select_related("organisation").order_by("id"))
        self.hub = next((u for u in users if u.username == "socialjour"), users[0])
        self.hub_actor = Actor.of_user(self.hub)
        receivers = [u for u in users if u.username in ("nacka", "solna", "farsta-mottagning")]
        self.receivers = [Actor.of_user(u) for u in receivers or users[:1]]
        self.late_from = late_from()
        # The deadlines depend only on the Swedish date (and, for the protection
        # assessment, on whether the report came in late): computed once per date.
        self._protection_due: dict[tuple[date, bool], datetime] = {}
        self._preliminary_due: dict[date, date] = {}

    def _make_tables(self) -> None:
        self.reports = Table(ConcernReport, REPORT_NAMES)
        self.handovers = Table(Handover, HANDOVER_NAMES)
        self.events = Table(ReportEvent, EVENT_NAMES)
        self.protections = Table(
            ProtectionAssessment,
            ("report_id", "made_at", "made_by_id", "immediate_protection_needed", "recorded_at"),
        )
        self.preliminaries = Table(
            PreliminaryAssessment,
            ("report_id", "decision", "decided_on", "decided_by_id", "recorded_at"),
        )
        self.feedbacks = Table(
            Feedback,
            (
                "report_id",
                "decision_date",
                "due",
                "investigation_opened",
                "delivered_at",
                "delivered_by_id",
            ),
        )
        self.requests = Table(
            InformationRequest,
            (
                "report_id",
                "kind",
                "question",
                "sent_at",
                "sent_by_id",
                "to_organisation_id",
                "answer",
                "answered_at",
                "answered_by_client_id",
                "answer_read_at",
                "answer_read_by_id",
            ),
        )
        self.escalations = Table(Escalation, ("report_id", "handover_id", "at", "notified"))
        self.not_eligible = Table(
            NotEligibleRecord,
            (
                "decided_at",
                "source_channel",
                "reasons",
                "found_in",
                "home_municipality",
                "age_band",
                "api_client_id",
            ),
        )
        # Written parents first: the foreign keys are checked at each insert on PostgreSQL.
        self.tables = (
            self.reports,
            self.handovers,
            self.escalations,
            self.events,
            self.protections,
            self.preliminaries,
            self.feedbacks,
            self.requests,
            self.not_eligible,
        )
        self.json_empty = json_text({})
        self.json_list = json_text(NOTIFIED)
        self.json_no_reasons = json_text([])
        self.json_received = {
            t.unit_name: json_text({"channel": "police_api", "receiving_unit": t.unit_name})
            for t in self.targets
        }
        self.json_via = json_text({"via": "system"})
        self.json_decision = {d: json_text({"decision": d}) for d in DECISIONS}
        self.json_reasons = [json_text(r) for r in NOT_ELIGIBLE_REASONS]

    def _deadlines(self, at: datetime) -> tuple[date, datetime, date]:
        """(Swedish date of `at`, protection assessment due, preliminary assessment due)."""
        local = at.astimezone(STOCKHOLM)
        day = local.date()
        key = (day, local.time() >= self.late_from)
        protection = self._protection_due.get(key)
        if protection is None:
            protection = self._protection_due[key] = protection_assessment_due(
                at, late_from=self.late_from
            ).astimezone(UTC)
        preliminary = self._preliminary_due.get(day)
        if preliminary is None:
            preliminary = self._preliminary_due[day] = preliminary_assessment_due(at)
        return day, protection, preliminary

    # --- one batch of reports -----------------------------------------------------------

    def _batch(self, times: list[tuple[datetime, bool]], chain: Chain) -> Batch:
        rng = self.rng
        random_ = rng.random
        randint = rng.randint
        choice = rng.choice
        minutes = timedelta(minutes=1)
        hours = timedelta(hours=1)
        days = timedelta(days=1)
        report_ids = reserve_ids(ConcernReport, len(times))
        handover_ids = reserve_ids(Handover, len(times))
        client = self.client_actor
        hub = self.hub_actor
        add_row = self.events.add

        def add_event(report_id: int, kind: str, at: datetime, actor: Actor, detail: Json) -> None:
            # An event names its actor as its audit entry does: a user, an API client or neither.
            add_row(report_id, kind, at, actor.user_id, actor.client_id, actor.event_label, detail)

        add_audit = chain.add
        for report_id, handover_id, (at, is_open) in zip(
            report_ids, handover_ids, times, strict=True
        ):
            target = choice(self.targets)
            found = target.municipality_id if random_() < 0.7 else choice(self.county_ids)
            age = randint(11, 17)
            today, protection_due, preliminary_due = self._deadlines(at)
            born = today - timedelta(days=365 * age + randint(0, 360))
            wants = random_() < 0.5
            female = random_() < 0.4
            reference = f"HIST-{at:%Y%m%d%H%M%S%f}-{rng.randrange(10**6):06d}"
            officer = f"{choice(FIRST_NAMES)} {choice(LAST_NAMES)}"
            phone = f"08-465 004 {randint(70, 79)}"
            risk = choice(RISKS)
            narrative = choice(NARRATIVES)
            # Stage: 0 received, 1 handed over, 2 accepted, 3 protection, 4 preliminary,
            # 5 closed.
            stage = randint(0, 4) if is_open else 5
            status = STATUS_RECEIVED
            handed_over_at = accepted_at = escalated_at = protection_at = None
            receiver: Actor | None = None
            decided_on = feedback_due = feedback_at = closed_at = None
            if stage >= 1:
                handed_over_at = at + minutes * randint(3, 40)
                status = STATUS_HANDED_OVER
            if stage >= 2:
                assert handed_over_at is not None
                accepted_at = handed_over_at + minutes * randint(1, 90)
                receiver = choice(self.receivers)
                status = STATUS_ACCEPTED
                if accepted_at - at > hours and random_() < 0.5:
                    escalated_at = at + hours
            if stage >= 3:
                assert accepted_at is not None
                if random_() < 0.08:
                    protection_at = protection_due + hours * randint(1, 30)
                else:
                    protection_at = protection_due - minutes * randint(10, 600)
                protection_at = max(protection_at, accepted_at + minutes * 5)
            if stage >= 4:
                if random_() < 0.1:
                    decided_on = preliminary_due + days * randint(1, 10)
                else:
                    decided_on = preliminary_due - days * randint(0, 10)
                decided_on = max(decided_on, today)
                if wants:
                    feedback_due = decided_on + days * 14
            if stage >= 5:
                assert decided_on is not None and protection_at is not None
                if wants:
                    feedback_at = datetime.combine(
                        decided_on + days * randint(1, 12), time(10), tzinfo=UTC
                    )
                closed_at = max(protection_at, feedback_at) if feedback_at else protection_at
            self.reports.add(
                report_id,
                at,
                CHANNEL_POLICE_API,
                client.client_id,
                self.roc.pk,
                reference,
                demo_person_id(born, female=female),
                born,
                found,
                target.municipality_id,
                target.district_id,
                target.municipality_id,
                target.controller_id,
                target.unit_id,
                officer,
                OFFICER_UNIT,
                phone,
                True,
                risk,
                narrative,
                wants,
                True,
                self.json_no_reasons,
                status,
                at,
                handed_over_at,
                accepted_at,
                receiver.user_id if receiver else None,
                receiver.full_name if receiver else "",
                escalated_at,
                protection_due,
                preliminary_due,
                protection_at,
                decided_on,
                feedback_due,
                feedback_at,
                closed_at,
            )
            code = target.controller_code
            add_event(report_id, EVENT_RECEIVED, at, client, self.json_received[target.unit_name])
            add_audit(at, AUDIT_CREATE, report_id, code, client)
            add_audit(at + minutes, AUDIT_VIEW, report_id, code, hub)
            if handed_over_at:
                add_event(report_id, EVENT_HANDED_OVER, handed_over_at, hub, self.json_via)
            if receiver is not None:
                assert accepted_at is not None
                self.handovers.add(
                    handover_id,
                    report_id,
                    target.controller_id,
                    target.unit_id,
                    at,
                    HANDOVER_ACCEPTED,
                    accepted_at,
                    VIA_SYSTEM,
                    receiver.user_id,
                    receiver.full_name,
                    receiver.user_id,
                )
                add_event(report_id, EVENT_ACCEPTED, accepted_at, receiver, self.json_via)
                add_audit(
                    accepted_at,
                    AUDIT_HANDOVER,
                    report_id,
                    code,
                    receiver,
                    ACCEPTED_DETAIL,
                )
            else:
                self.handovers.add(
                    handover_id,
                    report_id,
                    target.controller_id,
                    target.unit_id,
                    at,
                    HANDOVER_PENDING,
                    None,
                    "",
                    None,
                    "",
                    None,
                )
            assessor = receiver or self.receivers[0]
            if protection_at:
                self.protections.add(
                    report_id, protection_at, assessor.user_id, random_() < 0.2, protection_at
                )
                add_event(
                    report_id, EVENT_PROTECTION_ASSESSED, protection_at, assessor, self.json_empty
                )
                add_audit(protection_at, AUDIT_CHANGE, report_id, code, assessor)
            if decided_on:
                decided = datetime.combine(decided_on, time(14), tzinfo=UTC)
                decision = choice(DECISIONS)
                self.preliminaries.add(report_id, decision, decided_on, assessor.user_id, decided)
                add_event(
                    report_id,
                    EVENT_PRELIMINARY_ASSESSED,
                    decided,
                    assessor,
                    self.json_decision[decision],
                )
                add_audit(decided, AUDIT_CHANGE, report_id, code, assessor)
                if feedback_due:
                    self.feedbacks.add(
                        report_id,
                        decided_on,
                        feedback_due,
                        decision in INVESTIGATED,
                        feedback_at,
                        assessor.user_id if feedback_at else None,
                    )
                    if feedback_at:
                        add_event(
                            report_id,
                            EVENT_FEEDBACK_DELIVERED,
                            feedback_at,
                            assessor,
                            self.json_empty,
                        )
            if accepted_at and random_() < 0.03:
                sent = accepted_at + hours * 2
                self.requests.add(
                    report_id,
                    REQUEST_RISK_ASSESSMENT,
                    QUESTION,
                    sent,
                    assessor.user_id,
                    self.roc.pk,
                    ANSWER if closed_at else "",
                    sent + hours * 20 if closed_at else None,
                    client.client_id if closed_at else None,
                    # the receiver read the answer the next morning, as in a real inbox
                    sent + hours * 30 if closed_at else None,
                    assessor.user_id if closed_at else None,
                )
            if escalated_at:
                self.escalations.add(report_id, handover_id, escalated_at, self.json_list)
                add_event(report_id, EVENT_ESCALATED, escalated_at, client, self.json_empty)
                add_audit(escalated_at, AUDIT_CHANGE, report_id, code, SYSTEM)
            if random_() < 0.15:
                self._not_eligible_record(at)
        previous, audit = chain.take()
        return Batch([(t, t.take()) for t in self.tables], previous, audit)

    def _not_eligible_record(self, at: datetime) -> None:
        rng = self.rng
        which = rng.randrange(len(NOT_ELIGIBLE_REASONS))
        reasons = NOT_ELIGIBLE_REASONS[which]
        self.not_eligible.add(
            at + timedelta(minutes=rng.randint(1, 600)),
            CHANNEL_POLICE_API,
            self.json_reasons[which],
            rng.choice(self.county_codes),
            "" if Reason.HOME_MUNICIPALITY_UNKNOWN in reasons else rng.choice(self.county_codes),
            AGE_ADULT if Reason.AGE_18_OR_OVER in reasons else AGE_AGE_15_17,
            self.client_actor.client_id,
        )

    # --- defector ledgers and meetings ----------------------------------------------------

    def _meetings_and_costs(self, reports: int, years: float) -> int:
        from samverkan.collaboration.models import Attendance, Forum, Meeting
        from samverkan.defectors.models import CostEntry, PlannedIntervention

        rng = self.rng
        rows = 0
        first = local_date(self.now) - timedelta(days=int(365.25 * years))
        days = max(int(365.25 * years) - 7, 1)
        # Defector ledgers: one cost per 100 reports on the demo assignments' interventions.
        interventions = list(
            PlannedIntervention.objects.select_related("plan__assignment__home_municipality")
        )
        if interventions:
            costs: list[CostEntry] = []
            for _ in range(reports // 100):
                intervention = rng.choice(interventions)
                assignment = intervention.plan.assignment
                day = first + timedelta(days=rng.randrange(days))
                costs.append(
                    CostEntry(
                        assignment=assignment,
                        intervention=intervention,
                        booked_by_side="home",
                        booked_by_organisation=assignment.home_municipality,
                        incurred_on=day,
                        period=f"{day.year}-H{1 if day.month <= 6 else 2}",
                        amount=Decimal(rng.randint(5, 400) * 100),
                        note="Historik (generate_history)",
                        booked_at=datetime.combine(
                            day, datetime.min.time(), tzinfo=self.now.tzinfo
                        ),
                    )
                )
                if len(costs) >= 2000:
                    CostEntry.objects.bulk_create(costs)
                    rows += len(costs)
                    costs = []
            CostEntry.objects.bulk_create(costs)
            rows += len(costs)
        # Meetings: one per 500 reports, spread over the forums, with three functions attending.
        forums = list(Forum.objects.all())
        if forums:
            recorder = self.hub
            for start in range(0, reports // 500, 1000):
                count = min(1000, reports // 500 - start)
                meetings = [
                    Meeting(
                        forum=rng.choice(forums),
                        held_on=first + timedelta(days=rng.randrange(days)),
                        status="held",
                        agenda="1. Lägesbild\n2. Uppföljning av beslut",
                        minutes="Genomgång av läget (generate_history).",
                        recorded_by=recorder,
                    )
                    for _ in range(count)
                ]
                Meeting.objects.bulk_create(meetings)
                attendance = [
                    Attendance(meeting=m, function=f)
                    for m in meetings
                    for f in ("unit_manager", "social_worker", "police_youth_coordinator")
                ]
                Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
                rows += len(meetings) + len(attendance)
        return rows


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
