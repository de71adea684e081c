"""Administration of users (organisation, roles), roles and API clients, in Swedish."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samverkan.accounts.api_auth import api_client_revoke
from samverkan.accounts.models import ApiClient, Role, User
from samverkan.audit.admin_changes import AuditedAdminMixin, AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "organisation",
        "role_list",
        "is_active",
        "can_self_enrol",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "roles", "organisation__kind", "can_self_enrol")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__code")
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (
            _("Organisation och roller"),
            {"fields": ("organisation", "roles", "can_self_enrol")},
        ),
        (
            _("Behörigheter"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        (_("Viktiga datum"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "organisation",
                    "roles",
                    "can_self_enrol",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super().get_queryset(request).select_related("organisation").prefetch_related("roles")
        )

    @admin.display(description=_("roller"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(role) for role in obj.roles.all())

    @admin.display(description=_("namn"))
    def get_full_name(self, obj: User) -> str:
        return obj.get_full_name()


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ("code", "__str__")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Roles are fixed by the code (RoleCode); a new one needs code that uses it.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(AuditedModelAdmin):
    list_display = ("name", "organisation", "token_prefix", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation__code", "organisation__name", "token_prefix")
    # The token itself is never stored; not even its hash is shown.
    fields = ("name", "organisation", "token_prefix", "is_active", "created_at")
    readonly_fields = ("organisation", "token_prefix", "is_active", "created_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is shown exactly once: created with `manage.py create_api_client`.
        return False

    @admin.action(description=_("Återkalla valda API-klienter (token slutar gälla)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        count = 0
        for client in queryset.filter(is_active=True):
            api_client_revoke(client=client, actor=request.user)  # type: ignore[arg-type]
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d API-klient återkallades.",
                "%(count)d API-klienter återkallades.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
