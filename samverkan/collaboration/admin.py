"""Django admin for the standing set-up of local collaboration: forums, co-location
schedules, action plans and indicators. Meetings, consultations, serious talks and
progress are recorded in the app (with the personal-data guard), not here.
"""

from __future__ import annotations

from django.contrib import admin

from samverkan.audit.admin_changes import AuditedModelAdmin
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    CoLocation,
    Forum,
    Indicator,
    IndicatorValue,
)


@admin.register(Forum)
class ForumAdmin(AuditedModelAdmin):
    list_display = ("name", "district", "kind", "required_per_term")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("district", "parties", "agreement")


@admin.register(CoLocation)
class CoLocationAdmin(AuditedModelAdmin):
    list_display = (
        "social_worker",
        "district",
        "police_unit",
        "weekdays",
        "valid_from",
        "valid_to",
    )
    autocomplete_fields = ("district", "police_unit")


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ("title", "owner", "target_group", "status", "due_date")
    autocomplete_fields = ("owner",)
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedModelAdmin):
    list_display = ("title", "district", "period_start", "period_end")
    autocomplete_fields = ("district",)
    inlines = [ActivityInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ("term", "value", "source")
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("name", "district", "kind", "forum", "agreement")
    list_filter = ("kind",)
    autocomplete_fields = ("district", "forum", "agreement")
    inlines = [IndicatorValueInline]
