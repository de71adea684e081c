"""Users, their organisation and roles, and API clients for police systems."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    POLICE_OPERATOR = "police_operator", _("Polisoperatör (ROC)")
    HUB_WORKER = "hub_worker", _("Socialjouren (navet)")
    RECEIVER = "receiver", _("Mottagande socialsekreterare")
    CONTACT_PERSON = "contact_person", _("Kontaktperson")
    AGREEMENT_ADMIN = "agreement_admin", _("Avtalsadministratör")
    DEFECTOR_COORDINATOR = "defector_coordinator", _("Avhopparsamordnare")
    COLLABORATION_COORDINATOR = "collaboration_coordinator", _("Samverkanssamordnare")
    SCHOOL_STAFF = "school_staff", _("Skolpersonal")
    ANALYST = "analyst", _("Analytiker / chef")
    AUDITOR = "auditor", _("Granskare av loggar")
    ADMINISTRATOR = "administrator", _("Systemadministratör")


class Role(models.Model):
    code = models.CharField(_("kod"), max_length=40, primary_key=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class User(AbstractUser):
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roller"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    can_self_enrol = models.BooleanField(
        _("får själv aktivera tvåfaktorsinloggning"),
        default=False,
        help_text=_(
            "Användaren får registrera sin autentiseringsapp direkt efter lösenordet, "
            "så länge hen inte har någon bekräftad enhet."
        ),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    @property
    def display_name(self) -> str:
        """How a page or the access log names the user: full name, else the user name."""
        return self.get_full_name() or self.get_username()


class ApiClient(models.Model):
    """A police system calling the API. The token is shown once and stored hashed."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("namn"), max_length=200)
    token_prefix = models.CharField(_("tokenprefix"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("API-klient")
        verbose_name_plural = _("API-klienter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="api_client_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.code})"
