#!/usr/bin/env bash
# bench/big_message.sh BUILD [MB] - peak RSS of `ingest` reading one
# message of MB megabytes (default 25: max_message_size's default) on
# stdin, a report with a base64 attachment, against the message's size:
# the target is under twice the size (nothing copied whole more than once).
set -euo pipefail
build=$1
mb=${2:-25}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/ig-bench-big.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.eml" "$mb" <<'PY'
import base64, os, sys
path, mb = sys.argv[1], int(sys.argv[2])
head = (b"From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\n"
        b"Subject: Evidence attached\nMessage-ID: <big-1@justice.gov.uk>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n"
        b"Incident category: data breach\nDescription: the leaked file is attached.\n\n"
        b"--XX\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment; filename=a.pdf\n\n")
tail = b"--XX--\n"
room = mb * 1024 * 1024 - len(head) - len(tail)
data = os.urandom(room * 57 // 78 - 1024)
with open(path, "wb") as f:
    f.write(head + base64.encodebytes(data) + tail)
PY
sed -e "s|^database = .*|database = $work/var/gateway.db|" -e "s|^url = maildir:.*|url = maildir:$work/var/mail|" \
    -e "s|^url = dir:.*|url = dir:$work/var/outbox|" -e "s|^managers = .*|managers =|" \
    -e "s|^max_message_size = .*|max_message_size = $((mb + 1))MB|" \
    "$here/config/gateway.conf" > "$work/gateway.conf"
mkdir -p "$work/var"
size=$(stat -c %s "$work/big.eml")
INCIDENT_GATEWAY_CONFIG=$work/gateway.conf /usr/bin/time -o "$work/rss" -f '%M' \
  "$build/incident-gateway" ingest --now 2026-11-23T09:00:00Z < "$work/big.eml" > "$work/out" 2>&1
grep -q 'new INC-' "$work/out" || { echo "big_message: not recorded: $(cat "$work/out")" >&2; exit 1; }
rss=$(tail -1 "$work/rss")
awk -v rss="$rss" -v size="$size" 'BEGIN { printf "big message: %.1f MB on stdin, peak RSS %.1f MB, %.2fx its size (target < 2x)\n", size / 1048576, rss / 1024, rss * 1024 / size }'
