"""Local collaboration (SPEC §6, issue 6): co-location with the police, forums and
meetings, serious talks, situational pictures, action plans, and result indicators.

Every record belongs to a district (*stadsdelsområde*, or a municipality without
districts) — the convenor and, for the one record with personal data
(`SeriousTalk`), the controller. Who else sees a record follows from the
parties: the police unit of a co-location, the parties of a forum, the owners
of an action plan's activities. See `access.py`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.core.models import ScopedQuerySet
from samverkan.core.shared_scope import SharedScopedQuerySet


class DistrictScoped(SharedScopedQuerySet):
    """Records that `visible_to` shows to the keeping district's users only."""

    scope_paths = ("district_id",)


class PoliceUnitScoped(SharedScopedQuerySet):
    scope_paths = ("district_id", "police_unit_id")


class ForumQuerySet(SharedScopedQuerySet):
    scope_paths = ("district_id", "parties__id")


class MeetingQuerySet(SharedScopedQuerySet):
    scope_paths = ("forum__district_id", "forum__parties__id")


class Function(models.TextChoices):
    """A function (*funktion*) a forum requires at its meetings (source 05, bilaga 1)."""

    DEPARTMENT_HEAD = "department_head", _("Avdelningschef, socialtjänst")
    UNIT_MANAGER = "unit_manager", _("Enhetschef, barn och ungdom")
    SOCIAL_WORKER = "social_worker", _("Socialsekreterare")
    POLICE_YOUTH_COORDINATOR = "police_youth_coordinator", _("Polisens ungdomssamordnare")
    POLICE_AREA_MANAGER = "police_area_manager", _("Lokalpolisområdeschef")
    SCHOOL_PRINCIPAL = "school_principal", _("Rektor")
    DEPUTY_HEAD_OF_SCHOOLS = "deputy_head_of_schools", _("Biträdande grundskolechef")
    HEAD_OF_LEISURE = "head_of_leisure", _("Chef för fritidsverksamhet")
    FIELD_WORKER = "field_worker", _("Fältassistent")
    TRAFFIC_OFFICE = "traffic_office", _("Trafikkontoret")
    OTHER = "other", _("Annan funktion")


# --- co-location -------------------------------------------------------------------


