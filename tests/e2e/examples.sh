#!/usr/bin/env bash
# End to end: the example reports go in through `ingest` a day after they
# were sent (a backlog: lateness counts from arrival, deadlines from
# recording); check the records,
# the acknowledgements and notifications in the dir: outbox, dedupe, loop
# prevention, the JSON shapes and the audit chain.
source "$(dirname "$0")/lib.sh"
write_config
NOW=2026-11-23T15:10:00Z
out=$WORK/var/outbox

"$IG" ingest "$SRC"/examples/*.eml --now $NOW > "$WORK/ingest.txt" 2> "$WORK/ingest.log" || fail "ingest exit $?"
expect_eq "seven incidents opened" "$(grep -c ': new INC-' "$WORK/ingest.txt")" 7
grep -q '07-out-of-office.eml: attached INC-2026-000001 auto-reply' "$WORK/ingest.txt" \
  && ok "out-of-office threads to the incident it answers" || fail "out-of-office: $(cat "$WORK/ingest.txt")"

"$IG" list --json | check_json "list --json newest first" \
  'len(d) == 7 and d[0]["reference"] == "INC-2026-000007" and d[-1]["reference"] == "INC-2026-000001"'

"$IG" show INC-2026-000001 --json | check_json "form report fields" \
  'd["category"] == "phishing" and d["impact"] == "medium" and d["personal_data"] == "no"
   and d["reporter"] == {"name": "Jane Smith", "email": "jane.smith@justice.gov.uk", "phone": "020 7946 0123"}
   and d["source"] == "form" and d["via"] == "direct" and d["detected_at"] == "2026-11-22T14:05:00Z"
   and d["received_at"] == "2026-11-22T14:38:00Z" and d["recorded_at"] == "2026-11-23T15:10:00Z"
   and d["minutes_to_report"] == 33 and d["reported_late"] is False
   and d["missing_fields"] == [] and d["status"] == "new"
   and d["near_miss"] is False and d["forwarded_by"] is None and d["supplier"] is None'

"$IG" show INC-2026-000002 --json | check_json "late high-impact lost laptop with personal data" \
  'd["reported_late"] is True and d["minutes_to_report"] == 130 and d["impact"] == "high"
   and d["category"] == "lost-or-stolen-equipment" and d["asset_owner"] == "delius.iao@justice.gov.uk"
   and d["detected_at"] == "2026-11-23T07:40:00Z" and d["occurred_at"] == "2026-11-23T07:15:00Z"
   and {x["kind"] for x in d["deadlines"]} == {"triage", "management_report"}
   and [x["due_at"] for x in d["deadlines"] if x["kind"] == "triage"] == ["2026-11-23T16:10:00Z"]'

"$IG" show INC-2026-000003 --json | check_json "free text: classified by rule, nothing invented, missing listed" \
  'd["source"] == "free_text" and d["category"] == "suspicious-activity" and d["impact"] is None
   and d["detected_at"] is None and d["reported_late"] is None and d["minutes_to_report"] is None
   and d["missing_fields"] == ["detected_at", "impact", "personal_data"]
   and any(e["type"] == "classified" and "unlabelled USB stick" in e["detail"] for e in d["events"])
   and any(x["kind"] == "form_reminder" for x in d["deadlines"])'

"$IG" show INC-2026-000004 --json | check_json "supplier form in a text attachment" \
  'd["via"] == "supplier" and d["supplier"] == "example-supplier.co.uk" and d["category"] == "supply-chain"
   and d["reporter"]["email"] == "tom.harris@example-supplier.co.uk"'

"$IG" show INC-2026-000005 --json | check_json "HTML-only report decoded" \
  'd["reporter"]["name"] == "Seán O'"'"'Brien" and d["category"] == "account-compromise"
   and "alert(" not in d["description"] and "color" not in d["description"]
   and d["summary"] == "Account compromise – strange sign-in alerts"'

"$IG" show INC-2026-000006 --json | check_json "mislabelled Latin-1 decoded to UTF-8" \
  '"phoned us – cost of the postage was £2." in d["description"]'

"$IG" show INC-2026-000007 --json | check_json "auto-generated alert opens an incident without ack" \
  'any(e["type"] == "ack_suppressed" for e in d["events"]) and not any(m["kind"] == "ack" for m in d["messages"])'

# Who got what: a line "REFERENCE ADDRESS" per mail written, from the file
# name and its To: header. The checks that something was NOT sent read this
# table, so first it must hold every mail, each with its recipient.
sent_table() {
  local f name
  for f in "$out"/*.eml; do
    name=$(basename "$f" .eml)
    printf '%s %s\n' "${name#*-}" "$(sed -n 's/^To: \(.*\)\r$/\1/p' "$f" | head -n 1)"
  done
}
sent_table > "$WORK/sent.txt"
expect_eq "23 mails written, each with a reference and one recipient" \
  "$(grep -cE '^INC-2026-00000[1-7] [^ @]+@[^ @]+$' "$WORK/sent.txt")" 23
expect_eq "and nothing else in the outbox" "$(ls -A "$out" | wc -l)" 23

# Acks: one per human report, none for the out-of-office or the alert.
acks=$(grep -l '^Auto-Submitted: auto-replied' "$out"/*.eml | wc -l)
expect_eq "six acknowledgements written" "$acks" 6
grep -q ' ben.carter@justice.gov.uk$' "$WORK/sent.txt" \
  && fail "out-of-office sender was answered" || ok "out-of-office sender not answered"
grep -q ' no-reply@siem.justice.gov.uk$' "$WORK/sent.txt" \
  && fail "no-reply sender was answered" || ok "no-reply sender not answered"

ack=$(grep -l '^To: jane.smith@justice.gov.uk' "$out"/*.eml)
for h in '^Subject: \[INC-2026-000001\]' '^Message-ID: <INC-2026-000001\.ack\.' \
         '^In-Reply-To: <20261122143800.4f2a@laptop-js.justice.gov.uk>' \
         '^References: <20261122143800.4f2a@laptop-js.justice.gov.uk>' \
         '^Auto-Submitted: auto-replied' '^X-Auto-Response-Suppress: All' \
         '^X-Loop: security@justice.gov.uk' '^From: IT Security Incidents <security@justice.gov.uk>'; do
  grep -q "$h" "$ack" && ok "ack header $h" || fail "ack lacks $h"
done
grep -q 'recorded as INC-2026-000001' "$ack" && ok "ack names the reference" || fail "ack body"

# The form lines the reporter is asked to fill in: exactly what is missing
# (the category was found, so it is not asked for).
ack3=$(grep -l '^To: priya.patel@justice.gov.uk' "$out"/*.eml)
expect_eq "ack of free text asks for exactly the missing fields" \
  "$(tr -d '\r' < "$ack3" | grep -E '^  [A-Z][^:]*:$')" \
  "$(printf '  Date and time of detection:\n  Impact:\n  Personal data involved:')"

# Routing: OST always; DACU+SIRO for personal data; SIRO for high; IAO;
# Accreditor for medium/high; the supplier's contract owner.
ost2=$(grep -l '^To: ost@justice.gov.uk' "$out"/*INC-2026-000002.eml)
grep -q '^Subject: .*REPORTED LATE' "$ost2" && ok "OST told the report was late" || fail "OST late flag"
# OST hears whether the reporter was asked for what is missing: not for an
# automatic alert, which gets no acknowledgement.
ost7=$(grep -l '^To: ost@justice.gov.uk' "$out"/*INC-2026-000007.eml)
grep -q '^Missing from the form (the reporter has not been asked):' "$ost7" \
  && ok "OST notice of an alert: the reporter was not asked" || fail "OST notice of INC-7: $(grep -i missing "$ost7")"
ost3=$(grep -l '^To: ost@justice.gov.uk' "$out"/*INC-2026-000003.eml)
grep -q '^Missing from the form (the reporter has been asked):' "$ost3" \
  && ok "OST notice of a report acknowledged: the reporter was asked" || fail "OST notice of INC-3: $(grep -i missing "$ost3")"
# Mail names the category as people read it, not by its code.
grep -q '^Category: *Lost or stolen equipment' "$ost2" && ok "OST notice: the category in words" \
  || fail "OST notice category: $(grep '^Category' "$ost2")"
grep -l '^To: siro@justice.gov.uk' "$out"/*INC-2026-000002.eml | xargs grep -q '^Category: *Lost or stolen equipment' \
  && ok "stakeholder notice: the category in words" || fail "stakeholder notice category"
grep -q 'lost-or-stolen-equipment' "$ost2" && fail "OST notice shows the category's code" || ok "OST notice: no category code"
for to in data.compliance@justice.gov.uk siro@justice.gov.uk delius.iao@justice.gov.uk accreditation@justice.gov.uk; do
  grep -l "^To: $to" "$out"/*INC-2026-000002.eml >/dev/null && ok "INC-2 notifies $to" || fail "INC-2 does not notify $to"
done
expect_eq "SIRO gets one mail for two rules" "$(grep -l '^To: siro@justice.gov.uk' "$out"/*INC-2026-000002.eml | wc -l)" 1
grep -l '^To: contracts@justice.gov.uk' "$out"/*INC-2026-000004.eml >/dev/null \
  && ok "supplier contract owner told" || fail "supplier contract owner not told"
expect_eq "INC-1 (medium, no personal data): OST, Accreditor and the reporter; no SIRO" \
  "$(grep '^INC-2026-000001 ' "$WORK/sent.txt" | cut -d' ' -f2 | sort | tr '\n' ' ')" \
  "accreditation@justice.gov.uk jane.smith@justice.gov.uk ost@justice.gov.uk "

# Every outgoing file is a complete message.
for f in "$out"/*.eml; do
  for h in '^To: ' '^Message-ID: <' '^Auto-Submitted: ' '^Date: ' '^Subject: \['; do
    grep -q "$h" "$f" || { grep -q '^Subject: Incoming mail quarantined' "$f" || fail "$f lacks $h"; }
  done
done
ls -A "$out" | grep -v '^[0-9]\{8\}-INC-2026-00000[1-7]\.eml$' && fail "other files in the outbox (above)" \
  || ok "no temporary or other files beside the 23 mails"

"$IG" outbox --json | check_json "outbox --json shape, all sent" \
  'all(set(r) >= {"id","kind","to","subject","message_id","reference","state","attempts","next_attempt_at","last_error"}
       and r["state"] == "sent" and r["kind"] == "mail" and r["attempts"] == 1 for r in d) and len(d) > 20'
"$IG" messages --json | check_json "messages --json shape and kinds" \
  'len(d) == 8 and all(set(r) >= {"message_id","from","subject","received_at","kind","reference","sha256"} for r in d)
   and sorted(r["kind"] for r in d).count("report") == 7
   and [r for r in d if r["kind"] == "auto-reply"][0]["reference"] == "INC-2026-000001"'

# Dedupe: the same files again, and the same Message-ID with other bytes.
before=$(ls "$out" | wc -l)
expect_eq "mails before the duplicates" "$before" 23
"$IG" ingest "$SRC"/examples/*.eml --now $NOW > "$WORK/again.txt" 2>/dev/null || fail "second ingest exit $?"
expect_eq "second ingest: all duplicates" "$(grep -c ': duplicate' "$WORK/again.txt")" 8
sed 's/^Date: .*/Date: Mon, 23 Nov 2026 16:00:00 +0000/' "$SRC/examples/01-form-phishing.eml" > "$WORK/resent.eml"
"$IG" ingest --now $NOW < "$WORK/resent.eml" 2>/dev/null | grep -q 'stdin: duplicate' \
  && ok "same Message-ID from stdin is a duplicate" || fail "Message-ID dedupe"
