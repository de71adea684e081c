#!/usr/bin/env bash
# Serves Samverkan: gunicorn in the foreground and the background worker beside it.
#
#   scripts/serve.sh VENV HOST PORT WORKERS
#
# The worker escalates unaccepted handovers (intake) every 30 seconds
# (ESCALATION_INTERVAL seconds when set); a second one applies organisation
# changes (mergers, splits) whose date has come, hourly; a third runs the
# retention job (gallring) once a day (RETENTION_INTERVAL seconds; 0: none); a fourth
# sends webhook events to police systems every 5 seconds (WEBHOOK_INTERVAL); a fifth
# registers accepted reports in the municipalities' case systems every 10 seconds
# (CASESYSTEM_INTERVAL); a sixth refreshes the follow-up's daily summaries every
# minute (SUMMARY_INTERVAL).
# They stop when the server stops (Ctrl-C), so nothing is left running.
set -euo pipefail
venv="$1" host="$2" port="$3" workers="$4"

"$venv/bin/python" manage.py escalate_handovers --loop --interval "${ESCALATION_INTERVAL:-30}" &
worker=$!
"$venv/bin/python" manage.py apply_organisation_changes --loop --interval 3600 &
changes=$!
"$venv/bin/python" manage.py deliver_webhooks --loop --interval "${WEBHOOK_INTERVAL:-5}" &
webhooks=$!
"$venv/bin/python" manage.py send_to_casesystems --loop --interval "${CASESYSTEM_INTERVAL:-10}" &
casesystems=$!
"$venv/bin/python" manage.py followup_summaries --loop --interval "${SUMMARY_INTERVAL:-60}" &
summaries=$!
jobs_=("$worker" "$changes" "$webhooks" "$casesystems" "$summaries")
# RETENTION_INTERVAL=0: no retention job (the benchmarks' servers: a generated ten-year
# history is a backlog a live system would have purged day by day, not a day's work).
if [ "${RETENTION_INTERVAL:-86400}" != 0 ]; then
  "$venv/bin/python" manage.py apply_retention --loop --interval "${RETENTION_INTERVAL:-86400}" &
  jobs_+=("$!")
fi
trap 'kill "${jobs_[@]}" 2>/dev/null || true; wait "${jobs_[@]}" 2>/dev/null || true' EXIT

# No control socket: gunicorn's default (~/.gunicorn/gunicorn.ctl) is one per user,
# so two servers on one host (scaling out, the system tests) would take each other's.
"$venv/bin/gunicorn" samverkan.wsgi:application --bind "$host:$port" --workers "$workers" \
  --access-logfile - --graceful-timeout 10 --no-control-socket
