"""Homecoming plans (*hemtagning från SiS*, issue 11, source 04).

A joint plan of the responsible district's social services and the local police
(and a school where relevant) for a young person placed at a special youth home
(SiS, *särskilt ungdomshem*) who is expected home with a high risk of continued
crime. The district is the controller; the plan holds personal data, so every
read is audited (`selectors`). What the police and the school may see follows
from the recorded legal basis for sharing (`rules.sections_for`), enforced in the
queryset and in `selectors.plan_view`, not only in templates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.homecoming import rules


class SharingBasis(models.TextChoices):
    """The legal basis for what social services share with the police about the young person."""

    NONE = "none", _("Ingen grund registrerad – inget delas med polisen")
    CONSENT = "consent", _("Samtycke från den unge (och vårdnadshavare)")
    OSL_10_18A = (
        "osl_10_18a",
        _("10 kap. 18 a § OSL – under 21 år och konkret risk för fortsatt brottslighet"),
    )


class RiskLevel(models.TextChoices):
    HIGH = "high", _("Hög")
    MEDIUM = "medium", _("Medel")
    LOW = "low", _("Låg")


class PlanStatus(models.TextChoices):
    PLANNING = "planning", _("Inför utskrivning")
    RETURNED = "returned", _("Hemkommen – uppföljning")
    CLOSED = "closed", _("Avslutad")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Pågår")
    DONE = "done", _("Klar")
    CANCELLED = "cancelled", _("Avbruten")


class HomecomingPlanQuerySet(models.QuerySet):
    def visible_to(self, user: Any, *, today: date | None = None) -> HomecomingPlanQuerySet:
        """The district always; the police and the school only as the recorded basis allows."""
        ids = responsible_organisation_ids(user)
        if not ids:
            return self.none()
        return self.filter(
            Q(district_id__in=ids)
            | (Q(police_unit_id__in=ids) & rules.police_may_see_q(today))
            | (Q(school_id__in=ids) & rules.school_may_see_q())
        ).distinct()


class HomecomingPlan(models.Model):
    district = organisation_fk(_("ansvarigt stadsdelsområde"))
    police_unit = organisation_fk(_("polisen"))
    school = organisation_fk(_("skola"), optional=True)
    person_id = models.CharField(_("personnummer"), max_length=12)
    birth_date = models.DateField(_("födelsedatum"))
    name = models.CharField(_("namn"), max_length=200)
    sis_home = models.CharField(_("SiS-hem"), max_length=200)
    expected_release = models.DateField(_("beräknad utskrivning"))
    released_on = models.DateField(_("kom hem"), null=True, blank=True)
    risk_level = models.CharField(
        _("risk för fortsatt brottslighet"), max_length=10, choices=RiskLevel.choices
    )
    concrete_risk = models.TextField(_("konkret risk"), blank=True)
    risk_assessment = models.TextField(_("socialtjänstens riskbedömning"), blank=True)
    sharing_basis = models.CharField(
        _("grund för att dela med polisen"),
        max_length=20,
        choices=SharingBasis.choices,
        default=SharingBasis.NONE,
    )
    basis_recorded_on = models.DateField(_("grunden registrerad"), null=True, blank=True)
    basis_note = models.TextField(_("dokumentation av grunden"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNING
    )
    created_by = user_fk(optional=True)
    created_at = models.DateTimeField(_("upprättad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    objects = HomecomingPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("hemtagningsplan")
        verbose_name_plural = _("hemtagningsplaner")
        ordering = ["expected_release", "id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """A reference without personal data, for start pages and mails."""
        return f"H-{self.pk}"


class HomecomingAction(models.Model):
    """An agreed action of one party (social services, police, school) with an owner and a date."""

    plan = models.ForeignKey(HomecomingPlan, on_delete=models.CASCADE, related_name="actions")
    party = organisation_fk(_("part"))
    text = models.TextField(_("åtgärd"))
    owner_name = models.CharField(_("ansvarig"), max_length=200)
    due_date = models.DateField(_("klar senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(_("klar den"), null=True, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("åtgärd i hemtagningsplan")
        verbose_name_plural = _("åtgärder i hemtagningsplaner")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["party", "status", "due_date"], name="homecoming_due_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class HomecomingContact(models.Model):
    plan = models.ForeignKey(HomecomingPlan, on_delete=models.CASCADE, related_name="contacts")
    organisation = organisation_fk(_("organisation"))
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("funktion"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("kontakt i hemtagningsplan")
        verbose_name_plural = _("kontakter i hemtagningsplaner")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"


class HomecomingFollowUp(models.Model):
    """Follow-up after the return, by social services."""

    plan = models.ForeignKey(HomecomingPlan, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField(_("datum"))
    text = models.TextField(_("uppföljning"))
    author = user_fk(optional=True)
    at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("uppföljning efter hemkomst")
        verbose_name_plural = _("uppföljningar efter hemkomst")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Uppföljning {self.held_on}"


class BasisChange(models.Model):
    """A change of the recorded basis for sharing with the police: the plan's history, and what
    the police party is told (start page and mail) when it loses sight of part of the plan."""

    plan = models.ForeignKey(HomecomingPlan, on_delete=models.CASCADE, related_name="basis_changes")
    previous = models.CharField(_("tidigare grund"), max_length=20, choices=SharingBasis.choices)
    new = models.CharField(_("ny grund"), max_length=20, choices=SharingBasis.choices)
    # rules.Section values the police saw before and no longer see
    lost_to_police = models.JSONField(_("polisen ser inte längre"), default=list)
    changed_by = user_fk(optional=True)
    changed_at = models.DateTimeField(_("ändrad"), auto_now_add=True)

    class Meta:
        verbose_name = _("ändrad grund för delning")
        verbose_name_plural = _("ändrade grunder för delning")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan.reference}: {self.previous} → {self.new}"
