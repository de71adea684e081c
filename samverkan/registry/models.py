"""Reference data: organisations, units, phone lines, office hours, contacts (SPEC §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommun")
    DISTRICT = "district", _("Stadsdelsområde")
    COMMITTEE = "committee", _("Nämnd")
    POLICE_UNIT = "police_unit", _("Polisenhet")
    SCHOOL = "school", _("Skolenhet")
    OTHER = "other", _("Annan aktör")


class Organisation(models.Model):
    """Anything a user can belong to and an agreement can bind.

    `code` is stable and used in commands and the API: a municipality's
    four-digit kommunkod (``0182``), a Stockholm district ``0180-<slug>``,
    police units ``polisen-roc``/``polisen-bops``/``polisen-lpo-<area>``,
    a school its school-unit code.
    """

    code = models.CharField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    county_code = models.CharField(_("länskod"), max_length=2, blank=True)
    valid_from = models.DateField(_("giltig från"), null=True, blank=True)
    valid_to = models.DateField(_("giltig till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


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


class OfficeHours(models.Model):
    """One opening interval on one weekday, Europe/Stockholm local time.

    Intervals are half-open: open from `opens`, closed from `closes`.
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
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


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
