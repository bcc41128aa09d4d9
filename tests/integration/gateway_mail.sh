#!/usr/bin/env bash
# The gateway against a real Dovecot IMAP server and a real SMTP receiver,
# both on loopback with TLS from a test CA: reports appended over IMAP
# become incidents and leave INBOX for Processed, acknowledgements and
# notifications arrive over SMTP; a wrong CA is refused; STARTTLS and
# XOAUTH2 log in; IDLE picks up new mail at once (the gateway records a
# report within 250 ms of a bare IDLE client's notice); SMTP down keeps the
# outbox pending until it is back; webhooks are signed and retried.
source "$(dirname "$0")/gateway_lib.sh"
stack_tls
stack_imap_start
stack_smtp_start
stack_webhook_start
printf 'webhook-secret' > "$STACK/webhook.secret"
chmod 600 "$STACK/webhook.secret"

# 1. A wrong CA: refused with a clear error, nothing recorded, mail stays.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i "s|ca_file = $STACK/tls/ca.crt|ca_file = $STACK/tls/other-ca.crt|" "$WORK/gateway.conf"
imap_append "$(report 1)"
rc=0
"$IG" poll --once > /dev/null 2> "$WORK/wrongca.err" || rc=$?
expect_eq "wrong CA: poll fails" "$rc" 1
grep -q 'certificate verification failed' "$WORK/wrongca.err" \
  && ok "wrong CA: clear error" || fail "wrong CA message: $(cat "$WORK/wrongca.err")"
"$IG" list --json | check_json "wrong CA: nothing recorded" 'd == []'
expect_eq "wrong CA: mail still in INBOX" "$(imap_count INBOX)" 1

# 2. The right CA over IMAPS with a password: recorded, moved, acked by SMTP.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX" \
  "[webhook.siem]" "url = http://127.0.0.1:$WEBHOOK_PORT/hook" \
  "secret_file = $STACK/webhook.secret" "events = created"
for i in 2 3; do imap_append "$(report $i)"; done
imap_append "$SRC/examples/02-form-lost-laptop-late.eml"
"$IG" poll --once > "$WORK/poll.out" 2> "$WORK/poll.err" || fail "poll over IMAPS: $(cat "$WORK/poll.err")"
grep -q '^4 messages processed' "$WORK/poll.out" && ok "four messages processed" || fail "$(cat "$WORK/poll.out")"
"$IG" list --json | check_json "four incidents recorded" 'len(d) == 4'
expect_eq "INBOX empty" "$(imap_count INBOX)" 0
expect_eq "all in Processed" "$(imap_count Processed)" 4
grep -l '^X-Envelope-To: reporter2@justice.gov.uk' "$STACK"/smtp/*.eml > /dev/null \
  && ok "ack delivered over SMTP" || fail "no ack at the SMTP receiver"
for to in ost@justice.gov.uk siro@justice.gov.uk data.compliance@justice.gov.uk; do
  grep -l "^X-Envelope-To: $to" "$STACK"/smtp/*.eml > /dev/null \
    && ok "notification to $to delivered" || fail "nothing for $to"
done
grep -h '^X-Envelope-From:' "$STACK"/smtp/*.eml | tr -d '\r' | sort -u | grep -qx 'X-Envelope-From: security@justice.gov.uk' \
  && ok "envelope sender is our address" || fail "envelope sender"
"$IG" outbox --pending --json | check_json "outbox drained" 'd == []'
expect_eq "one webhook per incident" "$(webhook_count)" 4
body=$(ls "$STACK"/webhook/*.json | head -1)
sig=$(sed -n 's/^[Xx]-[Ss]ignature-256: sha256=\([0-9a-f]*\).*/\1/p' "${body%.json}.headers" | tr -d '\r')
want=$(python3 -c 'import hmac,hashlib,sys; print(hmac.new(b"webhook-secret", open(sys.argv[1],"rb").read(), hashlib.sha256).hexdigest())' "$body")
expect_eq "webhook signed with HMAC-SHA256 of the body" "$sig" "$want"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["event"]=="created" and d["incident"]["reference"].startswith("INC-") else 1)' "$body" \
  && ok "webhook body names the event and incident" || fail "webhook body: $(cat "$body")"

