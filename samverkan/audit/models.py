"""Append-only, hash-chained access log (SPEC §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import user_fk


class AuditAction(models.TextChoices):
    VIEW = "view", _("Läsning")
    CREATE = "create", _("Registrering")
    CHANGE = "change", _("Ändring")
    DELETE = "delete", _("Borttagning")
    EXPORT = "export", _("Export")
    HANDOVER = "handover", _("Överlämning")
    DISCLOSE = "disclose", _("Utlämnande")
    LOGIN = "login", _("Inloggning")
    ANONYMISE = "anonymise", _("Avidentifiering")
    # A request for a record the actor may not see or act on (403/404): an attempt.
    REFUSED = "refused", _("Nekat försök")


# What an entry says at a glance: who, from which organisation, did what to which record,
# for which controller. The admin lists these columns, and the hash covers them.
SUMMARY_FIELDS = (
    "actor_label",
    "actor_organisation",
    "action",
    "record_type",
    "record_id",
    "controller",
)


class AuditEntry(models.Model):
    """One access to or change of a record. Never updated, never deleted.

    `entry_hash` covers every field and `previous_hash`, so altering or
    removing an entry breaks the chain at that point.
    """

    at = models.DateTimeField(_("tid"), db_index=True)
    actor_user = user_fk(optional=True)
    actor_client = models.ForeignKey(
        "accounts.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("vem"), max_length=200)
    actor_organisation = models.CharField(_("organisation"), max_length=40, blank=True)
    action = models.CharField(_("åtgärd"), max_length=20, choices=AuditAction.choices)
    record_type = models.CharField(_("posttyp"), max_length=60)
    record_id = models.CharField(_("post-id"), max_length=60)
    controller = models.CharField(
        _("personuppgiftsansvarig"), max_length=40, blank=True, db_index=True
    )
    reason = models.TextField(_("skäl"), blank=True)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("loggposter")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "id"], name="audit_record_idx"),
            models.Index(fields=["controller", "id"], name="audit_controller_idx"),
            # An auditor also reads what their own organisation's users did elsewhere.
            models.Index(fields=["actor_organisation", "id"], name="audit_actor_org_idx"),
        ]
        constraints = [
            # Two entries chained onto the same predecessor would fork the chain.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_previous_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}"
