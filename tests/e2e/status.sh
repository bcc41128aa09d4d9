#!/usr/bin/env bash
# `status [--prometheus]` (SPEC section 2): exit 0 OK, 1 WARNING, 2
# CRITICAL as monitoring plugins do, the same verdict as Prometheus text
# metrics. WARNING: deadlines overdue, mail waiting over 10 minutes, a
# source failing for less than 15; CRITICAL: mail waiting an hour (OST
# may not have heard within the policy's hour), the source failing or not
# looked at for 15 minutes.
source "$(dirname "$0")/lib.sh"
write_config
mail=$WORK/var/mail
"$SRC/scripts/seed-examples.sh" "$mail" > /dev/null
"$IG" poll --once --now 2026-11-23T09:00:00Z > /dev/null 2>&1 || fail "poll"

# status NAME WANT-EXIT NOW [--prometheus] - runs status, keeps its output.
status() {
  local name=$1 want=$2 now=$3 rc=0
  shift 3
  "$IG" status --now "$now" "$@" > "$WORK/status.txt" 2> "$WORK/status.err" || rc=$?
  expect_eq "$name (exit status)" "$rc" "$want"
}
status "just after the mail" 0 2026-11-23T09:01:00Z
expect_eq "OK: its first line" "$(head -1 "$WORK/status.txt")" "OK"
grep -q '^last mail recorded: 2026-11-23 09:00 GMT (1 min ago)$' "$WORK/status.txt" \
  && ok "OK: the last mail" || fail "status: $(cat "$WORK/status.txt")"
grep -q '^outbox: 0 pending$' "$WORK/status.txt" && ok "OK: nothing waiting" || fail "outbox line"

status "a day later, the service down" 2 2026-11-24T10:00:00Z
grep -q '^CRITICAL: no look at the source for 1500 min (is run running?); [0-9]* deadline(s) overdue$' \
  "$WORK/status.txt" && ok "CRITICAL: the source not looked at, deadlines overdue" \
  || fail "status: $(cat "$WORK/status.txt")"
"$IG" poll --once --now 2026-11-24T10:00:00Z > /dev/null 2>&1 || fail "poll a day later"
status "the service back, deadlines overdue" 1 2026-11-24T10:01:00Z
grep -q '^WARNING: [0-9]* deadline(s) overdue$' "$WORK/status.txt" \
  && ok "WARNING: deadlines overdue" || fail "status: $(cat "$WORK/status.txt")"
status "the same, for Prometheus" 1 2026-11-24T10:01:00Z --prometheus
grep -qx 'incident_gateway_status 1' "$WORK/status.txt" && grep -qx 'incident_gateway_source_failing 0' "$WORK/status.txt" \
  && grep -q '^incident_gateway_deadlines_overdue [1-9]' "$WORK/status.txt" \
  && grep -qx 'incident_gateway_last_mail_timestamp_seconds 1795424400' "$WORK/status.txt" \
  && grep -qx '# TYPE incident_gateway_outbox_pending gauge' "$WORK/status.txt" \
  && ok "Prometheus: the same verdict and figures" || fail "prometheus: $(cat "$WORK/status.txt")"
grep -q 'last_digest' "$WORK/status.txt" && fail "Prometheus: a digest that never was given a time" \
  || ok "Prometheus: no time for what never happened"

# The source failing (its new/ replaced by a file): failing, then for long.
mv "$mail/new" "$WORK/new.away" && touch "$mail/new"
"$IG" poll --once --now 2026-11-24T10:05:00Z > /dev/null 2>&1 && fail "poll of a missing Maildir passed"
status "the source failing" 1 2026-11-24T10:06:00Z
grep -q 'the source failing for 6 min' "$WORK/status.txt" && grep -q '^source: failing, last 2026-11-24 10:05 GMT' "$WORK/status.txt" \
  && ok "WARNING: the source failing, and why" || fail "status: $(cat "$WORK/status.txt")"
status "the source failing for long" 2 2026-11-24T10:20:00Z
grep -q '^CRITICAL: the source failing for 20 min' "$WORK/status.txt" \
  && ok "CRITICAL: the source failing for 15 minutes and more" || fail "status: $(cat "$WORK/status.txt")"
rm "$mail/new" && mv "$WORK/new.away" "$mail/new"

# Mail that cannot leave: another file already has the name of the next
# mail (dir: never overwrites), so that mail waits, retried.
rows=$("$IG" outbox --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
printf 'another mail\n' > "$WORK/var/outbox/$(printf '%08d' $((rows + 1)))-INC-2026-000008.eml"
printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nSubject: Phone stolen\nMessage-ID: <st-1@justice.gov.uk>\n\nIncident category: lost or stolen equipment\nDescription: stolen.\n' \
  | "$IG" ingest --now 2026-11-24T11:00:00Z > /dev/null 2>&1 || true
"$IG" poll --once --now 2026-11-24T11:09:00Z > /dev/null 2>&1 || true
status "mail waiting 10 minutes" 1 2026-11-24T11:10:00Z
grep -q 'mail waiting 10 min to be sent' "$WORK/status.txt" && grep -q '^outbox: [1-9][0-9]* pending, the oldest queued 2026-11-24 11:00 GMT (10 min ago)$' "$WORK/status.txt" \
  && ok "WARNING: mail waiting" || fail "status: $(cat "$WORK/status.txt")"
"$IG" poll --once --now 2026-11-24T11:59:00Z > /dev/null 2>&1 || true
status "mail waiting an hour" 2 2026-11-24T12:00:00Z
grep -q '^CRITICAL: mail waiting 60 min to be sent' "$WORK/status.txt" \
  && ok "CRITICAL: mail waiting an hour" || fail "status: $(cat "$WORK/status.txt")"
expect_error "status takes no argument" 2 'incident-gateway: status: unexpected argument "now"' "$IG" status now
finish