class CoLocation(models.Model):
    """A social worker stationed at a police office on weekdays (*socialsekreterare hos polis*)."""

    district = organisation_fk(_("stadsdelsområde"))
    police_unit = organisation_fk(_("polisens kontor"))
    social_worker = models.CharField(_("socialsekreterare"), max_length=200)
    weekdays = models.JSONField(
        _("veckodagar"), default=list, help_text=_("0 = måndag … 4 = fredag.")
    )
    valid_from = models.DateField(_("från och med"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    objects = PoliceUnitScoped.as_manager()

    class Meta:
        verbose_name = _("samlokalisering")
        verbose_name_plural = _("samlokaliseringar")
        ordering = ["district", "valid_from", "social_worker"]

    def __str__(self) -> str:
        return f"{self.social_worker} hos {self.police_unit.name}"


class QuestionType(models.TextChoices):
    WHETHER_TO_REPORT = "whether_to_report", _("Ska orosanmälan göras?")
    HOW_TO_REPORT = "how_to_report", _("Hur och vart anmäler man?")
    SOCIAL_SERVICES_ROLE = "social_services_role", _("Socialtjänstens uppdrag och insatser")
    SECRECY = "secrecy", _("Sekretess och informationsutbyte")
    OTHER = "other", _("Annan fråga")


class ReportFollowed(models.TextChoices):
    YES = "yes", _("Ja, anmälan gjordes")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Vet inte ännu")


class HeldWithPolice(models.Model):
    """Something a district held with a police unit on a day; both of them see it."""

    district = organisation_fk()
    police_unit = organisation_fk()
    held_on = models.DateField(_("datum"))

    objects = PoliceUnitScoped.as_manager()

    class Meta:
        abstract = True
        ordering = ["-held_on", "-id"]


class AnonymousConsultation(HeldWithPolice):
    """Advice to the police before a concern report, without personal data."""

    question_type = models.CharField(_("typ av fråga"), max_length=30, choices=QuestionType.choices)
    question = models.TextField(_("frågan (utan personuppgifter)"))
    advice = models.TextField(_("råd som gavs (utan personuppgifter)"))
    report_followed = models.CharField(
        _("gjordes en orosanmälan?"),
        max_length=10,
        choices=ReportFollowed.choices,
        default=ReportFollowed.UNKNOWN,
    )
    report_filed_on = models.DateField(_("anmälan gjord den"), null=True, blank=True)
    recorded_by = user_fk()
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta(HeldWithPolice.Meta):
        verbose_name = _("anonym konsultation")
        verbose_name_plural = _("anonyma konsultationer")

    def __str__(self) -> str:
        return f"Konsultation {self.held_on}"


class Training(HeldWithPolice):
    """Training given to police trainees (*aspiranter*) about social services."""

    topic = models.CharField(_("ämne"), max_length=300)
    participants = models.PositiveIntegerField(_("antal deltagare"))
    recorded_by = user_fk()

    class Meta(HeldWithPolice.Meta):
        verbose_name = _("utbildning")
        verbose_name_plural = _("utbildningar")

    def __str__(self) -> str:
        return f"{self.topic} {self.held_on}"


# --- forums and meetings ----------------------------------------------------------


class ForumKind(models.TextChoices):
    GENERAL_QUESTIONS = "general_questions", _("Generella frågor (inga individärenden)")
    CHILDREN_AT_RISK = "children_at_risk", _("Barn och unga som far illa (individärenden)")


class Forum(models.Model):
    """A standing collaboration group (*samverkansforum*)."""

    district = organisation_fk(_("sammankallande stadsdelsområde"))
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=30, choices=ForumKind.choices)
    required_per_term = models.PositiveSmallIntegerField(_("möten per termin (krav)"))
    required_functions = models.JSONField(_("funktioner som ska delta"), default=list)
    parties = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("parter"), related_name="+", blank=True
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("avtal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.TextField(_("syfte"), blank=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("samverkansforum")
        verbose_name_plural = _("samverkansforum")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_general(self) -> bool:
        return self.kind == ForumKind.GENERAL_QUESTIONS


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    HELD = "held", _("Genomfört")
    CANCELLED = "cancelled", _("Inställt")


class Meeting(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("datum"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.HELD
    )
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("protokoll"), blank=True)
    recorded_by = user_fk()
    updated_at = models.DateTimeField(_("senast ändrat"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("samverkansmöte")
        verbose_name_plural = _("samverkansmöten")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["forum", "held_on"], name="collab_meeting_idx")]

    def __str__(self) -> str:
        return f"{self.forum.name} {self.held_on}"


class Attendance(models.Model):
    """Who attended, by function (the function counts for compliance, not the person)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    function = models.CharField(_("funktion"), max_length=40, choices=Function.choices)
    organisation = organisation_fk(optional=True)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "function"], name="collab_attendance_unique_function"
            )
        ]

    def __str__(self) -> str:
        return self.get_function_display()


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Pågår")
    DONE = "done", _("Genomfört")
    DROPPED = "dropped", _("Avskrivet")


class MeetingDecision(models.Model):
    """A decision at a meeting, with an owner and a due date; followed up at later meetings."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("beslut"))
    owner = organisation_fk(_("ansvarig organisation"))
    owner_function = models.CharField(
        _("ansvarig funktion"), max_length=40, choices=Function.choices, blank=True
    )
    due_date = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )

    class Meta:
        verbose_name = _("mötesbeslut")
        verbose_name_plural = _("mötesbeslut")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionFollowUp(models.Model):
    decision = models.ForeignKey(
        MeetingDecision, on_delete=models.CASCADE, related_name="follow_ups"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices)
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("uppföljning av beslut")
        verbose_name_plural = _("uppföljningar av beslut")
        ordering = ["meeting__held_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision} – {self.get_status_display()}"


# --- serious talks -------------------------------------------------------------------


class SeriousTalkQuerySet(ScopedQuerySet):
    """Only the district responsible for the child's record (the controller)."""

    scope_field = "district_id"


class SeriousTalk(models.Model):
    """A joint talk (*allvarssamtal*) by social services and police with a young person and family.

    Personal data: on the child's record in the district's responsibility.
    """

    district = organisation_fk(_("ansvarigt stadsdelsområde"))
    police_unit = organisation_fk(_("polisen"))
    held_on = models.DateField(_("datum"))
    person_id = models.CharField(_("personnummer"), max_length=12)
    guardians_present = models.BooleanField(_("vårdnadshavare deltog"), default=True)
    social_worker = models.CharField(_("socialsekreterare"), max_length=200)
    police_officer = models.CharField(_("polis"), max_length=200)
    plan_agreed = models.BooleanField(_("plan upprättad"), default=False)
    follow_up = models.TextField(_("överenskommen uppföljning"), blank=True)
    recorded_by = user_fk()

    objects = SeriousTalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("allvarssamtal")
        verbose_name_plural = _("allvarssamtal")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Allvarssamtal {self.held_on}"


# --- situational picture and action plan ------------------------------------------------


class SituationalPicture(models.Model):
    """Inflow of concern reports per district and period (*lägesbild*), plus the parties' text."""

    district = organisation_fk()
    title = models.CharField(_("rubrik"), max_length=200)
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till och med"))
    figures = models.JSONField(_("siffror"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("siffror beräknade"), null=True, blank=True)
    created_by = user_fk(optional=True)

    objects = DistrictScoped.as_manager()

    class Meta:
        verbose_name = _("lägesbild")
        verbose_name_plural = _("lägesbilder")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


class PictureContribution(models.Model):
    picture = models.ForeignKey(
        SituationalPicture, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = organisation_fk()
    text = models.TextField(_("text"))
    author = user_fk(optional=True)
    at = models.DateTimeField(_("tid"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.text[:40]}"


class ActionPlanQuerySet(SharedScopedQuerySet):
    scope_paths = ("district_id", "activities__owner_id")


class ActionPlan(models.Model):
    district = organisation_fk()
    situational_picture = models.ForeignKey(
        SituationalPicture,
        verbose_name=_("lägesbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    period_start = models.DateField(_("gäller från"))
    period_end = models.DateField(_("gäller till och med"))

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtgärdsplan")
        verbose_name_plural = _("åtgärdsplaner")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.title


class TargetGroup(models.TextChoices):
    YOUNG_PEOPLE_AT_RISK = "young_people_at_risk", _("Unga i riskzon")
    UNSAFE_PLACES = "unsafe_places", _("Otrygga och brottsutsatta platser")
    CRIMINAL_ENVIRONMENTS = "criminal_environments", _("Kriminella miljöer och livsstilar")
    SYSTEM_THREATENING_CRIME = "system_threatening_crime", _("Systemhotande brottslighet")
    VULNERABLE_VICTIMS = "vulnerable_victims", _("Särskilt utsatta och sårbara brottsoffer")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Genomförd")
    DELAYED = "delayed", _("Försenad")
    CANCELLED = "cancelled", _("Inställd")


class Activity(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("aktivitet"), max_length=300)
    owner = organisation_fk(_("ansvarig aktör"))
    target_group = models.CharField(_("målgrupp"), max_length=40, choices=TargetGroup.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    due_date = models.DateField(_("klar senast"))
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("lägesrapport"))
    author = user_fk(optional=True)
    at = models.DateTimeField(_("tid"))

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


# --- indicators ---------------------------------------------------------------------------


class IndicatorKind(models.TextChoices):
    SCHOOL_PRELIMINARY_WITHIN_14_DAYS = (
        "school_preliminary_within_14_days",
        _("Andel orosanmälningar från skolor med förhandsbedömning inom 14 dagar"),
    )
    CONSULTATION_TO_REPORT_DAYS = (
        "consultation_to_report_days",
        _("Dagar från konsultation med polisen till orosanmälan (median)"),
    )
    YOUNG_PEOPLE_WITH_PLAN = (
        "young_people_with_plan",
        _("Unga i målgruppen med en plan efter allvarssamtal"),
    )
    RECURRENCE_SIX_MONTHS = (
        "recurrence_six_months",
        _("Andel anmälda barn som anmälts igen inom sex månader"),
    )
    MANUAL = "manual", _("Manuellt värde med källa")


class Indicator(models.Model):
    """A measured result of collaboration, defined per forum or per agreement."""

    district = organisation_fk()
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("beräkning"), max_length=40, choices=IndicatorKind.choices)
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.CharField(_("enhet"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(_("högre är bättre"), default=True)
    description = models.TextField(_("beskrivning"), blank=True)

    objects = DistrictScoped.as_manager()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["district", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(forum__isnull=False) | Q(agreement__isnull=False),
                name="collab_indicator_forum_or_agreement",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A value entered by hand for a term, with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    term = models.CharField(_("termin"), max_length=7, help_text=_("T.ex. 2026-HT."))
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)
    source = models.CharField(_("källa"), max_length=300)
    entered_by = user_fk(optional=True)
    entered_at = models.DateTimeField(_("registrerad"), auto_now=True)

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "term"], name="collab_indicator_term")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.term}: {self.value}"
