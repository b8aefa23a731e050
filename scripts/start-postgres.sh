#!/usr/bin/env bash
# Starts a private, throw-away PostgreSQL server for the test suite and prints its URL on stdout.
# Uses Debian's postgresql binaries; as root the server runs as the "postgres" user. Exits 1 when impossible.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "no PostgreSQL server binaries found (apt-get install postgresql)" >&2
  exit 1
fi
port=${JLEXAM_PG_PORT:-55432}
dir=${JLEXAM_PG_DIR:-/tmp/jlexam-pg-$port}
runas=()
if [ "$(id -u)" = 0 ]; then runas=(runuser -u postgres --); fi
if ! "${runas[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${runas[@]}" "$bindir/initdb" -D "$dir" -U jlexam -A trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
fi
echo "postgresql+psycopg://jlexam@127.0.0.1:$port/postgres"
