#!/usr/bin/env bash
# `make bench`: every benchmark prints its own baseline, measured side by
# side in the same run, and the ratio; absolute numbers only where a
# target is absolute (ingests per second, RSS).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=("$here/examples")
[ -d "$here/tests/fixtures" ] && corpus+=("$here/tests/fixtures")

echo "== parse + extract vs bare GMime parse-and-walk"
"$build/bench_parse" "${corpus[@]}"
echo
echo "== free-text analysis vs GMime decoding the same text"
"$build/bench_freetext" "${corpus[@]}"
echo
echo "== durable ingest and MTA pipe delivery vs ingest_floor (mixed corpus, acks by dir:)"
"$here/bench/ingest_vs_floor.sh" "$build" 2000 60
echo
echo "== memory of one 25 MB message on stdin"
"$here/bench/big_message.sh" "$build" 25
echo
echo "== durable ingest (synchronous=FULL) and memory over 10,000 messages"
"$build/bench_ingest" "$here/examples" 10000
echo
echo "== reads at 100,000 incidents: show, list pages, search, the whole list (vs the sqlite3 CLI)"
"$here/bench/bench_reads.sh" "$build" 100000
echo
echo "== acknowledgement latency over real IMAP (IDLE) and SMTP"
if command -v dovecot > /dev/null && [ "$(id -u)" = 0 ]; then
  "$here/bench/ack_latency.sh" "$build" 50
else
  echo "skipped: needs root and dovecot-imapd (make test-deps)"
fi
