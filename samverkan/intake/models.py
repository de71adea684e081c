"""Concern reports from the police through the single entry (SPEC §4, issue 4).

Timestamps are the truth: every state change is a `ReportEvent` row and a
timestamp on the report; `status` is a denormalised copy kept by the services
so that the queues stay index-only at millions of reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk


class SourceChannel(models.TextChoices):
    POLICE_API = "police_api", _("Polisen, API")
    POLICE_PHONE = "police_phone", _("Polisen, telefon")
    SCHOOL = "school", _("Skola")
    OTHER = "other", _("Annan anmälare")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen")
    HANDED_OVER = "handed_over", _("Överlämnad")
    ACCEPTED = "accepted", _("Mottagen av ansvarig kommun")


class GangRisk(models.TextChoices):
    """The reporter's answer to "risk i samband med gängrelaterad brottslighet?".

    The police always answer Ja or Nej (the legal basis of single entry); a school is
    asked too and may not know; school reports filed before it was asked say so.
    """

    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Vet inte")
    NOT_ASKED = "not_asked", _("Ej tillfrågat")


# Sent (in the writing transaction) with the instants whose Swedish days' follow-up
# figures a write changes: follow-up's daily summaries mark those days for a refresh
# (samverkan.followup.summaries). Instance saves and deletes are caught there by
# Django's model signals; bulk writes, which send none, through `FiguresQuerySet`.
figures_changed = Signal()


class FiguresQuerySet(models.QuerySet):
    """Bulk writes on a table follow-up counts announce the days they touch.

    `FIGURES_DAY` on the model names the instant (a path) that decides the day a
    row is counted on: a report's receipt, a not-eligible record's decision.
    """

    def _days_field(self) -> str:
        return str(self.model.FIGURES_DAY)  # type: ignore[attr-defined]

    def _announce(self, instants: Iterable[datetime | None]) -> None:
        found = {i for i in instants if i is not None}
        if found:
            figures_changed.send(sender=self.model, instants=found)

    def _instants(self, **filters: Any) -> list[datetime | None]:
        base = self.model._default_manager.filter(**filters) if filters else self
        return list(base.order_by().values_list(self._days_field(), flat=True).distinct())

    def update(self, **kwargs: Any) -> int:
        first = self._days_field().split("__")[0]
        moves_day = any(k.removesuffix("_id") == first for k in kwargs)
        pks = list(self.order_by().values_list("pk", flat=True)) if moves_day else []
        self._announce(self._instants())
        updated = super().update(**kwargs)
        if moves_day and pks:
            self._announce(self._instants(pk__in=pks))
        return updated

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._announce(self._instants())
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        pks = [o.pk for o in created if o.pk is not None]
        if pks:
            self._announce(self._instants(pk__in=pks))
        return created


class ReportQuerySet(FiguresQuerySet):
    """Who may see which reports is `samverkan.intake.access.visible_to`."""

    def open(self) -> ReportQuerySet:
        return self.filter(accepted_at__isnull=True)


class ConcernReport(models.Model):
    """A police concern report (orosanmälan) received by the hub for a responsible organisation."""

    public_id = models.UUIDField(_("publikt id"), default=uuid.uuid4, unique=True, editable=False)
    received_at = models.DateTimeField(_("mottagen av navet"))
    source_channel = models.CharField(
        _("kanal"), max_length=20, choices=SourceChannel.choices, default=SourceChannel.POLICE_API
    )
    api_client = models.ForeignKey(
        "accounts.ApiClient",
        verbose_name=_("API-klient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporting_organisation = organisation_fk(_("anmälande organisation"), optional=True)
    police_reference = models.CharField(_("polisens referens"), max_length=60, blank=True)
    registered_by = user_fk(optional=True)

    # The child: a 12-digit identity number, or unknown with an estimated birth date.
    person_id = models.CharField(_("person-/samordningsnummer"), max_length=12, blank=True)
    birth_date = models.DateField(_("födelsedatum"))
    birth_date_estimated = models.BooleanField(_("uppskattat födelsedatum"), default=False)

    found_in = organisation_fk(_("påträffad i"))
    home_municipality = organisation_fk(_("bosättningskommun"), optional=True)
    home_district = organisation_fk(_("stadsdelsområde"), optional=True)
    responsible_municipality = organisation_fk(_("ansvarig kommun"))
    controller = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("personuppgiftsansvarig"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Ansvarig kommun, eller stadsdelsområdet för Stockholms barn."),
    )
    receiving_unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("mottagande enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    reporting_officer_name = models.CharField(_("anmälande polis"), max_length=200)
    reporting_officer_unit = models.CharField(_("polisens enhet"), max_length=200, blank=True)
    reporting_officer_phone = models.CharField(_("polisens telefon"), max_length=40, blank=True)
    gang_related = models.BooleanField(_("gängrelaterad risk"), default=True)
    # What the reporter answered, as shown; `gang_related` is what the eligibility rules
    # decide on (Ja only; a school's report is not single entry, so it does not decide).
    gang_risk = models.CharField(
        _("gängrelaterad risk enligt anmälaren"),
        max_length=10,
        choices=GangRisk.choices,
        default=GangRisk.NOT_ASKED,
    )
    risk_information = models.TextField(_("riskinformation"), blank=True)
    narrative = models.TextField(_("händelse"), blank=True)
    wants_feedback = models.BooleanField(_("vill ha återkoppling"), default=False)

    eligible = models.BooleanField(_("omfattas av en ingång"), default=True)
    reasons = models.JSONField(_("skäl"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    routed_at = models.DateTimeField(_("dirigerad"))
    handed_over_at = models.DateTimeField(_("överlämnad"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("mottagen av kommunen"), null=True, blank=True)
    accepted_by = user_fk(optional=True)
    accepted_by_name = models.CharField(_("mottagen av (namn)"), max_length=200, blank=True)
    escalated_at = models.DateTimeField(_("eskalerad"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("avvisad, väntar på ny dirigering"), null=True, blank=True)

    protection_assessment_due = models.DateTimeField(_("skyddsbedömning senast"))
    preliminary_assessment_due = models.DateField(_("förhandsbedömning senast"))
    protection_assessed_at = models.DateTimeField(_("skyddsbedömning gjord"), null=True, blank=True)
    preliminary_decided_on = models.DateField(
        _("förhandsbedömning beslutad"), null=True, blank=True
    )
    feedback_due = models.DateField(_("återkoppling senast"), null=True, blank=True)
    feedback_delivered_at = models.DateTimeField(_("återkoppling lämnad"), null=True, blank=True)

    closed_at = models.DateTimeField(
        _("klar i samverkan"),
        null=True,
        blank=True,
        help_text=_("Mottagen, båda bedömningarna registrerade och återkopplingen lämnad."),
    )

    also_via_api_at = models.DateTimeField(
        _("även inskickad via API"),
        null=True,
        blank=True,
        help_text=_("Registrerad per telefon; polisens system skickade sedan samma anmälan."),
    )

    receipt_number = models.CharField(
        _("kvittensnummer"),
        max_length=20,
        blank=True,
        help_text=_("Skolans kvittens, kort nog att läsa i telefon (S-2026-0017)."),
    )

    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("upprepning av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()
    FIGURES_DAY = "received_at"
    # The three deadlines (protection, preliminary, feedback) and when each was met, in the
    # order they are declared: what a reader loads to tell which are open or overdue.
    DEADLINE_FIELDS = (
        "protection_assessment_due",
        "preliminary_assessment_due",
        "protection_assessed_at",
        "preliminary_decided_on",
        "feedback_due",
        "feedback_delivered_at",
    )

    class Meta:
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "police_reference"],
                condition=Q(api_client__isnull=False) & ~Q(police_reference=""),
                name="intake_report_unique_reference_per_client",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="intake_report_unique_receipt_number",
            ),
        ]
        indexes = [
            # hub queue: open reports, oldest first
            models.Index(
                fields=["received_at"],
                condition=Q(accepted_at__isnull=True),
                name="intake_report_open_idx",
            ),
            # receiving queue and overdue counts: a controller's open reports only, so
            # the queue stays flat however much history there is
            models.Index(
                fields=["controller", "received_at"],
                condition=Q(closed_at__isnull=True),
                name="intake_recv_open_idx",
            ),
            models.Index(fields=["controller", "received_at"], name="intake_controller_idx"),
            models.Index(
                fields=["controller", "preliminary_assessment_due"],
                condition=Q(preliminary_decided_on__isnull=True),
                name="intake_prelim_open_idx",
            ),
            # repeat detection: same child, same home municipality
            models.Index(
                fields=["person_id", "home_municipality", "received_at"], name="intake_repeat_idx"
            ),
            # escalation job: unaccepted, not yet escalated
            models.Index(
                fields=["routed_at"],
                condition=Q(accepted_at__isnull=True, escalated_at__isnull=True),
                name="intake_escalate_idx",
            ),
            models.Index(
                fields=["reporting_organisation", "received_at"], name="intake_rep_org_idx"
            ),
            # follow-up: every report received in a period, county-wide or per municipality
            models.Index(fields=["received_at"], name="intake_received_idx"),
            # a police system's retry: the partial unique index above cannot serve the
            # look-up on SQLite (a bound '' parameter cannot prove its condition)
            models.Index(fields=["api_client", "police_reference"], name="intake_client_ref_idx"),
            models.Index(
                fields=["responsible_municipality", "received_at"], name="intake_resp_mun_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Orosanmälan {self.pk} ({self.received_at:%Y-%m-%d %H:%M})"

    @property
    def from_school(self) -> bool:
        """Filed by a school (not the police through the hub): its pages say so."""
        return self.source_channel == SourceChannel.SCHOOL


class ReceiptCounter(models.Model):
    """The last receipt number given in a year: one row per year, incremented in the
    transaction that files the report, so two schools filing at once get distinct
    numbers and a rolled-back filing gives its number back."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    last = models.PositiveIntegerField(_("senaste nummer"), default=0)

    class Meta:
        verbose_name = _("kvittensräknare")
        verbose_name_plural = _("kvittensräknare")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NotEligibleRecord(models.Model):
    """A report outside single entry: anonymous, for statistics only. No personal data."""

    class AgeBand(models.TextChoices):
        UNDER_12 = "0-11", "0–11"
        AGE_12_14 = "12-14", "12–14"
        AGE_15_17 = "15-17", "15–17"
        ADULT = "18+", "18+"
        UNKNOWN = "unknown", _("okänd")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decided_at = models.DateTimeField(_("tid"), db_index=True)
    source_channel = models.CharField(_("kanal"), max_length=20, choices=SourceChannel.choices)
    reasons = models.JSONField(_("skäl"), default=list)
    found_in = models.CharField(_("påträffad i (kod)"), max_length=40)
    home_municipality = models.CharField(_("bosättningskommun (kod)"), max_length=40, blank=True)
    age_band = models.CharField(_("åldersgrupp"), max_length=10, choices=AgeBand.choices)
    api_client = models.ForeignKey(
        "accounts.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="HMAC of the police reference: answers a retry, cannot be reversed.",
    )

    objects = FiguresQuerySet.as_manager()
    FIGURES_DAY = "decided_at"

    class Meta:
        verbose_name = _("anmälan utanför en ingång")
        verbose_name_plural = _("anmälningar utanför en ingång")
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "reference_digest"],
                condition=Q(api_client__isnull=False) & ~Q(reference_digest=""),
                name="intake_not_eligible_unique_reference",
            )
        ]

    def __str__(self) -> str:
        return f"Utanför en ingång {self.decided_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Mottagen")
    CLARIFIED = "clarified", _("Förtydligad")
    HANDOVER_ATTEMPT = "handover_attempt", _("Överlämningsförsök")
    HANDED_OVER = "handed_over", _("Överlämnad")
    ACCEPTED = "accepted", _("Mottagen av kommunen")
    REJECTED = "rejected", _("Avvisad")
    REROUTED = "rerouted", _("Omdirigerad")
    ESCALATED = "escalated", _("Eskalerad")
    PROTECTION_ASSESSED = "protection_assessed", _("Skyddsbedömning gjord")
    PRELIMINARY_ASSESSED = "preliminary_assessed", _("Förhandsbedömning beslutad")
    INFORMATION_REQUESTED = "information_requested", _("Informationsbegäran skickad")
    INFORMATION_ANSWERED = "information_answered", _("Informationsbegäran besvarad")
    FEEDBACK_DELIVERED = "feedback_delivered", _("Återkoppling lämnad")
    ALSO_VIA_API = "also_via_api", _("Även inskickad via API")


