#!/usr/bin/env bash
# Crash safety: while the service records a few hundred reports from IMAP
# and sends their mail, it is killed with SIGKILL at random moments and
# restarted, several times. In the end every report is recorded exactly
# once, none is left in INBOX, none is lost, no incident is duplicated.
# Prints the number of kills and how many acknowledgements went out twice
# (a kill between SMTP acceptance and the commit that marks the row sent
# resends it, with the same Message-ID, by design: at-least-once).
source "$(dirname "$0")/gateway_lib.sh"
N=${CRASH_MESSAGES:-300}
KILLS=${CRASH_KILLS:-6}
stack_tls
stack_imap_start
stack_smtp_start
gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
# Every reporter is acknowledged: above the default rate_limit_total.
sed -i '/^\[transport\]/a rate_limit_total = 1000/h' "$WORK/gateway.conf"

# Deliver straight into Dovecot's Maildir: as good as APPEND, much faster.
inbox=$STACK/dovecot/mail/security
mkdir -p "$inbox/tmp" "$inbox/new" "$inbox/cur"
for i in $(seq 1 "$N"); do
  f=$(report "$i")
  mv "$f" "$inbox/tmp/crash.$i.eml"
done
chown -R dovecot:dovecot "$inbox"
mv "$inbox"/tmp/crash.* "$inbox/new/"
expect_eq "reports waiting in INBOX" "$(imap_count INBOX)" "$N"

kills=0
for k in $(seq 1 "$KILLS"); do
  "$IG" run 2>> "$WORK/run.log" &
  pid=$!
  # Random moments: during connect, recording, moving or sending.
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.05, 0.8), 2))')"
  if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    kills=$((kills + 1))
  fi
  wait $pid 2>/dev/null || true
done

# Let the last run finish everything.
"$IG" run 2>> "$WORK/run.log" &
pid=$!
done_all() {
  [ "$(imap_count INBOX)" = 0 ] && "$IG" outbox --pending --json | grep -qx '\[\]'
}
for _ in $(seq 1 600); do done_all && break; sleep 0.2; done
kill -TERM $pid
wait $pid || fail "final run exit status"

"$IG" list --json > "$WORK/list.json"
check_json "exactly $N incidents" "len(d) == $N" < "$WORK/list.json"
check_json "no summary twice (no duplicate incident)" \
  "len({i['summary'] for i in d}) == $N" < "$WORK/list.json"
"$IG" messages --json | check_json "each report stored once" \
  "len(d) == $N and len({m['message_id'] for m in d}) == $N and all(m['reference'] for m in d)"
expect_eq "INBOX empty" "$(imap_count INBOX)" 0
expect_eq "every message in Processed once" "$(imap_count Processed)" "$N"
"$IG" outbox --pending --json | check_json "nothing left to send" 'd == []'
acks=$(grep -l '^Auto-Submitted: auto-replied' "$STACK"/smtp/*.eml | xargs grep -h '^Message-ID:' | sort | uniq -c)
distinct=$(printf '%s\n' "$acks" | wc -l)
dupes=$(printf '%s\n' "$acks" | awk '$1 > 1 { n += $1 - 1 } END { print n + 0 }')
expect_eq "every reporter acknowledged" "$distinct" "$N"
"$IG" verify > /dev/null && ok "audit chain and raw messages verify" || fail "verify"
echo "crash test: $N messages, $kills kills (SIGKILL), $dupes duplicate acknowledgements"
finish
