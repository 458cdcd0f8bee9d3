#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store, queue and worker tests (issue 19).
#
#   eval "$(bash .ci/postgres.sh start [DIR])"   # cluster in DIR (default: mktemp -d)
#   bash .ci/postgres.sh restart [DIR]           # pg_ctl restart -m fast (a clean restart)
#   bash .ci/postgres.sh kill-restart [DIR]      # stop -m immediate, then start (a crash)
#   bash .ci/postgres.sh status [DIR]            # exit 0 when running, 3 when not
#   bash .ci/postgres.sh stop [DIR]              # stop -m fast and remove DIR
#
# DIR defaults to $GRADSCOPE_TEST_POSTGRES_DIR for every command but start. `start` and `status`
# print only `export GRADSCOPE_TEST_POSTGRES=...` and `export GRADSCOPE_TEST_POSTGRES_DIR=...` on
# stdout, so their output can be eval'd; everything else goes to stderr.
#
# The cluster listens on 127.0.0.1 only, on the first free port from 54329, with its unix socket
# in DIR/socket (never /var/run) and its log in DIR/log/postgres.log. User `postgres` is trusted;
# role `gradscope` (CREATEDB, password gradscope-test-pw) must authenticate with scram-sha-256, so
# password handling can be tested. fsync stays on: the tests restart and crash the server.
# initdb refuses to run as root, so as root the server binaries run as the `postgres` user.
set -euo pipefail

exec 3>&1 1>&2 # stdout is for the eval-able exports (fd 3); everything else goes to stderr

readonly FIRST_PORT=54329
readonly PORT_TRIES=100
readonly TEST_ROLE=gradscope
readonly TEST_PASSWORD=gradscope-test-pw
readonly MARKER=.gradscope-test-postgres # only a directory with this file is ever removed

say() { echo "postgres.sh: $*"; }

# Loud failure: the message, then the end of the server's log when there is one.
fail() {
  say "error: $*"
  local log="${dir:-}/log/postgres.log"
  if [ -n "${dir:-}" ] && [ -f "$log" ]; then
    say "last lines of $log:"
    tail -n 40 "$log" || true
  fi
  exit 1
}

find_bin() {
  local newest=""
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] || continue
    if [ -z "$newest" ] || [ "$(basename "$(dirname "$candidate")")" -gt "$(basename "$(dirname "$newest")")" ]; then
      newest="$candidate"
    fi
  done
  [ -n "$newest" ] || fail "no /usr/lib/postgresql/*/bin/initdb: apt-get install -y --no-install-recommends postgresql"
  echo "$newest"
}

# Runs a server binary as `postgres` when we are root (initdb and postgres refuse root), from /
# so a working directory the postgres user cannot enter does not matter. fd 3 is closed: a server
# that inherited it would hold the caller's $(...) open for as long as it runs.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@") 3>&-
  else
    (cd / && "$@") 3>&-
  fi
}