class ReportEvent(models.Model):
    """Append-only history of a report's state changes."""

    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("händelse"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("tid"))
    actor_user = user_fk(optional=True)
    actor_client = models.ForeignKey(
        "accounts.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("vem"), max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="intake_event_report_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Clarification(models.Model):
    """The hub's contact with ROC to clarify or complete a report (not an investigation)."""

    report = models.ForeignKey(
        ConcernReport, on_delete=models.CASCADE, related_name="clarifications"
    )
    at = models.DateTimeField(_("tid"))
    by = user_fk()
    contact = models.CharField(_("kontakt hos polisen"), max_length=200)
    added = models.TextField(_("vad som tillfördes"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Förtydligande {self.at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """Passing the report to one receiving unit; a rejection starts a new handover."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pågår")
        ACCEPTED = "accepted", _("Mottagen")
        REJECTED = "rejected", _("Avvisad")

    class Via(models.TextChoices):
        SYSTEM = "system", _("I systemet")
        PHONE = "phone", _("Per telefon")

    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="handovers")
    organisation = organisation_fk()
    receiving_unit = models.ForeignKey(
        "registry.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("påbörjad"))
    outcome = models.CharField(
        _("utfall"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    completed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    via = models.CharField(_("sätt"), max_length=10, choices=Via.choices, blank=True)
    accepted_by = user_fk(optional=True)
    receiver_name = models.CharField(_("mottagarens namn"), max_length=200, blank=True)
    recorded_by = user_fk(optional=True)
    rejection_reason = models.TextField(_("skäl för avvisning"), blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["report", "started_at"], name="intake_handover_idx")]

    def __str__(self) -> str:
        return f"Överlämning {self.started_at:%Y-%m-%d %H:%M} ({self.get_outcome_display()})"


class HandoverAttempt(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("tid"))
    number_called = models.CharField(_("nummer"), max_length=40)
    reached = models.BooleanField(_("nådde fram"))
    person_reached = models.CharField(_("person"), max_length=200, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    by = user_fk()

    objects = FiguresQuerySet.as_manager()
    FIGURES_DAY = "handover__report__received_at"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.number_called} {self.at:%H:%M}"


class Escalation(models.Model):
    """A handover not accepted in time; the receiving side's contact persons were notified."""

    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="escalations")
    handover = models.OneToOneField(
        Handover, null=True, blank=True, on_delete=models.CASCADE, related_name="escalation"
    )
    at = models.DateTimeField(_("tid"))
    notified = models.JSONField(_("underrättade"), default=list, blank=True)

    objects = FiguresQuerySet.as_manager()
    FIGURES_DAY = "report__received_at"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Eskalering {self.at:%Y-%m-%d %H:%M}"


class ProtectionAssessment(models.Model):
    report = models.OneToOneField(
        ConcernReport, on_delete=models.CASCADE, related_name="protection_assessment"
    )
    made_at = models.DateTimeField(_("gjord"))
    made_by = user_fk()
    immediate_protection_needed = models.BooleanField(_("omedelbart skyddsbehov"))
    recorded_at = models.DateTimeField(_("registrerad"))

    def __str__(self) -> str:
        return f"Skyddsbedömning {self.made_at:%Y-%m-%d %H:%M}"


class PreliminaryDecision(models.TextChoices):
    INVESTIGATION_OPENED = "investigation_opened", _("Utredning inleds")
    NOT_OPENED = "not_opened", _("Utredning inleds inte")
    ALREADY_RUNNING = "already_running", _("Pågående utredning")
    TRANSFERRED = "transferred", _("Överflyttad")


class PreliminaryAssessment(models.Model):
    report = models.OneToOneField(
        ConcernReport, on_delete=models.CASCADE, related_name="preliminary_assessment"
    )
    decision = models.CharField(_("beslut"), max_length=30, choices=PreliminaryDecision.choices)
    decided_on = models.DateField(_("beslutsdatum"))
    extended = models.BooleanField(_("förlängd av synnerliga skäl"), default=False)
    extension_reason = models.TextField(_("synnerliga skäl"), blank=True)
    decided_by = user_fk()
    recorded_at = models.DateTimeField(_("registrerad"))

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.decided_on}"


class InformationRequest(models.Model):
    """A municipality's question to ROC about a report, and ROC's answer."""

    class Kind(models.TextChoices):
        RISK_ASSESSMENT = "risk_assessment", _("Riskbedömning")
        GANG_AFFILIATION = "gang_affiliation", _("Gängtillhörighet")
        OTHER = "other", _("Annat")

    report = models.ForeignKey(
        ConcernReport, on_delete=models.CASCADE, related_name="information_requests"
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    question = models.TextField(_("fråga"))
    sent_at = models.DateTimeField(_("skickad"))
    sent_by = user_fk()
    to_organisation = organisation_fk()
    answer = models.TextField(_("svar"), blank=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    answered_by = user_fk(optional=True)
    answered_by_client = models.ForeignKey(
        "accounts.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Read by the receiving organisation (anyone of it): the answer is to the unit that
    # asked, whoever is on duty when it comes (see services.information_answers_mark_read).
    answer_read_at = models.DateTimeField(_("svaret läst"), null=True, blank=True)
    answer_read_by = user_fk(optional=True)

    objects = FiguresQuerySet.as_manager()
    FIGURES_DAY = "report__received_at"

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [
            # answers not yet read by the receiving side: the start page and the inbox
            models.Index(
                fields=["answered_at"],
                condition=Q(answered_at__isnull=False, answer_read_at__isnull=True),
                name="intake_inforeq_unread_idx",
            ),
            models.Index(
                fields=["to_organisation", "sent_at"],
                condition=Q(answered_at__isnull=True),
                name="intake_inforeq_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"


class Feedback(models.Model):
    """Telling the reporter whether an investigation was opened (SoL 19 kap. 6 §)."""

    report = models.OneToOneField(ConcernReport, on_delete=models.CASCADE, related_name="feedback")
    decision_date = models.DateField(_("beslutsdatum"))
    due = models.DateField(_("senast"))
    investigation_opened = models.BooleanField(_("utredning inledd"))
    delivered_at = models.DateTimeField(_("lämnad"), null=True, blank=True)
    delivered_by = user_fk(optional=True)

    objects = FiguresQuerySet.as_manager()
    FIGURES_DAY = "report__received_at"

    def __str__(self) -> str:
        return f"Återkoppling senast {self.due}"
