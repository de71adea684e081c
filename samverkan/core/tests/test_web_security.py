"""Web security (issue 9, part 6): deploy check, CSP, cookies, CSRF, uploads.

Lockout after repeated failed log-ins and the second factor have their tests
beside the log-in in ``samverkan/accounts/tests/test_login.py``
(``test_lockout_*``, ``test_wrong_codes_count_towards_the_lockout``,
``test_missing_code_asks_for_it``,
``test_signed_in_without_second_factor_is_logged_out_by_the_middleware``,
``test_unverified_session_cannot_use_the_api_either``); the ones here cover
what those leave: that the lockout and second factor hold for *every* page,
not only the ones those tests open.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from samverkan.api import api
from samverkan.core.testing.processes import run_python

BASE_DIR = Path(settings.BASE_DIR)

PRODUCTION_ENV = {
    "SAMVERKAN_ENV": "production",
    "SECRET_KEY": "x7#Kq2!vR9zL$mW4pT8sY1uN6bH3cJ5eF0gA-dQ_iO+rS@lV&kX*wZ(yE)",
    "ALLOWED_HOSTS": "samverkan.example.se",
    "CSRF_TRUSTED_ORIGINS": "https://samverkan.example.se",
}


def _run_with_production_settings(
    args: list[str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMVERKAN_", "DEBUG", "SECURE_", "PYTEST_"))
    }
    env.update(PRODUCTION_ENV)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return run_python(args, env, timeout=120)


# --- the production configuration -------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ["
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF', "
        "'DEBUG']}))"
    )
    env_script = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'samverkan.settings'; "
    result = _run_with_production_settings(["-c", env_script + script], tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "DEBUG": False,
    }


def test_cookies_the_log_in_sets_carry_the_flags(client, settings, login, nacka_receiver):
    """What the browser receives, not just the settings: Secure, HttpOnly, SameSite."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get("/konto/logga-in/")
    login(client, nacka_receiver)
    response = client.get("/")
    cookies = {**client.cookies, **response.cookies}
    session = cookies[settings.SESSION_COOKIE_NAME]
    csrf = cookies[settings.CSRF_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
    # The session cookie set on the response to a request (renewed every request).
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


# --- Content-Security-Policy ----------------------------------------------------


def _csp(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("path", ["/konto/logga-in/", "/tillganglighet/"])
def test_csp_without_unsafe_inline_on_anonymous_pages(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _csp(response)
    assert policy, "Content-Security-Policy saknas"
    assert policy["default-src"] == ["'self'"]
    assert "script-src" in policy and "object-src" in policy
    assert policy["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_csp_without_unsafe_inline_when_signed_in(logged_in_client, hub_worker):
    response = logged_in_client(hub_worker).get("/")
    assert response.status_code == 200
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_without_a_nonce_on_the_start_page(logged_in_client, hub_worker):
    """With no 'unsafe-inline' the browser would drop them; none may be relied on."""
    html = logged_in_client(hub_worker).get("/").content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag
    assert not re.search(r"<style\b(?![^>]*nonce=)", html)
    assert not re.search(r"\son(click|load|change|submit)=", html)


# --- CSRF on every form ---------------------------------------------------------


def _all_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _all_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.callback))
    return found


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _sample_path(route: str) -> str:
    path = _CONVERTER.sub(lambda m: _SAMPLE.get(m.group(1) or "str", "1"), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path


def _web_routes() -> list[tuple[str, Any]]:
    """Every URL pattern outside the JSON API (which does its own CSRF check, below)."""
    return [(r, cb) for r, cb in _all_patterns(get_resolver()) if not r.startswith("api/v1/")]


def test_there_are_forms_to_check():
    assert len(_web_routes()) > 50


def test_post_without_csrf_token_is_refused_on_every_web_route(login, admin_user):
    """Every view refuses a POST without the token — including the ones that take none.

    Signed in past the second factor as the administrator, so no view is
    refused for a missing log-in instead. Nothing is exempt: a view marked
    csrf_exempt fails here by name.
    """
    client = Client(enforce_csrf_checks=True)
    login(client, admin_user)
    failures = []
    for route, callback in _web_routes():
        if getattr(callback, "csrf_exempt", False):
            failures.append((route, "csrf_exempt"))
            continue
        response = client.post(_sample_path(route), {"x": "1"})
        if response.status_code != 403:
            failures.append((route, response.status_code))
    assert failures == []


def test_anonymous_post_to_log_in_without_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/logga-in/", {"username": "a", "password": "b"})
    assert response.status_code == 403


def _session_api_writes() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    writes = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            schemes = {name for req in operation.get("security", []) for name in req}
            if method in {"post", "put", "patch", "delete"} and any(
                "Session" in scheme for scheme in schemes
            ):
                writes.append((method, re.sub(r"\{\w+\}", "1", path)))
    return writes


def test_there_are_session_api_writes_to_check():
    assert len(_session_api_writes()) > 20


def test_api_write_with_a_session_but_without_csrf_token_is_refused(
    login, collaboration_coordinator
):
    client = Client(enforce_csrf_checks=True)
    login(client, collaboration_coordinator)
    failures = []
    for method, path in _session_api_writes():
        response = getattr(client, method)(path, data="{}", content_type="application/json")
        if response.status_code != 403:
            failures.append((method, path, response.status_code))
    assert failures == []


# --- second factor for every page -------------------------------------------------


def _get_routes() -> list[str]:
    paths = []
    for route, _callback in _web_routes():
        path = _sample_path(route)
        if path.startswith(("/konto/", "/static/", "/i18n/", "/uppfoljning/oppen/")):
            continue
        paths.append(path)
    return sorted(set(paths))


def test_a_session_without_the_second_factor_reaches_no_page(client, admin_user):
    """Password alone: logged in, but every page sends back to the log-in, logged out."""
    failures = []
    for path in _get_routes():
        client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(path)
        location = response.get("Location", "")
        refused = response.status_code == 302 and location.startswith("/konto/logga-in/")
        if not refused or "_auth_user_id" in client.session:
            failures.append((path, response.status_code, location))
    assert failures == []


# --- uploads ------------------------------------------------------------------------


def test_uploaded_documents_are_served_as_downloads_never_inline(
    client, login, agreement_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from samverkan.agreements.demo import load_demo
    from samverkan.agreements.models import AgreementDecision

    load_demo()
    decision = AgreementDecision.objects.exclude(document="").first()
    assert decision is not None
    # The demo may have been loaded by an earlier test with another MEDIA_ROOT: give the
    # decision a file in this one, so the test does not depend on the order the suite runs.
    decision.document.save("beslut.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    login(client, agreement_admin)
    response = client.get(f"/dokument/avtalsbeslut/{decision.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_media_files_are_not_served_by_url(client, db):
    """Uploads are only reachable through the access-checked download view."""
    assert client.get(settings.MEDIA_URL + "agreements/x.pdf").status_code == 404
