#!/usr/bin/env bash
# End to end through the maildir: source: `poll --once` empties the inbox
# into the Processed folder only after recording; `run` picks up new mail at
# once (inotify), quarantines oversized mail, keeps its configuration when
# a reload is refused and uses the new one after a good reload (SIGHUP), and
# stops cleanly on SIGTERM.
source "$(dirname "$0")/lib.sh"
write_config "s/^max_message_size = .*/max_message_size = 4KB/"
mail=$WORK/var/mail

"$IG" check-config > /dev/null && ok "check-config on the test config" || fail "check-config"
"$SRC/scripts/seed-examples.sh" "$mail" > /dev/null
"$IG" poll --once > "$WORK/poll.txt" 2> "$WORK/poll.log" || fail "poll --once exit $?"
grep -q '^8 messages processed' "$WORK/poll.txt" && ok "poll processed the seeded mail" || fail "poll: $(cat "$WORK/poll.txt")"
expect_eq "inbox new/ empty" "$(ls "$mail/new" | wc -l)" 0
expect_eq "inbox cur/ empty" "$(ls "$mail/cur" | wc -l)" 0
expect_eq "all in Processed" "$(ls "$mail/.Processed/cur" | wc -l)" 8
"$IG" list --json | check_json "seven incidents from the maildir" 'len(d) == 7'

# Seeding again is harmless: duplicates leave the inbox, nothing new.
"$SRC/scripts/seed-examples.sh" "$mail" > /dev/null
"$IG" poll --once > /dev/null 2>&1 || fail "second poll"
expect_eq "duplicates leave the inbox" "$(ls "$mail/new" | wc -l)" 0
"$IG" list --json | check_json "no duplicate incidents" 'len(d) == 7'

# The service: new mail is recorded without waiting for poll_interval (60s).
"$IG" run 2> "$WORK/run.log" &
pid=$!
sleep 1
deliver() { # name file
  cp "$2" "$mail/tmp/$1" && mv "$mail/tmp/$1" "$mail/new/$1"
}
printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Phone stolen\nMessage-ID: <run-1@justice.gov.uk>\n\nReporter name: Sam Lee\nIncident category: lost or stolen equipment\nDescription: My work phone was stolen on the bus.\n' > "$WORK/live.eml"
deliver live.1 "$WORK/live.eml"
found=""
# grep reads the whole list: grep -q would stop at the first match, and
# under pipefail a list still writing would fail the check with SIGPIPE.
for _ in $(seq 1 50); do
  if [ -z "$(ls "$mail/new")" ] && "$IG" list --json 2>/dev/null | grep '"summary": "Phone stolen"' > /dev/null; then found=1; break; fi
  sleep 0.1
done
[ -n "$found" ] && ok "run picked up new mail within 5 s" || fail "run did not pick up new mail: $(cat "$WORK/run.log")"
grep -l "^To: sam.lee@justice.gov.uk" "$WORK/var/outbox"/*.eml > /dev/null 2>&1 \
  && ok "run sent the acknowledgement" || fail "no ack for the live report"

# Oversized mail is quarantined with its reason and OST is told.
{ printf 'From: big@justice.gov.uk\nSubject: huge\nMessage-ID: <big-1@x>\n\n'; head -c 6000 /dev/zero | tr '\0' 'x'; echo; } > "$WORK/big.eml"
deliver big.1 "$WORK/big.eml"
for _ in $(seq 1 50); do [ -n "$(ls "$mail/.Quarantine/cur")" ] && break; sleep 0.1; done
expect_eq "oversized mail in Quarantine" "$(ls "$mail/.Quarantine/cur" | wc -l)" 1
"$IG" messages --unmatched --json | check_json "quarantined message listed with kind" \
  'any(m["kind"] == "quarantined" and m["reference"] is None and m["subject"] == "huge" and m["from"] == "big@justice.gov.uk" for m in d)'
grep -l '^Subject: Incoming mail quarantined: larger than max_message_size' "$WORK/var/outbox"/*.eml > /dev/null \
  && ok "OST told of the quarantine" || fail "no quarantine notice"

# reference_of SUMMARY - waits up to 5 s for the incident with SUMMARY to be
# recorded and its mail written; prints its reference. Reads the store
# with good.conf, as gateway.conf may be the broken one.
reference_of() {
  local ref=""
  for _ in $(seq 1 50); do
    ref=$("$IG" -c "$WORK/good.conf" list --json | python3 -c 'import json,sys; print(" ".join(i["reference"] for i in json.load(sys.stdin) if i["summary"] == sys.argv[1]))' "$1")
    [ -n "$ref" ] && [ -z "$(ls "$mail/new")" ] && ls "$WORK/var/outbox"/*"-$ref.eml" > /dev/null 2>&1 && break
    sleep 0.1
  done
  echo "$ref"
}
# wait_log TEXT - waits up to 5 s for TEXT in the service's log.
wait_log() {
  for _ in $(seq 1 50); do grep -q "$1" "$WORK/run.log" && return 0; sleep 0.1; done
  return 1
}
live_report() { # n summary
  printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: %s\nMessage-ID: <run-%s@justice.gov.uk>\n\nReporter name: Sam Lee\nIncident category: lost or stolen equipment\nDescription: %s.\n' "$2" "$1" "$2" > "$WORK/live-$1.eml"
  deliver "live.$1" "$WORK/live-$1.eml"
}

# SIGHUP with a broken config (a new reference prefix and OST address, and
# an unknown key): refused, the service keeps running on the old one, and
# the next report is numbered and routed as before.
cp "$WORK/gateway.conf" "$WORK/good.conf"
sed -e 's/^reference_prefix = .*/reference_prefix = BAD/' \
    -e 's/^ost = .*/ost = ost.refused@justice.gov.uk/' "$WORK/good.conf" > "$WORK/gateway.conf"
