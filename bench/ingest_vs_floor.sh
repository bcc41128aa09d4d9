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
#  - the same durable ingest with the store on PostgreSQL 15: a server this
#    script starts in its directory (tests/integration/stack_pg.sh: TLS on
#    loopback, the server's defaults, so synchronous_commit and fsync on),
#    a fresh schema for each run; its three runs alternate with the two
#    above, against the same floor. Skipped, saying why, without
#    PostgreSQL 15.
#  - MTA pipe: PIPED messages, one process each reading stdin, as Postfix's
#    pipe runs it, against `ingest_floor DB < msg`; median per message.
# Peak RSS of each comes from /usr/bin/time (the gateway's process only, not
# the PostgreSQL server's).
set -euo pipefail
build=$1
n=${2:-2000}
piped=${3:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/ig-bench-ingest.XXXXXX")
pg_bin=${STACK_PG_BIN:-/usr/lib/postgresql/15/bin}
STACK=$work/pg
cleanup() {
  if declare -F stack_pg_stop > /dev/null; then
    stack_cleanup
    # pg_ctl may give up waiting on a server that then starts after all.
    if [ -f "$STACK/pg/data/postmaster.pid" ]; then
      _stack_pg_as "$pg_bin/pg_ctl" -D "$STACK/pg/data" -m immediate -w stop > /dev/null 2>&1 || true
    fi
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

python3 "$here/bench/make_corpus.py" "$work/corpus" "$n"
files=("$work"/corpus/*.eml)
# gateway_conf DATABASE - the configuration of a run on that store.
gateway_conf() {
  cat <<CONF
[gateway]
database = $1
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
}
gateway_conf "$work/run/gateway.db" > "$work/gateway.conf"

pg_skipped=""
if [ -x "$pg_bin/initdb" ]; then
  # The server runs as postgres when started by root: it must get through.
  chmod 755 "$work"
  mkdir "$STACK"
  # shellcheck source=tests/integration/stack.sh
  source "$here/tests/integration/stack.sh"
  # shellcheck source=tests/integration/stack_pg.sh
  source "$here/tests/integration/stack_pg.sh"
  stack_tls
  stack_pg_start
  # pg_sql SQL - runs SQL as the server's superuser, prints the rows.
  pg_sql() {
    _stack_pg_as "$STACK_PG_BIN/psql" -qXAt -v ON_ERROR_STOP=1 -h "$STACK/pg" \
      -p "$STACK_PG_PORT" -U postgres -d gateway -c "$1"
  }
  # pg_fresh - an empty schema for the next run; the checkpoint writes the
  # pages the last run left dirty now rather than during the next run.
  pg_fresh() {
    pg_sql "SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench CASCADE" > /dev/null
    pg_sql "CREATE SCHEMA bench AUTHORIZATION gateway" > /dev/null
    pg_sql "CHECKPOINT" > /dev/null
  }
  # The store goes into the first schema of the path, unaccent stays in
  # public (as tests/unit/test_database.h does).
  gateway_conf "$STACK_PG_URL&options=-csearch_path%3Dbench%2Cpublic" > "$work/gateway-pg.conf"
  pg_server="PostgreSQL $(pg_sql 'SHOW server_version') (TLS on loopback"
  pg_server+=", synchronous_commit=$(pg_sql 'SHOW synchronous_commit'), fsync=$(pg_sql 'SHOW fsync'))"
else
  pg_skipped="no PostgreSQL 15 ($pg_bin/initdb missing: apt-get install postgresql-15)"
fi

# Runs a command, prints "SECONDS PEAK_RSS_KB".
timed() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$work/rss" -f %M "$@" > /dev/null 2>&1
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$work/rss")"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# A run's files are moved aside, not deleted, until the script ends: on
# ext4 without a journal (this machine's disk) every inode allocation
# searches past the inodes freed in the last minutes (recently_deleted,
# half the gateway's CPU in perf when the 5,390 mails of the run before
# had just been deleted), which would measure this script's clean-up.
runs=0
fresh() {
  rm -f "$work"/floor.db*
  if [ -d "$work/run" ]; then
    runs=$((runs + 1))
    mkdir -p "$work/old"
    mv "$work/run" "$work/old/$runs"
  fi
  mkdir -p "$work/run"
}
sent_mails() { find "$work/run/outbox" -name '*.eml' | wc -l; }

: > "$work/floor.t"; : > "$work/gw.t"; : > "$work/pg.t"
for _ in 1 2 3; do
  fresh
  timed "$build/ingest_floor" "$work/floor.db" "${files[@]}" >> "$work/floor.t"
  fresh
  timed "$build/incident-gateway" -c "$work/gateway.conf" ingest "${files[@]}" >> "$work/gw.t"
  sent=$(sent_mails)
  if [ -z "$pg_skipped" ]; then
    fresh
    pg_fresh
    timed "$build/incident-gateway" -c "$work/gateway-pg.conf" ingest "${files[@]}" >> "$work/pg.t"
    pg_sent=$(sent_mails)
  fi
done
floor_us=$(median < "$work/floor.t"); gw_us=$(median < "$work/gw.t")
floor_rss=$(awk '{print $2}' "$work/floor.t" | sort -n | tail -1)
gw_rss=$(awk '{print $2}' "$work/gw.t" | sort -n | tail -1)
awk -v n="$n" -v f="$floor_us" -v g="$gw_us" -v fr="$floor_rss" -v gr="$gw_rss" -v s="$sent" 'BEGIN {
  printf "durable ingest: %d messages, %d mails written and synced by the gateway\n", n, s
  printf "durable ingest: ingest_floor      %8.0f msg/s  peak RSS %6d KB\n", n / (f / 1e6), fr
  printf "durable ingest: incident-gateway  %8.0f msg/s  peak RSS %6d KB\n", n / (g / 1e6), gr
  printf "durable ingest: ratio %.2f of the floor (target >= 0.80)\n", f / g
}'
if [ -n "$pg_skipped" ]; then
  echo "durable ingest on PostgreSQL: skipped: $pg_skipped"
else
  pg_us=$(median < "$work/pg.t")
  pg_rss=$(awk '{print $2}' "$work/pg.t" | sort -n | tail -1)
  awk -v n="$n" -v f="$floor_us" -v g="$gw_us" -v p="$pg_us" -v pr="$pg_rss" -v s="$pg_sent" -v v="$pg_server" 'BEGIN {
    printf "durable ingest on %s: %d messages, %d mails written and synced by the gateway\n", v, n, s
    printf "durable ingest on PostgreSQL: incident-gateway  %8.0f msg/s  peak RSS %6d KB (without the server)\n", n / (p / 1e6), pr
    printf "durable ingest on PostgreSQL: ratio %.2f of the floor, %.2f of the gateway on SQLite (runs alternating with both)\n", f / p, g / p
  }'
fi

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
