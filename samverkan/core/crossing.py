"""What crosses the apps: the records each app declares for mergers and for retention.

Organisation changes (`registry.changes`) and retention (`retention.services`)
hold the *procedures*; each app declares, in its `declarations.py` (imported at
start-up by `core/apps.py` with each app's `panels.py`, ADR 0001), *what*
they apply to:

* `OrganisationRecords`: a model whose records belong to an organisation and
  move to the successor in a merger or split while they are open (closed ones
  keep the organisation they had — history);
* `StaysWithOrganisation`: organisation fields that deliberately do not move,
  with the reason (a historical fact, a closed ledger, the change's own record);
* `Retention`: how a record type's personal data is anonymised or removed
  when its retention has ended (the job) — and `PersonalData`: which fields of
  a model hold identity numbers, names, free text or documents and which
  retention covers them (the inventory the coverage test checks).

Nothing here imports an app; the declaring apps import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet, Subquery

from samverkan.core.calendar import STOCKHOLM, local_date

# --- organisation changes -------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRecords:
    """Records of `model` whose `fields` point at an organisation that may end.

    `category` is the responsibility (registry.models.Responsibility) whose
    successor takes them; `label(record)` the preview's text (no personal
    data); `is_open(record, day)` whether the record is still work in progress
    on the change's effective date (only open records move).
    """

    model: str  # "intake.ConcernReport"
    fields: tuple[str, ...]  # foreign keys or many-to-many fields to registry.Organisation
    category: str
    label: Callable[[Any], str]
    is_open: Callable[[Any, date], bool]
    # Preview detail per field, e.g. {"home_handler": "handläggs hos hemkommunen av"}; or
    # a function (record, field) -> detail.
    detail: Mapping[str, str] | Callable[[Any, str], str] = field(default_factory=dict)
    # Foreign keys that together name the parties of one record: the successor must not
    # become the same record's party twice (an assignment between two merging municipalities).
    parties: tuple[str, ...] = ()
    # A foreign key whose rows together are one record's parties (AgreementParty.agreement):
    # the successor must not appear twice among the rows sharing it.
    rows_of: str = ""
    # For tables that grow with history (concern reports): only records matching this are
    # gathered, so years of closed records are neither loaded nor listed as staying.
    # `is_open` must agree with it.
    open_only: Q | None = None
    # What a user's notice calls the moved records ("orosanmälningar"); default the
    # model's verbose_name_plural.
    plural: str = ""
    # select_related / annotations the label and detail need, applied to the found records
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None

    def detail_of(self, record: Any, name: str) -> str:
        if callable(self.detail):
            return self.detail(record, name)
        return self.detail.get(name, "")


@dataclass(frozen=True)
class StaysWithOrganisation:
    """Organisation fields that do not move in a merger or split, and why (Swedish or English)."""

    model: str
    fields: tuple[str, ...]
    reason: str


_organisation_records: dict[tuple[str, str], OrganisationRecords] = {}
_stays: dict[tuple[str, str], StaysWithOrganisation] = {}


def register_organisation_records(*declarations: OrganisationRecords) -> None:
    for declaration in declarations:
        _organisation_records[(declaration.model, ",".join(declaration.fields))] = declaration


def register_stays(*declarations: StaysWithOrganisation) -> None:
    for declaration in declarations:
        _stays[(declaration.model, ",".join(declaration.fields))] = declaration


def organisation_records() -> list[OrganisationRecords]:
    return list(_organisation_records.values())


def stays_with_organisation() -> list[StaysWithOrganisation]:
    return list(_stays.values())


# --- retention ------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """One record type the retention job examines daily.

    `candidates(today)` narrows by date (not yet anonymised is the job's
    filter); `evaluate(record)` returns (last entry, retention end, rule code);
    `controller(record)` the controller's organisation code.

    What anonymising removes is what the `PersonalData` declarations naming
    this retention list (`anonymise`), so the inventory and the job cannot
    drift apart. `replacements(record)` gives the record's own fields that get
    a value instead of a blank (a placeholder name, a birth date coarsened to
    its year); `also(record)` removes what no field list can say (personal
    keys inside a JSON field).
    """

    label: str  # "intake.ConcernReport"
    candidates: Callable[[date], QuerySet[Any]]
    evaluate: Callable[[Any], tuple[date, date, str]]
    controller: Callable[[Any], str]
    replacements: Callable[[Any], Mapping[str, Any]] | None = None
    also: Callable[[Any], None] | None = None
    # The date retention counts from, in words ("the last entry on the plan, its actions
    # and follow-ups"); `evaluate` computes it.
    counts_from: str = ""
    law: str = "SoL (2025:400) 16 kap. 1, 2 a §§"
    order: int = 100


@dataclass(frozen=True)
class PersonalData:
    """The fields of `model` that hold personal data, and the retention that removes them.

    `retention` names the `Retention.label` that anonymises them: the record
    itself, or the record its rows are anonymised with, reached by the lookups
    `of` ("report", "handover__report"; a row matching any of them goes).
    `kept` says instead why no retention job applies (e.g. staff contact
    details, current while the person holds the post). `not_personal` lists
    text fields of the model that hold no personal data, each with its reason.
    A model may have one declaration per retention (a cost's note goes with
    its assignment, its voucher after the bookkeeping period).
    """

    model: str
    retention: str = ""
    of: tuple[str, ...] = ()
    kept: str = ""
    identity: tuple[str, ...] = ()  # identity numbers (person-/samordningsnummer)
    names: tuple[str, ...] = ()  # names, phone numbers, addresses of people
    references: tuple[str, ...] = ()  # case numbers in other systems that lead to the person
    free_text: tuple[str, ...] = ()  # free text that may be about a person
    documents: tuple[str, ...] = ()  # uploaded files
    not_personal: Mapping[str, str] = field(default_factory=dict)  # field -> why not

    @property
    def blanked(self) -> tuple[str, ...]:
        """The fields anonymising empties (documents are removed from storage instead)."""
        return (*self.identity, *self.names, *self.references, *self.free_text)

    @property
    def personal(self) -> tuple[str, ...]:
        return (*self.blanked, *self.documents)

    def rows_of(self, record_pk: Any) -> Q:
        if not self.of:
            return Q(pk=record_pk)
        rows = Q()
        for lookup in self.of:
            rows |= Q(**{lookup: record_pk})
        return rows


_retentions: dict[str, Retention] = {}
_personal_data: dict[tuple[str, str], PersonalData] = {}


def register_retention(*declarations: Retention) -> None:
    for declaration in declarations:
        _retentions[declaration.label] = declaration


def register_personal_data(*declarations: PersonalData) -> None:
    for declaration in declarations:
        _personal_data[(declaration.model, declaration.retention)] = declaration


def retentions() -> list[Retention]:
    return sorted(_retentions.values(), key=lambda r: (r.order, r.label))


def personal_data() -> list[PersonalData]:
    return list(_personal_data.values())


# What anonymised names and aliases read afterwards.
ANONYMISED_NAME = "Gallrat"


def anonymise(retention: Retention, record: Any) -> None:
    """Blank every field that the declarations of `retention` list, on `record` and on
    the rows anonymised with it, and remove their documents."""
    replacements = dict(retention.replacements(record)) if retention.replacements else {}
    for declaration in _personal_data.values():
        if declaration.retention != retention.label:
            continue
        model = apps.get_model(declaration.model)
        rows = model._default_manager.filter(declaration.rows_of(record.pk))
        values = {name: model._meta.get_field(name).get_default() for name in declaration.blanked}
        if not declaration.of:
            values.update(replacements)
        if values:
            rows.update(**values)
        for name in declaration.documents:
            remove_files(rows, name)
    if retention.also:
        retention.also(record)


# Helpers the apps' retention declarations share: "the last entry" is the latest of
# many dates and timestamps on a record and its dependent rows.


def as_date(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_date(value)
    return value


def latest(values: Iterable[date | datetime | None]) -> date:
    return max(d for d in (as_date(v) for v in values) if d is not None)


def newest(queryset: QuerySet[Any], field_name: str) -> Subquery:
    """The newest non-null `field_name` among the related rows (a correlated subquery)."""
    return Subquery(
        queryset.filter(**{f"{field_name}__isnull": False})
        .order_by(f"-{field_name}")
        .values(field_name)[:1]
    )


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def remove_files(queryset: QuerySet[Any], field_name: str) -> None:
    """Delete the uploaded files of `field_name` from storage and clear the field."""
    for record in queryset.exclude(**{field_name: ""}).only("pk", field_name):
        getattr(record, field_name).delete(save=False)
    queryset.update(**{field_name: ""})
