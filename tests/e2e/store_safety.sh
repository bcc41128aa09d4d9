#!/usr/bin/env bash
# Several processes on one store, and a store that is not what it should
# be: every outbox row is sent once by two processes sharing the work, a
# second `run` is refused naming the first, processes starting together
# on no store agree on one, an empty, truncated or foreign file is refused
# and left untouched, the dir: transport never overwrites a file, and
# `ingest` reads big input in bounded memory, exits 75 on a busy or
# read-only store and does not need the source. On PostgreSQL several runs
# share a store (one leads), and the foreign store is a schema with
# another program's incidents table; the files are SQLite's alone.
source "$(dirname "$0")/lib.sh"
write_config
outbox=$WORK/var/outbox
# Under AddressSanitizer (make sanitize) freed memory is held back for a
# while; keep that small so the memory bounds below still mean something.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1

# peak_rss_kb COMMAND... : runs it (stdin, stdout and stderr passed on) and
# prints its peak resident set in kB on fd 3, then returns its status.
peak_rss_kb() {
  python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=open(3, "w", closefd=False))
sys.exit(rc)' "$@"
}

# config_for NAME DATABASE [TRANSPORT-URL]: a config file on another store
# (a file's directory made: the gateway makes none).
config_for() {
  on_pg || mkdir -p "$(dirname "$2")"
  sed -e "s|^database = .*|database = ${2//&/\\&}|" \
      -e "s|^url = dir:.*|url = ${3:-dir:$outbox}|" "$WORK/gateway.conf" > "$WORK/$1.conf"
  if [ -n "${3:-}" ] && [[ $3 == smtp* ]]; then
    sed -i "s|^url = smtp.*|&\ntls = none|" "$WORK/$1.conf"
  fi
  echo "$WORK/$1.conf"
}

report() { # n: a form report from its own sender
  printf 'From: Reporter %d <reporter%d@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Lost badge %d\nMessage-ID: <safety-%d@justice.gov.uk>\nDate: Mon, 30 Nov 2026 09:00:00 +0000\n\nReporter name: Reporter %d\nIncident category: lost or stolen equipment\nDescription: Building badge %d lost on the way in.\n' "$1" "$1" "$1" "$1" "$1" "$1"
}

# --- processes starting together on no store agree on one -----------------
bad_start=0
for round in 1 2 3 4 5; do
  conf=$(config_for "first$round" "$(test_database "$WORK/first$round/gateway.db")")
  pids=()
  for _ in 1 2 3 4; do
    "$IG" -c "$conf" list > /dev/null 2>> "$WORK/first.err" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || bad_start=$((bad_start + 1)); done
done
expect_eq "4 processes x 5 first starts on a new store all succeed" "$bad_start" 0
[ -s "$WORK/first.err" ] && fail "first start errors: $(head -3 "$WORK/first.err")"

