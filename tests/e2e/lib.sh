# Shared helpers for the end-to-end tests: a private directory with its own
# config, and small assertions that print what went wrong.
set -euo pipefail

IG=${1:?usage: $0 path/to/incident-gateway}
SRC=${IG_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

# write_config [sed expression] - config/gateway.conf with every path moved
# into $WORK, and the expression applied. No managers: the daily digest
# would otherwise join the mail a test counts whenever a command without
# --now runs after daily_at on the real clock (digest.sh sets them).
write_config() {
  sed -e "s|^database = .*|database = $WORK/var/gateway.db|" \
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
