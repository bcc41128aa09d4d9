# Shared helpers for the end-to-end tests: a private directory with its own
# config, and small assertions that print what went wrong.
set -euo pipefail

IG=${1:?usage: $0 path/to/incident-gateway}
SRC=${IG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d)
trap '[ ! -f "$WORK/cleanup" ] || bash "$WORK/cleanup"; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

# write_config [sed expression] - config/gateway.conf with every path moved
# into $WORK, and the expression applied. No managers: the daily digest
# would otherwise join the mail a test counts whenever a command without
# --now runs after daily_at on the real clock (digest.sh sets them).
# On PostgreSQL (IG_TEST_PG_URL_FILE names a file with the server's URI,
# as for the e2e_pg_* runs) the store is a schema of the test's own on
# that server, dropped at the end.
test_database() {
  if [ -z "${IG_TEST_PG_URL_FILE:-}" ]; then
    echo "$WORK/var/gateway.db"
    return
  fi
  local base schema
  base=$(cat "$IG_TEST_PG_URL_FILE")
  schema="e2e_$$_$RANDOM"
  psql -qX -v ON_ERROR_STOP=1 "$base" -c "CREATE SCHEMA $schema" >&2
  echo "psql -qX '$base' -c 'DROP SCHEMA $schema CASCADE' >/dev/null" >> "$WORK/cleanup"
  echo "$base&options=-csearch_path%3D$schema%2Cpublic"
}

# on_sqlite_only WHY - skips the test on PostgreSQL (exit 77, ctest's skip).
on_sqlite_only() {
  if [ -n "${IG_TEST_PG_URL_FILE:-}" ]; then
    echo "skipped on PostgreSQL: $1"
    exit 77
  fi
}

write_config() {
  local database
  database=$(test_database)
  sed -e "s|^database = .*|database = ${database//&/\\&}|" \
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
