"""Agreements (samverkansavtal): types with their rules as data, parties, decisions, notice.

Events are rows and their dates are the truth; `Agreement.in_force_from` and
`Agreement.in_force_until` are derived from them by `services` (through the pure
`rules.in_force_window`) so that "which agreements are in force on day D" is one
indexed query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.agreements import rules
from samverkan.core.mapping import copy_fields
from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.core.models import RecordedBy

if TYPE_CHECKING:  # a development dependency: only the type checker needs it
    from django_stubs_ext import StrOrPromise

DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]


def validate_document_size(file: Any) -> None:
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Filen är för stor (högst %(mb)s MB)."),
            params={"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
        )


document_validators: list[Callable[[Any], None]] = [
    FileExtensionValidator(DOCUMENT_EXTENSIONS),
    validate_document_size,
]


def signed_document(label: StrOrPromise, folder: str) -> models.FileField:
    """The optional scanned document kept with a record (PDF/PNG/JPEG within the size limit)."""
    return models.FileField(
        label, upload_to=f"agreements/{folder}/%Y/", blank=True, validators=document_validators
    )


class AgreementTypeCode(models.TextChoices):
    SINGLE_ENTRY = "single_entry", _("En ingång (ROC)")
    DEFECTOR_SERVICES = "defector_services", _("Insatser till avhoppare")
    SCHOOL_COLLABORATION = "school_collaboration", _("Samverkan skola – socialtjänst")
    LOCAL_POLICE_COLLABORATION = "local_police_collaboration", _("Lokal samverkan med polisen")


class CostRule(models.TextChoices):
    OWN_COSTS = "own_costs", _("Varje part bär sina egna kostnader")
    RECONCILED = "reconciled", _("Kostnaderna stäms av och utjämnas")


class AgreementType(models.Model):
    """The rules an agreement of this kind follows; shipped as reference data."""

    code = models.CharField(_("kod"), max_length=40, unique=True, choices=AgreementTypeCode.choices)
    name = models.CharField(_("namn"), max_length=200)
    min_parties = models.PositiveSmallIntegerField(_("minsta antal parter"), default=2)
    max_parties = models.PositiveSmallIntegerField(_("högsta antal parter"), null=True, blank=True)
    initial_term_months = models.PositiveSmallIntegerField(
        _("första avtalsperiod (månader)"), null=True, blank=True
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("automatisk förlängning (månader)"), default=0, help_text=_("0 = ingen förlängning.")
    )
    max_renewals = models.PositiveSmallIntegerField(
        _("högsta antal förlängningar"), null=True, blank=True, help_text=_("Tomt = obegränsat.")
    )
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"), default=0)
    notice_must_be_written = models.BooleanField(_("uppsägning ska vara skriftlig"), default=True)
    notify_on_termination = models.CharField(
        _("underrättas vid uppsägning (organisationskod)"), max_length=40, blank=True
    )
    cost_rule = models.CharField(
        _("kostnader"), max_length=20, choices=CostRule.choices, default=CostRule.OWN_COSTS
    )
    reconciliation_months = models.PositiveSmallIntegerField(
        _("kostnadsavstämning var (månader)"), null=True, blank=True
    )
    has_pilot_caps = models.BooleanField(_("pilotbegränsning av antal uppdrag"), default=False)
    document_template = models.CharField(_("dokumentmall"), max_length=200)

    class Meta:
        verbose_name = _("avtalstyp")
        verbose_name_plural = _("avtalstyper")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PartyRole(models.TextChoices):
    PROVIDER = "provider", _("Utförare")
    PRINCIPAL = "principal", _("Uppdragsgivare")
    MEMBER = "member", _("Part")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        """Agreements of the user's parties (the role-free part of `access.visible_to`)."""
        ids = responsible_organisation_ids(user)
        if not ids:
            return self.none()
        return self.filter(parties__organisation_id__in=ids).distinct()

    def in_force_on(self, day: Any) -> AgreementQuerySet:
        return self.filter(in_force_from__lte=day).filter(
            models.Q(in_force_until__isnull=True) | models.Q(in_force_until__gte=day)
        )