echo "bogus_key = 1" >> "$WORK/gateway.conf"
kill -HUP $pid
wait_log 'reload refused' && ok "bad reload refused" || fail "no refusal of the bad config: $(cat "$WORK/run.log")"
kill -0 $pid 2>/dev/null && ok "bad reload keeps the service up" || fail "service died on a bad reload"
live_report 2 "Tablet left on a train"
ref=$(reference_of "Tablet left on a train")
[[ $ref == INC-2026-* ]] && ok "after a refused reload: numbered with the old prefix ($ref)" \
  || fail "after a refused reload: reference '$ref'"
expect_eq "after a refused reload: OST told at the old address" \
  "$(grep -l '^To: ost@justice.gov.uk' "$WORK/var/outbox"/*"-$ref.eml" 2>/dev/null | wc -l)" 1
expect_eq "the refused address is never used" \
  "$(grep -l 'ost.refused@' "$WORK/var/outbox"/*.eml | wc -l)" 0

# A good reload (a new prefix and OST address): the next report is
# numbered and routed by the new configuration.
sed -e 's/^reference_prefix = .*/reference_prefix = SEC/' \
    -e 's/^ost = .*/ost = ost.reloaded@justice.gov.uk/' "$WORK/good.conf" > "$WORK/gateway.conf"
kill -HUP $pid
wait_log 'configuration reloaded' || fail "good reload not acted on: $(cat "$WORK/run.log")"
live_report 3 "Badge lost in the car park"
ref=$(reference_of "Badge lost in the car park")
[[ $ref == SEC-2026-* ]] && ok "after a reload: numbered with the new prefix ($ref)" \
  || fail "after a reload: reference '$ref', not SEC-2026-*"
expect_eq "after a reload: OST told at the new address" \
  "$(grep -l '^To: ost.reloaded@justice.gov.uk' "$WORK/var/outbox"/*"-$ref.eml" 2>/dev/null | wc -l)" 1
expect_eq "after a reload: not at the old one" \
  "$(grep -l '^To: ost@justice.gov.uk' "$WORK/var/outbox"/*"-$ref.eml" 2>/dev/null | wc -l)" 0

kill -TERM $pid
rc=0
for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then fail "run ignored SIGTERM"; kill -9 $pid; else wait $pid || rc=$?; expect_eq "run exits 0 on SIGTERM" "$rc" 0; fi
grep -qE '^[0-9T:-]+Z info INC-2026-[0-9]{6} <run-1@justice.gov.uk> ' "$WORK/run.log" \
  && ok "log lines carry time, level, reference and Message-ID" || fail "log format: $(head -3 "$WORK/run.log")"
"$IG" verify > /dev/null && ok "store verifies after the run" || fail "verify after run"
finish