expect_eq "no mail for duplicates" "$(ls "$out" | wc -l)" "$before"
"$IG" list --json | check_json "still seven incidents" 'len(d) == 7'

# Rate limit: the eleventh report within the hour from one sender is not acked.
for i in $(seq 1 11); do
  printf 'From: flood@justice.gov.uk\nTo: security@justice.gov.uk\nSubject: report %s\nMessage-ID: <flood-%s@x>\n\nsomething odd %s\n' "$i" "$i" "$i" > "$WORK/flood-$i.eml"
done
"$IG" ingest "$WORK"/flood-*.eml --now $NOW > /dev/null 2>&1 || fail "flood ingest"
expect_eq "acks capped at rate_limit_per_sender" "$(grep -l '^To: flood@justice.gov.uk' "$out"/*.eml | wc -l)" 10

# A DSN about our acknowledgement to Jane marks that outbox row bounced
# and joins her incident; it is never answered.
ack_id=$(sed -n 's/^Message-ID: <\(.*\)>\r*$/\1/p' "$ack")
cat > "$WORK/dsn.eml" <<DSN
From: Mail Delivery System <MAILER-DAEMON@mx.justice.gov.uk>
To: security@justice.gov.uk
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.justice.gov.uk>
Return-Path: <>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message could not be delivered: mailbox full.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.justice.gov.uk
Final-Recipient: rfc822; jane.smith@justice.gov.uk
Action: failed
Status: 5.2.2

