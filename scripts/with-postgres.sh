#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster on loopback.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Installs Debian's postgresql package when it is missing (as root), starts a
# cluster in a temporary directory on a free port of 127.0.0.1, exports
# DATABASE_URL for CMD, and always stops and removes the cluster afterwards.
# With DATABASE_URL already pointing at PostgreSQL, it just runs CMD.
set -euo pipefail

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  exec "$@"
fi

find_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bindir="$(find_bindir)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL (Debian package 'postgresql')..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir="$(find_bindir)"
  fi
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "!!! PostgreSQL cannot be had on this machine: no initdb, and it could not be installed." >&2
  echo "!!! The PostgreSQL half of the suite did NOT run." >&2
  exit 1
fi

run_as=()
pg_user="$(id -un)"
if [ "$(id -u)" = "0" ]; then
  # The server refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  run_as=(runuser -u postgres --)
  pg_user=postgres
fi

workdir="$(mktemp -d /tmp/samverkan-pg.XXXXXX)"
chmod 755 "$workdir"
[ "$(id -u)" = "0" ] && chown postgres "$workdir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U "$pg_user" --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" samverkan
export DATABASE_URL="postgres://$pg_user@127.0.0.1:$port/samverkan"
export PGBIN="$bindir"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
