"""Webhook endpoints of police systems, the deliveries queued for them, every attempt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import OutboxAttempt


class WebhookEndpoint(models.Model):
    """A police system's receiver for the events of its own reports (Standard Webhooks)."""

    client = models.ForeignKey(
        "accounts.ApiClient",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("API-klient"),
    )
    url = models.URLField(_("adress"), max_length=500)
    events = models.JSONField(_("händelser"), default=list)
    # Signs every delivery; shown to the client once, when the endpoint is registered.
    secret = models.CharField(max_length=100)
    # Who is told when the endpoint is paused (the police system's operations).
    contact_email = models.EmailField(_("e-post vid fel"))
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    paused_at = models.DateTimeField(_("pausad"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("misslyckade försök i rad"), default=0)
    failing_since = models.DateTimeField(_("misslyckas sedan"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SUCCEEDED = "succeeded", _("Levererad")
    FAILED = "failed", _("Misslyckades (gav upp)")


class WebhookDelivery(models.Model):
    """One event for one endpoint: queued in the transaction of the change it announces."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(_("webhook-id"), max_length=40, unique=True)
    event_type = models.CharField(_("händelse"), max_length=40)
    source_key = models.CharField(max_length=60)  # the announced change (no duplicates)
    body = models.TextField()  # exactly the bytes signed and sent
    created_at = models.DateTimeField(_("köad"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("levererad"), null=True, blank=True)

    class Meta:
        verbose_name = _("leverans")
        verbose_name_plural = _("leveranser")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "source_key"], name="webhook_delivery_once_per_change"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class DeliveryAttempt(OutboxAttempt):
    """One try to deliver: what the receiver answered, how long it took, what went wrong."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("leveransförsök")
        verbose_name_plural = _("leveransförsök")