--b
Content-Type: text/rfc822-headers

From: IT Security Incidents <security@justice.gov.uk>
To: jane.smith@justice.gov.uk
Subject: [INC-2026-000001] Your security incident report has been recorded
Message-ID: <$ack_id>
--b--
DSN
before=$(ls "$out" | wc -l)
expect_eq "mails before the bounce: 23, and 10 acks and 11 OST notices for the flood" "$before" 44
"$IG" ingest "$WORK/dsn.eml" --now $NOW 2>/dev/null | grep -q 'attached INC-2026-000001 bounce' \
  && ok "DSN attached to the incident of the bounced mail" || fail "DSN not attached"
"$IG" outbox --json | check_json "bounced ack marked bounced" \
  "[r['state'] for r in d if r['message_id'] == '$ack_id'] == ['bounced']"
expect_eq "no mail answers a bounce" "$(ls "$out" | wc -l)" "$before"
"$IG" show INC-2026-000001 --json | check_json "bounce audited" \
  'any(e["type"] == "bounced" for e in d["events"])'

# Audit chain and raw message hashes.
"$IG" verify > /dev/null && ok "verify passes" || fail "verify on a clean store"
# What the chain vouches for, tampered with behind the gateway's back, one
# way at a time on a copy of the store: each is caught and named.
db_save "$WORK/clean.db"
tamper() { # what SQL expected-message
  db_restore "$WORK/clean.db"
  db_sql "$2" > /dev/null
  if "$IG" verify > /dev/null 2> "$WORK/verify.err"; then fail "verify missed: $1"
  else grep -q "$3" "$WORK/verify.err" && ok "verify catches: $1" \
    || fail "verify on $1: $(cat "$WORK/verify.err")"; fi
}
if on_pg; then raw="convert_to('Subject: x', 'UTF8')"; else raw="CAST('Subject: x' AS BLOB)"; fi
tamper "a raw message and its SHA-256 replaced together" \
  "UPDATE message_bodies SET raw = $raw WHERE id = 1; UPDATE messages SET sha256 = '$(printf 'Subject: x' | sha256sum | cut -c1-64)' WHERE id = 1" \
  "stored message 1 is not the message its audit event recorded"
