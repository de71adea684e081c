"""Audit entries in the admin: read-only (the database refuses changes anyway), and every
read of them is itself logged. The packages' own admin registrations are wrapped here so
their changes are logged like ours (`admin_changes.AuditedModelAdmin`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from samverkan.audit.admin_changes import AuditedModelAdmin, audited
from samverkan.audit.models import SUMMARY_FIELDS, AuditEntry
from samverkan.audit.selectors import log_read_of_log


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedModelAdmin):
    list_display = ("at", *SUMMARY_FIELDS)
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

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        log_read_of_log(user=request.user, where="admin", criteria=dict(request.GET.items()))
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        log_read_of_log(user=request.user, where="admin", criteria={"entry": object_id})
        return super().change_view(request, object_id, form_url, extra_context)


# The packages' registrations (Django's groups, django-otp's devices, axes, the task queue)
# are made before this module is loaded (their apps come first in INSTALLED_APPS); ours
# inherit AuditedModelAdmin themselves.
for _model, _model_admin in list(admin.site._registry.items()):
    if not type(_model_admin).__module__.startswith("samverkan."):
        admin.site.unregister(_model)
        admin.site.register(_model, audited(type(_model_admin)))
