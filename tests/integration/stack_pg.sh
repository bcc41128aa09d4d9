# shellcheck shell=bash
# A real PostgreSQL server for the integration stack (issue 20's shared
# store): Debian's PostgreSQL 15 started by the test in $STACK/pg on a
# loopback port, TLS only, with the stack's test CA.
#
#   source tests/integration/stack.sh
#   source tests/integration/stack_pg.sh
#   stack_tls; stack_pg_start      # stack_cleanup stops it
#
# Sets STACK_PG_URL, a libpq URI for the user "gateway" on the database
# "gateway" (unaccent installed in public, so that tests may give each
# store a schema of its own and drop it): sslmode=verify-full against $STACK/tls/ca.crt, its password
# only in the passfile $STACK/pg/pgpass (0600), never on a command line.
# The server refuses every connection without TLS. Runs the server as the
# user postgres when started by root (initdb refuses root).
#
# Layout of $STACK/pg: data/ (the cluster), server.crt, server.key (the
# stack's, owned by the server's user), pgpass, postgres.log.
#
# STACK_PG_NO_SYNC=1 turns the server's own crash safety off (fsync,
# synchronous commit, full-page writes): for tests that never crash the
# machine under it, where a commit waiting for the disk only costs time.
# The integration tests leave it unset: they measure and kill with the
# server's durability as a user's server has it.

STACK_PG_BIN=${STACK_PG_BIN:-/usr/lib/postgresql/15/bin}

# _stack_pg_as CMD... - CMD as the server's user.
_stack_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stack_pg_start() {
  _stack_init || return 1
  [ -x "$STACK_PG_BIN/initdb" ] || { _stack_err "no PostgreSQL in $STACK_PG_BIN (apt-get install postgresql)"; return 1; }
  [ -s "$STACK/tls/server.crt" ] || { _stack_err "stack_pg_start: run stack_tls first"; return 1; }
  local pg=$STACK/pg port password
  mkdir -p "$pg" || return 1
  cp "$STACK/tls/server.crt" "$STACK/tls/server.key" "$pg/" || return 1
  chmod 600 "$pg/server.key"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$pg"
  _stack_pg_as "$STACK_PG_BIN/initdb" -D "$pg/data" -U postgres --auth-local=trust \
    --auth-host=reject >"$pg/initdb.log" 2>&1 \
    || { _stack_err "initdb failed:"; tail -n 20 "$pg/initdb.log" >&2; return 1; }
  _stack_reserve pg 1 || return 1
  port=$(cat "$STACK/run/pg.reserved")
  cat >>"$pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg'
ssl = on
ssl_cert_file = '$pg/server.crt'
ssl_key_file = '$pg/server.key'
password_encryption = 'scram-sha-256'
EOF
  if [ "${STACK_PG_NO_SYNC:-}" = 1 ]; then
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' \
      >>"$pg/data/postgresql.conf"
  fi
  # TLS and a password for the gateway; nothing else over the network.
  cat >"$pg/data/pg_hba.conf" <<EOF
local all postgres trust
hostssl gateway gateway 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 reject
EOF
  _stack_stop_pidfile "$STACK/run/ports-pg.pid" "port reservation pg"
  _stack_pg_as "$STACK_PG_BIN/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t "$STACK_TIMEOUT" \
    start >"$pg/pg_ctl.log" 2>&1 \
    || { _stack_err "PostgreSQL did not start:"; tail -n 20 "$pg/postgres.log" >&2; return 1; }
  head -n 1 "$pg/data/postmaster.pid" >"$STACK/run/pg.pid"
  password=$(openssl rand -hex 12)
  _stack_pg_as "$STACK_PG_BIN/psql" -qX -h "$pg" -p "$port" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -v pw="$password" >"$pg/setup.log" 2>&1 <<'SQL' \
    || { _stack_err "creating the gateway's role and database failed:"; cat "$pg/setup.log" >&2; return 1; }
CREATE ROLE gateway LOGIN PASSWORD :'pw';
CREATE DATABASE gateway OWNER gateway;
\connect gateway
CREATE EXTENSION unaccent SCHEMA public;
SQL
  (umask 077 && printf 'localhost:%s:gateway:gateway:%s\n' "$port" "$password" >"$pg/pgpass") || return 1
  STACK_PG_PORT=$port
  STACK_PG_URL="postgresql://gateway@localhost:$port/gateway?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=$STACK/tls/ca.crt&passfile=$pg/pgpass"
  export STACK_PG_PORT STACK_PG_URL
}

stack_pg_stop() {
  [ -f "$STACK/run/pg.pid" ] || return 0
  _stack_pg_as "$STACK_PG_BIN/pg_ctl" -D "$STACK/pg/data" -m fast -w stop >/dev/null 2>&1 \
    || _stack_kill "$(cat "$STACK/run/pg.pid")" PostgreSQL
  rm -f "$STACK/run/pg.pid"
}