"$IG" check-config --connect > "$WORK/connect.out" 2>&1 \
  && grep -q 'source and transport reachable and logged in' "$WORK/connect.out" \
  && ok "check-config --connect logs in to IMAP and SMTP" || fail "check-config --connect: $(cat "$WORK/connect.out")"

# 3. The same mail appended again is a duplicate: no new incident, moved.
imap_append "$(report 2)"
"$IG" poll --once > /dev/null 2>&1 || fail "poll of a duplicate"
"$IG" list --json | check_json "duplicate over IMAP: still four" 'len(d) == 4'
expect_eq "duplicate left INBOX" "$(imap_count INBOX)" 0

# 4. STARTTLS on the plain port, XOAUTH2 with a token command.
gateway_config "imap://127.0.0.1:$IMAP_PORT/INBOX;STARTTLS"
sed -i "s|^password_file = $STACK/imap.pass|oauth2_token_command = echo $OAUTH_TOKEN|" "$WORK/gateway.conf"
imap_append "$(report 4)"
"$IG" poll --once > /dev/null 2> "$WORK/oauth.err" && ok "STARTTLS + XOAUTH2 login" \
  || fail "STARTTLS + XOAUTH2: $(cat "$WORK/oauth.err")"
"$IG" list --json | check_json "recorded over STARTTLS" 'len(d) == 5'
sed -i "s|^oauth2_token_command = .*|oauth2_token_command = echo bad-token|" "$WORK/gateway.conf"
imap_append "$(report 5)"
rc=0
"$IG" poll --once > /dev/null 2> "$WORK/badtoken.err" || rc=$?
expect_eq "bad token refused" "$rc" 1
grep -qi 'XOAUTH2 login failed' "$WORK/badtoken.err" && ok "bad token: clear error" || fail "$(cat "$WORK/badtoken.err")"
grep -q 'bad-token' "$WORK/badtoken.err" && fail "the token appears in an error" || ok "token not disclosed"

# Plain IMAP is accepted on loopback when tls = none says so.
gateway_config "imap://127.0.0.1:$IMAP_PORT/INBOX"
sed -i '/^\[source\]/a tls = none' "$WORK/gateway.conf"
imap_append "$(report 12)"
"$IG" poll --once > /dev/null 2> "$WORK/plain.err" && grep -q 'plain text on loopback' "$WORK/plain.err" \
  && ok "tls = none on loopback" || fail "tls = none: $(cat "$WORK/plain.err")"

# 5. IDLE: with poll_interval = 1h, a new message is recorded at once.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
"$IG" run 2> "$WORK/run.log" &
pid=$!
wait_for "service connected" 10 grep -q 'connected (TLS verified, IDLE' "$WORK/run.log"
sleep 0.3
# Five reports, each timed from APPEND both to the server's IDLE notice to a
# bare client of our own (the baseline) and to the gateway's commit of the
# incident; medians of the five. The project's target is under 20 ms added;
# here the allowance is 250 ms, because this machine has 2 cores shared by
# Dovecot, the SMTP receiver, the probe, other tests (ctest -j) and other
# people, and a scheduling stall of 100 ms or more is common. A gateway
# that polled instead of IDLE (poll_interval is 1h here; even at 1 s) or
# waited for anything before recording would still exceed it.
for i in 6 14 15 16 17; do report $i > /dev/null; done
if "$STACK_PYTHON" "$SRC/tests/integration/idle_latency.py" "$IMAPS_PORT" "$STACK/tls/ca.crt" \
     "$STACK/imap.pass" "$DATABASE" "$WORK"/report-{6,14,15,16,17}.eml > "$WORK/idle.txt" 2>&1; then
  sed -n 's/^report/IDLE latency: report/p' "$WORK/idle.txt"
  read -r base gw < <(sed -n 's/^median //p' "$WORK/idle.txt")
  echo "IDLE latency: bare IMAP IDLE notice $base ms, gateway recorded the incident $gw ms (medians of 5; added $((gw - base)) ms, allowed 250 ms)"
  [ "$gw" -le $((base + 250)) ] && ok "IDLE: the gateway adds $((gw - base)) ms to the server's notice" \
    || fail "IDLE: the gateway took $gw ms against the bare client's $base ms: $(cat "$WORK/idle.txt")"
