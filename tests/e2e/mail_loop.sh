#!/usr/bin/env bash
# Two gateways and an autoresponder between them (loop_robot.py) that
# answers every mail of one gateway's outbox with a new mail to the other,
# stripping Auto-Submitted, X-Loop, Precedence and the threading headers.
# One report starts it; the mail between them must stop within a few
# rounds because the gateways recognise what comes back, not because a
# rate limit is reached (the limits are set far above what the test sends).
source "$(dirname "$0")/lib.sh"
ROUNDS=20

# gateway NAME PREFIX - a gateway with its own config, store, maildir,
# outbox and address (security@NAME.example).
gateway() {
  local dir=$WORK/$1
  mkdir -p "$dir/mail/new" "$dir/mail/cur" "$dir/mail/tmp" "$dir/outbox"
  cat > "$dir/gateway.conf" <<CONF
[gateway]
address = security@$1.example
database = $(test_database "$dir/gateway.db")
reference_prefix = $2
[source]
url = maildir:$dir/mail
[transport]
url = dir:$dir/outbox
from = Security $1 <security@$1.example>
rate_limit_per_sender = 1000/h
rate_limit_total = 1000/h
[stakeholders]
ost = ost@$1.example
CONF
}

gateway a A
gateway b B
printf 'From: Jane Smith <jane.smith@justice.gov.uk>\nTo: security@a.example\nSubject: Laptop stolen from car\nMessage-ID: <seed-1@justice.gov.uk>\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\nMy work laptop was stolen from my car this morning.\n' \
  > "$WORK/a/mail/new/seed"

acks_a=0 acks_b=0 last_busy=0
for round in $(seq 1 $ROUNDS); do
  "$IG" -c "$WORK/a/gateway.conf" poll --once > /dev/null 2>> "$WORK/a.log" || fail "poll A, round $round"
  read -r n_ab k_ab < <("$SRC/tests/e2e/loop_robot.py" "$WORK/a/outbox" "$WORK/b/mail" security@b.example "a$round")
  "$IG" -c "$WORK/b/gateway.conf" poll --once > /dev/null 2>> "$WORK/b.log" || fail "poll B, round $round"
  read -r n_ba k_ba < <("$SRC/tests/e2e/loop_robot.py" "$WORK/b/outbox" "$WORK/a/mail" security@a.example "b$round")
  acks_a=$((acks_a + k_ab)) acks_b=$((acks_b + k_ba))
  if [ $((n_ab + n_ba)) -gt 0 ]; then last_busy=$round; fi
  # Both outboxes and inboxes empty for two rounds: nothing left to move.
  if [ $((round - last_busy)) -ge 2 ]; then break; fi
done

echo "mail passed between the gateways until round $last_busy of $ROUNDS; acks: A $acks_a, B $acks_b"
[ "$last_busy" -ge 1 ] && ok "the report started traffic" || fail "no mail left gateway A"
[ "$last_busy" -le 3 ] && ok "traffic stopped within 3 rounds" \
  || fail "mail still passing in round $last_busy of $ROUNDS"
[ "$acks_a" -le 3 ] && [ "$acks_b" -le 3 ] && ok "at most 3 acknowledgements each" \
  || fail "acknowledgements: A $acks_a, B $acks_b"
"$IG" -c "$WORK/a/gateway.conf" list --json | check_json "A: one incident, the report" \
  'len(d) == 1 and d[0]["summary"] == "Laptop stolen from car"'
"$IG" -c "$WORK/b/gateway.conf" messages --json | check_json \
  "B: what the robot sent is recorded as automatic replies" \
  'd and all(m["kind"] == "auto-reply" for m in d)'
finish
