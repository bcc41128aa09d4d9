#!/usr/bin/env bash
# Starts a real Dovecot and SMTP receiver (tests/integration/stack.sh), the
# gateway on them with IMAP IDLE (configured as the integration tests do),
# and measures acknowledgement latency (bench/ack_latency.py).
# Usage: bench/ack_latency.sh BUILD_DIR [N]
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/integration/gateway_lib.sh
source "$root/tests/integration/gateway_lib.sh" "$root/$build/incident-gateway"
stack_tls > /dev/null
stack_imap_start
stack_smtp_start
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
"$IG" run 2> "$WORK/run.log" &
gw=$!
trap 'kill -TERM $gw 2>/dev/null; stack_cleanup; rm -rf "$STACK"' EXIT
wait_for "gateway connected" 10 grep -q 'connected' "$WORK/run.log"
/usr/bin/python3 "$root/bench/ack_latency.py" "${2:-50}"
