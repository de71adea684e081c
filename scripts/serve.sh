#!/usr/bin/env bash
# Serves Samverkan: gunicorn in the foreground and the background worker beside it.
#
#   scripts/serve.sh VENV HOST PORT WORKERS
#
# Beside it, one process runs the periodic jobs (manage.py run_periodic_jobs), each in
# its own thread and rhythm: escalating unaccepted handovers (intake) every 30 seconds
# (ESCALATION_INTERVAL), applying organisation changes (mergers, splits) whose date has
# come hourly, sending webhook events to police systems every 5 seconds
# (WEBHOOK_INTERVAL), registering accepted reports in the municipalities' case systems
# every 10 seconds (CASESYSTEM_INTERVAL), refreshing the follow-up's daily summaries
# every minute (SUMMARY_INTERVAL) and the retention job (gallring) once a day
# (RETENTION_INTERVAL; 0: none).
# It stops when the server stops (Ctrl-C), so nothing is left running.
set -euo pipefail
venv="$1" host="$2" port="$3" workers="$4"

jobs=(
  "escalate_handovers=${ESCALATION_INTERVAL:-30}"
  "apply_organisation_changes=3600"
  "deliver_webhooks=${WEBHOOK_INTERVAL:-5}"
  "send_to_casesystems=${CASESYSTEM_INTERVAL:-10}"
  "followup_summaries=${SUMMARY_INTERVAL:-60}"
)
# RETENTION_INTERVAL=0: no retention job (the benchmarks' servers: a generated ten-year
# history is a backlog a live system would have purged day by day, not a day's work).
if [ "${RETENTION_INTERVAL:-86400}" != 0 ]; then
  jobs+=("apply_retention=${RETENTION_INTERVAL:-86400}")
fi
"$venv/bin/python" manage.py run_periodic_jobs "${jobs[@]}" &
periodic=$!
trap 'kill "$periodic" 2>/dev/null || true; wait "$periodic" 2>/dev/null || true' EXIT

# No control socket: gunicorn's default (~/.gunicorn/gunicorn.ctl) is one per user,
# so two servers on one host (scaling out, the system tests) would take each other's.
"$venv/bin/gunicorn" samverkan.wsgi:application --bind "$host:$port" --workers "$workers" \
  --access-logfile - --graceful-timeout 10 --no-control-socket
