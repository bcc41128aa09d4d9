# shellcheck shell=bash
# The assertions of the shell tests (e2e and integration): each prints an
# "ok:" or "FAIL:" line and failures are counted; finish exits 1 if any.
# The count lives in a file, not a variable: an assertion at the end of a
# pipeline (`... | check_json`) runs in a subshell, whose variables are lost.
_checks_failed=$(mktemp "${TMPDIR:-/tmp}/ig-checks.XXXXXX")

fail() {
  echo "FAIL: $*" >&2
  echo x >> "$_checks_failed"
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
  local failures
  failures=$(wc -l < "$_checks_failed")
  rm -f "$_checks_failed"
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
