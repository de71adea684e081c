"""Joint routines and support material (*rutiner och stödmaterial*, issue 11, sources 04–05).

A `Routine` is one document or page with an owner organisation, the parties it
applies to, and the forums and agreements it belongs to. Its text lives in
`RoutineVersion`s: every edit writes a new version and never changes an old one,
so what the parties agreed on a given day stays readable. `Routine.current_version`
points at the newest; `search_text` is its lower-cased title and text, so a search
matches case-insensitively the same way on SQLite and PostgreSQL (SQLite's LIKE
folds ASCII only, not å, ä, ö).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.model_fields import organisation_fk, user_fk
from samverkan.core.shared_scope import SharedScopedQuerySet


class RoutineTopic(models.TextChoices):
    """The areas source 05 names for support material, plus source 04's homecoming work."""

    SECRECY = "secrecy", _("Sekretess och informationsutbyte")
    INVESTIGATION_RESPONSIBILITY = (
        "investigation_responsibility",
        _("Utredningsansvar: skolk, ”hemmasittare”, anmälan"),
    )
    PLACEMENTS = "placements", _("Placeringar: familjehem, HVB och SiS")
    TRANSITIONS = "transitions", _("Övergångar mellan skolformer")
    SECURITY = "security", _("Säkerhetsarbete")
    HOMECOMING = "homecoming", _("Hemtagning från SiS")
    OTHER = "other", _("Annat")


class RoutineKind(models.TextChoices):
    ROUTINE = "routine", _("Rutin")
    SUPPORT_MATERIAL = "support_material", _("Stödmaterial")


class RoutineQuerySet(SharedScopedQuerySet):
    """The owner, the parties it applies to, and the parties of its forums and agreements."""

    scope_paths = (
        "owner_id",
        "parties__id",
        "forums__district_id",
        "forums__parties__id",
        "agreements__parties__organisation_id",
    )


class Routine(models.Model):
    owner = organisation_fk(_("ägare"))
    kind = models.CharField(
        _("slag"), max_length=20, choices=RoutineKind.choices, default=RoutineKind.ROUTINE
    )
    topic = models.CharField(_("område"), max_length=40, choices=RoutineTopic.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    parties = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("gäller för"), related_name="+", blank=True
    )
    forums = models.ManyToManyField(
        "collaboration.Forum",
        verbose_name=_("samverkansforum"),
        related_name="routines",
        blank=True,
    )
    agreements = models.ManyToManyField(
        "agreements.Agreement", verbose_name=_("avtal"), related_name="routines", blank=True
    )
    review_date = models.DateField(_("ses över senast"))
    current_version = models.ForeignKey(
        "RoutineVersion",
        verbose_name=_("gällande version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_text = models.TextField(editable=False, blank=True)
    # core.swedish_search.text_keys of the current title and text: inflected forms match
    search_keys = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        verbose_name = _("rutin")
        verbose_name_plural = _("rutiner")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["review_date"], name="routine_review_idx")]

    def __str__(self) -> str:
        return self.title


class RoutineVersion(models.Model):
    """One version of a routine's text. Immutable: an edit is a new version."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"))
    change_note = models.CharField(_("vad som ändrats"), max_length=500, blank=True)
    # The next review date as saved with this version: an old version shows its own.
    review_date = models.DateField(_("ses över senast"), null=True, blank=True)
    author = user_fk(optional=True)
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        verbose_name = _("version av rutin")
        verbose_name_plural = _("versioner av rutiner")
        ordering = ["routine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="routine_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("A routine version is never changed: write a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("A routine version is never deleted.")


class RoutineReview(models.Model):
    """A review that confirmed the routine still holds: part of its history, like a version."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="reviews")
    version_number = models.PositiveIntegerField(_("granskad version"))
    previous_review_date = models.DateField(_("tidigare datum för översyn"))
    next_review_date = models.DateField(_("nästa översyn"))
    reviewed_by = user_fk(optional=True)
    reviewed_at = models.DateTimeField(_("bekräftad"), auto_now_add=True)

    class Meta:
        verbose_name = _("bekräftad översyn av rutin")
        verbose_name_plural = _("bekräftade översyner av rutiner")
        ordering = ["routine", "-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.routine} granskad {self.reviewed_at:%Y-%m-%d}"
