#!/usr/bin/env bash
# Self-test of the integration mail stack (stack.sh), with curl and openssl
# only: every server starts, TLS verifies against the test CA and only that
# CA, each login method works and wrong credentials fail, and the fixture
# helpers count right. Run it alone or several copies at once (each has its
# own $STACK and ports). KEEP=1 keeps $STACK for inspection.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=stack.sh
source "$HERE/stack.sh"

STACK=$(mktemp -d)
chmod 755 "$STACK"
trap 'stack_cleanup; if [ -n "${KEEP:-}" ]; then echo "kept $STACK"; else rm -rf "$STACK"; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# check "description" command... - ok if the command succeeds.
check() {
  local what=$1
  shift
  if "$@" >"$STACK/out" 2>&1; then ok "$what"; else fail "$what (exit $?): $(tail -c 600 "$STACK/out")"; fi
}

# check_exit "description" CODE command... - ok if the command exits with CODE
# (any non-zero code when CODE is "fail").
check_exit() {
  local what=$1 want=$2 rc=0
  shift 2
  "$@" >"$STACK/out" 2>&1 || rc=$?
  if [ "$want" = fail ] && [ "$rc" -ne 0 ]; then
    ok "$what (exit $rc)"
  elif [ "$rc" = "$want" ]; then
    ok "$what (exit $rc)"
  else
    fail "$what: expected exit $want, got $rc: $(tail -c 600 "$STACK/out")"
  fi
}

expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$3', got '$2'"; fi
}

start_ns=$(date +%s%N)
stack_tls
stack_imap_start
stack_smtp_start
stack_webhook_start
ok "stack in $STACK started: IMAP $IMAP_PORT, IMAPS $IMAPS_PORT, SMTP $SMTP_PORT, webhook $WEBHOOK_PORT, OAuth2 $OAUTH_PORT"

CA=$STACK/tls/ca.crt
IMAPS=imaps://127.0.0.1:$IMAPS_PORT
IMAP=imap://127.0.0.1:$IMAP_PORT
c() { curl -sS --max-time 20 "$@"; }

# --- files -----------------------------------------------------------------
expect_eq "imap.pass is mode 600" "$(stat -c %a "$STACK/imap.pass")" 600
expect_eq "imap.pass has no trailing newline" "$(cat "$STACK/imap.pass")" "$IMAP_PASSWORD"
expect_eq "imap.pass size" "$(stat -c %s "$STACK/imap.pass")" "${#IMAP_PASSWORD}"
expect_eq "smtp.pass size, mode" "$(stat -c '%s %a' "$STACK/smtp.pass")" "${#SMTP_PASSWORD} 600"
check "server.crt verifies against ca.crt for localhost and 127.0.0.1" \
  bash -c "openssl verify -CAfile '$CA' -verify_hostname localhost '$STACK/tls/server.crt' &&
           openssl verify -CAfile '$CA' -verify_ip 127.0.0.1 '$STACK/tls/server.crt'"
check_exit "server.crt does not verify against other-ca.crt" fail \
  openssl verify -CAfile "$STACK/tls/other-ca.crt" "$STACK/tls/server.crt"

# --- IMAP --------------------------------------------------------------------
check "IMAPS login with password; INBOX, Processed, Quarantine listed" \
  bash -c "out=\$(curl -sS --cacert '$CA' -u 'security:$IMAP_PASSWORD' '$IMAPS/') &&
           grep -q INBOX <<<\"\$out\" && grep -q Processed <<<\"\$out\" && grep -q Quarantine <<<\"\$out\""
check "Processed and Quarantine are subscribed" \
  bash -c "out=\$(curl -sS --cacert '$CA' -u 'security:$IMAP_PASSWORD' '$IMAPS/' -X 'LSUB \"\" *') &&
           grep -q Processed <<<\"\$out\" && grep -q Quarantine <<<\"\$out\""
check "IMAP + STARTTLS login with password" \
  c --ssl-reqd --cacert "$CA" -u "security:$IMAP_PASSWORD" "$IMAP/"
check "plain IMAP (no TLS) login with password" \
  c -u "security:$IMAP_PASSWORD" "$IMAP/"
check "IDLE, XOAUTH2 and OAUTHBEARER advertised" \
  bash -c "out=\$(curl -sS --ssl-reqd --cacert '$CA' -u 'security:$IMAP_PASSWORD' '$IMAP/' -X CAPABILITY -v 2>&1) &&
           grep -q ' IDLE' <<<\"\$out\" && grep -q AUTH=XOAUTH2 <<<\"\$out\" && grep -q AUTH=OAUTHBEARER <<<\"\$out\""
