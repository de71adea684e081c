"""Every change made in the Django admin goes into the access log, with what changed.

`AuditedModelAdmin` is the base of every admin registration (ours inherit it;
the packages' own registrations are wrapped in `audit/admin.py`, and
`audit/tests/test_admin.py` fails for one that is not). It hooks the three
points Django's admin passes on every write — `construct_change_message` (after
a save, with the form: the one moment both the old and the new values are
known), `log_addition`/`log_change` and `log_deletions` — so the change form,
inline rows, list editing, the password form and deletion are all covered.

An entry says field: old → new. A secret (a password, an authenticator key, a
token) is never written: its field is named with both values hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.registry.models import Organisation

HIDDEN = "(dolt)"
# A field whose name holds one of these is a secret: its values never reach the log.
_SECRET_PARTS = ("password", "key", "token", "secret")


def is_secret(name: str) -> bool:
    return any(part in name.lower() for part in _SECRET_PARTS)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (list, tuple, set, QuerySet)):
        return ", ".join(sorted(_text(item) for item in value))
    return str(value)


def _old_value(form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    value = form.get_initial_for_field(field, name)
    # A foreign key's initial value is its id: name the record instead.
    if (
        isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, forms.ModelMultipleChoiceField)
        and value not in (None, "")
        and not isinstance(value, Model)
        and field.queryset is not None
    ):
        value = field.queryset.filter(pk=value).first() or value
    return value


def form_changes(form: forms.BaseForm) -> list[dict[str, str]]:
    """[{field, label, old, new}] for each field the form changed; secrets hidden."""
    changes = []
    for name in form.changed_data:
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        if is_secret(name) or field is None:
            old, new = HIDDEN, HIDDEN
        else:
            old, new = _text(_old_value(form, name)), _text(form.cleaned_data.get(name))
        changes.append({"field": name, "label": label, "old": old, "new": new})
    return changes


def _row_changes(formsets: Iterable[Any]) -> list[dict[str, Any]]:
    """Rows added, changed or deleted through inlines, with their field changes."""
    rows: list[dict[str, Any]] = []
    for formset in formsets:
        forms_by_row = {id(form.instance): form for form in formset.forms}

        def row(obj: Model, change: str) -> dict[str, Any]:
            return {
                "record": obj._meta.label,
                "id": str(obj.pk),
                "object": str(obj),
                "change": change,
            }

        for obj in formset.new_objects:
            rows.append(row(obj, "added") | {"changes": form_changes(forms_by_row[id(obj)])})
        for obj, _fields in formset.changed_objects:
            rows.append(row(obj, "changed") | {"changes": form_changes(forms_by_row[id(obj)])})
        for obj in formset.deleted_objects:
            rows.append(row(obj, "deleted"))
    return rows


class _ChangeMessage(list):  # type: ignore[type-arg]
    """Django's change message (a list, kept in the admin's history) carrying the log's detail."""

    detail: dict[str, Any]


def controller_of(obj: Model) -> str:
    """The organisation whose auditors review a change of `obj`: its own, if it has one."""
    if isinstance(obj, Organisation):
        return obj.code
    organisation = getattr(obj, "organisation", None)
    if isinstance(organisation, Organisation):
        return organisation.code
    owner = getattr(obj, "user", None)  # a second-factor device: its user's organisation
    return controller_of(owner) if isinstance(owner, Model) else ""


def _record(request: HttpRequest, obj: Model, action: str, detail: dict[str, Any]) -> None:
    audit_record_of(
        obj,
        actor=request.user,
        action=action,
        controller=controller_of(obj),
        reason="Ändrat i administrationen",
        detail={"object": str(obj), **detail},
    )


class AuditedAdminMixin:
    """Writes each admin change to the access log (see the module's text)."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        message = _ChangeMessage(
            super().construct_change_message(request, form, formsets, add)  # type: ignore[misc]
        )
        message.detail = {"changes": form_changes(form)}
        if formsets:
            message.detail["rows"] = _row_changes(formsets)
        return message

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        logged = super().log_addition(request, obj, message)  # type: ignore[misc]
        _record(request, obj, AuditAction.CREATE, getattr(message, "detail", {}))
        return logged

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        logged = super().log_change(request, obj, message)  # type: ignore[misc]
        _record(request, obj, AuditAction.CHANGE, getattr(message, "detail", {}))
        return logged

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Model]) -> Any:
        objects = list(queryset)
        logged = super().log_deletions(request, objects)  # type: ignore[misc]
        for obj in objects:
            _record(request, obj, AuditAction.DELETE, {})
        return logged


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The base of every admin registration: its changes are in the access log."""


def audited(model_admin: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    """An admin class of a package (django-otp, Django's groups …) with its changes logged."""
    if issubclass(model_admin, AuditedAdminMixin):
        return model_admin
    return type(f"Audited{model_admin.__name__}", (AuditedAdminMixin, model_admin), {})
