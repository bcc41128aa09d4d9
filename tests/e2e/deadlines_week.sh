#!/usr/bin/env bash
# Twelve days stepped with `poll --once --now` (SPEC 8), at every hour
# something falls due, the hour before and the hour after, and a few
# between: every reminder and escalation appears at the hour the deadlines
# say, and the managers' digest at the first pass after 08:00 each day,
# each once, although every step two processes poll the same store side
# by side and, every fifth, a first poll is killed with SIGKILL wherever
# it happens to be (deciding, committing, sending) before they run. The
# reporter who completes the form hears no more; `show` says how each
# deadline ended.
source "$(dirname "$0")/lib.sh"
write_config "s|^managers =.*|managers = a@justice.gov.uk|"
mkdir -p "$WORK/in"
out="$WORK/var/outbox"
new="$WORK/new"
: > "$new"
: > "$WORK/listed"

# log NOW - notes each mail written since the last call as "NOW FILE"
# (files are named by outbox row, so in the order they were queued).
log() {
  ls "$out" > "$WORK/listing"
  comm -13 "$WORK/listed" "$WORK/listing" | sed "s|^|$1 |" >> "$new"
  mv "$WORK/listing" "$WORK/listed"
}

# timeline - "NOW | To | Subject" for each mail noted.
timeline() {
  python3 - "$out" "$new" <<'PY'
import email, email.policy, sys
out, new = sys.argv[1:]
for line in open(new):
    now, name = line.split()
    m = email.message_from_binary_file(open(out + "/" + name, "rb"), policy=email.policy.default)
    print("%s | %s | %s" % (now, m["To"], m["Subject"]))
PY
}

