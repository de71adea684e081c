"""Log-in with password and the six-digit code from an authenticator app, in one step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import User

# One message for every failed credential -- unknown user name, wrong password,
# wrong, missing, replayed or throttled code -- so the answer never tells a
# stranger which part was right (a right password must not be confirmable
# without the code).
MESSAGES = {
    "invalid_login": _("Fel användarnamn, lösenord eller engångskod"),
    "locked_out": _(
        "Kontot är tillfälligt låst efter för många misslyckade inloggningsförsök. "
        "Försök igen senare eller kontakta din administratör."
    ),
    "inactive": _("Kontot är avstängt. Kontakta din administratör."),
    "token_required": _("Skriv in den sexsiffriga engångskoden från din autentiseringsapp."),
    "invalid_token": _(
        "Fel engångskod. Skriv in koden som visas i din autentiseringsapp just nu "
        "(den byts var 30:e sekund)."
    ),
    "throttled": _("För många felaktiga engångskoder i rad. Vänta en stund och försök igen."),
    "no_device": _(
        "Ditt konto har ingen aktiverad tvåfaktorsinloggning (autentiseringsapp). "
        "Kontakta din administratör för att få den aktiverad."
    ),
}


def clean_token(value: str) -> str:
    """Digits only: people type codes with spaces ("123 456")."""
    return "".join(value.split())


def confirmed_totp_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))


def record_failed_login(request: HttpRequest | None, username: str) -> None:
    """Count a failed second factor like a failed password, so django-axes locks out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def verify_totp(devices: list[TOTPDevice], token: str) -> tuple[TOTPDevice | None, bool]:
    """(the device that accepts the token, whether any device was throttled)."""
    throttled = False
    for device in devices:
        allowed, _extra = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(token):
            return device, throttled
    return None, throttled


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    password = forms.CharField(label=_("Lösenord"), strip=False, widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Engångskod"), required=False, max_length=20, widget=forms.TextInput
    )

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: User | None = None
        self.otp_device: TOTPDevice | None = None
        # True when the password was right, the user has no device and may enrol one now.
        self.needs_enrolment = False
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = cleaned.get("username")
        password = cleaned.get("password")
        if not username or not password:
            return cleaned
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(MESSAGES["locked_out"], code="locked_out")
            raise forms.ValidationError(MESSAGES["invalid_login"], code="invalid_login")
        assert isinstance(user, User)
        if not user.is_active:
            raise forms.ValidationError(MESSAGES["inactive"], code="inactive")
        self.user_cache = user

        devices = confirmed_totp_devices(user)
        if not devices:
            if user.can_self_enrol:
                self.needs_enrolment = True
                return cleaned
            raise forms.ValidationError(MESSAGES["no_device"], code="no_device")

        token = clean_token(cleaned.get("otp_token") or "")
        device = None
        if token:
            device, _throttled = verify_totp(devices, token)
        if device is None:
            # Missing, wrong, replayed or throttled code: counted towards the
            # lockout and answered exactly like a wrong password.
            record_failed_login(self.request, username)
            raise forms.ValidationError(MESSAGES["invalid_login"], code="invalid_login")
        self.otp_device = device
        return cleaned

    def get_user(self) -> User | None:
        return self.user_cache


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Engångskod"),
        max_length=20,
        error_messages={"required": MESSAGES["token_required"]},
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_otp_token(self) -> str:
        token = clean_token(self.cleaned_data["otp_token"])
        allowed, _extra = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(MESSAGES["throttled"], code="throttled")
        if not self.device.verify_token(token):
            raise forms.ValidationError(MESSAGES["invalid_token"], code="invalid_token")
        return token
