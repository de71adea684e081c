"""Log-in (password + TOTP code), first enrolment of an authenticator app, log-out."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.forms import EnrolForm, LoginForm, record_failed_login
from samverkan.accounts.models import User
from samverkan.accounts.services import user_login

# Session key for a user who passed the password but still has to enrol a device.
ENROL_SESSION_KEY = "samverkan_enrol"
ENROL_MAX_SECONDS = 10 * 60
ENROL_DEVICE_NAME = "app"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _demo_logins() -> list[Any]:
    if not settings.DEMO:
        return []
    from samverkan.accounts.demo import DEMO_PASSWORD, demo_logins

    rows = demo_logins()
    return [{"password": DEMO_PASSWORD, "logins": rows}] if rows else []


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    current: Any = request.user
    if request.method == "GET" and current.is_authenticated and current.is_verified():
        return redirect(_safe_next(request, next_url))
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            assert user is not None
            if form.needs_enrolment:
                request.session[ENROL_SESSION_KEY] = {
                    "user_id": user.pk,
                    "started": time.time(),
                    "next": next_url,
                }
                return redirect("accounts:enrol")
            user_login(request=request, user=user, method="totp", device=form.otp_device)
            return redirect(_safe_next(request, next_url))
    else:
        form = LoginForm(request)
    demo = _demo_logins()
    context = {
        "form": form,
        "next": next_url,
        "demo": demo[0] if demo else None,
        "oidc_enabled": settings.OIDC_ENABLED,
    }
    return render(request, "accounts/login.html", context)


def _pending_enrolment(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(ENROL_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("started", 0)) > ENROL_MAX_SECONDS:
        del request.session[ENROL_SESSION_KEY]
        return None
    user_id = pending.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.can_self_enrol:
        return None
    return user, pending


def qr_svg(data: str) -> str:
    """A QR code as inline SVG markup (paths only: no scripts, no inline styles)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg class="qr-code" role="img" aria-hidden="true" ', 1)


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Right after the password: register an authenticator app by QR code, then log in."""
    found = _pending_enrolment(request)
    if found is None:
        return redirect(settings.LOGIN_URL)
    user, pending = found
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # Enrolment is for the first device only; with one, log in normally.
        del request.session[ENROL_SESSION_KEY]
        return redirect(settings.LOGIN_URL)
    device = TOTPDevice.objects.filter(
        user=user, name=ENROL_DEVICE_NAME, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, name=ENROL_DEVICE_NAME, confirmed=False)

    if request.method == "POST":
        form = EnrolForm(request.POST, device=device)
        if form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            del request.session[ENROL_SESSION_KEY]
            user_login(
                request=request,
                user=user,
                method="enrolment",
                device=device,
                backend="django.contrib.auth.backends.ModelBackend",
            )
            return redirect(_safe_next(request, pending.get("next")))
        record_failed_login(request, user.get_username())
    else:
        form = EnrolForm(device=device)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - generated by qrcode
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "enrol_user": user,
    }
    return render(request, "accounts/enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login_redirect(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no log-in of its own: everyone passes our two-factor log-in."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
