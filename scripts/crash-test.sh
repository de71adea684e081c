#!/usr/bin/env bash
# `make crash-test`: the crash-safety test (scripts/crash_test.py) on a fresh
# SQLite file and on a throw-away PostgreSQL cluster, then the system tests
# that need real server processes on PostgreSQL (pytest -m system).
#
#   scripts/crash-test.sh VENV [crash_test.py options]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$1"
shift
mkdir -p var
started=$SECONDS

db="var/crash.sqlite3"
rm -f "$db" "$db-wal" "$db-shm"
DATABASE_URL="sqlite:///$PWD/$db" "$venv/bin/python" scripts/crash_test.py --venv "$venv" "$@"
rm -f "$db" "$db-wal" "$db-shm"

bash scripts/with-postgres.sh "$venv/bin/python" scripts/crash_test.py --venv "$venv" "$@"

echo "crash-test: $((SECONDS - started)) s in all"
