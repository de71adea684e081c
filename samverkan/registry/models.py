"""Reference data: organisations, units, phone lines, office hours, contacts (SPEC §2)."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.registry.validators import validate_org_number


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommun")
    DISTRICT = "district", _("Stadsdelsområde")
    COMMITTEE = "committee", _("Nämnd")
    POLICE_UNIT = "police_unit", _("Polisenhet")
    SCHOOL = "school", _("Skolenhet")
    OTHER = "other", _("Annan aktör")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def valid_on(self, day: date) -> OrganisationQuerySet:
        """Organisations whose validity period includes `day` (a Swedish date)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Organisation(models.Model):
    """Anything a user can belong to and an agreement can bind.

    `code` is stable and used in commands and the API: a municipality's
    four-digit kommunkod (``0182``), a Stockholm district ``0180-<slug>``,
    police units ``polisen-roc``/``polisen-bops``/``polisen-lpo-<area>``,
    a school its school-unit code.
    """

    code = models.CharField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    official_name = models.CharField(
        _("officiellt namn"),
        max_length=200,
        blank=True,
        help_text=_("Namnet i avtal och handlingar, till exempel ”Nacka kommun”."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("NNNNNN-NNNN, till exempel 212000-0142."),
    )
    county_code = models.CharField(_("länskod"), max_length=2, blank=True)
    valid_from = models.DateField(_("giltig från"), null=True, blank=True)
    valid_to = models.DateField(_("giltig till och med"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def legal_name(self) -> str:
        return self.official_name or self.name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitKind(models.TextChoices):
    INTAKE = "intake", _("Mottagningsenhet")
    OUT_OF_HOURS = "out_of_hours", _("Socialjour")
    DEFECTOR_UNIT = "defector_unit", _("Avhopparenhet")
    SIG_TEAM = "sig_team", _("SIG-team")
    POLICE = "police", _("Polisenhet")
    OTHER = "other", _("Annan enhet")


class Unit(models.Model):
    """A working unit of an organisation; a joint out-of-hours service covers several."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=UnitKind.choices)
    covers = models.ManyToManyField(
        Organisation,
        verbose_name=_("täcker"),
        blank=True,
        related_name="covering_units",
        help_text=_("Kommuner eller stadsdelar som enheten tar emot ärenden för."),
    )
    is_hub = models.BooleanField(
        _("är navet (Socialjouren Stockholm)"),
        default=False,
        help_text=_("Tar emot polisens anmälningar för alla kommuner med avtal om en ingång."),
    )
    open_24_7 = models.BooleanField(_("öppen dygnet runt"), default=False)
    valid_from = models.DateField(_("giltig från"), null=True, blank=True)
    valid_to = models.DateField(_("giltig till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["organisation__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name


# Day 7 is not a weekday: an interval on it applies on every public holiday and
# de-facto holiday (Midsummer, Christmas and New Year's Eve) that falls on a
# weekday, like "PH" in OpenStreetMap's opening_hours. It lets an out-of-hours
# service be open exactly when the intake unit is closed.
PUBLIC_HOLIDAY = 7


class OfficeHours(models.Model):
    """One opening interval on one weekday, Europe/Stockholm local time.

    Intervals are half-open: open from `opens`, closed from `closes`; `closes`
    00:00 means midnight at the end of the day. The rule is
    `samverkan.registry.rules.is_open`.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(
        _("veckodag"),
        choices=[
            (0, _("måndag")),
            (1, _("tisdag")),
            (2, _("onsdag")),
            (3, _("torsdag")),
            (4, _("fredag")),
            (5, _("lördag")),
            (6, _("söndag")),
            (PUBLIC_HOLIDAY, _("helgdag eller helgafton på vardag")),
        ],
    )
    opens = models.TimeField(_("öppnar"))
    closes = models.TimeField(_("stänger"))
    working_days_only = models.BooleanField(
        _("endast arbetsdagar"),
        default=True,
        help_text=_("Stängt på helgdagar och på midsommar-, jul- och nyårsafton."),
    )

    class Meta:
        verbose_name = _("öppettid")
        verbose_name_plural = _("öppettider")
        ordering = ["unit", "weekday", "opens"]

    def __str__(self) -> str:
        closes = "24:00" if self.closes == time(0, 0) else f"{self.closes:%H:%M}"
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{closes}"

    def clean(self) -> None:
        super().clean()
        if self.opens is not None and self.closes is not None:
            if self.closes != time(0, 0) and self.closes <= self.opens:
                raise ValidationError(
                    {
                        "closes": _(
                            "Stängningstiden måste vara senare än öppningstiden "
                            "(00:00 betyder midnatt vid dagens slut)."
                        )
                    }
                )


class PhonePurpose(models.TextChoices):
    OFFICE_HOURS = "office_hours", _("Kontorstid")
    HANDOVER_24_7 = "handover_24_7", _("Överlämning dygnet runt")
    FALLBACK = "fallback", _("Reservnummer")
    POLICE_LINE = "police_line", _("Direktnummer för polisen")


class PhoneLine(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="phone_lines")
    number = models.CharField(_("nummer"), max_length=30)
    purpose = models.CharField(_("syfte"), max_length=20, choices=PhonePurpose.choices)
    label = models.CharField(_("beskrivning"), max_length=200, blank=True)
    priority = models.PositiveSmallIntegerField(_("ordning"), default=1)

    class Meta:
        verbose_name = _("telefonnummer")
        verbose_name_plural = _("telefonnummer")
        ordering = ["unit", "priority", "id"]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_purpose_display()})"


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_persons"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_persons"
    )
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    escalation_order = models.PositiveSmallIntegerField(
        _("ordning vid eskalering"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["organisation", "escalation_order", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation.name}"


class SchoolOperator(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunal")
    INDEPENDENT = "independent", _("Fristående")


class School(models.Model):
    """The school profile of an Organisation of kind school (*skolenhet*).

    The school-unit code (*skolenhetskod*) is the organisation's `code`. The
    school forms are three booleans, which every database filters alike.
    `district` is where the school is located: a Stockholm district, or the
    municipality itself where it has no districts.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="school",
        limit_choices_to={"kind": OrganisationKind.SCHOOL},
    )
    operator = models.CharField(_("huvudman"), max_length=20, choices=SchoolOperator.choices)
    has_preschool = models.BooleanField(_("förskola"), default=False)
    has_compulsory = models.BooleanField(_("grundskola"), default=False)
    has_upper_secondary = models.BooleanField(_("gymnasieskola"), default=False)
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("belägen i"),
        on_delete=models.PROTECT,
        related_name="schools_located",
        limit_choices_to={"kind__in": [OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY]},
        help_text=_("Stadsdelsområdet (eller kommunen) där skolan ligger."),
    )

    class Meta:
        verbose_name = _("skola")
        verbose_name_plural = _("skolor")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.organisation_id and self.organisation.kind != OrganisationKind.SCHOOL:
            errors["organisation"] = str(_("Organisationen måste vara av typen skolenhet."))
        if not (self.has_preschool or self.has_compulsory or self.has_upper_secondary):
            errors["has_compulsory"] = str(_("Ange minst en skolform."))
        if errors:
            raise ValidationError(errors)

    @property
    def school_forms(self) -> list[str]:
        forms = []
        if self.has_preschool:
            forms.append(str(_("förskola")))
        if self.has_compulsory:
            forms.append(str(_("grundskola")))
        if self.has_upper_secondary:
            forms.append(str(_("gymnasieskola")))
        return forms


# --- Organisation changes: mergers and splits (issue 10) -------------------------------


class ChangeKind(models.TextChoices):
    MERGER = "merger", _("Sammanläggning")
    SPLIT = "split", _("Delning")


class ChangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    APPLIED = "applied", _("Genomförd")
    WITHDRAWN = "withdrawn", _("Återkallad")


class Responsibility(models.TextChoices):
    """The kinds of open work a successor takes over; in a split each goes to one successor."""

    AGREEMENTS = "agreements", _("Avtal (parten i pågående avtal)")
    DEFECTORS = "defectors", _("Avhopparuppdrag")
    COLLABORATION = "collaboration", _("Samverkansforum och åtgärdsplaner")
    UNITS = "units", _("Enheter, kontaktpersoner och skolor")
    USERS = "users", _("Användare")


class OrganisationChange(models.Model):
    """Organisations end and successors take over their open work from `effective_date`.

    The ending organisations are valid up to and including the day before
    `effective_date`; the change takes effect at 00:00 Europe/Stockholm on that
    day. `samverkan.registry.changes.change_apply` moves the open work, once.
    """

    kind = models.CharField(_("slag"), max_length=10, choices=ChangeKind.choices)
    effective_date = models.DateField(_("gäller från"))
    ending = models.ManyToManyField(
        Organisation, verbose_name=_("organisationer som upphör"), related_name="ending_changes"
    )
    decision = models.CharField(
        _("beslut"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel kommunfullmäktiges beslut och paragraf."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PLANNED
    )
    applied_at = models.DateTimeField(_("genomförd"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = user_fk(optional=True)
    # Raised by every withdrawal and correction, which update on the version the
    # administrator saw: of two acting at once on the same page, only one succeeds.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("organisationsförändring")
        verbose_name_plural = _("organisationsförändringar")
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["status", "effective_date"], name="registry_change_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class ChangeSuccessor(models.Model):
    """A successor of a change and which responsibilities it takes (all of them in a merger)."""

    change = models.ForeignKey(
        OrganisationChange, on_delete=models.CASCADE, related_name="successors"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("efterträdare"),
        on_delete=models.PROTECT,
        related_name="successor_of_changes",
    )
    responsibilities = models.JSONField(_("tar över"), default=list)

    class Meta:
        verbose_name = _("efterträdare")
        verbose_name_plural = _("efterträdare")
        ordering = ["change", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "organisation"], name="registry_change_successor_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ChangeEvent(models.Model):
    """One record moved (or deliberately left) by an applied change: what, from, to, when."""

    change = models.ForeignKey(OrganisationChange, on_delete=models.CASCADE, related_name="events")
    category = models.CharField(_("område"), max_length=20, choices=Responsibility.choices)
    record_type = models.CharField(_("posttyp"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("post"))
    field = models.CharField(_("fält"), max_length=60)
    action = models.CharField(_("åtgärd"), max_length=10)
    label = models.CharField(_("beskrivning"), max_length=300)
    from_organisation = organisation_fk(_("från"))
    to_organisation = organisation_fk(_("till"), optional=True)
    at = models.DateTimeField(_("tid"))

    class Meta:
        verbose_name = _("flyttad post")
        verbose_name_plural = _("flyttade poster")
        ordering = ["change", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "record_type", "record_id", "field", "from_organisation"],
                name="registry_change_event_once",
            )
        ]
        indexes = [models.Index(fields=["record_type", "record_id"], name="registry_event_record")]

    def __str__(self) -> str:
        return f"{self.label}: {self.from_organisation_id} → {self.to_organisation_id}"


class RevisionAction(models.TextChoices):
    CORRECTED = "corrected", _("Rättad")
    WITHDRAWN = "withdrawn", _("Återkallad")


class ChangeRevision(models.Model):
    """A planned change withdrawn or corrected: when, by whom, why, and what it said before."""

    change = models.ForeignKey(
        OrganisationChange, on_delete=models.CASCADE, related_name="revisions"
    )
    action = models.CharField(_("åtgärd"), max_length=10, choices=RevisionAction.choices)
    reason = models.TextField(_("skäl"))
    # The change as it was: kind, effective date, ending and successor codes.
    before = models.JSONField(_("före"), default=dict)
    at = models.DateTimeField(_("tid"))
    by = user_fk(optional=True)

    class Meta:
        verbose_name = _("återkallelse eller rättelse")
        verbose_name_plural = _("återkallelser och rättelser")
        ordering = ["change", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"
