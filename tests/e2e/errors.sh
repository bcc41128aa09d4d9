#!/usr/bin/env bash
# Bad configuration, bad usage and bad input: a clear one-line error, the
# documented exit status, and nothing lost.
source "$(dirname "$0")/lib.sh"
write_config

cp "$WORK/gateway.conf" "$WORK/bad.conf"
sed -i 's/^report_within = .*/report_within = sixty/' "$WORK/bad.conf"
# The line README.md shows for a bad value: file, section, key and value.
bad_duration="incident-gateway: $WORK/bad.conf: [deadlines] report_within = \"sixty\": not a duration (use 90s, 60m, 2h or 10d)"
expect_error "bad duration" 2 "$bad_duration" "$IG" -c "$WORK/bad.conf" check-config

printf '[gatewy]\naddress = a@b.c\n' > "$WORK/bad2.conf"
expect_error "unknown section" 2 "incident-gateway: $WORK/bad2.conf: unknown section [gatewy]" \
  "$IG" check-config -c "$WORK/bad2.conf"

expect_error "bad config stops ingest" 2 "$bad_duration" \
  "$IG" -c "$WORK/bad.conf" ingest "$SRC/examples/01-form-phishing.eml"
expect_error "missing config file" 2 "incident-gateway: $WORK/nope.conf: cannot read: No such file or directory" \
  "$IG" -c "$WORK/nope.conf" list
expect_error "unknown command" 2 'incident-gateway: unknown command "frobnicate" (try --help)' \
  "$IG" frobnicate
expect_error "option for another command" 2 "incident-gateway: verify does not take --pending" \
  "$IG" verify --pending
expect_error "bad --now" 2 'incident-gateway: --now "yesterday": not an ISO-8601 time (e.g. 2026-11-22T14:40:00Z)' \
  "$IG" list --now yesterday
expect_error "bad --status" 2 \
  'incident-gateway: --status "sleeping": use one of new, triaged, investigating, contained, resolved, closed, rejected' \
  "$IG" list --status sleeping
expect_error "show without reference" 2 "incident-gateway: show: give one reference, e.g. show INC-2026-000042" \
  "$IG" show
expect_error "show unknown reference" 1 "incident-gateway: show: no incident INC-2026-999999" \
  "$IG" show INC-2026-999999
expect_error "poll without --once" 2 "incident-gateway: poll: give --once (to keep watching the source, use run)" \
  "$IG" poll
# A store whose directory is not there (a mistyped path, a volume not
# mounted) is not made: check-config names it; a command says so.
sed "s|^database = .*|database = $WORK/nowhere/gateway.db|" "$WORK/gateway.conf" > "$WORK/nowhere.conf"
expect_error "check-config: the store's directory missing" 2 \
  "incident-gateway: $WORK/nowhere.conf: [gateway] database = \"$WORK/nowhere/gateway.db\": its directory does not exist (the gateway makes none: a mistyped path or a volume not mounted would otherwise get a new, empty store)" \
  "$IG" -c "$WORK/nowhere.conf" check-config
expect_error "list: the store's directory missing" 1 \
  "incident-gateway: $WORK/nowhere: no such directory for the store $WORK/nowhere/gateway.db" \
  "$IG" -c "$WORK/nowhere.conf" list
[ ! -e "$WORK/nowhere" ] && ok "no directory made" || fail "$WORK/nowhere was made"
# The embedded default's var/ alone is made, where the command runs.
mkdir -p "$WORK/fresh"
sed -e '/^database = /d' "$WORK/gateway.conf" > "$WORK/fresh/default.conf"
(cd "$WORK/fresh" && "$IG" -c default.conf list > /dev/null) && [ -f "$WORK/fresh/var/gateway.db" ] \
  && ok "the default store made in var/" || fail "the default database"

# What cannot be a reference is a mistake in the command line, not an
# incident that was not found; a seventh digit is still a reference.
expect_error "show a word" 2 'incident-gateway: show: "nonsense" is not a reference like INC-2026-000042' \
  "$IG" show nonsense