port_in_use() {
  (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cluster_port() {
  sed -n "s/^port = \([0-9]*\)$/\1/p" "$dir/data/gradscope.conf"
}

print_exports() {
  local port
  port="$(cluster_port)"
  echo "export GRADSCOPE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'" >&3
  echo "export GRADSCOPE_TEST_POSTGRES_DIR='$dir'" >&3
}

is_running() {
  [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

wait_ready() {
  local port
  port="$(cluster_port)"
  local i
  for i in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
      return 0
    fi
    sleep 0.5
  done
  fail "the server on 127.0.0.1:$port did not accept connections within 30 s"
}

write_settings() {
  cat >"$dir/data/gradscope.conf" <<EOF
# Written by .ci/postgres.sh: a loopback-only test cluster.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$dir/socket'
max_connections = 200
shared_buffers = 32MB
fsync = on
synchronous_commit = on
full_page_writes = on
log_min_messages = warning
log_connections = off
EOF
}

init_cluster() {
  say "initdb in $dir/data ($bin)"
  mkdir -p "$dir/socket" "$dir/log"
  touch "$dir/$MARKER"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/log/initdb.log" 2>&1 ||
    { cat "$dir/log/initdb.log"; fail "initdb failed"; }
  cat >"$dir/data/pg_hba.conf" <<EOF
# Written by .ci/postgres.sh. TYPE DATABASE USER ADDRESS METHOD
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
  echo "include = 'gradscope.conf'" >>"$dir/data/postgresql.conf"
  write_settings "$FIRST_PORT"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/data/pg_hba.conf" "$dir/data/gradscope.conf"; fi
}

# Starts the server on the first free port; another cluster may take a port between our check
# and our bind (helpers start clusters at once), so a failed bind moves on to the next port.
start_on_free_port() {
  local port="$FIRST_PORT"
  local last=$((FIRST_PORT + PORT_TRIES))
  while [ "$port" -lt "$last" ]; do
    if ! port_in_use "$port"; then
      write_settings "$port"
      if as_pg "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log/postgres.log" >/dev/null; then
        return 0
      fi
      grep -q "could not bind\|Address already in use\|could not create any TCP/IP sockets" "$dir/log/postgres.log" ||
        fail "pg_ctl start failed"
      say "port $port was taken meanwhile; trying the next"
    fi
    port=$((port + 1))
  done
  fail "no free port in $FIRST_PORT..$((last - 1)) on 127.0.0.1"
}

create_test_role() {
  local port
  port="$(cluster_port)"
  as_pg "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$TEST_ROLE') THEN
    CREATE ROLE $TEST_ROLE LOGIN CREATEDB;
  END IF;
END \$\$;
SET password_encryption = 'scram-sha-256';
ALTER ROLE $TEST_ROLE PASSWORD '$TEST_PASSWORD';
EOF
}

cmd_start() {
  local started=$SECONDS
  if [ -z "$dir" ]; then
    dir="$(mktemp -d -t gradscope-pg.XXXXXX)"
  fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    [ -z "$(ls -A "$dir")" ] || fail "$dir is neither empty nor a cluster made by this script"
    init_cluster
  fi
  if is_running; then
    say "already running in $dir"
  else
    start_on_free_port
  fi
  wait_ready
  create_test_role || fail "could not create role $TEST_ROLE"
  say "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$(cluster_port), cluster $dir, ready in $((SECONDS - started)) s"
  print_exports
}

require_cluster() {
  [ -n "$dir" ] || fail "no DIR given and GRADSCOPE_TEST_POSTGRES_DIR is unset"
  [ -f "$dir/$MARKER" ] && [ -f "$dir/data/PG_VERSION" ] || fail "$dir is not a cluster made by .ci/postgres.sh start"
}

cmd_stop() {
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    say "nothing to stop (${dir:-no DIR})"
    return 0
  fi
  require_cluster
  if is_running; then
    as_pg "$bin/pg_ctl" stop -w -t 60 -m fast -D "$dir/data" >/dev/null || fail "pg_ctl stop failed"
  fi
  rm -rf "$dir"
  say "stopped and removed $dir"
}

cmd_restart() {
  require_cluster
  as_pg "$bin/pg_ctl" restart -w -t 60 -m fast -D "$dir/data" -l "$dir/log/postgres.log" >/dev/null ||
    fail "pg_ctl restart failed"
  wait_ready
  say "restarted on 127.0.0.1:$(cluster_port)"
}

# A crash: immediate shutdown skips the checkpoint, so the next start replays the WAL.
cmd_kill_restart() {
  require_cluster
  if is_running; then
    as_pg "$bin/pg_ctl" stop -w -t 60 -m immediate -D "$dir/data" >/dev/null || fail "pg_ctl stop -m immediate failed"
  fi
  as_pg "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log/postgres.log" >/dev/null ||
    fail "pg_ctl start after the crash failed"
  wait_ready
  say "crashed and restarted on 127.0.0.1:$(cluster_port)"
}

cmd_status() {
  require_cluster
  if is_running; then
    say "running on 127.0.0.1:$(cluster_port), cluster $dir"
    print_exports
  else
    say "not running, cluster $dir"
    exit 3
  fi
}

command="${1:-}"
dir="${2:-}"
bin="$(find_bin)"
case "$command" in
  start) cmd_start ;;
  stop | restart | kill-restart | status)
    dir="${dir:-${GRADSCOPE_TEST_POSTGRES_DIR:-}}"
    case "$command" in
      stop) cmd_stop ;;
      restart) cmd_restart ;;
      kill-restart) cmd_kill_restart ;;
      status) cmd_status ;;
    esac
    ;;
  *)
    echo "usage: $0 start [DIR] | stop [DIR] | restart [DIR] | kill-restart [DIR] | status [DIR]"
    exit 2
    ;;
esac
