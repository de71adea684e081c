"""Defector assignments (*uppdrag avseende avhoppare*) between municipalities, SPEC §5.

The home municipality (*hemkommun*) commissions a receiving municipality
(*mottagande kommun*) under a defector agreement (type ``defector_services``)
to carry out support for a person leaving a criminal network. The current
state of an assignment is kept on the row for queries, and every change is
an `AssignmentEvent`; a state change is a conditional update on the current
state, so two people acting at once never both succeed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.core.models import RecordedBy
from samverkan.defectors import rules


def _choices(enum_type: Any, labels: dict[Any, Any] | None = None) -> list[tuple[str, Any]]:
    return [(member.value, (labels or {}).get(member, member.value)) for member in enum_type]


STATE_CHOICES = _choices(rules.State, rules.STATE_LABELS)
SIDE_CHOICES = [
    (rules.Side.HOME.value, _("Hemkommun")),
    (rules.Side.RECEIVING.value, _("Mottagande kommun")),
]
PRECONDITION_CHOICES = _choices(rules.PreconditionKind, rules.PRECONDITION_LABELS)
LEGAL_BASIS_CHOICES = _choices(rules.LegalBasis, rules.LEGAL_BASIS_LABELS)
THREAT_CHOICES = [
    (rules.ThreatLevel.LOW.value, _("Låg")),
    (rules.ThreatLevel.MEDIUM.value, _("Förhöjd")),
    (rules.ThreatLevel.HIGH.value, _("Hög")),
]
INTERVENTION_KIND_CHOICES = [
    (rules.InterventionKind.CATALOGUE.value, _("Ur avtalets katalog (mottagande kommun)")),
    (rules.InterventionKind.OUTSIDE.value, _("Utanför katalogen (hemkommunen)")),
    (rules.InterventionKind.HOUSING.value, _("Tillfälligt boende (hemkommunen)")),
]


class CatalogueIntervention(models.Model):
    """One intervention of the agreement's catalogue (§ 6); editable data of the agreement."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="defector_catalogue"
    )
    code = models.SlugField(_("kod"), max_length=60)
    name = models.CharField(_("namn"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("insats i katalogen")
        verbose_name_plural = _("insatskatalog")
        ordering = ["agreement", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="defector_catalogue_code")
        ]

    def __str__(self) -> str:
        return self.name


class HandlingRule(models.Model):
    """Per municipality: where high-threat relocation cases are handled (Stockholm: central)."""

    municipality = models.OneToOneField(
        "registry.Organisation", on_delete=models.CASCADE, related_name="defector_handling_rule"
    )
    central_organisation = organisation_fk(
        _("central avhopparverksamhet (organisation)"), optional=True
    )
    central_unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("central avhopparenhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    central_for_high_threat_relocation = models.BooleanField(
        _("hög hotbild med behov av omlokalisering handläggs centralt"), default=True
    )

    class Meta:
        verbose_name = _("handläggningsregel")
        verbose_name_plural = _("handläggningsregler")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def rule(self) -> rules.HandlingRule:
        return rules.HandlingRule(self.central_for_high_threat_relocation)


class Assignment(models.Model):
    reference = models.CharField(_("uppdragsnummer"), max_length=30, unique=True)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("avtal"),
        on_delete=models.PROTECT,
        related_name="defector_assignments",
    )
    home_municipality = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("hemkommun"),
        on_delete=models.PROTECT,
        related_name="defector_assignments_sent",
    )
    receiving_municipality = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("mottagande kommun"),
        on_delete=models.PROTECT,
        related_name="defector_assignments_received",
    )
    home_handler = organisation_fk(_("handläggs hos hemkommunen av"), optional=True)
    home_unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("handläggande enhet (hemkommunen)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_centrally = models.BooleanField(
        _("handläggs av central avhopparverksamhet"), default=False
    )
    receiving_handler = organisation_fk(_("handläggs hos mottagande kommun av"), optional=True)
    person_alias = models.CharField(
        _("fingerat namn"),
        max_length=100,
        help_text=_("Ett fingerat namn eller en kodbeteckning – inget personnummer."),
    )
    summary = models.TextField(_("bakgrund"), blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=STATE_CHOICES, default=rules.State.DRAFT.value
    )
    state_reason = models.TextField(_("skäl"), blank=True)
    created_at = models.DateTimeField(_("skapat"))
    created_by = user_fk(optional=True)
    started_on = models.DateField(_("startade"), null=True, blank=True)
    ended_on = models.DateField(_("avslutades"), null=True, blank=True)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(home_municipality=models.F("receiving_municipality")),
                name="defector_assignment_two_parties",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.person_alias})"

    @property
    def state_enum(self) -> rules.State:
        return rules.State(self.state)


