"""Admin for the defector configuration an administrator maintains (not for case data)."""

from django.contrib import admin

from samverkan.audit.admin_changes import AuditedModelAdmin
from samverkan.defectors.models import CatalogueIntervention, HandlingRule


@admin.register(HandlingRule)
class HandlingRuleAdmin(AuditedModelAdmin):
    list_display = [
        "municipality",
        "central_organisation",
        "central_unit",
        "central_for_high_threat_relocation",
    ]
    raw_id_fields = ["municipality", "central_organisation", "central_unit"]


@admin.register(CatalogueIntervention)
class CatalogueInterventionAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "agreement", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
