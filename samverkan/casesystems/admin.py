"""Administrators connect a municipality's case system and follow what was sent to it."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.audit.admin_changes import AuditedModelAdmin
from samverkan.casesystems import adapters
from samverkan.casesystems.models import (
    CaseSystemAttempt,
    CaseSystemConnection,
    CaseSystemHandover,
    HandoverStatus,
)
from samverkan.casesystems.transport import base_url_problem


class ConnectionForm(forms.ModelForm):
    adapter = forms.ChoiceField(label=_("verksamhetssystem"), choices=adapters.choices)
    base_url = forms.URLField(label=_("adress"), max_length=300, assume_scheme="https")

    class Meta:
        model = CaseSystemConnection
        fields = (
            "organisation",
            "unit",
            "adapter",
            "base_url",
            "account",
            "credential_variable",
            "options",
            "auto_send",
            "is_active",
        )

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].strip()
        problem = base_url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, organisation = data.get("unit"), data.get("organisation")
        if (
            unit is not None
            and organisation is not None
            and unit.organisation_id != organisation.pk
        ):
            self.add_error("unit", _("Enheten hör inte till den valda organisationen."))
        adapter = adapters.get(data.get("adapter", ""))
        options = data.get("options")
        if adapter is not None and isinstance(options, dict):
            for problem in adapter.option_problems(options):
                self.add_error("options", problem)
        elif options is not None and not isinstance(options, dict):
            self.add_error("options", _("Ange koderna som ett JSON-objekt."))
        return data


class AttemptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseSystemAttempt
    extra = 0
    can_delete = False
    fields = ("at", "status_code", "duration_ms", "error", "answer")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseSystemConnection)
class CaseSystemConnectionAdmin(AuditedModelAdmin):
    form = ConnectionForm
    list_display = (
        "organisation",
        "unit",
        "adapter",
        "base_url",
        "auto_send",
        "is_active",
        "key_set",
    )
    list_filter = ("adapter", "auto_send", "is_active")
    search_fields = ("organisation__name", "organisation__code", "unit__name")

    @admin.display(boolean=True, description=_("nyckeln finns på servern"))
    def key_set(self, obj: CaseSystemConnection) -> bool:
        return bool(os.environ.get(obj.credential_variable))


@admin.register(CaseSystemHandover)
class CaseSystemHandoverAdmin(AuditedModelAdmin):
    list_display = ("report", "connection", "status", "attempt_count", "external_id", "created_at")
    list_filter = ("status", "connection__adapter")
    search_fields = ("external_id", "report__id")
    readonly_fields = (
        "report",
        "connection",
        "requested_by",
        "created_at",
        "status",
        "attempt_count",
        "next_attempt_at",
        "external_id",
        "registered_at",
        "last_error",
    )
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # queued by acceptance or by the receiver's button only

    @admin.action(description=_("Försök igen (misslyckade)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[CaseSystemHandover]) -> None:
        count = queryset.filter(status=HandoverStatus.FAILED).update(
            status=HandoverStatus.PENDING, attempt_count=0, next_attempt_at=timezone.now()
        )
        messages.success(request, _("%(count)d överföringar köade igen.") % {"count": count})