else
  fail "IDLE latency probe: $(cat "$WORK/idle.txt")"
fi
wait_for "ack for the IDLE report sent" 10 sh -c "grep -lq '^X-Envelope-To: reporter6@justice.gov.uk' $STACK/smtp/*.eml" \
  && ok "ack for the IDLE report sent"
# The IMAP server goes away and comes back: the service reconnects.
stack_imap_stop
sleep 1
stack_imap_start
imap_append "$(report 11)"
wait_for "reconnect after the IMAP server restarted" 20 \
  sh -c "\"$IG\" list --json | grep -q 'Test report 11'" && ok "reconnected and recorded after an IMAP restart"
kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "run stops with status 0 on SIGTERM" "$rc" 0

# 6. SMTP down: rows stay pending with the error; back up: same Message-ID sent.
stack_smtp_stop
rc=0
"$IG" check-config --connect > /dev/null 2> "$WORK/connect.err" || rc=$?
expect_eq "check-config --connect fails with SMTP down" "$rc" 1
grep -q '^incident-gateway: SMTP smtp://127.0.0.1' "$WORK/connect.err" \
  && ok "SMTP down: one clear line" || fail "$(cat "$WORK/connect.err")"
imap_append "$(report 7)"
"$IG" poll --once > /dev/null 2> "$WORK/down.err" || fail "poll with SMTP down must still record"
"$IG" list --json | check_json "recorded while SMTP is down" 'any(i["summary"] == "Test report 7" for i in d)'
"$IG" outbox --pending --json > "$WORK/pending.json"
check_json "rows pending with attempts and error" \
  'len(d) == 2 and all(r["state"] == "pending" and r["attempts"] == 1 and r["last_error"] for r in d)' < "$WORK/pending.json"