class AssignmentEvent(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tid"))
    from_state = models.CharField(_("från"), max_length=20, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField(_("till"), max_length=20, choices=STATE_CHOICES)
    side = models.CharField(_("part"), max_length=10, choices=SIDE_CHOICES)
    actor = user_fk(optional=True)
    actor_label = models.CharField(_("av"), max_length=200)
    reason = models.TextField(_("skäl"), blank=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["assignment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_state} → {self.to_state}"


class PreconditionConfirmation(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="preconditions"
    )
    kind = models.CharField(_("förutsättning"), max_length=40, choices=PRECONDITION_CHOICES)
    confirmed_on = models.DateField(_("datum"))
    confirmed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by_name = models.CharField(_("bekräftat av"), max_length=200)
    police_unit = organisation_fk(_("polisenhet"), optional=True)
    police_unit_name = models.CharField(_("polisenhet (namn)"), max_length=200, blank=True)
    legal_basis = models.CharField(
        _("laglig grund"), max_length=30, choices=LEGAL_BASIS_CHOICES, blank=True
    )
    document = models.FileField(_("dokument"), upload_to="defectors/preconditions/", blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_at = models.DateTimeField(_("registrerat"))

    class Meta:
        verbose_name = _("förutsättning")
        verbose_name_plural = _("förutsättningar")
        ordering = ["assignment", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"], name="defector_precondition_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.confirmed_on})"

    def as_rule(self) -> rules.Confirmation:
        return rules.Confirmation(
            kind=rules.PreconditionKind(self.kind),
            confirmed_on=self.confirmed_on,
            confirmed_by=self.confirmed_by_name,
            police_unit=self.police_unit_name
            or (self.police_unit.name if self.police_unit else ""),
            legal_basis=self.legal_basis,
            has_document=bool(self.document),
        )


class ThreatAssessment(RecordedBy):
    """The police personal-security section's (BOPS) threat assessment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="threats")
    assessed_on = models.DateField(_("bedömningsdatum"))
    police_unit = organisation_fk(_("polisenhet"), optional=True)
    level = models.CharField(_("hotbild"), max_length=10, choices=THREAT_CHOICES)
    relocation_needed = models.BooleanField(_("behov av omlokalisering"), default=False)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        verbose_name = _("hotbedömning")
        verbose_name_plural = _("hotbedömningar")
        ordering = ["assignment", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.assessed_on})"


class ChildrenTask(models.Model):
    """Children appeared after all: both parties must settle responsibility at once."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="children_tasks"
    )
    description = models.TextField(_("vad som har framkommit"))
    created_at = models.DateTimeField(_("registrerat"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("stängt"), null=True, blank=True)
    closed_by = user_fk(optional=True)
    resolution = models.TextField(_("ansvarsfördelning"), blank=True)

    class Meta:
        verbose_name = _("uppgift om barn")
        verbose_name_plural = _("uppgifter om barn")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.description[:40]}"


class Consultation(RecordedBy):
    """Samråd between the parties (and with the Police)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="consultations"
    )
    held_on = models.DateField(_("datum"))
    participants = models.TextField(_("deltagare"))
    notes = models.TextField(_("anteckningar"), blank=True)
    decisions = models.TextField(_("beslut"), blank=True)

    class Meta:
        verbose_name = _("samråd")
        verbose_name_plural = _("samråd")
        ordering = ["assignment", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on}"


class ImplementationPlan(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="plan")
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    decided_by = user_fk(optional=True)
    goals = models.TextField(_("mål"), blank=True)

    class Meta:
        verbose_name = _("genomförandeplan")
        verbose_name_plural = _("genomförandeplaner")

    def __str__(self) -> str:
        return f"{self.assignment_id}"


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    DECLINED_NOT_OFFERED = "declined_not_offered", _("Avböjd – erbjuds inte av kommunen")
    ENDED = "ended", _("Avslutad")


class PlannedIntervention(models.Model):
    plan = models.ForeignKey(
        ImplementationPlan, on_delete=models.CASCADE, related_name="interventions"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=INTERVENTION_KIND_CHOICES)
    catalogue_item = models.ForeignKey(
        CatalogueIntervention,
        verbose_name=_("insats ur katalogen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PLANNED,
    )
    decline_reason = models.TextField(_("skäl för avböjande"), blank=True)

    class Meta:
        verbose_name = _("planerad insats")
        verbose_name_plural = _("planerade insatser")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="catalogue", catalogue_item__isnull=False))
                | (~Q(kind="catalogue") & Q(catalogue_item__isnull=True)),
                name="defector_intervention_catalogue_item",
            )
        ]

    def __str__(self) -> str:
        if self.catalogue_item_id:
            return self.catalogue_item.name if self.catalogue_item else ""
        if self.kind == rules.InterventionKind.HOUSING:
            return self.description or str(_("Tillfälligt boende"))
        return self.description

    @property
    def kind_enum(self) -> rules.InterventionKind:
        return rules.InterventionKind(self.kind)

    @property
    def bearer(self) -> rules.Side:
        return rules.bearer_of(self.kind_enum)


class CostEntry(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="costs")
    intervention = models.ForeignKey(
        PlannedIntervention, on_delete=models.PROTECT, related_name="costs"
    )
    booked_by_side = models.CharField(_("bokad av part"), max_length=10, choices=SIDE_CHOICES)
    booked_by_organisation = organisation_fk()
    incurred_on = models.DateField(_("datum"))
    period = models.CharField(_("avstämningsperiod"), max_length=7, db_index=True)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)
    document = models.FileField(_("underlag"), upload_to="defectors/costs/", blank=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    booked_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("bokad"))

    class Meta:
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        ordering = ["assignment", "incurred_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="defector_cost_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.amount} kr"


class Reconciliation(models.Model):
    """Six-monthly reconciliation of costs between two parties of an agreement.

    ``party_a`` is the party with the lower organisation code. Once both
    parties have approved, it is locked (``locked_at``) and never recomputed.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="defector_reconciliations"
    )
    period = models.CharField(_("period"), max_length=7)
    party_a = organisation_fk()
    party_b = organisation_fk()
    a_for_b = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    b_for_a = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    threshold = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    deviation = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    equalisation = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    payer = organisation_fk(optional=True)
    computed_at = models.DateTimeField(_("beräknad"))
    approved_a_at = models.DateTimeField(null=True, blank=True)
    approved_a_by = user_fk(optional=True)
    approved_b_at = models.DateTimeField(null=True, blank=True)
    approved_b_by = user_fk(optional=True)
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)

    class Meta:
        verbose_name = _("kostnadsavstämning")
        verbose_name_plural = _("kostnadsavstämningar")
        ordering = ["-period", "party_a__code", "party_b__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period", "party_a", "party_b"],
                name="defector_reconciliation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.party_a.code}–{self.party_b.code}"

    @property
    def period_obj(self) -> rules.Period:
        return rules.Period.parse(self.period)

    @property
    def payee(self) -> Any:
        if self.payer_id is None:
            return None
        return self.party_b if self.payer_id == self.party_a_id else self.party_a

    @property
    def total(self) -> Decimal:
        return self.a_for_b + self.b_for_a


class FollowUp(RecordedBy):
    """Follow-up meeting led by the home municipality with the receiving one taking part."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="followups")
    held_on = models.DateField(_("datum"))
    participants = models.TextField(_("deltagare"), blank=True)
    intervention_status = models.TextField(_("status för insatserna"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    threat = models.TextField(_("hotbild"), blank=True)
    next_step = models.TextField(_("nästa steg"), blank=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["assignment", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on}"


class EvaluationLesson(models.Model):
    """A party's own lessons for the joint evaluation report."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="defector_lessons"
    )
    party = organisation_fk()
    text = models.TextField(_("lärdomar"))
    updated_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("uppdaterad"))

    class Meta:
        verbose_name = _("lärdom")
        verbose_name_plural = _("lärdomar")
        ordering = ["agreement", "party__code"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="defector_lesson_once")
        ]

    def __str__(self) -> str:
        return f"{self.party_id}"


class TermsChange(models.Model):
    """One change of an agreement's defector terms or catalogue: who, when, from → to.

    Written by `services.agreement_terms_save` and `services.catalogue_item_save`;
    shown as the terms' history on the page where they are edited.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="defector_terms_changes"
    )
    changed_at = models.DateTimeField(_("ändrat"))
    changed_by = user_fk(optional=True)
    changed_by_name = models.CharField(_("ändrat av"), max_length=200)
    what = models.CharField(_("vad"), max_length=200)
    before = models.CharField(_("från"), max_length=200, blank=True)
    after = models.CharField(_("till"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ändring av avtalsvillkor")
        verbose_name_plural = _("ändringar av avtalsvillkor")
        ordering = ["agreement", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.what}: {self.before} → {self.after}"
