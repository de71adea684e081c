"""Connections to the municipalities' case systems, the handovers queued for them, each try.

The key to a case system is never stored here: a connection names the environment
variable that holds it (docs/operations/integrations.md, "Lifecare").
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.core.models import OutboxAttempt

# Only variables meant for this: a connection cannot be pointed at SECRET_KEY,
# DATABASE_URL or another secret of the server's environment.
CREDENTIAL_VARIABLE_PREFIX = "CASESYSTEM_"
credential_variable_validator = RegexValidator(
    rf"^{CREDENTIAL_VARIABLE_PREFIX}[A-Z0-9_]+$",
    _("Ange namnet på en miljövariabel som börjar med CASESYSTEM_, t.ex. CASESYSTEM_NACKA_KEY."),
)


class CaseSystemConnection(models.Model):
    """One municipality's (or one of its receiving units') case system installation."""

    organisation = organisation_fk(_("kommun eller stadsdelsområde"))
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("mottagande enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tom: gäller alla organisationens mottagande enheter utan egen koppling."),
    )
    adapter = models.CharField(_("verksamhetssystem"), max_length=40)
    base_url = models.URLField(_("adress"), max_length=300)
    account = models.CharField(
        _("konto (Lifecare: domain)"),
        max_length=100,
        help_text=_("Installationens domän-id; inte hemligt."),
    )
    credential_variable = models.CharField(
        _("miljövariabel med API-nyckeln"),
        max_length=100,
        validators=[credential_variable_validator],
        help_text=_("Nyckeln själv sparas aldrig i databasen, bara namnet på variabeln."),
    )
    options = models.JSONField(
        _("koder"),
        default=dict,
        blank=True,
        help_text=_("Installationens koder för Samverkans aktualiseringar (se kodlistorna)."),
    )
    auto_send = models.BooleanField(
        _("skicka automatiskt vid mottagande"),
        default=False,
        help_text=_("Av: den mottagande handläggaren skickar med en knapp på anmälan."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("koppling till verksamhetssystem")
        verbose_name_plural = _("kopplingar till verksamhetssystem")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit"], name="casesystem_connection_per_unit"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(unit__isnull=True),
                name="casesystem_connection_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else self.organisation.name
        return f"{self.adapter}: {where}"


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    REGISTERED = "registered", _("Registrerad")
    FAILED = "failed", _("Misslyckades")


class CaseSystemHandover(models.Model):
    """A report to be registered as an actualisation in its receiver's case system.

    Queued in the transaction of the acceptance (automatic) or of the button's
    request; sent by the worker (`manage.py send_to_casesystems`). At most one per
    report: a report is registered once.
    """

    report = models.OneToOneField(
        "intake.ConcernReport",
        verbose_name=_("anmälan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    connection = models.ForeignKey(
        CaseSystemConnection,
        verbose_name=_("koppling"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    requested_by = user_fk(_("begärd av"), optional=True)  # None: sent automatically
    created_at = models.DateTimeField(_("köad"))
    status = models.CharField(
        _("status"), max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    external_id = models.CharField(_("id i verksamhetssystemet"), max_length=64, blank=True)
    registered_at = models.DateTimeField(_("registrerad"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("överföring till verksamhetssystem")
        verbose_name_plural = _("överföringar till verksamhetssystem")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="casesystem_due")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.external_id or self.get_status_display()}"


class CaseSystemAttempt(OutboxAttempt):
    """One try: the case system's HTTP status and answer (an excerpt), or why none came."""

    handover = models.ForeignKey(
        CaseSystemHandover, on_delete=models.CASCADE, related_name="attempts"
    )
    answer = models.CharField(_("svar (utdrag)"), max_length=500, blank=True)

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("försök")
        verbose_name_plural = _("försök")
