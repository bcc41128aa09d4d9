#!/usr/bin/env bash
# Self-test of the stack's PostgreSQL server (stack_pg.sh), with psql only:
# it starts, the gateway's URI connects over TLS verified against the test
# CA (verify-full) with the password from the passfile alone, and the
# server refuses another CA, no TLS, a wrong password and a host name its
# certificate does not name; stack_cleanup stops it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=stack.sh
source "$HERE/stack.sh"
# shellcheck source=stack_pg.sh
source "$HERE/stack_pg.sh"

STACK=$(mktemp -d)
chmod 755 "$STACK"
trap 'stack_cleanup; rm -rf "$STACK"' EXIT

failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
# q URI SQL - one value from psql, errors on stderr.
q() { PGCONNECT_TIMEOUT=5 psql -XAtq -d "$1" -c "$2"; }

stack_tls
stack_pg_start
url=$STACK_PG_URL
pg=$STACK/pg

got=$(q "$url" "SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>&1) || true
[ "$got" = "gateway true" ] && ok "verify-full with the test CA, password from the passfile" \
  || fail "gateway's URI: $got"
case $url in *"$(sed 's/.*://' "$pg/pgpass")"*) fail "the password is in the URI" ;;
  *) ok "the password is in the passfile only" ;; esac
[ "$(stat -c %a "$pg/pgpass")" = 600 ] && ok "passfile 0600" || fail "passfile $(stat -c %a "$pg/pgpass")"

refused() { # what URI expected-stderr
  local err
  if err=$(q "$2" "SELECT 1" 2>&1); then
    fail "$1: connected"
  elif grep -q "$3" <<<"$err"; then
    ok "$1 refused"
  else
    fail "$1: $err"
  fi
}
refused "another CA" "${url/ca.crt/other-ca.crt}" "certificate verify failed"
refused "no TLS" "${url/sslmode=verify-full/sslmode=disable}" "no encryption"
cp "$pg/pgpass" "$STACK/wrong.pass"
sed -i 's/:[^:]*$/:wrong-password/' "$STACK/wrong.pass"
refused "a wrong password" "${url/$pg\/pgpass/$STACK/wrong.pass}" "password authentication failed"
refused "a name the certificate lacks" "${url/@localhost:/@127.0.0.2:}" "does not match host name\|server certificate"

stack_cleanup
if q "${url/sslmode=verify-full/sslmode=require}" "SELECT 1" >/dev/null 2>&1; then
  fail "PostgreSQL still answers after stack_cleanup"
else
  ok "stopped by stack_cleanup"
fi
[ "$failed" -eq 0 ] || { echo "$failed failed" >&2; exit 1; }
echo "all passed"
