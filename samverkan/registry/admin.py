"""Django admin for the registry, in Swedish (the models carry Swedish names)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from samverkan.audit.admin_changes import AuditedModelAdmin
from samverkan.registry.models import (
    ContactPerson,
    OfficeHours,
    Organisation,
    PhoneLine,
    School,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "organisation"
    fields = ("code", "name", "kind", "is_hub", "open_24_7")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("enheter (ändras under Enheter)")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    fk_name = "organisation"
    fields = ("escalation_order", "name", "title", "phone", "email", "unit")
    extra = 0


class SchoolInline(admin.StackedInline):
    model = School
    fk_name = "organisation"
    extra = 0
    max_num = 1


class DistrictListFilter(admin.SimpleListFilter):
    title = _("ingår i")
    parameter_name = "parent"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        parents = Organisation.objects.filter(children__isnull=False).distinct()
        return [(str(parent.pk), parent.name) for parent in parents]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "parent", "county_code", "org_number")
    list_filter = ("kind", "county_code", DistrictListFilter)
    search_fields = ("code", "name", "official_name", "org_number")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("code", "name", "official_name", "kind", "parent")}),
        (_("Uppgifter"), {"fields": ("org_number", "county_code", "valid_from", "valid_to")}),
    )
    inlines = [UnitInline, ContactPersonInline, SchoolInline]


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


class PhoneLineInline(admin.TabularInline):
    model = PhoneLine
    extra = 0


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "organisation", "is_hub", "open_24_7")
    list_filter = ("kind", "is_hub", "open_24_7")
    search_fields = ("code", "name", "organisation__name", "organisation__code")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("covers",)
    inlines = [OfficeHoursInline, PhoneLineInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(AuditedModelAdmin):
    list_display = ("name", "title", "organisation", "unit", "escalation_order", "phone")
    list_filter = ("organisation__kind",)
    search_fields = ("name", "title", "organisation__name", "organisation__code", "phone")
    list_select_related = ("organisation", "unit")
    autocomplete_fields = ("organisation", "unit")


@admin.register(School)
class SchoolAdmin(AuditedModelAdmin):
    list_display = (
        "organisation",
        "operator",
        "has_preschool",
        "has_compulsory",
        "has_upper_secondary",
        "district",
    )
    list_filter = ("operator", "has_preschool", "has_compulsory", "has_upper_secondary")
    search_fields = ("organisation__name", "organisation__code", "district__name")
    list_select_related = ("organisation", "district")
    autocomplete_fields = ("organisation", "district")