check_exit "IMAPS wrong password refused" 67 \
  c --cacert "$CA" -u "security:wrong-password" "$IMAPS/"
check "OAUTHBEARER login with $OAUTH_TOKEN (curl --oauth2-bearer)" \
  c --cacert "$CA" --oauth2-bearer "$OAUTH_TOKEN" -u security: "$IMAPS/"
check_exit "OAUTHBEARER login with a bad token refused" 67 \
  c --cacert "$CA" --oauth2-bearer bad-token -u security: "$IMAPS/"

# curl picks OAUTHBEARER whenever offered, so XOAUTH2 is spoken by hand. A
# refused token gets a "+ <error>" continuation first, answered by the empty
# line (which a logged-in session rejects harmlessly as an empty command).
xoauth2_login() {
  local token=$1 ir
  ir=$(printf 'user=security\001auth=Bearer %s\001\001' "$token" | base64 -w0)
  printf 'a AUTHENTICATE XOAUTH2 %s\r\n\r\nb LOGOUT\r\n' "$ir" |
    timeout 20 openssl s_client -quiet -verify_return_error -CAfile "$CA" \
      -connect "127.0.0.1:$IMAPS_PORT" 2>/dev/null | tr -d '\r' | grep '^a '
}
check "XOAUTH2 login with $OAUTH_TOKEN" bash -c "$(declare -f xoauth2_login); CA='$CA' IMAPS_PORT=$IMAPS_PORT xoauth2_login '$OAUTH_TOKEN' | grep -q '^a OK'"
check "XOAUTH2 login with a bad token refused" bash -c "$(declare -f xoauth2_login); CA='$CA' IMAPS_PORT=$IMAPS_PORT xoauth2_login bad-token | grep -q '^a NO'"

printf 'From: alice@example.org\r\nTo: security@example.org\r\nSubject: selftest\r\nMessage-ID: <selftest-1@example.org>\r\n\r\nHello.\r\n' >"$STACK/msg.eml"
expect_eq "imap_count INBOX before APPEND" "$(imap_count INBOX)" 0
check "imap_append to INBOX" imap_append "$STACK/msg.eml"
expect_eq "imap_count INBOX after APPEND" "$(imap_count INBOX)" 1
check "imap_append to Quarantine" imap_append "$STACK/msg.eml" Quarantine
expect_eq "imap_count Quarantine" "$(imap_count Quarantine)" 1
expect_eq "imap_count Processed" "$(imap_count Processed)" 0
check_exit "imap_count of a missing folder fails" fail imap_count NoSuchFolder
check_exit "IMAPS with other-ca.crt refused" 60 \
  c --cacert "$STACK/tls/other-ca.crt" -u "security:$IMAP_PASSWORD" "$IMAPS/"
check_exit "IMAP STARTTLS with other-ca.crt refused" 60 \
  c --ssl-reqd --cacert "$STACK/tls/other-ca.crt" -u "security:$IMAP_PASSWORD" "$IMAP/"

ports_before="$IMAP_PORT $IMAPS_PORT"
stack_imap_stop
check_exit "IMAP down after stack_imap_stop" 7 c --cacert "$CA" -u "security:$IMAP_PASSWORD" "$IMAPS/"
stack_imap_start
expect_eq "IMAP back on the same ports" "$IMAP_PORT $IMAPS_PORT" "$ports_before"
check "IMAPS login after restart" c --cacert "$CA" -u "security:$IMAP_PASSWORD" "$IMAPS/"
expect_eq "imap_count INBOX after restart" "$(imap_count INBOX)" 1

# --- SMTP --------------------------------------------------------------------
SMTP=smtp://127.0.0.1:$SMTP_PORT
printf 'From: gateway@example.org\r\nTo: soc@example.org\r\nSubject: smtp selftest\r\n\r\nBody.\r\n' >"$STACK/out.eml"
send() {  # send [curl options...] - one message from gateway@ to two recipients
  c --cacert "$CA" --mail-from gateway@example.org --mail-rcpt soc@example.org \
    --mail-rcpt cert@example.org --upload-file "$STACK/out.eml" "$@" "$SMTP"
}
check "SMTP STARTTLS + AUTH PLAIN/LOGIN delivers" send --ssl-reqd -u "gateway:$SMTP_PASSWORD"
expect_eq "smtp_count after one delivery" "$(smtp_count)" 1
first=$STACK/smtp/000001.eml
check "message has X-Envelope-From" grep -q '^X-Envelope-From: gateway@example.org' "$first"
check "message has one X-Envelope-To per recipient" \
  bash -c "grep -q '^X-Envelope-To: soc@example.org' '$first' && grep -q '^X-Envelope-To: cert@example.org' '$first'"
