#!/usr/bin/env bash
# Bad configuration, bad usage and bad input: a clear one-line error, the
# documented exit status, and nothing lost.
source "$(dirname "$0")/lib.sh"
write_config

expect_status() { # description expected-status command...
  local what=$1 want=$2 rc=0
  shift 2
  "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  expect_eq "$what (exit status)" "$rc" "$want"
}

cp "$WORK/gateway.conf" "$WORK/bad.conf"
sed -i 's/^report_within = .*/report_within = sixty/' "$WORK/bad.conf"
expect_status "bad duration" 2 "$IG" -c "$WORK/bad.conf" check-config
grep -q 'bad.conf.*report_within.*sixty' "$WORK/err.txt" && [ "$(wc -l < "$WORK/err.txt")" = 1 ] \
  && ok "error names file, key and value on one line" || fail "message: $(cat "$WORK/err.txt")"

printf '[gatewy]\naddress = a@b.c\n' > "$WORK/bad2.conf"
expect_status "unknown section" 2 "$IG" check-config -c "$WORK/bad2.conf"
grep -q 'gatewy' "$WORK/err.txt" && ok "unknown section named" || fail "$(cat "$WORK/err.txt")"

expect_status "bad config stops ingest" 2 "$IG" -c "$WORK/bad.conf" ingest "$SRC/examples/01-form-phishing.eml"
expect_status "missing config file" 2 "$IG" -c "$WORK/nope.conf" list
expect_status "unknown command" 2 "$IG" frobnicate
expect_status "option for another command" 2 "$IG" verify --pending
expect_status "bad --now" 2 "$IG" list --now yesterday
expect_status "bad --status" 2 "$IG" list --status sleeping
expect_status "show without reference" 2 "$IG" show
expect_status "show unknown reference" 1 "$IG" show INC-2026-999999
expect_status "poll without --once" 2 "$IG" poll

# A missing file does not stop the others; the exit status says so.
expect_status "ingest with a missing file" 1 "$IG" ingest "$WORK/missing.eml" "$SRC/examples/01-form-phishing.eml"
grep -q 'missing.eml' "$WORK/err.txt" && ok "missing file named" || fail "$(cat "$WORK/err.txt")"
"$IG" list --json | check_json "the good file was recorded" 'len(d) == 1'

# Garbage, empty input and NUL bytes are stored and accounted for, never lost.
: > "$WORK/empty.eml"
head -c 3000 /dev/urandom > "$WORK/noise.eml"
printf 'From: a@justice.gov.uk\nSubject: nul\nMessage-ID: <nul@x>\n\nbefore\0after\n' > "$WORK/nul.eml"
expect_status "hostile input is accepted" 0 "$IG" ingest "$WORK/empty.eml" "$WORK/noise.eml" "$WORK/nul.eml"
"$IG" messages --json | check_json "every input stored" 'len(d) == 4'
# random bytes may or may not read as a message, so find the NUL one by its id
nul_ref=$("$IG" messages --json | python3 -c 'import json,sys; print([m["reference"] for m in json.load(sys.stdin) if m["message_id"] == "nul@x"][0])')
"$IG" show "$nul_ref" --json | check_json "NUL bytes dropped from text" '"beforeafter" in d["description"]'
"$IG" verify > /dev/null && ok "verify after hostile input" || fail "verify"
finish
