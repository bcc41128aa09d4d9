# Shared helpers for the end-to-end tests: a private directory with its own
# config, and small assertions that print what went wrong.
set -euo pipefail

IG=${1:?usage: $0 path/to/incident-gateway}
SRC=${IG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
failures=0

# write_config [sed expression] - config/gateway.conf with every path moved
# into $WORK, and the expression applied.
write_config() {
  sed -e "s|^database = .*|database = $WORK/var/gateway.db|" \
      -e "s|^url = maildir:.*|url = maildir:$WORK/var/mail|" \
      -e "s|^url = dir:.*|url = dir:$WORK/var/outbox|" \
      "$SRC/config/gateway.conf" > "$WORK/gateway.conf"
  if [ $# -gt 0 ]; then
    sed -i "$1" "$WORK/gateway.conf"
  fi
  export INCIDENT_GATEWAY_CONFIG=$WORK/gateway.conf
}

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

ok() {
  echo "ok: $*"
}

# check "description" python-expression-over-`d` < json
check_json() {
  local what=$1 expr=$2 json
  json=$(cat)
  if printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)"; then
    ok "$what"
  else
    fail "$what: ($expr) is false for: ${json:0:600}"
  fi
}

expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$3', got '$2'"; fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
