#!/usr/bin/env bash
# A failing oauth2_token_command (SPEC 3, gateway/secret.h) against the real
# Dovecot (XOAUTH2) and SMTP receiver: a command that exits non-zero, prints
# nothing or cannot be found is reported in one clear line naming the side
# ([source] or [transport]) and the program, never its arguments (a client
# secret) or a token; mail is never lost: it stays in INBOX, or its outbox
# rows stay pending, until the command works again. A helper that leaves a
# background process holding its output (an agent it starts) still logs in
# at once. (A command that hangs is killed after 30 s: test_secret.c tests
# that with a 1 s limit rather than making this test wait.)
source "$(dirname "$0")/gateway_lib.sh"
stack_tls
stack_imap_start
stack_smtp_start

bin=$WORK/bin
mkdir -p "$bin"
# get-token --client-secret SECRET SIDE: does what $WORK/mode.SIDE says.
cat > "$bin/get-token" <<SCRIPT
#!/bin/sh
case \$(cat "$WORK/mode.\$3") in
  ok) echo good-token ;;
  fail) echo "get-token: invalid client secret" >&2; exit 3 ;;
  empty) exit 0 ;;
  agent) sleep 60 & echo good-token ;;
esac
SCRIPT
chmod +x "$bin/get-token"
mode() { echo "$2" > "$WORK/mode.$1"; }
mode source ok
mode transport ok

gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
sed -i -e "s|^password_file = $STACK/imap.pass|oauth2_token_command = $bin/get-token --client-secret S3cr3tArg source|" \
  -e "s|^password_file = $STACK/smtp.pass|oauth2_token_command = $bin/get-token --client-secret S3cr3tArg transport|" \
  "$WORK/gateway.conf"
src="IMAP 127.0.0.1:$IMAPS_PORT: [source] oauth2_token_command"

# poll_fails WHAT WANT - poll --once exits 1 within 10 s with the one line
# "incident-gateway: WANT", and the report is still waiting in INBOX.
poll_fails() {
  local what=$1 want=$2 rc=0 start
  start=$(date +%s)
  "$IG" poll --once > /dev/null 2> "$WORK/err" || rc=$?
  expect_eq "$what: poll exits 1" "$rc" 1
  expect_eq "$what: one line naming the program" "$(cat "$WORK/err")" "incident-gateway: $want"
  [ $(($(date +%s) - start)) -lt 10 ] && ok "$what: returns at once" || fail "$what: took $(($(date +%s) - start)) s"
  expect_eq "$what: the report stays in INBOX" "$(imap_count INBOX)" 1
  cat "$WORK/err" >> "$WORK/all.err"
}

imap_append "$(report 1)"
mode source fail
poll_fails "source command exits 3" "$src (get-token) exited with status 3; run it by hand to see why"
mode source empty
poll_fails "source command prints nothing" "$src (get-token) printed no token"
sed -i "s|$bin/get-token --client-secret S3cr3tArg source|$bin/no-such-helper --client-secret S3cr3tArg|" \
  "$WORK/gateway.conf"
poll_fails "source command not found" \
  "$src (no-such-helper) was not found (exit status 127); run it by hand to see why"
sed -i "s|$bin/no-such-helper --client-secret S3cr3tArg|$bin/get-token --client-secret S3cr3tArg source|" \
  "$WORK/gateway.conf"
"$IG" messages --json | check_json "nothing recorded while the token command fails" 'd == []'

# The service: it says why, keeps running, and picks the mail up once the
# command works; mail it cannot send waits in the outbox.
mode source fail
mode transport fail
"$IG" run 2> "$WORK/run.log" &
pid=$!
wait_for "source failure logged" 10 grep -qF "error - <-> $src (get-token) exited with status 3" "$WORK/run.log" \
  && ok "run: the failing source command is logged, naming the program"
kill -0 $pid 2> /dev/null && ok "run: keeps running" || fail "run died: $(cat "$WORK/run.log")"
expect_eq "run: the report waits in INBOX" "$(imap_count INBOX)" 1
mode source ok
wait_for "recorded once the command works" 15 sh -c "\"$IG\" list --json | grep -q 'Test report 1'" \
  && ok "run: the report recorded once the source command works"
for _ in $(seq 1 50); do [ "$(imap_count INBOX)" = 0 ] && break; sleep 0.2; done
expect_eq "run: INBOX empty" "$(imap_count INBOX)" 0
expect_eq "run: the report in Processed" "$(imap_count Processed)" 1
tx="SMTP smtp://127.0.0.1:$SMTP_PORT: [transport] oauth2_token_command (get-token) exited with status 3"
wait_for "outbox rows pending" 10 sh -c "\"$IG\" outbox --pending --json | grep -q 'oauth2_token_command'"
"$IG" outbox --pending --json | check_json "run: mail waits in the outbox with the reason" \
  'len(d) >= 2 and all(r["state"] == "pending" and r["last_error"].startswith("'"$tx"'") for r in d)'
expect_eq "run: nothing reached the SMTP receiver" "$(smtp_count)" 0
kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "run stops with status 0" "$rc" 0
grep -qF "$tx" "$WORK/run.log" && ok "run: the failing transport command is logged" \
  || fail "transport failure not logged: $(cat "$WORK/run.log")"

# Once the transport command works, the waiting mail goes out, even when
# the helper leaves an agent running that holds its output open.
mode transport agent
ids=$("$IG" outbox --pending --json | python3 -c 'import json,sys; print(" ".join(sorted(r["message_id"] for r in json.load(sys.stdin))))')
start=$(date +%s)
"$IG" poll --once --now "$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null 2>&1 || fail "poll after the fix"
[ $(($(date +%s) - start)) -lt 10 ] && ok "a helper that leaves an agent running is not waited for" \
  || fail "poll waited $(($(date +%s) - start)) s for the helper's agent"
"$IG" outbox --pending --json | check_json "the outbox drains once the transport command works" 'd == []'
for id in $ids; do
  grep -l "^Message-ID: <$id>" "$STACK"/smtp/*.eml > /dev/null && ok "delivered: $id" || fail "not delivered: $id"
done

# Nothing shows the command's arguments or the token.
"$IG" outbox --json > "$WORK/outbox.json"
if grep -l 'S3cr3tArg\|good-token' "$WORK/all.err" "$WORK/run.log" "$WORK/outbox.json"; then
  fail "the client secret or the token was disclosed"
else
  ok "neither the command's arguments nor the token disclosed"
fi

finish
