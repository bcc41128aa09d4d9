#!/usr/bin/env bash
# Bounces that carry the whole original (multipart/report;
# report-type=delivery-status with a message/rfc822 part, not only
# text/rfc822-headers), SPEC 6 and 9: a DSN of our own mail marks its
# outbox row `bounced` and attaches to its incident (event "bounced"); it
# never opens an incident, is never acknowledged and tells nobody; it is
# listed by `messages` as kind `bounce`. Recognised by its structure alone
# (an Exchange-style NDR has neither a MAILER-DAEMON sender nor
# Auto-Submitted). A DSN of mail we never sent (backscatter) stays unmatched;
# a delay warning (Action: delayed) joins the incident but bounces nothing.
source "$(dirname "$0")/lib.sh"
write_config
mkdir -p "$WORK/in"
cat > "$WORK/in/report.eml" <<'EOF'
From: Jane Smith <jane.smith@justice.gov.uk>
To: security@justice.gov.uk
Subject: Phishing email received
Date: Mon, 23 Nov 2026 09:00:00 +0000
Message-ID: <report-1@justice.gov.uk>

Reporter name: Jane Smith
Incident category: phishing
Impact: low
Personal data involved: no
Date and time of detection: 23/11/2026 08:30
Description: A mail asking for my password.
EOF
"$IG" ingest --now 2026-11-23T09:05:00Z "$WORK/in/report.eml" > /dev/null || fail "ingest the report"
ack=$(grep -l '^To: jane.smith@justice.gov.uk' "$WORK"/var/outbox/*.eml)
ost=$(grep -l '^To: ost@justice.gov.uk' "$WORK"/var/outbox/*.eml)
[ -f "$ack" ] && [ -f "$ost" ] || { fail "no ack or OST notification in var/outbox"; finish; }
msgid() { sed -n 's/^Message-ID: <\(.*\)>\r\{0,1\}$/\1/p' "$1" | head -n 1; }
ack_id=$(msgid "$ack")
ost_id=$(msgid "$ost")
rows_before=$("$IG" outbox --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

# dsn FROM SUBJECT MESSAGE-ID ORIGINAL [HEADER] - a DSN with the whole
# ORIGINAL (a file) as message/rfc822, on stdout; its Action is $action.
dsn() {
  printf 'From: %s\nTo: security@justice.gov.uk\nSubject: %s\n' "$1" "$2"
  printf 'Date: Mon, 23 Nov 2026 09:10:00 +0000\nMessage-ID: <%s>\n%s' "$3" "${5:+$5
}"
  printf 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type="delivery-status";\n'
  printf '\tboundary="=_dsn"\n\n--=_dsn\nContent-Type: text/plain; charset=us-ascii\n\n'
  printf 'Delivery has failed to these recipients or groups.\n\n'
  printf -- '--=_dsn\nContent-Type: message/delivery-status\n\n'
  printf 'Reporting-MTA: dns; mx.justice.gov.uk\n\nFinal-Recipient: rfc822; someone@justice.gov.uk\n'
  printf 'Action: %s\nStatus: 5.1.1\n\n--=_dsn\nContent-Type: message/rfc822\n\n' "${action:-failed}"
  tr -d '\r' < "$4"
  printf -- '\n--=_dsn--\n'
}

# 1. Postfix-style, of our acknowledgement.
dsn "Mail Delivery System <MAILER-DAEMON@mx.justice.gov.uk>" "Undelivered Mail Returned to Sender" \
  dsn-1@mx.justice.gov.uk "$ack" "Auto-Submitted: auto-replied" > "$WORK/in/dsn1.eml"
out=$("$IG" ingest --now 2026-11-23T09:10:00Z "$WORK/in/dsn1.eml" 2> /dev/null) || fail "ingest dsn1"
expect_eq "DSN of our ack: attached to its incident as a bounce" "$out" \
  "$WORK/in/dsn1.eml: attached INC-2026-000001 bounce"
"$IG" outbox --json | check_json "DSN of our ack: its outbox row is bounced, with the reason" \
  '[(r["state"], "Undelivered Mail Returned to Sender" in (r["last_error"] or ""))
    for r in d if r["message_id"] == "'"$ack_id"'"] == [("bounced", True)]
   and all(r["state"] == "sent" for r in d if r["message_id"] != "'"$ack_id"'")'

# 2. A delay warning of the OST notification: not a bounce (the mail may
# still arrive), so its row stays sent; the notice joins the incident.
action=delayed dsn "Mail Delivery System <MAILER-DAEMON@mx.justice.gov.uk>" \
  "Delayed Mail (still being retried)" dsn-0@mx.justice.gov.uk "$ost" > "$WORK/in/dsn0.eml"
out=$("$IG" ingest --now 2026-11-23T09:10:30Z "$WORK/in/dsn0.eml" 2> /dev/null) || fail "ingest dsn0"
expect_eq "delay warning: attached to its incident" "$out" \
  "$WORK/in/dsn0.eml: attached INC-2026-000001 bounce"
"$IG" outbox --json | check_json "delay warning: the notification is not marked bounced" \
  '[r["state"] for r in d if r["message_id"] == "'"$ost_id"'"] == ["sent"]'

# 3. Exchange-style NDR of the OST notification: no MAILER-DAEMON, no
# Auto-Submitted, nothing but the report structure says what it is.
dsn "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@justice.gov.uk>" \
  "Undeliverable: new incident" dsn-2@justice.gov.uk "$ost" > "$WORK/in/dsn2.eml"
out=$("$IG" ingest --now 2026-11-23T09:11:00Z "$WORK/in/dsn2.eml" 2> /dev/null) || fail "ingest dsn2"
expect_eq "NDR of the OST notification: attached as a bounce" "$out" \
  "$WORK/in/dsn2.eml: attached INC-2026-000001 bounce"
"$IG" outbox --json | check_json "NDR of the OST notification: that row bounced" \
  '[r["state"] for r in d if r["message_id"] == "'"$ost_id"'"] == ["bounced"]'

# 4. Backscatter: a DSN of mail that forged our address.
cat > "$WORK/forged.eml" <<'EOF'
From: security@justice.gov.uk
To: victim@elsewhere.example
Subject: Cheap watches
Date: Sun, 22 Nov 2026 23:00:00 +0000
Message-ID: <spam-77@botnet.example>

Buy now.
EOF
dsn "MAILER-DAEMON@elsewhere.example" "Returned mail: see transcript for details" \
  dsn-3@elsewhere.example "$WORK/forged.eml" > "$WORK/in/dsn3.eml"
out=$("$IG" ingest --now 2026-11-23T09:12:00Z "$WORK/in/dsn3.eml" 2> /dev/null) || fail "ingest dsn3"
expect_eq "backscatter: stored, unmatched" "$out" "$WORK/in/dsn3.eml: unmatched bounce"

# 5. The same DSN again: a duplicate, nothing changes.
out=$("$IG" ingest --now 2026-11-23T09:13:00Z "$WORK/in/dsn1.eml" 2> /dev/null) || fail "ingest dsn1 again"
expect_eq "the same DSN again: duplicate" "$out" "$WORK/in/dsn1.eml: duplicate"

# None of them opened an incident, was acknowledged or told anyone.
"$IG" list --json | check_json "no incident opened by a DSN" 'len(d) == 1'
"$IG" outbox --json | check_json "no mail queued for a DSN (no ack, no notification)" \
  'len(d) == '"$rows_before"
"$IG" messages --json | check_json "messages: the DSNs are kind bounce, matched or not" \
  'sorted((m["message_id"], m["kind"], m["reference"]) for m in d if m["message_id"].startswith("dsn-"))
   == [("dsn-0@mx.justice.gov.uk", "bounce", "INC-2026-000001"),
       ("dsn-1@mx.justice.gov.uk", "bounce", "INC-2026-000001"),
       ("dsn-2@justice.gov.uk", "bounce", "INC-2026-000001"),
       ("dsn-3@elsewhere.example", "bounce", None)]'
"$IG" show INC-2026-000001 --json | check_json "the incident records which of our mails bounced" \
  'sorted(e["detail"].split(">")[0] for e in d["events"] if e["type"] == "bounced")
   == sorted(["our mail <'"$ack_id"'", "our mail <'"$ost_id"'"])
   and d["status"] == "new"'

finish
