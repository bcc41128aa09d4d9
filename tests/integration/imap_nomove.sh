#!/usr/bin/env bash
# IMAP servers without MOVE (gateway/source_imap.c): recorded mail leaves
# INBOX by UID COPY + UID STORE \Deleted + EXPUNGE (UID EXPUNGE with
# UIDPLUS, else EXPUNGE) into Processed, and oversized mail into
# Quarantine; nothing is lost and nothing recorded twice, also when the
# COPY fails (the mail stays in INBOX, unflagged, and leaves on the next
# poll as a duplicate). The test Dovecot announces a CAPABILITY without
# MOVE (stack.sh's STACK_IMAP_CAPABILITY, Dovecot's imap_capability).
# (Gateway commands run under timeout: a fallback that left mail in INBOX
# would have poll copy it again and again.)
source "$(dirname "$0")/gateway_lib.sh"
export STACK_IMAP_CAPABILITY="IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UIDPLUS"
stack_tls
stack_imap_start
stack_smtp_start
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i '/^\[gateway\]/a max_message_size = 4KB' "$WORK/gateway.conf"

big() { # N - an oversized message
  local f=$WORK/big-$1.eml
  { printf 'From: big@justice.gov.uk\r\nSubject: Huge %s\r\nMessage-ID: <big-%s@justice.gov.uk>\r\n\r\n' "$1" "$1"
    head -c 6000 /dev/zero | tr '\0' 'x'; printf '\r\n'; } > "$f"
  echo "$f"
}
# flags - the FLAGS of every message in INBOX, one FETCH line each.
flags() {
  _stack_imap_curl "imaps://127.0.0.1:$IMAPS_PORT/INBOX" -X 'FETCH 1:* (FLAGS)' 2>/dev/null || true
}

# 1. No MOVE, UIDPLUS: UID COPY + UID STORE \Deleted + UID EXPUNGE.
for i in 1 2 3; do imap_append "$(report $i)"; done
imap_append "$(big 1)"
timeout 60 "$IG" poll --once > "$WORK/poll.out" 2> "$WORK/poll.err" || fail "poll without MOVE: $(cat "$WORK/poll.err")"
grep -q 'connected (TLS verified, IDLE)$' "$WORK/poll.err" \
  && ok "the gateway sees no MOVE" || fail "connect line: $(grep connected "$WORK/poll.err")"
grep -q '^4 messages processed' "$WORK/poll.out" && ok "four messages processed" || fail "$(cat "$WORK/poll.out")"
expect_eq "no MOVE: INBOX empty" "$(imap_count INBOX)" 0
expect_eq "no MOVE: reports in Processed" "$(imap_count Processed)" 3
expect_eq "no MOVE: oversized mail in Quarantine" "$(imap_count Quarantine)" 1
"$IG" list --json | check_json "no MOVE: three incidents" 'len(d) == 3'

# 2. The COPY fails (no such folder): recorded, but left in INBOX and not
# flagged \Deleted; once the folder is right it leaves as a duplicate.
imap_append "$(report 4)"
sed -i '/^\[source\]/a processed_folder = NoSuchFolder' "$WORK/gateway.conf"
rc=0
timeout 60 "$IG" poll --once > /dev/null 2> "$WORK/copy.err" || rc=$?
expect_eq "COPY to a missing folder: poll fails" "$rc" 1
grep -q '^incident-gateway: IMAP 127.0.0.1:[0-9]*: UID COPY failed' "$WORK/copy.err" \
  && ok "COPY to a missing folder: one clear line" || fail "$(cat "$WORK/copy.err")"
expect_eq "COPY failed: the report stays in INBOX" "$(imap_count INBOX)" 1
flags | grep -q 'Deleted' && fail "COPY failed but the mail is flagged \\Deleted: $(flags)" \
  || ok "COPY failed: the mail is not flagged \\Deleted"
"$IG" list --json | check_json "COPY failed: the report is recorded" 'len(d) == 4'
sed -i '/^processed_folder = NoSuchFolder$/d' "$WORK/gateway.conf"
timeout 60 "$IG" poll --once > /dev/null 2> "$WORK/again.err" || fail "poll after the fix: $(cat "$WORK/again.err")"
expect_eq "folder fixed: INBOX empty" "$(imap_count INBOX)" 0
expect_eq "folder fixed: in Processed" "$(imap_count Processed)" 4
"$IG" list --json | check_json "folder fixed: no duplicate incident" 'len(d) == 4'

# 3. Neither MOVE nor UIDPLUS: UID COPY + UID STORE \Deleted + EXPUNGE.
stack_imap_stop
export STACK_IMAP_CAPABILITY="IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE"
stack_imap_start
for i in 5 6; do imap_append "$(report $i)"; done
imap_append "$(big 2)"
timeout 60 "$IG" poll --once > "$WORK/poll.out" 2> "$WORK/poll.err" || fail "poll without UIDPLUS: $(cat "$WORK/poll.err")"
grep -q '^3 messages processed' "$WORK/poll.out" && ok "without UIDPLUS: three processed" || fail "$(cat "$WORK/poll.out")"
expect_eq "without UIDPLUS: INBOX empty" "$(imap_count INBOX)" 0
expect_eq "without UIDPLUS: reports in Processed" "$(imap_count Processed)" 6
expect_eq "without UIDPLUS: oversized mail in Quarantine" "$(imap_count Quarantine)" 2
"$IG" list --json | check_json "without UIDPLUS: six incidents, none twice" \
  'len(d) == 6 and len({i["summary"] for i in d}) == 6'

# 4. The service: IDLE without MOVE picks up and moves new mail.
"$IG" run 2> "$WORK/run.log" &
pid=$!
wait_for "service connected" 10 grep -q 'connected (TLS verified, IDLE)$' "$WORK/run.log"
imap_append "$(report 7)"
wait_for "run records the new report" 10 sh -c "\"$IG\" list --json | grep -q 'Test report 7'" \
  && ok "run without MOVE: new report recorded"
for _ in $(seq 1 50); do [ "$(imap_count INBOX)" = 0 ] && break; sleep 0.2; done
expect_eq "run without MOVE: INBOX empty" "$(imap_count INBOX)" 0
expect_eq "run without MOVE: in Processed" "$(imap_count Processed)" 7
kill -TERM $pid
for _ in $(seq 1 100); do kill -0 $pid 2> /dev/null || break; sleep 0.1; done
kill -KILL $pid 2> /dev/null || true
rc=0; wait $pid || rc=$?
expect_eq "run stops with status 0 on SIGTERM" "$rc" 0

finish
