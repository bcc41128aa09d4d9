#!/usr/bin/env bash
# A certificate issued by a trusted CA for TLS clients (extended key usage
# clientAuth only) must not let its holder pose as our SMTP server or a
# webhook receiver: the gateway refuses the connection and keeps the rows
# pending. In the control run the same servers hold serverAuth certificates
# and both deliveries succeed, so the test tells the two apart.
# (The IMAP source checks the purpose in tls_verify.c: tests/unit/test_tls_verify.c.)
source "$(dirname "$0")/gateway_lib.sh"
stack_tls
tls=$STACK/tls
(
  cd "$tls"
  umask 077
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout clientAuth.key -out clientAuth.csr 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "extendedKeyUsage=clientAuth" \
    "subjectAltName=DNS:localhost,IP:127.0.0.1" > clientAuth.ext
  openssl x509 -req -in clientAuth.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 2 -extfile clientAuth.ext -out clientAuth.crt 2>/dev/null
)
mkdir -p "$STACK/webhook"
printf 'webhook-secret' > "$STACK/webhook.secret"
printf 'unused' > "$STACK/imap.pass"
chmod 600 "$STACK/webhook.secret" "$STACK/imap.pass"

stack_smtp_start
https_pid=
stop_https() { [ -n "$https_pid" ] || return 0; kill "$https_pid" 2>/dev/null || true; wait "$https_pid" 2>/dev/null || true; https_pid=; }
trap 'stop_https; stack_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$STACK"' EXIT

# run_against SMTPS_URL CERT: the gateway's transport at SMTPS_URL and a
# webhook at an HTTPS receiver (http_stub.py) holding CERT; records
# one report, sends, and prints the pending rows as JSON.
run_against() {
  local smtps=$1 cert=$2 port
  port=$(stack_free_port)
  rm -f "$STACK/https.port"
  "$STACK_PYTHON" "$STACK_LIB_DIR/http_stub.py" webhook --outdir "$STACK/webhook" \
    --port "$port" --port-file "$STACK/https.port" --cert "$tls/$cert.crt" \
    --key "$tls/$cert.key" 2> "$STACK/https.log" &
  https_pid=$!
  for _ in $(seq 1 100); do [ -s "$STACK/https.port" ] && break; sleep 0.1; done
  rm -rf "$WORK/var" "$WORK/mail"
  mkdir -p "$WORK/var" "$WORK/mail/new" "$WORK/mail/cur" "$WORK/mail/tmp"
  gateway_config "maildir:$WORK/mail" \
    "[webhook.siem]" "url = https://127.0.0.1:$port/hook" \
    "secret_file = $STACK/webhook.secret" "events = created"
  sed -i "s|^url = smtp://127.0.0.1:$SMTP_PORT|url = $smtps|" "$WORK/gateway.conf"
  cp "$(report 1)" "$WORK/mail/new/1.eml"
  timeout 100 "$IG" poll --once > /dev/null 2>&1 || fail "poll ($cert)"
  "$IG" outbox --pending --json | tee "$WORK/outbox-$cert.json"
  stop_https
}

# A TLS server with the clientAuth certificate, posing as SMTP (its greeting never comes).
smtp_port=$(stack_free_port)
openssl s_server -quiet -www -accept "127.0.0.1:$smtp_port" -cert "$tls/clientAuth.crt" \
  -key "$tls/clientAuth.key" > /dev/null 2>&1 &
fake_smtp=$!
run_against "smtps://127.0.0.1:$smtp_port" clientAuth | check_json \
  "clientAuth certificate: mail and webhook refused at TLS" \
  'len(d) == 3 and any(r["kind"] == "webhook" for r in d) and all("purpose" in (r["last_error"] or "").lower() for r in d)'
kill "$fake_smtp" 2>/dev/null || true; wait "$fake_smtp" 2>/dev/null || true
run_against "smtps://127.0.0.1:$SMTPS_PORT" server | check_json \
  "serverAuth certificates (control): mail and webhook delivered" 'd == []'
finish
