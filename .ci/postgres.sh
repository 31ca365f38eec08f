#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, run as an unprivileged user on a free local port.
#   .ci/postgres.sh start DIR   -> prints the database URL for ARGMAP_TEST_PG
#   .ci/postgres.sh stop DIR    -> stops it (the directory can then be removed)
set -euo pipefail
action=$1 dir=$2
bin=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 | xargs -r dirname)
[ -n "$bin" ] || { echo "PostgreSQL's server is not installed (/usr/lib/postgresql/*/bin/initdb)" >&2; exit 1; }
as_user() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $action in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_user "$bin/initdb" -D "$dir/data" -U argmap --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
  # a scratch server: durability off, which makes the tests' many small transactions quick
  as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
  as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U argmap argmap_test
  echo "postgresql+psycopg://argmap@127.0.0.1:$port/argmap_test"
  ;;
stop)
  [ -d "$dir/data" ] && as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
