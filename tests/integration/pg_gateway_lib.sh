# shellcheck shell=bash
# What the tests of a gateway on the shared PostgreSQL store
# (failover_pg.sh, db_restart_pg.sh) share: gateway_lib.sh and
# stack_pg.sh, the stack, reports delivered into Dovecot's Maildir, the
# test's runs killed at exit, and the checks that every report was
# recorded once and acknowledged once. Source it in place of
# gateway_lib.sh, with the test's arguments:
#   source "$(dirname "$0")/pg_gateway_lib.sh"
# N is the number of reports; pid the test's runs, a process id or an
# array of them.
# shellcheck source=tests/integration/gateway_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/gateway_lib.sh"
# shellcheck source=tests/integration/stack_pg.sh
source "$here/stack_pg.sh"

# kill_runs - SIGKILL to each run in pid.
kill_runs() {
  local p
  for p in "${pid[@]}"; do
    [ -z "$p" ] || kill -KILL "$p" 2>/dev/null || true
  done
}

# pg_gateway_stack - Dovecot, the SMTP receiver and PostgreSQL started,
# the gateway configured on the PostgreSQL store, $inbox INBOX's Maildir;
# at exit the runs are killed before the stack goes: a run outlives its
# database, so it would stay behind retrying for ever.
pg_gateway_stack() {
  trap 'kill_runs; gateway_cleanup' EXIT
  stack_tls
  stack_imap_start
  stack_smtp_start
  stack_pg_start
  gateway_config "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
  sed -i "/^database = /c database = $STACK_PG_URL" "$WORK/gateway.conf"
  grep -qxF "database = $STACK_PG_URL" "$WORK/gateway.conf" ||
    { echo "the store's URI did not go into $WORK/gateway.conf" >&2; exit 2; }
  # Every reporter is acknowledged: above the default rate_limit_total.
  sed -i "/^\[transport\]/a rate_limit_total = $((2 * N))/h" "$WORK/gateway.conf"

  inbox=$STACK/dovecot/mail/security
  mkdir -p "$inbox/tmp" "$inbox/new" "$inbox/cur"
  chown -R dovecot:dovecot "$inbox"
}

# deliver FIRST LAST - reports FIRST..LAST into INBOX through the Maildir,
# as crash.sh does: as good as APPEND, much faster.
deliver() {
  local i
  for ((i = $1; i <= $2; i++)); do report "$i" > /dev/null; done
  mv "$WORK"/report-*.eml "$inbox/tmp/"
  chown dovecot:dovecot "$inbox"/tmp/report-*.eml
  mv "$inbox"/tmp/report-*.eml "$inbox/new/"
}
# processed_files - how many reports have reached Processed, from the
# Maildir (cheap enough to poll; imap_count is what the checks trust).
processed_files() {
  local f n=0
  for f in "$inbox"/.Processed/cur/* "$inbox"/.Processed/new/*; do
    [ -e "$f" ] && n=$((n + 1))
  done
  echo "$n"
}
pending_count() {
  "$IG" outbox --pending --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
# at_least MIN COMMAND - COMMAND prints MIN or more.
at_least() { [ "$("$2")" -ge "$1" ]; }

# wait_until SECONDS COMMAND... - polls COMMAND every 0.05 s; false if it
# did not succeed within SECONDS (of the clock: COMMAND may be slow).
wait_until() {
  local end=$((SECONDS + $1))
  shift
  until "$@" > /dev/null 2>&1; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.05
  done
}

done_all() {
  [ "$(imap_count INBOX)" = 0 ] && [ "$(pending_count)" = 0 ]
}
# pg_drained SECONDS - INBOX empties and the outbox drains within SECONDS.
pg_drained() {
  if wait_until "$1" done_all; then ok "INBOX empty and outbox drained"
  else fail "not done within $1 s: $(imap_count INBOX) in INBOX, $(pending_count) to send"; fi
}

# pg_recorded_once EVENT COUNT - every report recorded once, references
# gapless, INBOX empty, every outbox row sent and delivered, each reporter
# acknowledged under one Message-ID, at most one mail delivered twice per
# EVENT (COUNT of them: the window between the SMTP server's acceptance
# and the mark), and `verify` passes; sets dupes, the copies delivered
# more than once.
pg_recorded_once() {
  "$IG" list --json > "$WORK/list.json"
  check_json "exactly $N incidents" "len(d) == $N" < "$WORK/list.json"
  check_json "references PREFIX-YEAR-000001 to $N: no gap, no duplicate" \
    "sorted(i['reference'] for i in d) == ['%s-%06d' % (d[0]['reference'].rsplit('-', 1)[0], n) for n in range(1, $N + 1)]" \
    < "$WORK/list.json"
  "$IG" messages --json | check_json "each report's Message-ID stored once, with its own incident" \
    "sorted(m['message_id'] for m in d) == sorted('report-%d@justice.gov.uk' % i for i in range(1, $N + 1)) and len({m['reference'] for m in d if m['reference']}) == $N"
  expect_eq "INBOX empty" "$(imap_count INBOX)" 0
  expect_eq "every report in Processed once" "$(imap_count Processed)" "$N"

  check_delivery "$N"
  expect_eq "every reporter acknowledged under one Message-ID" "$(delivery_count acked)" "$N"
  expect_eq "no reporter acknowledged under two Message-IDs" "$(delivery_count acked-twice)" 0
  dupes=$(delivery_count dupes)
  if [ "$dupes" -le "$2" ]; then ok "$dupes mail(s) delivered twice, at most one per $1 ($2)"
  else fail "$dupes mails delivered twice for $2 ${1}s: more than the one in flight per $1"; fi
  if "$IG" verify > /dev/null; then ok "audit chain and raw messages verify"; else fail "verify"; fi
}
