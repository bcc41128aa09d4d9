#!/usr/bin/env bash
# Starts a real Dovecot and SMTP receiver (tests/integration/stack.sh), the
# gateway on them with IMAP IDLE, and measures acknowledgement latency
# (bench/ack_latency.py). Usage: bench/ack_latency.sh BUILD_DIR [N]
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/tests/integration/stack.sh"
STACK=$(mktemp -d)
chmod 755 "$STACK"
export STACK
trap 'stack_cleanup; rm -rf "$STACK"' EXIT
stack_tls > /dev/null
stack_imap_start
stack_smtp_start
cat > "$STACK/gateway.conf" <<CONF
[gateway]
database = $STACK/gateway.db
[source]
url = imaps://127.0.0.1:$IMAPS_PORT/INBOX
user = security
password_file = $STACK/imap.pass
ca_file = $STACK/tls/ca.crt
poll_interval = 1h
[transport]
url = smtp://127.0.0.1:$SMTP_PORT
user = gateway
password_file = $STACK/smtp.pass
ca_file = $STACK/tls/ca.crt
[stakeholders]
ost = ost@justice.gov.uk
CONF
"$here/$build/incident-gateway" -c "$STACK/gateway.conf" run 2> "$STACK/run.log" &
gw=$!
for _ in $(seq 100); do grep -q 'connected' "$STACK/run.log" && break; sleep 0.1; done
/usr/bin/python3 "$here/bench/ack_latency.py" "${2:-50}"
kill -TERM $gw
wait $gw
