#!/usr/bin/env bash
# Failover on the shared PostgreSQL store (SPEC §9, issue 20): two `run`
# processes, A and B, on one store with a real Dovecot and SMTP receiver.
# One leads (records from IMAP), the other stands by (sends outbox rows
# only). Reports arrive over time, straight into Dovecot's Maildir: a tenth
# before the runs start, most in one chunk before each kill, the last tenth
# after the kills. FAILOVER_KILLS times (default 4) the leader, the run
# whose log has the newest `leading:` line, is killed with SIGKILL at a
# random point of its chunk's work (odd kills once a random share of the
# chunk is recorded, even kills once a random share of its mail is out), so
# that work always remains; the other must log `leading:` within 30 s, and
# the killed one is started again and must log `standing by:`. Never may a
# standby's log show `leading:` before its leader is killed, nor a run
# record a report before it leads.
#
# In the end INBOX must empty and the outbox drain within a bounded wait,
# and: FAILOVER_MESSAGES (default 1000, at least 50 a kill) incidents,
# each report's Message-ID stored once, references PREFIX-YEAR-000001
# upwards with no gap or duplicate, every report acknowledged with exactly
# one acknowledgement Message-ID, every outbox row delivered, no stray
# mail, copies of a mail only under its own Message-ID and at most one per
# kill (the documented window between the SMTP server's acceptance and the
# mark), and `verify` passes. Prints the counts and the takeover times.
# shellcheck source=tests/integration/pg_gateway_lib.sh
source "$(dirname "$0")/pg_gateway_lib.sh"
N=${FAILOVER_MESSAGES:-1000}
KILLS=${FAILOVER_KILLS:-4}
TAKEOVER_LIMIT=30
# Each kill needs a chunk big enough that work is left when it lands.
if [ "$KILLS" -lt 1 ] || [ "$N" -lt $((50 * KILLS)) ]; then
  echo "FAILOVER_KILLS must be >= 1 and FAILOVER_MESSAGES >= 50 per kill" >&2
  exit 2
fi

declare -A pid log starts
pg_gateway_stack
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# start SLOT - a new `run` in SLOT (A or B), logging to a file of its own.
start() {
  local s=$1
  starts[$s]=$((${starts[$s]:-0} + 1))
  log[$s]=$WORK/run-$s${starts[$s]}.log
  "$IG" run 2> "${log[$s]}" &
  pid[$s]=$!
}
other() { if [ "$1" = A ]; then echo B; else echo A; fi; }
leads() { grep -q 'leading:' "${log[$1]}"; }
someone_leads() { leads A || leads B; }
stands_by() { grep -q 'standing by:' "${log[$1]}"; }
abort() {
  local s
  fail "$*"
  for s in A B; do
    echo "--- last lines of ${log[$s]}" >&2
    tail -n 15 "${log[$s]}" >&2
  done
  finish
}

# A tenth of the reports before the runs start, most in KILLS chunks, one
# before each kill, the rest after the last.
before=$((N / 10))
chunk=$(((N - 2 * before) / KILLS))
deliver 1 "$before"
delivered=$before
start A
start B
wait_until 30 someone_leads || abort "neither run took the lead within 30 s"
if leads A; then leader=A; else leader=B; fi
standby=$(other $leader)
leads "$standby" && abort "runs A and B both lead"
wait_until 30 stands_by "$standby" || abort "run $standby did not log 'standing by:' within 30 s"
ok "run $leader leads, run $standby stands by"

takeovers=() in_inbox=0 in_outbox=0
for ((k = 1; k <= KILLS; k++)); do
  leads "$standby" && abort "kill $k: runs A and B both lead"
  recorded=$(processed_files)
  mailed=$(smtp_count)
  deliver $((delivered + 1)) $((delivered + chunk))
  delivered=$((delivered + chunk))
  # A random point between a fifth and four fifths of the chunk's work.
  share=$((20 + RANDOM % 61))
  if ((k % 2)); then
    wait_until 120 at_least $((recorded + chunk * share / 100)) processed_files ||
      abort "kill $k: run $leader recorded too little within 120 s ($(processed_files) in Processed)"
  else
    wait_until 120 at_least $((mailed + 2 * chunk * share / 100)) smtp_count ||
      abort "kill $k: too little mail out within 120 s ($(smtp_count) delivered)"
  fi
  kill -KILL "${pid[$leader]}" || abort "kill $k: run $leader had died"
  killed_at=$(now_ms)
  wait "${pid[$leader]}" 2>/dev/null || true
  [ "$(imap_count INBOX)" -gt 0 ] && in_inbox=$((in_inbox + 1))
  [ "$(pending_count)" -gt 0 ] && in_outbox=$((in_outbox + 1))
  wait_until $((TAKEOVER_LIMIT + 30)) leads "$standby" ||
    abort "kill $k: run $standby did not take the lead within $((TAKEOVER_LIMIT + 30)) s"
  took=$(($(now_ms) - killed_at))
  takeovers+=("$((took / 1000)).$((took % 1000 / 100))")
  [ "$took" -le $((TAKEOVER_LIMIT * 1000)) ] ||
    fail "kill $k: run $standby took the lead after ${takeovers[-1]} s, over $TAKEOVER_LIMIT s"
  start "$leader"
  wait_until 30 stands_by "$leader" ||
    abort "kill $k: the restarted run $leader did not log 'standing by:' within 30 s"
  leader=$standby
  standby=$(other "$leader")
done
ok "$KILLS leaders killed, each time the other took the lead"
if [ "$in_inbox" -ge 1 ]; then ok "$in_inbox kill(s) with reports left in INBOX"
else fail "no kill left reports in INBOX: the kills missed the recording"; fi
if [ "$in_outbox" -ge 1 ]; then ok "$in_outbox kill(s) with mail left to send"
else fail "no kill left mail to send: the kills missed the sending"; fi

deliver $((delivered + 1)) "$N"
pg_drained 300
leads "$standby" && fail "at the end runs A and B both lead"
for s in A B; do
  kill -TERM "${pid[$s]}" 2>/dev/null || fail "run $s died: $(tail -n 3 "${log[$s]}")"
  wait "${pid[$s]}" || fail "run $s exit status"
done
pid=()
cat "$WORK"/run-*.log > "$WORK/run.log"
bad=$(for f in "$WORK"/run-*.log; do
  awk '/leading:/ { exit } /: new report$/ { print FILENAME; exit }' "$f"
done)
expect_eq "no run recorded a report before it led" "$bad" ""

pg_recorded_once kill "$KILLS"
echo "failover test: $N messages, $KILLS leaders killed (SIGKILL; $in_inbox with reports in INBOX, $in_outbox with mail to send), takeovers in ${takeovers[*]} s, $dupes duplicate mails"
finish
