"""Audit entries in the admin: read-only (the database refuses changes anyway)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samverkan.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_label",
        "actor_organisation",
        "action",
        "record_type",
        "record_id",
        "controller",
    )
    # No record-type filter or date hierarchy: both scan the whole (large) table.
    list_filter = ("action",)
    search_fields = ("=record_id", "=controller", "actor_label")
    ordering = ("-id",)
    show_full_result_count = False
    list_select_related = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