tamper "a stored message deleted" "DELETE FROM message_bodies WHERE id = 2; DELETE FROM messages WHERE id = 2" \
  "stored message 2 recorded by the audit chain was deleted"
tamper "an incident's fields edited" \
  "UPDATE incidents SET impact = 'low', personal_data = 'no' WHERE id = 1" "incident 1 was changed"
tamper "the newest events deleted and the head rewritten to match" \
  "DELETE FROM events WHERE id > (SELECT max(id) - 3 FROM events);
   UPDATE audit_head SET last_id = (SELECT max(id) FROM events),
                         hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)" \
  "outside the audit trail\\|not recorded by any audit event"
db_restore "$WORK/clean.db"
# An anchor published earlier (the digest prints the chain head): still in
# the chain passes; a history rewritten whole, every hash recomputed so
# that the chain itself verifies, has lost it.
anchor=$(db_sql "SELECT hash FROM events WHERE id = 5")
"$IG" verify --anchor "$anchor" | grep -q "the anchor is event 5 of the chain" \
  && ok "verify --anchor finds a published head" || fail "verify --anchor on a good store"
# refuse WHAT STATUS TEXT COMMAND... - the command exits STATUS saying TEXT.
refuse() {
  local what=$1 want=$2 text=$3 rc=0
  shift 3
  "$@" > /dev/null 2> "$WORK/refuse.err" || rc=$?
  expect_eq "$what (exit status)" "$rc" "$want"
  grep -q -- "$text" "$WORK/refuse.err" && ok "$what (says so)" \
    || fail "$what: stderr $(cat "$WORK/refuse.err")"
}
refuse "--anchor not a hash" 2 'verify: --anchor "xyz": not a SHA-256' "$IG" verify --anchor xyz
# The hash of an event is store_audit.c's event_hash().
if on_pg; then
  db_sql "$(cat <<'SQL'