class Agreement(models.Model):
    type = models.ForeignKey(
        AgreementType, verbose_name=_("avtalstyp"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("benämning"), max_length=300)
    reference = models.CharField(_("diarienummer"), max_length=100, unique=True)
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(_("gäller till och med"), null=True, blank=True)
    renewal_months = models.PositiveSmallIntegerField(_("automatisk förlängning (månader)"))
    max_renewals = models.PositiveSmallIntegerField(
        _("högsta antal förlängningar"), null=True, blank=True, help_text=_("Tomt = obegränsat.")
    )
    open_ended_after_renewals = models.BooleanField(
        _("gäller därefter tills vidare"), default=False
    )
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"))
    # Defector agreements: pilot caps and the materiality threshold for equalisation.
    pilot_until = models.DateField(_("pilotperiod till och med"), null=True, blank=True)
    pilot_max_sent = models.PositiveSmallIntegerField(
        _("högst skickade uppdrag per part under piloten"), null=True, blank=True
    )
    pilot_max_received = models.PositiveSmallIntegerField(
        _("högst mottagna uppdrag per part under piloten"), null=True, blank=True
    )
    materiality_threshold = models.DecimalField(
        _("väsentlighetsgräns för utjämning (kr)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Derived from the events by services (rules.in_force_window); None = no end.
    in_force_from = models.DateField(_("i kraft från"), null=True, blank=True, editable=False)
    in_force_until = models.DateField(
        _("i kraft till och med"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    created_by = user_fk(optional=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("samverkansavtal")
        verbose_name_plural = _("samverkansavtal")
        ordering = ["type__code", "title"]
        indexes = [
            models.Index(fields=["type", "in_force_from", "in_force_until"], name="agr_in_force"),
        ]

    def __str__(self) -> str:
        return self.title

    def terms(self) -> rules.Terms:
        return copy_fields(rules.Terms, self)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(
        _("roll"), max_length=20, choices=PartyRole.choices, default=PartyRole.MEMBER
    )
    # The committee (nämnd) that decides on the agreement for the party and acts through it.
    acting_body = models.CharField(_("beslutande nämnd"), max_length=200, blank=True)
    signatory_name = models.CharField(_("undertecknare"), max_length=200, blank=True)
    signatory_title = models.CharField(_("befattning"), max_length=200, blank=True)
    contact_person = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("avtalspart")
        verbose_name_plural = _("avtalsparter")
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


# The party's details its own administrator keeps (the agreement text prints them).
PARTY_DETAIL_FIELDS: tuple[str, ...] = (
    "acting_body",
    "signatory_name",
    "signatory_title",
    "contact_person",
    "contact_email",
    "contact_phone",
)


class AgreementPartyChange(RecordedBy):
    """One changed detail of a party: who, when, from and to (the party's history)."""

    party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("uppgift"), max_length=40)
    old_value = models.CharField(_("från"), max_length=200, blank=True)
    new_value = models.CharField(_("till"), max_length=200, blank=True)
    recorded_by_organisation = organisation_fk(_("registrerat av organisation"), optional=True)

    class Meta:
        verbose_name = _("ändring av partsuppgift")
        verbose_name_plural = _("ändringar av partsuppgifter")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.party} {self.field}"

    @property
    def field_label(self) -> StrOrPromise:
        label: StrOrPromise = getattr(
            AgreementParty._meta.get_field(self.field), "verbose_name", self.field
        )
        return label


class Amendment(models.Model):
    """A written change (tillägg); applies once every party has decided on it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("tillägg nr"))
    summary = models.CharField(_("sammanfattning"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    effective_date = models.DateField(_("gäller från"))
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    created_by = user_fk(optional=True)

    class Meta:
        verbose_name = _("tillägg")
        verbose_name_plural = _("tillägg")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{_('Tillägg')} {self.number}: {self.summary}"


class DecisionBody(models.TextChoices):
    POLITICAL_COMMITTEE = "political_committee", _("Politiskt organ (nämnd)")
    DELEGATE = "delegate", _("Delegat")


class RecordedByOrganisation(RecordedBy):
    """Who recorded the row and for which organisation they acted then.

    The organisation is kept with the row (not read from the user later), so the
    agreement's history still names it after the user moves or the organisation
    merges. Empty for what the system records (reference and demo data).
    """

    recorded_by_organisation = organisation_fk(_("registrerat av organisation"), optional=True)

    class Meta:
        abstract = True


class AgreementDecision(RecordedByOrganisation):
    """A party's decision on the agreement (amendment None) or on one amendment.

    `on_behalf`: the hub municipality registered another party's signed decision
    for it (the signed document is then required, and the party's administrators
    are told).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="decisions")
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    party = models.ForeignKey(AgreementParty, on_delete=models.PROTECT, related_name="decisions")
    body_kind = models.CharField(_("beslutande"), max_length=30, choices=DecisionBody.choices)
    body_name = models.CharField(_("organ eller delegat"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    reference = models.CharField(_("paragraf/beteckning"), max_length=100, blank=True)
    document = signed_document(_("underskrivet beslut"), "decisions")
    on_behalf = models.BooleanField(_("registrerat för partens räkning"), default=False)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "amendment"], name="decision_one_per_party_amendment"
            ),
            models.UniqueConstraint(
                fields=["party"],
                condition=models.Q(amendment__isnull=True),
                name="decision_one_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.decided_on}"


class Notice(RecordedByOrganisation):
    """Notice of termination (uppsägning) given by one party."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notices")
    given_by = models.ForeignKey(AgreementParty, on_delete=models.PROTECT, related_name="notices")
    given_on = models.DateField(_("uppsagt den"))
    document = signed_document(_("skriftlig uppsägning"), "notices")
    last_day = models.DateField(_("sista dag avtalet gäller"))

    class Meta:
        verbose_name = _("uppsägning")
        verbose_name_plural = _("uppsägningar")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.given_by} {self.given_on}"


class TerminationNotification(models.Model):
    """The system's notice to the organisation told when an agreement ends (ROC).

    Created with the notice of termination, shown to the recipient's users on
    their start page and mailed to them; done when one of them acknowledges it.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="termination_notifications"
    )
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notifications")
    recipient = organisation_fk()
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("kvitterad"), null=True, blank=True)
    acknowledged_by = user_fk(_("kvitterad av"), optional=True)

    class Meta:
        verbose_name = _("underrättelse om uppsägning")
        verbose_name_plural = _("underrättelser om uppsägning")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["acknowledged_at"], name="agr_notification_ack")]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.agreement})"