check "message keeps the original content" grep -q '^Subject: smtp selftest' "$first"
check_exit "SMTP wrong password refused" 67 send --ssl-reqd -u gateway:wrong-password
check "SMTP XOAUTH2 with $OAUTH_TOKEN delivers" send --ssl-reqd --oauth2-bearer "$OAUTH_TOKEN" -u gateway:
check_exit "SMTP XOAUTH2 with a bad token refused" 67 send --ssl-reqd --oauth2-bearer bad-token -u gateway:
check_exit "SMTP without STARTTLS refused" fail send -u "gateway:$SMTP_PASSWORD"
check_exit "SMTP without STARTTLS or AUTH refused" fail send
check_exit "SMTP STARTTLS with other-ca.crt refused" 60 \
  curl -sS --ssl-reqd --cacert "$STACK/tls/other-ca.crt" -u "gateway:$SMTP_PASSWORD" \
  --mail-from gateway@example.org --mail-rcpt soc@example.org --upload-file "$STACK/out.eml" "$SMTP"
expect_eq "smtp_count: only the two good sends landed" "$(smtp_count)" 2

port_before=$SMTP_PORT
stack_smtp_stop
check_exit "SMTP down: connection refused" 7 send --ssl-reqd -u "gateway:$SMTP_PASSWORD"
stack_smtp_start
expect_eq "SMTP back on the same port" "$SMTP_PORT" "$port_before"
check "SMTP delivers again after restart" send --ssl-reqd -u "gateway:$SMTP_PASSWORD"
expect_eq "smtp_count after restart (numbering continues)" "$(smtp_count)" 3
check "third message is 000003.eml" test -f "$STACK/smtp/000003.eml"

# --- webhook -----------------------------------------------------------------
HOOK=http://127.0.0.1:$WEBHOOK_PORT/hook
check "webhook POST answered 200" \
  bash -c "[ \"\$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
           -H 'X-Selftest: yes' --data '{\"incident\": 1}' '$HOOK')\" = 200 ]"
expect_eq "webhook body saved" "$(cat "$STACK/webhook/000001.json")" '{"incident": 1}'
check "webhook headers saved" grep -qi '^X-Selftest: yes' "$STACK/webhook/000001.headers"
check "webhook request line saved" grep -q '^POST /hook ' "$STACK/webhook/000001.headers"
touch "$STACK/webhook/fail"
expect_eq "webhook fail mode answers 503" \
  "$(c -o /dev/null -w '%{http_code}' --data '{"incident": 2}' "$HOOK")" 503
echo 429 >"$STACK/webhook/fail"
expect_eq "webhook fail mode with a status in the file" \
  "$(c -o /dev/null -w '%{http_code}' --data '{"incident": 2}' "$HOOK")" 429
expect_eq "refused webhook POSTs are logged, not saved" \
  "$(wc -l <"$STACK/webhook/rejected.log") $(webhook_count)" "2 1"
rm "$STACK/webhook/fail"
expect_eq "webhook answers 200 again" \
  "$(c -o /dev/null -w '%{http_code}' --data '{"incident": 2}' "$HOOK")" 200
expect_eq "webhook_count" "$(webhook_count)" 2

# --- cleanup ---------------------------------------------------------------
pids=$(cat "$STACK"/run/*.pid 2>/dev/null | tr '\n' ' ')
stack_cleanup
stack_cleanup
left=""
for p in $pids; do _stack_alive "$p" && left+=" $p"; done
expect_eq "no server left running after stack_cleanup (was:$pids)" "$left" ""
# stack_cleanup also releases the reserved ports, so another stack running in
# parallel may already listen on this one: check that OUR Dovecot is gone
# (login with our CA and password fails), not that the port is unused.
check_exit "our IMAPS no longer answers after stack_cleanup" fail \
  c --cacert "$CA" -u "security:$IMAP_PASSWORD" "$IMAPS/"

elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
echo "stack selftest took $((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000))) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