ids=$(python3 -c 'import json,sys; print(" ".join(sorted(r["message_id"] for r in json.load(open(sys.argv[1])))))' "$WORK/pending.json")
before=$(smtp_count)
stack_smtp_start
"$IG" poll --once > /dev/null 2>&1
expect_eq "not retried before the backoff" "$(smtp_count)" "$before"
"$IG" poll --once --now "$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null 2>&1 || fail "poll after SMTP is back"
"$IG" outbox --pending --json | check_json "outbox drained after SMTP came back" 'd == []'
for id in $ids; do
  grep -l "^Message-ID: <$id>" "$STACK"/smtp/*.eml > /dev/null && ok "retried with the same Message-ID $id" \
    || fail "Message-ID $id not delivered"
done

# 7. A webhook receiver that fails: retried through the outbox.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX" \
  "[webhook.siem]" "url = http://127.0.0.1:$WEBHOOK_PORT/hook" \
  "secret_file = $STACK/webhook.secret" "events = created"
touch "$STACK/webhook/fail"
imap_append "$(report 8)"
"$IG" poll --once > /dev/null 2>&1 || fail "poll with webhook failing"
"$IG" outbox --pending --json | check_json "failed webhook pending" \
  'len(d) == 1 and d[0]["kind"] == "webhook" and "503" in d[0]["last_error"]'
rm "$STACK/webhook/fail"
"$IG" poll --once --now "$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null 2>&1
"$IG" outbox --pending --json | check_json "webhook delivered on retry" 'd == []'
# 8. Oversized mail: only its header is fetched, it goes to Quarantine.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i '/^\[gateway\]/a max_message_size = 4KB' "$WORK/gateway.conf"
{ printf 'From: Big Sender <big@justice.gov.uk>\r\nSubject: huge scan\r\nMessage-ID: <big-1@justice.gov.uk>\r\n\r\n'
  head -c 20000 /dev/zero | tr '\0' 'x'; printf '\r\n'; } > "$WORK/big.eml"
imap_append "$WORK/big.eml"
"$IG" poll --once > /dev/null 2>&1 || fail "poll with an oversized message"
expect_eq "oversized mail moved to Quarantine" "$(imap_count Quarantine)" 1
expect_eq "INBOX empty after quarantine" "$(imap_count INBOX)" 0
"$IG" messages --unmatched --json | check_json "quarantined with sender and subject" \
  'any(m["kind"] == "quarantined" and m["from"] == "big@justice.gov.uk" and m["subject"] == "huge scan" for m in d)'
grep -l '^Subject: Incoming mail quarantined: larger than max_message_size' "$STACK"/smtp/*.eml > /dev/null \
  && ok "OST told of the quarantine" || fail "no quarantine notice over SMTP"

# 9. SMTP with XOAUTH2; SMTP with a wrong CA keeps the row pending.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i "s|^password_file = $STACK/smtp.pass|oauth2_token_command = echo $OAUTH_TOKEN|" "$WORK/gateway.conf"
imap_append "$(report 9)"
"$IG" poll --once > /dev/null 2> "$WORK/smtp-oauth.err" || fail "poll with SMTP XOAUTH2"
"$IG" outbox --pending --json | check_json "SMTP XOAUTH2 delivered everything" 'd == []'
grep -l '^X-Envelope-To: reporter9@justice.gov.uk' "$STACK"/smtp/*.eml > /dev/null \
  && ok "ack sent over SMTP with XOAUTH2" || fail "no ack with XOAUTH2: $(cat "$WORK/smtp-oauth.err")"
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i "/^\[transport\]/,/^\[/ s|^ca_file = .*|ca_file = $STACK/tls/other-ca.crt|" "$WORK/gateway.conf"
imap_append "$(report 10)"
"$IG" poll --once > /dev/null 2>&1 || fail "poll with SMTP wrong CA must still record"
"$IG" outbox --pending --json | check_json "SMTP wrong CA: rows pending with a certificate error" \
  'len(d) == 2 and all("certificate" in r["last_error"].lower() or "SSL" in r["last_error"] for r in d)'

# 10. smtps://: TLS from the first byte, verified against the test CA.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i "s|^url = smtp://127.0.0.1:$SMTP_PORT|url = smtps://127.0.0.1:$SMTPS_PORT|" "$WORK/gateway.conf"
imap_append "$(report 13)"
"$IG" poll --once > /dev/null 2> "$WORK/smtps.err" || fail "poll with smtps://"
grep -l '^X-Envelope-To: reporter13@justice.gov.uk' "$STACK"/smtp/*.eml > /dev/null \
  && ok "ack sent over smtps://" || fail "smtps://: $(cat "$WORK/smtps.err")"

# 11. Arrival is the IMAP INTERNALDATE, not when the gateway got to the
# mail (a day of backlog here) nor the sender's Date or a relay's stamp.
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
printf 'From: Late Reader <reader@justice.gov.uk>\r\nSubject: backlog report\r\nMessage-ID: <backlog-1@justice.gov.uk>\r\nDate: Mon, 23 Nov 2026 06:00:00 +0000\r\nReceived: by mx; Mon, 23 Nov 2026 07:00:00 +0000\r\n\r\nDate and time of detection: 23/11/2026 08:50\r\nDescription: A suspicious mail.\r\n' > "$WORK/backlog.eml"
imap_append_dated "$WORK/backlog.eml" "23-Nov-2026 09:10:00 +0000"
"$IG" poll --once --now 2026-11-24T09:10:00Z > /dev/null 2>&1 || fail "poll after a backlog"
"$IG" list --json | check_json "INTERNALDATE is received_at; nobody marked late by the backlog" \
  '[(i["received_at"], i["recorded_at"], i["minutes_to_report"], i["reported_late"]) for i in d if i["reporter"]["email"] == "reader@justice.gov.uk"] == [("2026-11-23T09:10:00Z", "2026-11-24T09:10:00Z", 20, False)]'

"$IG" verify > /dev/null && ok "store verifies" || fail "verify"
finish
