#!/usr/bin/env bash
# bench/ingest_vs_floor.sh BUILD [N [PIPED]] - the gateway's durable intake
# against the floor of any durable intake (bench/baselines/ingest_floor.c:
# GMime walk, SHA-256 and the raw bytes in a bare SQLite table, WAL,
# synchronous=FULL, a commit per 64 messages), side by side on the same
# disk and the same corpus (bench/make_corpus.py: N mixed reports, one in
# seven with a 200 KB PDF).
#  - durable ingest: `incident-gateway ingest FILE...` recording every
#    report and writing its acknowledgement and notices (dir: transport,
#    synced) against `ingest_floor DB FILE...`; median of 3, alternating.
#  - MTA pipe: PIPED messages, one process each reading stdin, as Postfix's
#    pipe runs it, against `ingest_floor DB < msg`; median per message.
# Peak RSS of each comes from /usr/bin/time.
set -euo pipefail
build=$1
n=${2:-2000}
piped=${3:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/ig-bench-ingest.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$here/bench/make_corpus.py" "$work/corpus" "$n"
files=("$work"/corpus/*.eml)
cat > "$work/gateway.conf" <<CONF
[gateway]
database = $work/run/gateway.db
address = security@justice.gov.uk
[source]
url = maildir:$work/run/mail
[transport]
url = dir:$work/run/outbox
rate_limit_per_sender = 1000000/h
rate_limit_total = 1000000/h
[stakeholders]
ost = ost@justice.gov.uk
dacu = dacu@justice.gov.uk
siro = siro@justice.gov.uk
accreditor = accreditor@justice.gov.uk
CONF

# Runs a command, prints "SECONDS PEAK_RSS_KB".
timed() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$work/rss" -f %M "$@" > /dev/null 2>&1
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$work/rss")"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
fresh() { rm -rf "$work/run" "$work"/floor.db*; mkdir -p "$work/run"; }

: > "$work/floor.t"; : > "$work/gw.t"
for _ in 1 2 3; do
  fresh
  timed "$build/ingest_floor" "$work/floor.db" "${files[@]}" >> "$work/floor.t"
  fresh
  timed "$build/incident-gateway" -c "$work/gateway.conf" ingest "${files[@]}" >> "$work/gw.t"
done
sent=$(find "$work/run/outbox" -name '*.eml' | wc -l)
floor_us=$(median < "$work/floor.t"); gw_us=$(median < "$work/gw.t")
floor_rss=$(awk '{print $2}' "$work/floor.t" | sort -n | tail -1)
gw_rss=$(awk '{print $2}' "$work/gw.t" | sort -n | tail -1)
awk -v n="$n" -v f="$floor_us" -v g="$gw_us" -v fr="$floor_rss" -v gr="$gw_rss" -v s="$sent" 'BEGIN {
  printf "durable ingest: %d messages, %d mails written and synced by the gateway\n", n, s
  printf "durable ingest: ingest_floor      %8.0f msg/s  peak RSS %6d KB\n", n / (f / 1e6), fr
  printf "durable ingest: incident-gateway  %8.0f msg/s  peak RSS %6d KB\n", n / (g / 1e6), gr
  printf "durable ingest: ratio %.2f of the floor (target >= 0.80)\n", f / g
}'

: > "$work/floor.t"; : > "$work/gw.t"
fresh
for i in $(seq 0 $((piped - 1))); do
  msg=${files[$((i % ${#files[@]}))]}
  timed "$build/ingest_floor" "$work/floor.db" < "$msg" >> "$work/floor.t"
  timed "$build/incident-gateway" -c "$work/gateway.conf" ingest < "$msg" >> "$work/gw.t"
done
floor_us=$(median < "$work/floor.t"); gw_us=$(median < "$work/gw.t")
gw_rss=$(awk '{print $2}' "$work/gw.t" | sort -n | tail -1)
awk -v p="$piped" -v f="$floor_us" -v g="$gw_us" -v gr="$gw_rss" 'BEGIN {
  printf "MTA pipe: %d messages, one process each (median)\n", p
  printf "MTA pipe: ingest_floor DB < msg    %6.1f ms per message\n", f / 1000
  printf "MTA pipe: incident-gateway ingest  %6.1f ms per message  peak RSS %d KB (target < 25 MB)\n", g / 1000, gr
  printf "MTA pipe: %.2fx the floor'\''s cost (target <= 1.5x)\n", g / f
}'