DO $$
DECLARE
  r record;
  prev text := repeat('0', 64);
  t text;
BEGIN
  UPDATE events SET detail = 'rewritten' WHERE id = 2;
  FOR r IN SELECT * FROM events ORDER BY id LOOP
    t := concat_ws(E'\n', prev, r.id, coalesce(r.incident_id, 0), r.at, r.actor, r.type, r.detail);
    IF coalesce(r.message_row, 0) <> 0 OR r.message_sha256 IS NOT NULL OR r.state IS NOT NULL THEN
      t := concat_ws(E'\n', t, coalesce(r.message_row, 0), coalesce(r.message_sha256, ''),
                     coalesce(r.state, ''));
    END IF;
    UPDATE events SET prev_hash = prev, hash = encode(sha256(convert_to(t, 'UTF8')), 'hex')
      WHERE id = r.id;
    prev := encode(sha256(convert_to(t, 'UTF8')), 'hex');
  END LOOP;
  UPDATE audit_head SET hash = prev;
END
$$
SQL
)"
else
python3 - "$DATABASE" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE events SET detail = 'rewritten' WHERE id = 2")
prev = "0" * 64
for row in db.execute("SELECT id, coalesce(incident_id, 0), at, actor, type, detail,"
                      " message_row, message_sha256, state FROM events ORDER BY id").fetchall():
    text = "%s\n%d\n%d\n%s\n%s\n%s\n%s" % ((prev,) + row[:6])
    if row[6] or row[7] or row[8]:
        text += "\n%d\n%s\n%s" % (row[6] or 0, row[7] or "", row[8] or "")
    h = hashlib.sha256(text.encode()).hexdigest()
    db.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row[0]))
    prev = h
db.execute("UPDATE audit_head SET hash = ?", (prev,))
db.commit()
PY
fi
"$IG" verify > /dev/null && ok "a history rewritten whole passes verify without an anchor" \
  || fail "the rewrite in this test is wrong"
refuse "a rewritten history loses the anchor" 1 "the anchor $anchor is not in the audit chain" \
  "$IG" verify --anchor "$anchor"
db_restore "$WORK/clean.db"
db_sql "UPDATE events SET detail = 'edited' WHERE id = 3"
if "$IG" verify 2> "$WORK/verify.err"; then fail "verify missed a tampered event"; else
  grep -q 'audit event 3' "$WORK/verify.err" && ok "verify names the tampered event" || fail "verify message: $(cat "$WORK/verify.err")"
fi
finish
