#!/usr/bin/env bash
# Broken mail templates (gateway/template.h): a template that is missing,
# unreadable or malformed is a configuration error, one stderr line naming
# the file (and the line) at fault, exit 2, from check-config and from the
# commands that send mail before they touch the source: the mail waits in
# the source, nothing is half-recorded, and once the template is mended it
# is recorded and acknowledged. A reload (SIGHUP) onto a broken template is
# refused and the service goes on with the templates it has. A placeholder
# no mail fills is empty, as template.h promises, and breaks nothing.
source "$(dirname "$0")/lib.sh"
tpl=$WORK/templates
cp -r "$SRC/templates" "$tpl"
write_config "/^max_message_size/a templates = $tpl"
mail=$WORK/var/mail
mkdir -p "$mail/new" "$mail/cur" "$mail/tmp"
printf 'From: Jane Smith <jane.smith@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Lost pass\nMessage-ID: <tpl-1@justice.gov.uk>\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\nReporter name: Jane Smith\nIncident category: lost-or-stolen-equipment\nDescription: I lost my building pass.\n' > "$mail/new/1.eml"

# expect_config_error WHAT LINE COMMAND... - COMMAND exits 2 with LINE as
# its whole stderr.
expect_config_error() {
  local what=$1 want=$2 rc=0
  shift 2
  "$@" > /dev/null 2> "$WORK/err" || rc=$?
  expect_eq "$what: exit status" "$rc" 2
  expect_eq "$what: one line naming the file" "$(cat "$WORK/err")" "$want"
}

# 1. Missing.
mv "$tpl/ack.txt" "$WORK/ack.txt"
expect_config_error "missing ack.txt, check-config" \
  "incident-gateway: template $tpl/ack.txt is missing: the gateway renders its ack mail from it" \
  "$IG" check-config
expect_config_error "missing ack.txt, poll --once" \
  "incident-gateway: template $tpl/ack.txt is missing: the gateway renders its ack mail from it" \
  "$IG" poll --once
expect_eq "missing ack.txt: the report is still in the source" "$(ls "$mail/new")" "1.eml"
"$IG" messages --json | check_json "missing ack.txt: nothing recorded" 'd == []'
mv "$WORK/ack.txt" "$tpl/ack.txt"

# 2. Unreadable (permission denied). Root reads anything, so as root the
# gateway is run as nobody for this check.
chmod 755 "$WORK"
chmod 644 "$WORK/gateway.conf"
chmod 000 "$tpl/notify.txt"
as_user=()
[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
rc=0
"${as_user[@]}" "$IG" check-config > /dev/null 2> "$WORK/err" || rc=$?
expect_eq "unreadable notify.txt: exit status" "$rc" 2
grep -qx "incident-gateway: template $tpl/notify.txt: .*Permission denied" "$WORK/err" \
  && ok "unreadable notify.txt: one line naming the file and why" || fail "unreadable: $(cat "$WORK/err")"
chmod 644 "$tpl/notify.txt"

# 3. Malformed: the line of the mistake is named.
cp "$tpl/notify_ost.txt" "$WORK/notify_ost.txt"
sed -i '3s/{{reference}}/{{reference/' "$tpl/notify_ost.txt"
expect_config_error "unclosed tag, check-config" \
  "incident-gateway: template $tpl/notify_ost.txt: line 3: {{ without }}" "$IG" check-config
cp "$WORK/notify_ost.txt" "$tpl/notify_ost.txt"
# A section without its end, found before the first incident needs it.
sed -i 's/^{{\/late}}$//' "$tpl/notify_ost.txt"
expect_config_error "unclosed section, run" \
  "incident-gateway: template $tpl/notify_ost.txt: line 4: section {{#late}} has no {{/late}}" \
  timeout 20 "$IG" run
expect_eq "unclosed section: the report is still in the source" "$(ls "$mail/new")" "1.eml"
printf 'No subject line here.\n' > "$tpl/quarantine.txt"
cp "$WORK/notify_ost.txt" "$tpl/notify_ost.txt"
expect_config_error "no Subject: line, check-config" \
  "incident-gateway: template $tpl/quarantine.txt: must start with a Subject: line and a blank line" \
  "$IG" check-config
cp "$SRC/templates/quarantine.txt" "$tpl/quarantine.txt"

# 4. An unknown placeholder is empty (template.h): the mail still goes.
sed -i 's/^Subject: \(.*\)$/Subject: \1{{no_such_value}}/' "$tpl/ack.txt"
"$IG" check-config > /dev/null 2>&1 && ok "unknown placeholder: check-config accepts it" \
  || fail "check-config refused an unknown placeholder"

# Mended: the waiting report is recorded and acknowledged.
"$IG" poll --once > /dev/null 2> "$WORK/poll.err" || fail "poll after the fix: $(cat "$WORK/poll.err")"
expect_eq "mended: the report left the source" "$(ls "$mail/new" "$mail/cur" | grep -c eml)" 0
"$IG" list --json | check_json "mended: the report is an incident" \
  'len(d) == 1 and d[0]["summary"] == "Lost pass"'
ack=$(grep -l '^To: jane.smith@justice.gov.uk' "$WORK"/var/outbox/*.eml)
grep -q 'Subject: \[INC-2026-000001\].*[^}]$' "$ack" && ! grep -q 'no_such_value\|{{' "$ack" \
  && ok "unknown placeholder: rendered empty in the ack" || fail "ack: $(cat "$ack")"

# 5. A reload onto a broken template is refused; the service goes on.
"$IG" run 2> "$WORK/run.log" &
pid=$!
for _ in $(seq 1 50); do grep -q 'watching' "$WORK/run.log" && break; sleep 0.1; done
rm "$tpl/correspondence.txt"
kill -HUP $pid
for _ in $(seq 1 50); do grep -q 'reload refused' "$WORK/run.log" && break; sleep 0.1; done
grep -q "reload refused, keeping the running configuration: template $tpl/correspondence.txt is missing" \
  "$WORK/run.log" && ok "reload onto a missing template: refused and logged" || fail "reload: $(cat "$WORK/run.log")"
printf 'From: Tom Baker <tom.baker@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Laptop stolen\nMessage-ID: <tpl-2@justice.gov.uk>\n\nMy laptop was stolen from my car.\n' > "$mail/tmp/2.eml"
mv "$mail/tmp/2.eml" "$mail/new/2.eml"
for _ in $(seq 1 50); do
  grep -l '^To: tom.baker@justice.gov.uk' "$WORK"/var/outbox/*.eml > /dev/null 2>&1 && break
  sleep 0.1
done
grep -l '^To: tom.baker@justice.gov.uk' "$WORK"/var/outbox/*.eml > /dev/null 2>&1 \
  && ok "after the refused reload: new mail recorded and acknowledged" || fail "run: $(cat "$WORK/run.log")"
kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "run stops with status 0" "$rc" 0

finish
