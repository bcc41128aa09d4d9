# Shared helpers for the end-to-end tests: a private directory with its own
# config, and small assertions that print what went wrong.
set -euo pipefail

IG=${1:?usage: $0 path/to/incident-gateway}
SRC=${IG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d)
# At exit: what the test left to undo (its PostgreSQL schemas), and WORK.
test_cleanup() {
  [ ! -f "$WORK/cleanup" ] || bash "$WORK/cleanup"
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap test_cleanup EXIT

# test_database [FILE] - the database of a new store: FILE (by default
# var/gateway.db) on SQLite; on PostgreSQL (IG_TEST_PG_URL_FILE names a
# file with the server's URI, as for the e2e_pg_* runs) a schema of its
# own on that server, dropped at the end.
test_database() {
  if ! on_pg; then
    echo "${1:-$WORK/var/gateway.db}"
    return
  fi
  local base schema
  base=$(cat "$IG_TEST_PG_URL_FILE")
  # BASHPID: each call runs in a subshell of its own, $(test_database).
  schema="e2e_$$_${BASHPID}_$RANDOM"
  psql -qX -v ON_ERROR_STOP=1 "$base" -c "CREATE SCHEMA $schema" >&2 || return 1
  echo "PGOPTIONS=-cclient_min_messages=warning psql -qX '$base' -c 'DROP SCHEMA $schema CASCADE' >/dev/null" \
    >> "$WORK/cleanup"
  echo "$base&options=-csearch_path%3D$schema%2Cpublic"
}

# on_pg - whether the tests' stores are on PostgreSQL.
on_pg() {
  [ -n "${IG_TEST_PG_URL_FILE:-}" ]
}

# on_sqlite_only WHY - skips the test on PostgreSQL (exit 77, ctest's skip).
on_sqlite_only() {
  if on_pg; then
    echo "skipped on PostgreSQL: $1"
    exit 77
  fi
}

# write_config [sed expression] - config/gateway.conf with every path moved
# into $WORK and a store of its own (test_database, kept in DATABASE), and
# the expression applied. No managers: the daily digest would otherwise
# join the mail a test counts whenever a command without --now runs after
# daily_at on the real clock (digest.sh sets them).
write_config() {
  DATABASE=$(test_database)
  sed -e "s|^database = .*|database = ${DATABASE//&/\\&}|" \
      -e "s|^url = maildir:.*|url = maildir:$WORK/var/mail|" \
      -e "s|^url = dir:.*|url = dir:$WORK/var/outbox|" \
      -e "s|^managers = .*|managers =|" \
      "$SRC/config/gateway.conf" > "$WORK/gateway.conf"
  mkdir -p "$WORK/var"
  if [ $# -gt 0 ]; then
    sed -i "$1" "$WORK/gateway.conf"
  fi
  export INCIDENT_GATEWAY_CONFIG=$WORK/gateway.conf
}

# db_sql SQL - runs SQL behind the gateway's back on the store DATABASE
# names (write_config's, or another set for the call: DATABASE=... db_sql)
# with sqlite3, or psql on PostgreSQL; prints the rows, one a line, the
# columns separated by "|".
db_sql() {
  if on_pg; then
    psql -qXAt -v ON_ERROR_STOP=1 "$DATABASE" -c "$1"
  else
    sqlite3 "$DATABASE" "$1"
  fi
}

# store_made - whether write_config's store has been made: its file, or
# on PostgreSQL a table in its schema.
store_made() {
  if on_pg; then
    [ "$(db_sql "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")" != 0 ]
  else
    [ -e "$DATABASE" ]
  fi
}

# db_save FILE, db_restore FILE - a copy of write_config's store in FILE,
# and the store put back as the copy holds it (on PostgreSQL its schema,
# by pg_dump and pg_restore).
db_save() {
  if on_pg; then
    pg_dump -Fc -n "$(db_schema)" -f "$1" "$DATABASE"
  else
    sqlite3 "$DATABASE" ".backup '$1'"
  fi
}
db_restore() {
  if on_pg; then
    db_sql "SET client_min_messages = warning; DROP SCHEMA $(db_schema) CASCADE"
    pg_restore -d "$DATABASE" "$1"
  else
    sqlite3 "$DATABASE" ".restore '$1'"
  fi
}
# The schema of write_config's store on PostgreSQL, from its URI.
db_schema() {
  local schema=${DATABASE##*search_path%3D}
  echo "${schema%%%2C*}"
}

# expect_error DESCRIPTION STATUS LINE COMMAND... - COMMAND exits with
# STATUS and its stderr is LINE alone: the one line a user acts on.
expect_error() {
  local what=$1 want=$2 line=$3 rc=0
  shift 3
  "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  expect_eq "$what (exit status)" "$rc" "$want"
  expect_eq "$what (stderr)" "$(cat "$WORK/err.txt")" "$line"
}

# shellcheck source=tests/checks.sh
source "$SRC/tests/checks.sh"
