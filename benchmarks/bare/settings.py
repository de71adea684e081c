"""The bare floor (issue 20.2): the least Django can do for one bearer-token insert.

A Django project of its own — one app, one view, no middleware, no templates, no
i18n — on the same database as Samverkan (the same DATABASES, built by the same
code), served by the same server. `benchmarks/run.py` compares Samverkan's floor
endpoint (`samverkan/benchmarking`) and its intake with it side by side: what
Samverkan's stack adds to one token look-up and one insert is the difference.
"""

from __future__ import annotations

import copy

from samverkan import settings as app_settings

SECRET_KEY = "bench-only-bare-floor"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["benchmarks.bare"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchmarks.bare.urls"
WSGI_APPLICATION = "benchmarks.bare.wsgi.application"
ASGI_APPLICATION = "benchmarks.bare.asgi.application"
# The same database, connection age and health checks as the app's.
DATABASES = copy.deepcopy(app_settings.DATABASES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_I18N = False
USE_TZ = True
TIME_ZONE = "UTC"
