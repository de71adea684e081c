"""Every record that belongs to an organisation, and every field holding personal data, is
declared (issue 16): a new model or field cannot slip past mergers and retention unnoticed.

The apps declare in `<app>/declarations.py` (see samverkan/core/crossing.py). Add a
declaration — `OrganisationRecords` (moves while open), `StaysWithOrganisation` (why it
does not move), `PersonalData` (which retention removes it, or why it is kept, or why
the text is not about a person) — rather than an exception here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.db import models

from samverkan.core import crossing
from samverkan.registry.change_rules import RESPONSIBILITIES
from samverkan.registry.models import Organisation

# Field names that hold a person's identity number, name or contact details.
PERSONAL_NAME = re.compile(
    r"(^|_)(person_id|personnummer|name|alias|participants|officer|worker|reached|receiver"
    r"|contact|phone|email)($|_)"
)


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("samverkan.")]


def _organisation_fields() -> set[tuple[str, str]]:
    return {
        (model._meta.label, field.name)
        for model in _project_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Organisation
    }


def _declared_organisation_fields() -> dict[tuple[str, str], str]:
    declared: dict[tuple[str, str], str] = {}
    for records in crossing.organisation_records():
        for name in records.fields:
            declared[(records.model, name)] = "moves"
    for stays in crossing.stays_with_organisation():
        assert stays.reason.strip(), f"{stays.model}: say why {stays.fields} stay"
        for name in stays.fields:
            assert (stays.model, name) not in declared, f"{stays.model}.{name} declared twice"
            declared[(stays.model, name)] = "stays"
    return declared


def test_every_foreign_key_to_an_organisation_is_declared() -> None:
    missing = sorted(_organisation_fields() - set(_declared_organisation_fields()))
    assert not missing, (
        "Declare in the app's declarations.py whether these move in a merger "
        f"(OrganisationRecords) or stay, and why (StaysWithOrganisation): {missing}"
    )


def test_no_declaration_names_a_field_that_is_not_an_organisation() -> None:
    stale = sorted(set(_declared_organisation_fields()) - _organisation_fields())
    assert not stale, f"Declared but not a relation to an organisation: {stale}"


def test_moving_records_go_to_a_known_responsibility() -> None:
    for records in crossing.organisation_records():
        assert records.category in RESPONSIBILITIES, records.model


def _personal_candidates(model: type[models.Model]) -> set[str]:
    found = set()
    for field in model._meta.get_fields():
        if not field.concrete or field.is_relation:
            continue
        if isinstance(field, models.TextField | models.FileField):
            found.add(field.name)
        elif isinstance(field, models.CharField) and PERSONAL_NAME.search(field.name):
            found.add(field.name)
    return found


def test_every_field_with_personal_data_has_a_retention_declaration() -> None:
    covered: dict[str, set[str]] = defaultdict(set)
    for declaration in crossing.personal_data():
        covered[declaration.model] |= {*declaration.personal, *declaration.not_personal}
    missing = []
    for model in _project_models():
        fields = _personal_candidates(model) - covered[model._meta.label]
        missing += [f"{model._meta.label}.{name}" for name in sorted(fields)]
    assert not missing, (
        "Declare in the app's declarations.py (PersonalData) which retention removes these, "
        f"or why they hold no personal data: {missing}"
    )


def test_personal_data_is_removed_by_a_registered_retention_or_kept_for_a_reason() -> None:
    retentions = {r.label for r in crossing.retentions()}
    for declaration in crossing.personal_data():
        model = apps.get_model(declaration.model)
        names = {f.name for f in model._meta.get_fields()}
        unknown = set(declaration.personal) | set(declaration.not_personal)
        assert unknown <= names, f"{declaration.model}: no field {unknown - names}"
        assert all(reason.strip() for reason in declaration.not_personal.values())
        if declaration.personal:
            assert declaration.retention in retentions or declaration.kept.strip(), (
                f"{declaration.model}: name the retention that removes {declaration.personal}"
                " or say why it is kept"
            )


def _model_at_end_of(model: type[models.Model], lookup: str) -> type[models.Model]:
    for name in lookup.split("__"):
        related = model._meta.get_field(name).related_model
        assert isinstance(related, type), f"{model._meta.label}.{name} is no relation"
        model = related
    return model


def test_rows_anonymised_with_a_record_are_found_through_their_lookups() -> None:
    """Anonymising finds a record's rows by `of`: a row declared without it, or with a
    lookup that leads elsewhere, would blank the wrong table's rows or none."""
    retentions = {r.label for r in crossing.retentions()}
    for declaration in crossing.personal_data():
        if declaration.retention not in retentions:
            continue
        if declaration.model == declaration.retention:
            assert not declaration.of, declaration.model
            continue
        assert declaration.of, f"{declaration.model}: say how it leads to {declaration.retention}"
        model = apps.get_model(declaration.model)
        for lookup in declaration.of:
            target = _model_at_end_of(model, lookup)._meta.label
            assert target == declaration.retention, (declaration.model, lookup, target)


def test_each_retention_declares_its_own_record() -> None:
    """Its replacements apply to the record itself, which must therefore be declared."""
    own = {(d.model, d.retention) for d in crossing.personal_data()}
    for retention in crossing.retentions():
        assert (retention.label, retention.label) in own, retention.label


def test_anonymising_leaves_every_listed_field_empty() -> None:
    """A blanked field gets its empty default: never a default that is itself a value."""
    for declaration in crossing.personal_data():
        if not declaration.retention:
            continue
        model = apps.get_model(declaration.model)
        for name in declaration.blanked:
            assert model._meta.get_field(name).get_default() in ("", [], None), (
                f"{declaration.model}.{name}"
            )


def test_identity_numbers_are_always_removed_by_retention() -> None:
    """An identity number is never merely 'kept': some retention job removes it."""
    retentions = {r.label for r in crossing.retentions()}
    for declaration in crossing.personal_data():
        if declaration.identity:
            assert declaration.retention in retentions, declaration.model


def test_mergers_and_retention_name_no_app() -> None:
    """The procedures read the declarations; they import only core, audit and themselves."""
    root = Path(__file__).resolve().parents[2]
    allowed = {
        "registry/changes.py": {"core", "audit", "registry"},
        "retention/services.py": {"core", "audit", "retention"},
    }
    for module, own in allowed.items():
        source = (root / module).read_text(encoding="utf-8")
        named = set(re.findall(r"(?:from|import) samverkan\.(\w+)", source))
        assert named <= own, f"{module} names {sorted(named - own)}"


def test_every_retention_says_what_it_counts_from() -> None:
    for retention in crossing.retentions():
        assert retention.counts_from.strip() and retention.law.strip(), retention.label