# --- two processes on one store send each outbox row once -----------------
N=${SAFETY_REPORTS:-150}
mkdir -p "$WORK/reports"
for i in $(seq 1 "$N"); do report "$i" > "$WORK/reports/r$i.eml"; done
# Queue the mail while the SMTP server is unreachable, so it all waits.
down=$(config_for down "$DATABASE" "smtp://127.0.0.1:1")
"$IG" -c "$down" ingest "$WORK"/reports/*.eml > /dev/null 2>&1 || fail "ingest with SMTP down"
rows=$("$IG" outbox --pending --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$rows" -ge "$N" ] && ok "$rows rows queued" || fail "only $rows rows queued"
# Half an hour on: the retries are due, and no deadline yet (the first,
# high impact triage, falls at an hour) adds mail of its own.
later=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
"$IG" poll --once --now "$later" > /dev/null 2> "$WORK/poll1.log" & p1=$!
"$IG" poll --once --now "$later" > /dev/null 2> "$WORK/poll2.log" & p2=$!
wait $p1 || fail "first poll exit status"
wait $p2 || fail "second poll exit status"
sends=$(cat "$WORK/poll1.log" "$WORK/poll2.log" | grep -c ' sent to ' || true)
expect_eq "rows sent by the two processes together" "$sends" "$rows"
expect_eq "files in the dir: transport" "$(ls "$outbox" | wc -l)" "$rows"
"$IG" outbox --json | check_json "every row sent, none twice" \
  "len(d) == $rows and all(r['state'] == 'sent' and r['attempts'] == 2 for r in d)"

# wait_log FILE TEXT - waits up to 5 s for TEXT in a run's log FILE.
wait_log() {
  for _ in $(seq 1 50); do grep -q "$2" "$1" && return 0; sleep 0.1; done
  return 1
}

if on_pg; then
  # --- on PostgreSQL a second run starts too, and stands by ----------------
  "$IG" run 2> "$WORK/run.log" & pid=$!
  wait_log "$WORK/run.log" "leading: watching" && ok "the first run leads" \
    || fail "first run: $(cat "$WORK/run.log")"
  "$IG" run 2> "$WORK/run2.log" & pid2=$!
  wait_log "$WORK/run2.log" "standing by: asking for the lead" || fail "second run: $(cat "$WORK/run2.log")"
  # A standby asks for the lead every 5 s (service.c): two chances to take it.
  sleep 11
  kill -0 $pid2 2>/dev/null && ! grep -q leading "$WORK/run2.log" \
    && ok "a second run starts and stands by while the first leads" \
    || fail "second run: $(cat "$WORK/run2.log")"
  "$IG" poll --once > /dev/null 2>&1 && ok "poll --once beside run" || fail "poll beside run refused"
  kill -TERM $pid2
  wait $pid2 || fail "second run exit status"
  kill -TERM $pid
  wait $pid || fail "run exit status"
  "$IG" run 2> "$WORK/run3.log" & pid=$!
  wait_log "$WORK/run3.log" "leading: watching" || fail "run: $(cat "$WORK/run3.log")"
  kill -KILL $pid; wait $pid 2>/dev/null || true
  timeout 10 "$IG" run 2> "$WORK/run4.log" & pid=$!
  wait_log "$WORK/run4.log" "leading: watching" && ok "a killed leader leaves no lead behind" \
    || fail "run after kill -9: $(cat "$WORK/run4.log")"
  kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true
else
  # --- a second run on the store is refused, naming the first -------------
  "$IG" run 2> "$WORK/run.log" & pid=$!
  wait_log "$WORK/run.log" watching || true
  rc=0
  timeout 10 "$IG" run > /dev/null 2> "$WORK/run2.err" || rc=$?
  expect_eq "second run exit status" "$rc" 1
  grep -q "another incident-gateway run (PID $pid)" "$WORK/run2.err" && [ "$(wc -l < "$WORK/run2.err")" = 1 ] \
    && ok "second run refused on one line naming PID $pid" || fail "second run said: $(cat "$WORK/run2.err")"
  "$IG" poll --once > /dev/null 2>&1 && ok "poll --once beside run" || fail "poll beside run refused"
  kill -TERM $pid
  wait $pid || fail "run exit status"
  "$IG" run 2> "$WORK/run3.log" & pid=$!
  wait_log "$WORK/run3.log" watching || true
  kill -KILL $pid; wait $pid 2>/dev/null || true
  timeout 3 "$IG" run 2> "$WORK/run4.log" & pid=$!
  sleep 1
  kill -0 $pid 2>/dev/null && ok "a killed run leaves no lock behind" || fail "run after kill -9: $(cat "$WORK/run4.log")"
  kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true
fi

# --- a busy store: ingest exits 75 (EX_TEMPFAIL) so the MTA retries ------
# The lock held for 12 s, past the 10 s a writer waits for it. On
# PostgreSQL the writers' lock is the advisory lock of store_db.h's
# SQ_WRITERS_LOCK (keyed by the schema: psql has the store's search_path),
# held here by a transaction of another session.
mkfifo "$WORK/locked"
if on_pg; then
  key=$(sed -n 's/^#define SQ_WRITERS_LOCK "\(.*\)"$/\1/p' "$SRC/gateway/store_db.h")
  [ -n "$key" ] || { fail "no SQ_WRITERS_LOCK in gateway/store_db.h"; finish; }
  psql -qX -v ON_ERROR_STOP=1 "$DATABASE" > /dev/null <<SQL & locker=$!
BEGIN;
SELECT pg_advisory_xact_lock($key);
\\! echo locked > "$WORK/locked"
SELECT pg_sleep(12);
COMMIT;
SQL
  busy="canceling statement due to lock timeout"
else
  python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").write("locked\n")
time.sleep(12)' "$DATABASE" "$WORK/locked" & locker=$!
  busy="database is locked"
fi
read -r _ < "$WORK/locked"
report 9001 > "$WORK/busy.eml"
rc=0
"$IG" ingest < "$WORK/busy.eml" > /dev/null 2> "$WORK/busy.err" || rc=$?
expect_eq "ingest on a store locked by another process (exit status)" "$rc" 75
tail -1 "$WORK/busy.err" | grep -q "$busy" && ok "busy store named as the cause" \
  || fail "busy store: $(tail -1 "$WORK/busy.err")"
wait $locker
"$IG" ingest < "$WORK/busy.eml" > /dev/null 2>&1 && ok "recorded once the store is free" || fail "retry"

# --- a read-only store (its file system remounted read-only, in a private
# mount namespace; on PostgreSQL the gateway's session read-only, as on a
# standby): 75 too, and the message is recorded once it is writable again.
# Skipped where user namespaces are not available.
if on_pg; then
  report 9002 > "$WORK/ro.eml"
  ro=$(config_for ro "$DATABASE%20-cdefault_transaction_read_only%3Don")
  rc=0
  "$IG" -c "$ro" ingest < "$WORK/ro.eml" > /dev/null 2> "$WORK/ro.err" || rc=$?
  expect_eq "ingest on a read-only store (exit status)" "$rc" 75
  tail -1 "$WORK/ro.err" | grep -q 'read-only transaction' && ok "read-only store named as the cause" \
    || fail "read-only store: $(tail -1 "$WORK/ro.err")"
  "$IG" ingest < "$WORK/ro.eml" > "$WORK/ro.out" 2>&1 && grep -q 'new INC-' "$WORK/ro.out" \
    && ok "recorded once writable again" || fail "after read-only: $(cat "$WORK/ro.out")"
elif unshare -rm true 2> /dev/null; then
  report 9002 > "$WORK/ro.eml"
  dir=$(dirname "$DATABASE")
  rc=0
  unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
    sh "$dir" "$IG" ingest < "$WORK/ro.eml" > /dev/null 2> "$WORK/ro.err" || rc=$?
  expect_eq "ingest on a read-only store (exit status)" "$rc" 75
  tail -1 "$WORK/ro.err" | grep -q 'attempt to write a readonly database' && ok "read-only store named as the cause" \
    || fail "read-only store: $(tail -1 "$WORK/ro.err")"
  "$IG" ingest < "$WORK/ro.eml" > "$WORK/ro.out" 2>&1 && grep -q 'new INC-' "$WORK/ro.out" \
    && ok "recorded once writable again" || fail "after read-only: $(cat "$WORK/ro.out")"
else
  echo "skipped: a read-only store (unshare -rm not available)"
fi

# --- MTA delivery does not need the source: with the [source] Maildir
# unusable (a file where its directory should be) ingest still records,
# and only what watches the source fails.
printf 'not a directory\n' > "$WORK/not-a-dir"
nosrc=$WORK/nosource.conf
sed "s|^url = maildir:.*|url = maildir:$WORK/not-a-dir/mail|" "$INCIDENT_GATEWAY_CONFIG" > "$nosrc"
report 9003 | "$IG" -c "$nosrc" ingest > "$WORK/nosrc.out" 2>&1 && grep -q 'new INC-' "$WORK/nosrc.out" \
  && ok "ingest records with the source unusable" || fail "ingest needs the source: $(cat "$WORK/nosrc.out")"
"$IG" -c "$nosrc" poll --once > /dev/null 2> "$WORK/nosrc.err" && fail "poll without its source"
grep -q 'not-a-dir/mail' "$WORK/nosrc.err" && ok "poll names the unusable source" \
  || fail "poll: $(cat "$WORK/nosrc.err")"

# --- an empty, truncated or foreign file is refused, untouched ------------
if on_pg; then
  foreign=$(test_database)
  DATABASE=$foreign db_sql "CREATE TABLE incidents(note text); INSERT INTO incidents VALUES ('mine')"
  conf=$(config_for bad-foreign "$foreign")
  rc=0
  "$IG" -c "$conf" ingest "$WORK/reports/r1.eml" > /dev/null 2> "$WORK/bad.err" || rc=$?
  expect_eq "a schema with another program's incidents table refused (exit status)" "$rc" 1
  grep -q "incidents table but no gateway schema version; refusing to use it" "$WORK/bad.err" \
    && [ "$(wc -l < "$WORK/bad.err")" = 1 ] && ok "foreign schema: one clear line" \
    || fail "foreign schema: $(cat "$WORK/bad.err")"
  expect_eq "foreign schema left untouched" \
    "$(DATABASE=$foreign db_sql "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE schemaname = current_schema();
                                 SELECT note FROM incidents")" "$(printf 'incidents\nmine')"
else
mkdir -p "$WORK/bad"
: > "$WORK/bad/empty.db"
head -c 8192 "$DATABASE" > "$WORK/bad/truncated.db"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("create table notes(x)"); c.execute("insert into notes values (1)"); c.commit()' "$WORK/bad/foreign.db"
printf 'these are my notes, not a database\n' > "$WORK/bad/text.db"
for name in empty truncated foreign text; do
  file=$WORK/bad/$name.db
  before=$(sha256sum "$file")
  conf=$(config_for "bad-$name" "$file")
  rc=0
  "$IG" -c "$conf" ingest "$WORK/reports/r1.eml" > /dev/null 2> "$WORK/bad.err" || rc=$?
  expect_eq "$name database refused (exit status)" "$rc" 1
  grep -q "$file: .*refusing to use it" "$WORK/bad.err" && [ "$(wc -l < "$WORK/bad.err")" = 1 ] \
    && ok "$name database: one clear line" || fail "$name database: $(cat "$WORK/bad.err")"
  expect_eq "$name database left untouched" "$(sha256sum "$file")" "$before"
  expect_eq "no log beside the $name database" "$(ls "$WORK/bad" | grep -c -- '-wal' || true)" 0
done
fi

# --- the dir: transport never overwrites a file ---------------------------
conf=$(config_for keep "$(test_database "$WORK/keep/gateway.db")" "dir:$WORK/keep/out")
mkdir -p "$WORK/keep/out"
echo "an earlier mail" > "$WORK/keep/out/00000001-INC-2026-000001.eml"
"$IG" -c "$conf" --now 2026-11-30T12:00:00Z ingest "$WORK/reports/r1.eml" > /dev/null 2>&1 \
  || fail "ingest beside an existing file"
expect_eq "existing file kept" "$(cat "$WORK/keep/out/00000001-INC-2026-000001.eml")" "an earlier mail"
"$IG" -c "$conf" outbox --json | check_json "its row waits with the reason" \
  "[r for r in d if r['id'] == 1 and r['state'] == 'pending' and 'not overwritten' in r['last_error']]"

# --- ingest reads in bounded memory ---------------------------------------
big=$(test_database "$WORK/big/gateway.db")
conf=$(config_for big "$big" "dir:$WORK/big/out")
rss=$( { printf 'From: big@justice.gov.uk\nSubject: huge\nMessage-ID: <huge@x>\n\n'; head -c 300000000 /dev/zero; } \
      | peak_rss_kb "$IG" -c "$conf" ingest 3>&1 > "$WORK/big.out" 2> /dev/null) || fail "300 MB ingest exit status"
echo "ingest of 300 MB on stdin: peak RSS $((rss / 1024)) MB"
[ "$rss" -lt 102400 ] && ok "300 MB on stdin in under 100 MB of memory" || fail "peak RSS ${rss} kB"
grep -q '^stdin: quarantined' "$WORK/big.out" && ok "300 MB message quarantined" || fail "$(cat "$WORK/big.out")"
if on_pg; then
  size=$(DATABASE=$big db_sql "SELECT sum(pg_total_relation_size(oid)) FROM pg_class
                               WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'")
else
  size=$(stat -c %s "$big")
fi
[ "$size" -lt 5000000 ] && ok "only its header stored ($size bytes of store)" || fail "store is $size bytes"
"$IG" -c "$conf" messages --json | check_json "header of the quarantined mail kept" \
  'd[0]["kind"] == "quarantined" and d[0]["subject"] == "huge" and d[0]["from"] == "big@justice.gov.uk"'

# Many files are read a batch at a time: 400 files of 256 KB (100 MB) fit
# in far less (identical, so recording each is cheap).
mkdir -p "$WORK/many"
{ report 1; head -c 262144 /dev/zero | tr '\0' 'x'; echo; } > "$WORK/many/m0.eml"
for i in $(seq 1 399); do ln "$WORK/many/m0.eml" "$WORK/many/m$i.eml"; done
rss=$(peak_rss_kb "$IG" -c "$conf" ingest "$WORK"/many/*.eml 3>&1 > /dev/null 2>&1) || fail "many files exit status"
echo "ingest of 400 files of 256 KB: peak RSS $((rss / 1024)) MB"
[ "$rss" -lt 61440 ] && ok "100 MB of files in under 60 MB of memory" || fail "peak RSS ${rss} kB"

# The Maildir source also holds a batch's bytes in bounds, not only its
# count: 40 messages of 4 MB (160 MB) waiting in new/.
mkdir -p "$WORK/md/new" "$WORK/md/cur" "$WORK/md/tmp"
{ report 2; head -c 4194304 /dev/zero | tr '\0' 'y'; echo; } > "$WORK/md/new/m0"
for i in $(seq 1 39); do ln "$WORK/md/new/m0" "$WORK/md/new/m$i"; done
sed -e "s|^url = maildir:.*|url = maildir:$WORK/md|" "$conf" > "$WORK/md.conf"
rss=$(peak_rss_kb "$IG" -c "$WORK/md.conf" poll --once 3>&1 > /dev/null 2>&1) || fail "maildir poll exit status"
echo "poll of 40 Maildir messages of 4 MB: peak RSS $((rss / 1024)) MB"
[ "$rss" -lt 102400 ] && ok "160 MB waiting in a Maildir read in under 100 MB of memory" || fail "peak RSS ${rss} kB"
expect_eq "every Maildir message processed" "$(ls "$WORK/md/new" | wc -l)" 0
finish
