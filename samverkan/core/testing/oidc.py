"""OpenID Connect in tests: the URLs and settings of an OIDC-enabled Samverkan, and
a real OpenID provider on loopback (issue 21.4).

`OIDC_ENABLED` is read when settings and `accounts.urls` are imported, so a test
switches OIDC on with `enable_oidc(settings, ...)`: the backend, the endpoints
and `OidcUrls` (the project's URLs with the OIDC views mounted under /konto/).

`OidcProvider` runs tests/oidc-provider/server.mjs – panva's certified
`oidc-provider` from npm, installed by `scripts/oidc-provider-deps.sh`
(`npm ci`, run by `make test`) – on a free port of 127.0.0.1, with one client
and test accounts that each log in at a chosen assurance level (`acr`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest
from django.urls import include, path

import samverkan.urls as project_urls
from samverkan.accounts import urls as accounts_urls

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_DIR = ROOT / "tests" / "oidc-provider"
CALLBACK_PATH = "/konto/oidc/callback/"


class OidcUrls:
    urlpatterns = [
        path(
            "konto/",
            include(
                (accounts_urls.urlpatterns + accounts_urls.oidc_urlpatterns(), "accounts"),
                namespace="accounts",
            ),
        ),
        *[p for p in project_urls.urlpatterns if str(p.pattern) != "konto/"],
    ]


def enable_oidc(settings: Any, **endpoints: str) -> Any:
    """Switch OIDC log-in on for this test; `endpoints` are the OIDC_* settings to set."""
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "samverkan.accounts.oidc.SamverkanOIDCBackend",
    ]
    for name, value in endpoints.items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = OidcUrls
    return settings


@dataclass(frozen=True)
class ProviderAccount:
    """An account at the provider: what the person types there and what it says about them."""

    login: str
    password: str
    acr: str
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class OidcProvider:
    """A running oidc-provider: its issuer URL, its client and its discovery document."""

    issuer: str
    client_id: str
    client_secret: str
    discovery: dict[str, Any]
    process: subprocess.Popen[str]
    output: list[str]

    def settings(self) -> dict[str, str]:
        """The OIDC_* settings that point Samverkan at this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.discovery["jwks_uri"],
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _unavailable(message: str) -> NoReturn:
    """Fail when the browser tests must run (CI), else skip with the reason."""
    full = f"{message} Run `bash scripts/oidc-provider-deps.sh` (npm ci) to install it."
    if os.environ.get("SAMVERKAN_REQUIRE_BROWSER"):
        pytest.fail(full, pytrace=False)
    pytest.skip(full)


def _drain(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip())


def start_provider(
    *, redirect_uri: str, accounts: list[ProviderAccount], client_id: str = "samverkan"
) -> OidcProvider:
    """Start the provider (or skip/fail when node or its packages are missing)."""
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js is missing, so the test OpenID provider cannot run.")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        _unavailable(f"The npm package oidc-provider is not installed in {PROVIDER_DIR}.")
    client_secret = os.urandom(24).hex()
    config = {
        "client": {
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uris": [redirect_uri],
        },
        "accounts": [
            {"login": a.login, "password": a.password, "acr": a.acr, "claims": a.claims}
            for a in accounts
        ],
    }
    env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config), "NODE_ENV": "test"}
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [str(node), "server.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    errors: list[str] = []
    threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True).start()
    first = process.stdout.readline()
    threading.Thread(target=_drain, args=(process.stdout, []), daemon=True).start()
    if not first:
        process.wait(timeout=10)
        time.sleep(0.2)  # the stderr reader's last lines
        raise RuntimeError("The test OpenID provider did not start:\n" + "\n".join(errors))
    issuer = json.loads(first)["issuer"]
    with urllib.request.urlopen(  # noqa: S310 - loopback http only
        f"{issuer}/.well-known/openid-configuration", timeout=10
    ) as response:
        discovery = json.load(response)
    return OidcProvider(issuer, client_id, client_secret, discovery, process, errors)
