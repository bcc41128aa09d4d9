#!/usr/bin/env bash
# The database goes away under a running gateway (SPEC §9, issue 20): one
# `run` on the shared PostgreSQL store with a real Dovecot and SMTP
# receiver. DB_RESTART_MESSAGES reports (default 200) arrive in four
# chunks, straight into Dovecot's Maildir. PostgreSQL is restarted
# (pg_ctl restart -m fast, which ends every session) once a random share
# of the first chunk is recorded, again once a random share of the second
# chunk's mail is out, and once a random share of the third chunk is
# recorded it is stopped for DB_RESTART_OUTAGE seconds (default 10), the
# fourth chunk arriving meanwhile (it must stay in INBOX until the
# database is back). The run must still be running after each, log the
# error while the database is away, and take the lead again
# (a new `leading:` line) within 30 s of its return: the restart ended the
# session that held it. In the end INBOX must empty and the outbox drain
# within a bounded wait, and: each report recorded once, references
# PREFIX-YEAR-000001 upwards with no gap or duplicate, every report
# acknowledged under one Message-ID, every outbox row delivered, copies of
# a mail only under its own Message-ID and at most one per outage (the
# documented window between the SMTP server's acceptance and the mark),
# and `verify` passes.
# shellcheck source=tests/integration/pg_gateway_lib.sh
source "$(dirname "$0")/pg_gateway_lib.sh"
N=${DB_RESTART_MESSAGES:-200}
OUTAGE=${DB_RESTART_OUTAGE:-10}
OUTAGES=3
if [ "$N" -lt 40 ]; then
  echo "DB_RESTART_MESSAGES must be at least 40" >&2
  exit 2
fi

pid=""
pg_gateway_stack
lead_lines() { grep -c 'leading:' "$WORK/run.log" || true; }
abort() {
  fail "$*"
  echo "--- last lines of $WORK/run.log" >&2
  tail -n 20 "$WORK/run.log" >&2
  finish
}
# pg_ctl_as ARGS... - pg_ctl on the stack's cluster as the server's user;
# the new postmaster's pid goes where stack_pg_stop looks for it.
pg_ctl_as() {
  _stack_pg_as "$STACK_PG_BIN/pg_ctl" -D "$STACK/pg/data" -l "$STACK/pg/postgres.log" \
    -w -t "$STACK_TIMEOUT" "$@" >> "$STACK/pg/pg_ctl.log" 2>&1 ||
    abort "pg_ctl $*: $(tail -n 5 "$STACK/pg/postgres.log")"
  head -n 1 "$STACK/pg/data/postmaster.pid" > "$STACK/run/pg.pid"
}
# after_outage WHAT LEADS-BEFORE - the run survived WHAT and takes the lead
# again.
after_outage() {
  _stack_alive "$pid" || abort "the run died in $1"
  wait_until 30 at_least $(($2 + 1)) lead_lines ||
    abort "$1: the run did not take the lead again within 30 s"
  ok "$1: the run still runs and took the lead again"
}

chunk=$((N / 4))
"$IG" run 2> "$WORK/run.log" &
pid=$!
wait_until 30 at_least 1 lead_lines || abort "the run did not take the lead within 30 s"

# 1. A restart while reports are being recorded.
# Each at a random point between a fifth and four fifths of its chunk.
recorded=$(processed_files)
deliver 1 "$chunk"
share=$((20 + RANDOM % 61))
wait_until 120 at_least $((recorded + chunk * share / 100)) processed_files ||
  abort "restart 1: too little recorded within 120 s ($(processed_files) in Processed)"
before=$(lead_lines)
pg_ctl_as -m fast restart
after_outage "restart 1 (recording)" "$before"

# 2. A restart while mail is being sent.
mailed=$(smtp_count)
deliver $((chunk + 1)) $((2 * chunk))
share=$((20 + RANDOM % 61))
wait_until 120 at_least $((mailed + 2 * chunk * share / 100)) smtp_count ||
  abort "restart 2: too little mail out within 120 s ($(smtp_count) delivered)"
before=$(lead_lines)
pg_ctl_as -m fast restart
after_outage "restart 2 (sending)" "$before"

# 3. The database away for OUTAGE seconds; the last chunk arrives meanwhile.
recorded=$(processed_files)
deliver $((2 * chunk + 1)) $((3 * chunk))
share=$((20 + RANDOM % 61))
wait_until 120 at_least $((recorded + chunk * share / 100)) processed_files ||
  abort "outage: too little recorded within 120 s ($(processed_files) in Processed)"
before=$(lead_lines)
logged=$(stat -c %s "$WORK/run.log")
stack_pg_stop
deliver $((3 * chunk + 1)) "$N"
sleep "$OUTAGE"
errors=$(tail -c +$((logged + 1)) "$WORK/run.log" | grep -cE '^[^ ]+ (error|warn) ' || true)
if [ "$errors" -ge 1 ]; then ok "$errors error(s) logged while the database was away"
else fail "nothing logged while the database was away for $OUTAGE s"; fi
# A report leaves INBOX only once its record is committed.
left=$(imap_count INBOX)
if [ "$left" -ge $((N - 3 * chunk)) ]; then
  ok "the $((N - 3 * chunk)) reports that came meanwhile wait in INBOX ($left there)"
else
  fail "$left reports in INBOX after $OUTAGE s without the database: some of the $((N - 3 * chunk)) that came meanwhile left it"
fi
pg_ctl_as start
after_outage "an outage of $OUTAGE s" "$before"

pg_drained 180
_stack_alive "$pid" || fail "the run died: $(tail -n 3 "$WORK/run.log")"
kill -TERM "$pid"
wait "$pid" || fail "run exit status"
pid=""

pg_recorded_once outage "$OUTAGES"
echo "database restart test: $N messages, 2 restarts and $OUTAGE s without the database ($errors error lines), $dupes duplicate mails"
finish
