"""Administrators see every endpoint, its deliveries and each attempt; register, pause, resume."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from samverkan.audit.admin_changes import AuditedModelAdmin
from samverkan.core.errors import InvalidInput
from samverkan.intake.announcements import EVENT_TYPES
from samverkan.webhooks import services
from samverkan.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint


class EndpointAddForm(forms.ModelForm):
    url = forms.URLField(label=_("adress"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("händelser"),
        choices=[(e, e) for e in EVENT_TYPES],
        initial=list(EVENT_TYPES),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("client", "url", "events", "contact_email")

    def clean_url(self) -> str:
        try:
            return services.check_url(self.cleaned_data["url"])
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedModelAdmin):
    list_display = ("url", "client", "paused_at", "consecutive_failures", "created_at")
    list_filter = (("paused_at", admin.EmptyFieldListFilter),)
    search_fields = ("url", "client__name", "client__organisation__code")
    # The secret is never shown here: the client got it once, at registration.
    readonly_fields = (
        "client",
        "url",
        "events",
        "contact_email",
        "created_at",
        "paused_at",
        "consecutive_failures",
        "failing_since",
    )
    actions = ["pause", "resume"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = EndpointAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else EndpointAddForm.Meta.fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return  # nothing on an endpoint is edited here; pause and resume are actions
        endpoint, secret = services.endpoint_register(
            actor=request.user,
            client=form.cleaned_data["client"],
            url=form.cleaned_data["url"],
            contact_email=form.cleaned_data["contact_email"],
            events=form.cleaned_data["events"],
        )
        obj.pk = endpoint.pk
        self.message_user(
            request,
            _("Nyckeln som signerar leveranserna (visas bara nu, lämna den till klienten): %s")
            % secret,
            messages.WARNING,
        )

    def delete_model(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        services.endpoint_delete(actor=request.user, endpoint_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            self.delete_model(request, endpoint)

    @admin.action(description=_("Pausa valda webhooks"))
    def pause(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_pause(actor=request.user, endpoint_id=endpoint.pk)

    @admin.action(description=_("Återuppta valda webhooks (köade händelser skickas)"))
    def resume(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_resume(actor=request.user, endpoint_id=endpoint.pk)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "status_code", "duration_ms", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AuditedModelAdmin):
    """The delivery log: read only."""

    list_display = (
        "message_id",
        "event_type",
        "endpoint",
        "status",
        "attempt_count",
        "created_at",
        "next_attempt_at",
    )
    list_filter = ("status", "event_type")
    search_fields = ("message_id", "endpoint__url", "endpoint__client__name")
    fields = (
        "message_id",
        "endpoint",
        "event_type",
        "status",
        "attempt_count",
        "created_at",
        "next_attempt_at",
        "delivered_at",
        "body",
    )
    readonly_fields = fields
    inlines = [AttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
