#!/usr/bin/env bash
# The manager digest end to end (SPEC 2 and 8): the example reports and two
# more go in before daily_at (09:30); `digest --print` records nothing; the
# first poll at or after 09:30 local sends the day's digest once and no later
# pass that day sends another; the mail's text and HTML parts agree on
# every figure, and headless Chromium draws its HTML with the chart's bars
# (digest_check.py); its chain head is one `verify --anchor` accepts; the
# next day's digest starts where the last one was sent; without managers
# `digest --send` is a configuration error.
source "$(dirname "$0")/lib.sh"
# Debian's python3-pil serves /usr/bin/python3, which may not be first on PATH.
pil_python=
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import PIL' 2> /dev/null; then pil_python=$py; break; fi
done
# make test installs both: a browser test that cannot run fails.
if ! command -v chromium > /dev/null || [ -z "$pil_python" ]; then
  echo "FAIL: needs chromium and python3-pil (scripts/install-deps.sh --test)"
  exit 1
fi
write_config "s|^managers =.*|managers = a@justice.gov.uk, b@justice.gov.uk|;s|^daily_at = .*|daily_at = 09:30|"
out=$WORK/var/outbox
mkdir -p "$WORK/in" "$WORK/var/mail/new" "$WORK/var/mail/cur" "$WORK/var/mail/tmp"

# phish <n> <subject> - a form reporting phishing, sent 07:30, detected 06:00
# (reported late).
phish() {
  cat > "$WORK/in/phish-$1.eml" <<EOF
From: Sam Jones <sam.jones@justice.gov.uk>
To: security@justice.gov.uk
Subject: $2
Date: Mon, 23 Nov 2026 07:30:0$1 +0000
Message-ID: <digest-phish-$1@justice.gov.uk>

Reporter name: Sam Jones
Date and time of detection: 23/11/2026 06:00
Incident category: Phishing
Impact: High
Personal data involved: No
Description: A mail asked for my password.
EOF
}
phish 1 '<script>alert("x")</script> & <b>fake</b> payroll login'
phish 2 'Another fake payroll login'

"$IG" ingest "$SRC"/examples/*.eml "$WORK"/in/*.eml --now 2026-11-23T07:50:00Z \
  > "$WORK/ingest.txt" 2> "$WORK/ingest.log" || fail "ingest exit $?"
expect_eq "nine incidents" "$(grep -c ': new INC-' "$WORK/ingest.txt")" 9
digests() { ls "$out" | grep -c -- '-gateway\.eml$'; }
expect_eq "no digest before daily_at" "$(digests)" 0

rows_before=$("$IG" outbox --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$IG" digest --now 2026-11-23T07:55:00Z > "$WORK/print1.txt" || fail "digest exit $?"
"$IG" digest --print --now 2026-11-23T07:55:00Z > "$WORK/print2.txt" || fail "digest --print exit $?"
cmp -s "$WORK/print1.txt" "$WORK/print2.txt" && ok "digest alone is digest --print, and records nothing" \
  || fail "two prints differ"
grep -q '^New incidents since records began: 9$' "$WORK/print1.txt" \
  && ok "print: all nine new" || fail "print: $(head -n 5 "$WORK/print1.txt")"
grep -q '^-----8<----- text/html -----8<-----$' "$WORK/print1.txt" && grep -q '^</html>$' "$WORK/print1.txt" \
  && ok "print: the text part, then the HTML part" || fail "print: no HTML part"
expect_eq "print queues nothing" \
  "$("$IG" outbox --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$rows_before"

"$IG" poll --once --now 2026-11-23T09:29:00Z > /dev/null 2>&1 || fail "poll exit $?"
expect_eq "none at 09:29" "$(digests)" 0
"$IG" poll --once --now 2026-11-23T09:35:00Z > /dev/null 2>&1 || fail "poll exit $?"
expect_eq "the day's digest at the first pass after 09:30" "$(digests)" 1
"$IG" poll --once --now 2026-11-23T10:00:00Z > /dev/null 2>&1 || fail "poll exit $?"
"$IG" poll --once --now 2026-11-23T23:59:00Z > /dev/null 2>&1 || fail "poll exit $?"
expect_eq "and no other that day" "$(digests)" 1

mail=$(ls "$out"/*-gateway.eml | head -n 1)
status=0
"$pil_python" "$SRC/tests/e2e/digest_check.py" "$mail" "$WORK" > "$WORK/check.txt" || status=$?
grep -E '^(ok|FAIL):' "$WORK/check.txt"
[ "$status" -eq 0 ] && ok "digest_check.py" || fail "digest_check.py exit $status"
expect_eq "the digest's new incidents" "$(sed -n 's/^NEW //p' "$WORK/check.txt")" 9
expect_eq "its overdue deadlines (the three high-impact triages, due 08:50)" \
  "$(sed -n 's/^OVERDUE //p' "$WORK/check.txt")" 3
expect_eq "its late reports (the two phish, detected 90 minutes before)" \
  "$(sed -n 's/^LATE //p' "$WORK/check.txt")" 2
head=$(sed -n 's/^HEAD //p' "$WORK/check.txt")
"$IG" verify --anchor "$head" > /dev/null && ok "verify --anchor accepts the digest's chain head" \
  || fail "verify --anchor $head"

"$IG" poll --once --now 2026-11-24T09:30:00Z > /dev/null 2>&1 || fail "poll exit $?"
expect_eq "the next day's digest" "$(digests)" 2
next=$(ls "$out"/*-gateway.eml | tail -n 1)
text_part() {
  python3 -c 'import email,email.policy,sys
print(email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
      .get_body(("plain",)).get_content())' "$1"
}
# Read whole before grep: grep -q stops at the match, and a writer cut
# off fails the pipeline under pipefail.
next_text=$(text_part "$next")
grep -q '^New incidents since the last digest (Mon 23 Nov 09:35): 0$' <<< "$next_text" \
  && ok "it starts where the last was sent" || fail "next digest: $(grep '^New' <<< "$next_text")"

write_config
code=0
"$IG" digest --send --now 2026-11-24T09:00:00Z > /dev/null 2> "$WORK/err.txt" || code=$?
expect_eq "no managers: digest --send exits 2" "$code" 2
grep -q '\[stakeholders\] managers' "$WORK/err.txt" && ok "and names [stakeholders] managers" \
  || fail "error: $(cat "$WORK/err.txt")"
finish
