#!/usr/bin/env bash
# Serves Samverkan: gunicorn in the foreground and the background worker beside it.
#
#   scripts/serve.sh VENV HOST PORT WORKERS
#
# The worker escalates unaccepted handovers (intake) every 30 seconds; a second one
# runs the retention job (gallring) once a day. Both stop when the server stops
# (Ctrl-C), so nothing is left running.
set -euo pipefail
venv="$1" host="$2" port="$3" workers="$4"

"$venv/bin/python" manage.py escalate_handovers --loop --interval 30 &
worker=$!
"$venv/bin/python" manage.py apply_retention --loop --interval 86400 &
retention=$!
trap 'kill "$worker" "$retention" 2>/dev/null || true; wait "$worker" "$retention" 2>/dev/null || true' EXIT

"$venv/bin/gunicorn" samverkan.wsgi:application --bind "$host:$port" --workers "$workers" \
  --access-logfile - --graceful-timeout 10
