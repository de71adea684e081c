"""Admin: agreement types are editable reference data; agreements change through services.

Saving an agreement here recomputes its stored in-force window, so the routing
query stays equal to the status function.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samverkan.agreements import services
from samverkan.agreements.models import (
    Agreement,
    AgreementDecision,
    AgreementParty,
    AgreementType,
    Amendment,
    DataProcessingAgreement,
    Notice,
    TerminationNotification,
)
from samverkan.audit.admin_changes import AuditedModelAdmin


@admin.register(AgreementType)
class AgreementTypeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "renewal_months", "max_renewals", "notice_months", "cost_rule"]


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(ReadOnlyInline):
    model = AgreementDecision


class NoticeInline(ReadOnlyInline):
    model = Notice


class NotificationInline(ReadOnlyInline):
    model = TerminationNotification


class AmendmentInline(ReadOnlyInline):
    model = Amendment


class DpaInline(ReadOnlyInline):
    model = DataProcessingAgreement


@admin.register(Agreement)
class AgreementAdmin(AuditedModelAdmin):
    list_display = ["title", "type", "reference", "start_date", "in_force_from", "in_force_until"]
    list_filter = ["type"]
    search_fields = ["title", "reference", "parties__organisation__code"]
    readonly_fields = ["in_force_from", "in_force_until", "created_at", "created_by"]
    inlines = [
        PartyInline,
        DecisionInline,
        NoticeInline,
        NotificationInline,
        AmendmentInline,
        DpaInline,
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.agreement_refresh_window(agreement=form.instance)
