from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_otp.forms import OTPAuthenticationForm


class SamverkanLoginView(LoginView):
    """User name, password and the six-digit code from the authenticator app, in one step."""

    form_class = OTPAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False


login_view = SamverkanLoginView.as_view()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