class DataProcessingAgreement(RecordedBy):
    """Personuppgiftsbiträdesavtal (GDPR art. 28) attached to an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="data_processing_agreements"
    )
    controller = organisation_fk(_("personuppgiftsansvarig"))
    processor = organisation_fk(_("personuppgiftsbiträde"))
    signed_on = models.DateField(_("undertecknat"))
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    document = signed_document(_("avtal"), "dpa")

    class Meta:
        verbose_name = _("personuppgiftsbiträdesavtal")
        verbose_name_plural = _("personuppgiftsbiträdesavtal")
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{_('Personuppgiftsbiträdesavtal')} {self.valid_from}"


class AgreementVersion(models.Model):
    """The agreement's text as decided: frozen once every party's decision exists.

    Version 1 is the agreement as decided; each amendment every party has decided
    on makes the next version, with the full text. `source` is the exact HTML the
    PDF was rendered from; the PDF (`document`) is served only through
    `core:document`, as it was.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    amendment = models.ForeignKey(
        Amendment,
        verbose_name=_("tillägg"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
    )
    decided_on = models.DateField(_("beslutad"))
    source = models.TextField(_("avtalstext (HTML)"))
    document = models.FileField(_("avtalet som PDF"), upload_to="agreements/versions/%Y/")
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        verbose_name = _("avtalsversion")
        verbose_name_plural = _("avtalsversioner")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(amendment__isnull=True),
                name="agreement_version_one_original",
            ),
            models.UniqueConstraint(
                fields=["amendment"],
                condition=models.Q(amendment__isnull=False),
                name="agreement_version_one_per_amendment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class ReminderSent(models.Model):
    """A reminder mailed to a user; one per user, subject and day (idempotent mailing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.sent_on}"
