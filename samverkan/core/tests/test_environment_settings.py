"""SAMVERKAN_ENV and SAMVERKAN_DEMO as the settings read them (issue 17, point 6).

Each case imports the settings in a fresh interpreter with only the variables
under test, as a server process would at start.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from samverkan.core.testing.processes import run_python

BASE_DIR = Path(settings.BASE_DIR)
PRINT = "from samverkan import settings as s; print(s.ENVIRONMENT, s.PRODUCTION, s.DEMO)"
PRODUCTION = {
    "SAMVERKAN_ENV": "production",
    "SECRET_KEY": "x7#Kq2!vR9zL$mW4pT8sY1uN6bH3cJ5eF0gA-dQ_iO+rS@lV&kX*wZ(yE)",
}


def load_settings(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMVERKAN_", "DJANGO_", "SECRET_KEY", "PYTEST_"))
    }
    env.update(variables)
    return run_python(["-c", PRINT], env, timeout=60)


@pytest.mark.parametrize("value", ["prod", "Production", "production ", "staging", ""])
def test_an_unknown_environment_refuses_to_start_and_names_the_choices(value: str) -> None:
    result = load_settings(SAMVERKAN_ENV=value)
    assert result.returncode != 0
    assert f"SAMVERKAN_ENV={value!r}" in result.stderr
    assert "development, test or production" in result.stderr


@pytest.mark.parametrize("value", ["development", "test", "production"])
def test_the_three_environments_start(value: str) -> None:
    result = load_settings(**{**PRODUCTION, "SAMVERKAN_ENV": value})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [value, str(value == "production"), "False"]


def test_without_any_variable_it_is_development_without_demo() -> None:
    result = load_settings()
    assert result.stdout.split() == ["development", "False", "False"]


def test_demo_only_when_asked_for() -> None:
    for env in ("development", "test"):
        result = load_settings(SAMVERKAN_ENV=env, SAMVERKAN_DEMO="1")
        assert result.stdout.split() == [env, "False", "True"], result.stderr


def test_demo_with_production_refuses_to_start() -> None:
    result = load_settings(**PRODUCTION, SAMVERKAN_DEMO="1")
    assert result.returncode != 0
    assert "SAMVERKAN_DEMO=1 cannot be combined with SAMVERKAN_ENV=production" in result.stderr


def test_make_run_serves_the_demo() -> None:
    # `make run` is how a newcomer sees Samverkan: the demo with its log-ins and DEMO banner.
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "run: export SAMVERKAN_DEMO = 1" in makefile