expect_error "show a reference cut short" 2 \
  'incident-gateway: show: "INC-2026-00001" is not a reference like INC-2026-000042' \
  "$IG" show INC-2026-00001
expect_error "show a seventh digit" 1 "incident-gateway: show: no incident INC-2026-0000012" \
  "$IG" show INC-2026-0000012
expect_error "export a word" 2 'incident-gateway: export: "latest" is not a reference like INC-2026-000042' \
  "$IG" export latest "$WORK/bundle"
[ ! -e "$WORK/bundle" ] && ok "export refused: no directory made" || fail "export made $WORK/bundle"
expect_error "observables of a word" 2 \
  'incident-gateway: observables: "all" is not a reference like INC-2026-000042' "$IG" observables all

# --version, and --help after a command: that command's options only.
"$IG" --version > "$WORK/version.txt" && grep -qx 'incident-gateway [0-9]*\.[0-9]*\.[0-9]*' "$WORK/version.txt" \
  && ok "--version" || fail "--version: $(cat "$WORK/version.txt")"
"$IG" list --help > "$WORK/help.txt" || fail "list --help exit $?"
grep -q 'incident-gateway \[OPTION…\] list \[--status S\]' "$WORK/help.txt" && grep -q -- '--search=TEXT' "$WORK/help.txt" \
  && ok "list --help: its usage and options" || fail "list --help: $(cat "$WORK/help.txt")"
grep -q -- '--anchor' "$WORK/help.txt" && fail "list --help shows verify's --anchor" || ok "list --help: not other commands' options"
"$IG" --help > "$WORK/help.txt" && grep -q '^  verify ' "$WORK/help.txt" && grep -q -- '--anchor' "$WORK/help.txt" \
  && ok "--help: every command and option" || fail "--help: $(cat "$WORK/help.txt")"
"$IG" list --json | check_json "nothing recorded by the refused commands" 'd == []'

# A missing file does not stop the others; the exit status says so, and
# stderr names the file and, last, how many were not recorded.
rc=0
"$IG" ingest "$WORK/missing.eml" "$SRC/examples/01-form-phishing.eml" > /dev/null 2> "$WORK/err.txt" || rc=$?
expect_eq "ingest with a missing file (exit status)" "$rc" 1
grep -qx "$WORK/missing.eml: No such file or directory" "$WORK/err.txt" \
  && ok "missing file named with the reason" || fail "$(cat "$WORK/err.txt")"
expect_eq "ingest with a missing file: the last line counts what was not recorded" \
  "$(tail -n 1 "$WORK/err.txt")" "incident-gateway: 1 of 2 messages were not recorded"
"$IG" list --json | check_json "the good file was recorded" 'len(d) == 1'

# Garbage, empty input and NUL bytes are stored and accounted for, never lost.
: > "$WORK/empty.eml"
head -c 3000 /dev/urandom > "$WORK/noise.eml"
printf 'From: a@justice.gov.uk\nSubject: nul\nMessage-ID: <nul@x>\n\nbefore\0after\n' > "$WORK/nul.eml"
"$IG" ingest "$WORK/empty.eml" "$WORK/noise.eml" "$WORK/nul.eml" > /dev/null 2> "$WORK/err.txt" \
  && ok "hostile input is accepted" || fail "hostile input: $(tail -n 3 "$WORK/err.txt")"
"$IG" messages --json | check_json "every input stored" 'len(d) == 4'
# random bytes may or may not read as a message, so find the NUL one by its id
nul_ref=$("$IG" messages --json | python3 -c 'import json,sys; print([m["reference"] for m in json.load(sys.stdin) if m["message_id"] == "nul@x"][0])')
"$IG" show "$nul_ref" --json | check_json "NUL bytes dropped from text" '"beforeafter" in d["description"]'
"$IG" verify > /dev/null && ok "verify after hostile input" || fail "verify"
finish
