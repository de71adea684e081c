"""ASGI entry point: only `make bench` serves with it (an ASGI server measured beside
gunicorn, issue 20.2); production serves the WSGI application (scripts/serve.sh)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_asgi_application()
