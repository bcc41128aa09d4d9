# shellcheck shell=bash
# The assertions of the shell tests (e2e and integration): each prints an
# "ok:" or "FAIL:" line and failures are counted; finish exits 1 if any.
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

ok() {
  echo "ok: $*"
}

expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$3', got '$2'"; fi
}

# check_json DESCRIPTION PYTHON-EXPRESSION-OVER-d < json
check_json() {
  local what=$1 expr=$2 json
  json=$(cat)
  if printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)"; then
    ok "$what"
  else
    fail "$what: ($expr) is false for: ${json:0:600}"
  fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