# report N FROM IMPACT PERSONAL-DATA-LINE
report() {
  cat > "$WORK/in/$1.eml" <<EOF
From: $2
To: security@justice.gov.uk
Subject: Report $1
Message-ID: <week-$1@justice.gov.uk>
Date: Mon, 23 Nov 2026 08:55:00 +0000

Reporter name: Reporter $1
Date and time of detection: 23/11/2026 08:30
Incident category: lost-or-stolen-equipment
Impact: $3
$4
Description: Incident number $1 of the week.
EOF
}
report 1 "Ann Lee <ann.lee@justice.gov.uk>" high "Personal data involved: no"
report 2 "Ben Cole <ben.cole@justice.gov.uk>" low ""
report 3 "Cat Dunn <cat.dunn@justice.gov.uk>" medium "Personal data involved: no"
report 4 "Dee Fox <dee.fox@justice.gov.uk>" low ""
"$IG" ingest --now 2026-11-23T09:00:00Z "$WORK"/in/*.eml > /dev/null 2>&1 || fail "ingest"
log start
: > "$new"

# The hours stepped through: each due time, the hour before it (nothing
# early) and after it (nothing twice), and a few between.
hours() {
  local day h
  for h in 10 11 12 13 14 15 16 17 18; do echo "2026-11-23T$h:00:00Z"; done
  for day in 24 25 26; do
    for h in 07 08 09 10 11 12 15 21; do echo "2026-11-${day}T$h:00:00Z"; done
  done
  for day in 11-27 11-28 11-29 11-30 12-01 12-02; do
    for h in 03 09 15 21; do echo "2026-${day}T$h:00:00Z"; done
  done
  for day in 03 04; do
    for h in 07 08 09 10; do echo "2026-12-${day}T$h:00:00Z"; done
  done
}
kills=0
step=0
for now in $(hours); do
  if [ "$now" = 2026-11-24T15:00:00Z ]; then
    # Dee completes her form: her reminders stop.
    cat > "$WORK/in/reply.eml" <<'EOF'
From: Dee Fox <dee.fox@justice.gov.uk>
To: security@justice.gov.uk
Subject: RE: [INC-2026-000004] Your security incident report has been recorded
Message-ID: <week-reply@justice.gov.uk>

  Personal data involved: no
EOF
    "$IG" ingest --now "$now" "$WORK/in/reply.eml" > /dev/null 2>&1 || fail "reply"
  fi
  step=$((step + 1))
  if [ $((step % 5)) = 0 ]; then
    "$IG" poll --once --now "$now" > /dev/null 2>&1 & victim=$!
    sleep "0.0$((RANDOM % 4))"
    kill -9 "$victim" 2>/dev/null || true
    wait "$victim" 2>/dev/null && true
    [ $? = 137 ] && kills=$((kills + 1))
  fi
  "$IG" poll --once --now "$now" > /dev/null 2>> "$WORK/poll.err" & a=$!
  "$IG" poll --once --now "$now" > /dev/null 2>> "$WORK/poll.err" & b=$!
  wait "$a" || fail "poll at $now"
  wait "$b" || fail "second poll at $now"
  log "$now"
done

[ "$kills" -gt 0 ] && ok "$kills polls killed mid-way" || fail "no poll was killed mid-way"
expect_eq "every reminder, escalation and digest at its hour, once" "$(timeline)" \
"2026-11-23T10:00:00Z | ost@justice.gov.uk | [INC-2026-000001] Triage overdue: Report 1
2026-11-23T11:00:00Z | siro@justice.gov.uk | [INC-2026-000001] Not triaged: Report 1
2026-11-23T11:00:00Z | ben.cole@justice.gov.uk | [INC-2026-000002] Reminder: details missing from your incident report
2026-11-23T11:00:00Z | dee.fox@justice.gov.uk | [INC-2026-000004] Reminder: details missing from your incident report
2026-11-23T13:00:00Z | ost@justice.gov.uk | [INC-2026-000003] Triage overdue: Report 3
2026-11-23T17:00:00Z | siro@justice.gov.uk | [INC-2026-000003] Not triaged: Report 3
2026-11-24T08:00:00Z | a@justice.gov.uk | Security incidents digest: Tue 24 Nov 2026
2026-11-24T09:00:00Z | ost@justice.gov.uk | [INC-2026-000002] Triage overdue: Report 2
2026-11-24T09:00:00Z | ost@justice.gov.uk | [INC-2026-000004] Triage overdue: Report 4
2026-11-24T11:00:00Z | ben.cole@justice.gov.uk | [INC-2026-000002] Reminder: details missing from your incident report
2026-11-24T11:00:00Z | dee.fox@justice.gov.uk | [INC-2026-000004] Reminder: details missing from your incident report
2026-11-24T15:00:00Z | ost@justice.gov.uk | [INC-2026-000004] New correspondence from dee.fox@justice.gov.uk: RE: Your security incident report has been recorded
2026-11-25T08:00:00Z | a@justice.gov.uk | Security incidents digest: Wed 25 Nov 2026
2026-11-25T09:00:00Z | siro@justice.gov.uk | [INC-2026-000002] Not triaged: Report 2
2026-11-25T09:00:00Z | siro@justice.gov.uk | [INC-2026-000004] Not triaged: Report 4
2026-11-25T11:00:00Z | ben.cole@justice.gov.uk | [INC-2026-000002] Reminder: details missing from your incident report
2026-11-26T08:00:00Z | a@justice.gov.uk | Security incidents digest: Thu 26 Nov 2026
2026-11-26T11:00:00Z | ost@justice.gov.uk | [INC-2026-000002] Report form still incomplete: Report 2
2026-11-27T09:00:00Z | a@justice.gov.uk | Security incidents digest: Fri 27 Nov 2026
2026-11-28T09:00:00Z | a@justice.gov.uk | Security incidents digest: Sat 28 Nov 2026
2026-11-29T09:00:00Z | a@justice.gov.uk | Security incidents digest: Sun 29 Nov 2026
2026-11-30T09:00:00Z | a@justice.gov.uk | Security incidents digest: Mon 30 Nov 2026
2026-12-01T09:00:00Z | a@justice.gov.uk | Security incidents digest: Tue 1 Dec 2026
2026-12-02T09:00:00Z | a@justice.gov.uk | Security incidents digest: Wed 2 Dec 2026
2026-12-03T08:00:00Z | a@justice.gov.uk | Security incidents digest: Thu 3 Dec 2026
2026-12-03T09:00:00Z | ost@justice.gov.uk | [INC-2026-000001] Management report due: Report 1
2026-12-03T09:00:00Z | ost@justice.gov.uk | [INC-2026-000003] Management report due: Report 3
2026-12-04T08:00:00Z | a@justice.gov.uk | Security incidents digest: Fri 4 Dec 2026
2026-12-04T09:00:00Z | siro@justice.gov.uk | [INC-2026-000001] Management report overdue: Report 1
2026-12-04T09:00:00Z | siro@justice.gov.uk | [INC-2026-000003] Management report overdue: Report 3"

deadlines() {
  "$IG" show "$1" --json | python3 -c '
import json, sys
print(" ".join("%s=%s/%d" % (d["kind"], d["state"], d["reminders_sent"])
               for d in sorted(json.load(sys.stdin)["deadlines"], key=lambda d: d["kind"])))'
}
expect_eq "show: triage and management report escalated" "$(deadlines INC-2026-000001)" \
  "management_report=escalated/2 triage=escalated/2"
expect_eq "show: form reminders then OST" "$(deadlines INC-2026-000002)" \
  "form_reminder=escalated/4 triage=escalated/2"
expect_eq "show: management report escalated" "$(deadlines INC-2026-000003)" \
  "management_report=escalated/2 triage=escalated/2"
expect_eq "show: form completed by the reporter" "$(deadlines INC-2026-000004)" \
  "form_reminder=done/2 triage=escalated/2"
"$IG" verify > /dev/null 2>&1 && ok "verify passes" || fail "verify"
finish
