"""Federated log-in with OpenID Connect (switched on by settings.OIDC_ENABLED).

The identity provider (IdP) only *identifies* people who already have an
account here: a claim is mapped to an existing, active user by user name
(claim `OIDC_USERNAME_CLAIM`, default `preferred_username`) or else by
e-mail address. Nobody is ever created silently.

An OIDC log-in counts as strong authentication (instead of our own TOTP
code) only when the IdP says so: the ID token's `OIDC_ACR_CLAIM` (default
`acr`) must hold one of `OIDC_STRONG_ACR_VALUES` (default: Sweden Connect's
assurance levels 3 and 4). Then the session is marked and
`SecondFactorRequiredMiddleware` accepts it; otherwise the log-in is refused
with a message asking for password and code.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from samverkan.accounts.middleware import OIDC_STRONG_SESSION_KEY
from samverkan.accounts.models import User
from samverkan.accounts.services import user_login, user_login_refused

DEFAULT_STRONG_ACR_VALUES = (
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def is_strong_authentication(claims: dict[str, Any]) -> bool:
    """Whether the IdP's claims say the person was strongly authenticated."""
    value = claims.get(_setting("OIDC_ACR_CLAIM", "acr"))
    accepted = set(_setting("OIDC_STRONG_ACR_VALUES", DEFAULT_STRONG_ACR_VALUES))
    if isinstance(value, str):
        return value in accepted
    if isinstance(value, list | tuple):
        return any(isinstance(item, str) and item in accepted for item in value)
    return False


class SamverkanOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Enough to identify someone: the user-name claim or an e-mail address."""
        username = claims.get(_setting("OIDC_USERNAME_CLAIM", "preferred_username"))
        return bool(username or claims.get("email"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        active = User.objects.filter(is_active=True)
        username = claims.get(_setting("OIDC_USERNAME_CLAIM", "preferred_username"))
        if isinstance(username, str) and username.strip():
            by_username = active.filter(username__iexact=username.strip())
            if by_username.exists():
                return by_username
        email = claims.get("email")
        if (
            _setting("OIDC_MATCH_EMAIL", True)
            and isinstance(email, str)
            and email.strip()
            and claims.get("email_verified", True) is not False
        ):
            return active.filter(email__iexact=email.strip())
        return active.none()

    def create_user(self, claims: dict[str, Any]) -> None:
        """Never: accounts are created by an administrator, with organisation and roles."""
        return None

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # The ID token (verified by the parent class) says how the person logged in.
            user.oidc_strong = is_strong_authentication(payload)  # type: ignore[attr-defined]
            user.oidc_acr = payload.get(_setting("OIDC_ACR_CLAIM", "acr"))  # type: ignore[attr-defined]
        return user


class SamverkanOIDCCallbackView(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        return reverse(settings.LOGIN_URL)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Inloggningen via din organisations inloggningstjänst gick inte igenom, "
                "eller så finns inget konto i Samverkan kopplat till dig. "
                "Kontakta din administratör."
            ),
        )
        return HttpResponseRedirect(self.failure_url)

    def login_success(self) -> HttpResponse:
        if not getattr(self.user, "oidc_strong", False):
            user_login_refused(
                user=self.user,
                method="oidc",
                reason="Nekad: inloggningen via inloggningstjänsten var inte stark nog",
                # What the IdP said, shortened: the claim is the IdP's text, not ours.
                detail={"acr": str(getattr(self.user, "oidc_acr", "") or "")[:200]},
            )
            messages.error(
                self.request,
                _(
                    "Inloggningen via din organisations inloggningstjänst var inte stark nog "
                    "(tvåfaktor krävs). Logga in med lösenord och engångskod i stället."
                ),
            )
            return HttpResponseRedirect(self.failure_url)
        user_login(request=self.request, user=self.user, method="oidc")
        self.request.session[OIDC_STRONG_SESSION_KEY] = True
        # The parent logs in only when the user changed; it is the same user now.
        response: HttpResponse = super().login_success()
        return response
