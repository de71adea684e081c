"""Samverkan settings: one file, driven by environment variables.

Development defaults are safe and work with no environment at all; production
sets SAMVERKAN_ENV=production, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL
(docs/operations/production.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Exactly one of these; anything else (a typo such as "prod") refuses to start, so a
# misspelt production never runs with development defaults.
ENVIRONMENTS = ("development", "test", "production")
ENVIRONMENT = os.environ.get("SAMVERKAN_ENV", "development")
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"SAMVERKAN_ENV={ENVIRONMENT!r} is not an environment Samverkan knows: "
        "set it to exactly development, test or production."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", False)
# A demo instance shows "DEMO" on every page and lists its demo log-ins with their
# current one-time codes: only when asked for (SAMVERKAN_DEMO=1, as `make run` does),
# and never in production.
DEMO = env_bool("SAMVERKAN_DEMO", False)
if DEMO and PRODUCTION:
    raise ImproperlyConfigured(
        "SAMVERKAN_DEMO=1 cannot be combined with SAMVERKAN_ENV=production: a demo "
        "instance shows every demo user's one-time code on its log-in page."
    )

SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-change-me")
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when SAMVERKAN_ENV=production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own templates and static files: the API docs page's Swagger UI
    # is served from here, not from a CDN (which the CSP rightly blocks).
    "ninja",
    "samverkan.core",
    "samverkan.registry",
    "samverkan.accounts",
    "samverkan.audit",
    "samverkan.agreements",
    "samverkan.intake",
    "samverkan.defectors",
    "samverkan.collaboration",
    "samverkan.followup",
    "samverkan.retention",
    "samverkan.routines",
    "samverkan.homecoming",
    "samverkan.webhooks",
    "samverkan.casesystems",
]
# Only the benchmark harness (benchmarks/run.py) turns this on, and production settings
# refuse it: it installs the benchmarking app — its table, the floor endpoint and
# `generate_history` — so no production database or server has them.
BENCHMARK = env_bool("SAMVERKAN_BENCHMARK", False) and not PRODUCTION
if BENCHMARK:
    INSTALLED_APPS.append("samverkan.benchmarking")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest, so it sees every answer they give on an API path.
    "samverkan.core.middleware.ApiErrorsAsJsonMiddleware",
    # A bearer-token API call without a session cookie goes on through
    # TOKEN_API_MIDDLEWARE instead of the rest of this list (core/token_api.py).
    "samverkan.core.token_api.TokenApiMiddleware",
    # Django's, except that background requests never write the session (core/sessions.py).
    "samverkan.core.sessions.PassiveAwareSessionMiddleware",
    "samverkan.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samverkan.accounts.middleware.SecondFactorRequiredMiddleware",
    # A refused request for a record (403/404) leaves an attempt in the access log.
    "samverkan.audit.middleware.RefusedAttemptMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "samverkan.core.middleware.AdminNeedsAdministratorMiddleware",
]

# What a bearer-token API call without a session cookie still goes through, after the
# list above down to TokenApiMiddleware: no session, user, second factor, messages, CSRF
# cookie, htmx or lock-out (it has none of them; issue 20.2, benchmarks/README.md).
TOKEN_API_MIDDLEWARE = [
    "samverkan.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "samverkan.audit.middleware.RefusedAttemptMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "samverkan.core.context_processors.instance",
            ],
            # `date` with Swedish month abbreviations ("5 dec. 2026") in every template.
            "builtins": ["samverkan.core.templatetags.swedish_dates"],
        },
    },
]

# --- Database -------------------------------------------------------------
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "samverkan.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
# Seconds a server process keeps its database connection; 0 under an ASGI server, where
# Django opens one per request (the benchmark's uvicorn variant, benchmarks/run.py).
DB_CONN_MAX_AGE = int(os.environ.get("SAMVERKAN_DB_CONN_MAX_AGE", "60"))
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing on upgrade.
    # synchronous=FULL syncs the WAL at every commit: an acknowledged report
    # (the police will not send it again) survives a power cut, not only a
    # killed process as with NORMAL (`make crash-test` checks the setting).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", "")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the follow-up's yearly aggregates cost far above jit_above_cost,
    # and compiling them took 1-3 s (EXPLAIN ANALYZE) for queries that run in 0.1-0.5 s;
    # nothing else Samverkan asks gains from it (issue 8).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("samverkan.accounts.oidc.SamverkanOIDCBackend")
    INSTALLED_APPS.append("mozilla_django_oidc")
    OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
# Count failures per user name AND client address together: failures from one
# address lock that name at that address only, so nobody can lock a named
# colleague out from elsewhere. The client address is REMOTE_ADDR unless the
# operator names the one header the reverse proxy sets (SAMVERKAN_CLIENT_IP_HEADER,
# e.g. "X-Real-IP"); no other header a client can write is ever read.
# django-otp's own per-device throttling still slows guessing of the code.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
CLIENT_IP_HEADER = os.environ.get("SAMVERKAN_CLIENT_IP_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "samverkan.accounts.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

OTP_TOTP_ISSUER = "Samverkan"
# An administrator never sees a user's authenticator key (or its QR code, or backup
# codes) in the admin: with the key they could sign in as that user.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after inactivity: every request renews the cookie's age.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# --- Mail, tasks, logging ---------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverkan@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Samverkan's own rules ---------------------------------------------------
# Where `samverkan.api` is mounted; every error on a path below it is JSON.
API_PATH = "api/v1/"
# A report received at or after this local time may have its protection
# assessment on the next day (SoL 20 kap. 1 §, "genast").
LATE_REPORT_FROM = os.environ.get("LATE_REPORT_FROM", "20:00")
HANDOVER_ESCALATION_MINUTES = int(os.environ.get("HANDOVER_ESCALATION_MINUTES", "15"))
STATISTICS_SUPPRESSION_THRESHOLD = int(os.environ.get("STATISTICS_SUPPRESSION_THRESHOLD", "5"))
# The accessibility statement (/tillganglighet/): who runs this instance and
# where users report accessibility problems (lag 2018:1937, 13 §).
ACCESSIBILITY_ORGANISATION = os.environ.get("ACCESSIBILITY_ORGANISATION", "Stockholms stad")
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@samverkan.example"
)
# OpenID Connect (when OIDC_ENABLED): which claim names the existing user, which
# acr values count as strong authentication (Sweden Connect LoA 3/4 by default).
# Users are never created from a log-in; an administrator creates them.
OIDC_CREATE_USER = False
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_MATCH_EMAIL = env_bool("OIDC_MATCH_EMAIL", True)
OIDC_ACR_CLAIM = os.environ.get("OIDC_ACR_CLAIM", "acr")
OIDC_STRONG_ACR_VALUES = env_list(
    "OIDC_STRONG_ACR_VALUES",
    "http://id.elegnamnden.se/loa/1.0/loa3,http://id.elegnamnden.se/loa/1.0/loa4",
)
# Ask the IdP for one of those levels (`acr_values`, OIDC Core 3.1.2.1): some IdPs say
# which level a log-in had only when asked. The answer's acr is checked all the same.
OIDC_AUTH_REQUEST_EXTRA_PARAMS = (
    {"acr_values": " ".join(OIDC_STRONG_ACR_VALUES)}
    if env_bool("OIDC_REQUEST_ACR_VALUES", True)
    else {}
)
# PKCE (RFC 7636) on top of the client secret, as OAuth's security BCP (RFC 9700) advises.
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_CALLBACK_CLASS = "samverkan.accounts.oidc.SamverkanOIDCCallbackView"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
# Seconds a server process may reuse the day's registry snapshot for the intake
# rules before rebuilding it (issue 8); 0 = rebuild on every report.
REGISTRY_SNAPSHOT_SECONDS = int(os.environ.get("SAMVERKAN_REGISTRY_SNAPSHOT_SECONDS", "30"))
# Webhooks to police systems (issue 21.1, docs/operations/integrations.md). Plain http
# only to this machine (tests, development); in production https to public addresses only.
WEBHOOK_ALLOW_LOOPBACK_HTTP = env_bool("WEBHOOK_ALLOW_LOOPBACK_HTTP", not PRODUCTION)
WEBHOOK_PUBLIC_TARGETS_ONLY = env_bool("WEBHOOK_PUBLIC_TARGETS_ONLY", PRODUCTION)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Retries: 30 s, 1 min, 2 min, … doubling up to 6 hours; given up after 15 attempts (~2 days).
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", str(6 * 3600)))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "15"))
# Paused (and its contact mailed) after this many failed attempts in a row over at least
# this many hours without one success.
WEBHOOK_PAUSE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_PAUSE_AFTER_FAILURES", "10"))
WEBHOOK_PAUSE_AFTER_HOURS = float(os.environ.get("WEBHOOK_PAUSE_AFTER_HOURS", "12"))
# Finished deliveries (their body and attempts) are removed after this many days.
WEBHOOK_LOG_DAYS = int(os.environ.get("WEBHOOK_LOG_DAYS", "30"))
# The municipalities' case systems (issue 21.2, docs/operations/integrations.md): often on
# the municipality's own network, so private addresses are allowed; https, except plain
# http to this machine in tests and development.
CASESYSTEM_ALLOW_LOOPBACK_HTTP = env_bool("CASESYSTEM_ALLOW_LOOPBACK_HTTP", not PRODUCTION)
CASESYSTEM_TIMEOUT_SECONDS = float(os.environ.get("CASESYSTEM_TIMEOUT_SECONDS", "15"))
# Retries: 1 min, 2 min, 4 min, … doubling up to 6 hours; given up after 12 attempts (~1 day).
CASESYSTEM_RETRY_BASE_SECONDS = float(os.environ.get("CASESYSTEM_RETRY_BASE_SECONDS", "60"))
CASESYSTEM_RETRY_MAX_SECONDS = float(os.environ.get("CASESYSTEM_RETRY_MAX_SECONDS", str(6 * 3600)))
CASESYSTEM_MAX_ATTEMPTS = int(os.environ.get("CASESYSTEM_MAX_ATTEMPTS", "12"))
