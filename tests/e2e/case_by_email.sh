#!/usr/bin/env bash
# The case workflow by email (SPEC 7), through the command line as an MTA
# would deliver: an OST member takes a report from new to closed by
# replying from Outlook (top-posted over the quoted notice, whose "Status:"
# lines are never taken), each step confirmed and audited; a forged reply
# (no Authentication-Results of our server, or one the sender placed below
# it) changes nothing, alerts OST and is not answered; the reporter's reply
# fills a missing field; a medium incident is not closed without its
# management report. Then `verify` passes and `export` writes a bundle
# whose manifest and audit chain check out on their own.
source "$(dirname "$0")/lib.sh"
write_config 's/^require_authentication = .*/require_authentication = authentication-results/'
mkdir -p "$WORK/in"
out="$WORK/var/outbox"
n=0
# deliver FILE-CONTENT-ON-STDIN - ingests one mail at the next minute.
deliver() {
  n=$((n + 1))
  cat > "$WORK/in/$n.eml"
  "$IG" ingest --now "2026-11-23T10:$(printf %02d "$n"):00Z" "$WORK/in/$n.eml" > "$WORK/ingest.out" \
    || fail "ingest of mail $n"
}
show() { "$IG" show INC-2026-000001 --json; }
mails_to() { grep -l "^To: $1" "$out"/*.eml 2>/dev/null | wc -l; }
# subjects - "To | Subject" of every mail written, headers unfolded.
subjects() {
  python3 - "$out" <<'PY'
import email, email.policy, glob, sys
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    print("%s | %s" % (m["To"], m["Subject"]))
PY
}
passed='Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk; dmarc=pass header.from=justice.gov.uk'

deliver <<'EOF'
From: Jane Smith <jane.smith@justice.gov.uk>
To: security@justice.gov.uk
Subject: Lost laptop
Date: Mon, 23 Nov 2026 09:55:00 +0000
Message-ID: <report-1@justice.gov.uk>

Reporter name: Jane Smith
Date and time of detection: 23/11/2026 09:30
Incident category: lost-or-stolen-equipment
Impact: medium
Description: I left my work laptop on the train this morning.
EOF
show | check_json "report recorded, new, personal data not said" \
  'd["status"] == "new" and d["personal_data"] is None'

# Outlook top-posting: the quoted notice below carries "Status: new".
deliver <<EOF
$passed
Received: from mail.justice.gov.uk by mx.justice.gov.uk; Mon, 23 Nov 2026 10:02:00 +0000
From: Alice Brown <alice@justice.gov.uk>
To: security@justice.gov.uk
Subject: RE: [INC-2026-000001] Lost laptop
Message-ID: <alice-1@justice.gov.uk>
In-Reply-To: <report-1@justice.gov.uk>

Status: triaged
Owner: bob@justice.gov.uk

I have asked the service desk to block the device.

________________________________
From: IT Security Incidents <security@justice.gov.uk>
Sent: 23 November 2026 10:01
To: OST <ost@justice.gov.uk>
Subject: [INC-2026-000001] New incident: Lost laptop

Status: new
Impact: low
EOF
show | check_json "triaged and owned by bob, by alice's reply" \
  'd["status"] == "triaged" and d["owner"] == "bob@justice.gov.uk" and
   any(e["type"] == "status_changed" and e["actor"] == "alice@justice.gov.uk"
       and e["detail"] == "status: new -> triaged" for e in d["events"])'
show | check_json "the quoted notice's Impact: low was not taken" 'd["impact"] == "medium"'
expect_eq "alice gets one confirmation" "$(mails_to alice@justice.gov.uk)" 1
grep -q "status: new -> triaged" $(grep -l '^To: alice@justice.gov.uk' "$out"/*.eml) \
  && ok "the confirmation lists what was applied" || fail "confirmation content"
expect_eq "jane is told her report was triaged" \
  "$(subjects | grep -c '^jane.smith@justice.gov.uk | \[INC-2026-000001\] Your security incident report is triaged$')" 1

# Forged: no Authentication-Results of ours on top; one of "ours" written
# by the sender sits below the sender's own fields.
before_alice=$(mails_to alice@justice.gov.uk)
deliver <<EOF
Received: from evil.example by mx.justice.gov.uk; Mon, 23 Nov 2026 10:03:00 +0000
From: Alice Brown <alice@justice.gov.uk>
To: security@justice.gov.uk
Subject: RE: [INC-2026-000001] Lost laptop
Message-ID: <forged-1@evil.example>
$passed

Status: closed
Impact: low
EOF
show | check_json "a forged command changes nothing" \
  'd["status"] == "triaged" and d["impact"] == "medium"'
show | check_json "a security event is recorded" \
  'any(e["type"] == "security" and "fails require_authentication = authentication-results"
       in e["detail"] for e in d["events"])'
expect_eq "the forger is not answered" "$(mails_to alice@justice.gov.uk)" "$before_alice"
subjects | grep -q '^ost@justice.gov.uk | \[INC-2026-000001\] SECURITY: a command mail from alice@justice.gov.uk failed authentication$' \
  && ok "OST alerted" || fail "no security alert to OST: $(subjects)"
"$IG" messages --json | check_json "the forged mail is listed as a command" \
  '[m["kind"] for m in d if m["message_id"] == "forged-1@evil.example"] == ["command"]'

# The reporter answers the acknowledgement with the line it asked for.
deliver <<'EOF'
From: Jane Smith <jane.smith@justice.gov.uk>
To: security@justice.gov.uk
Subject: Re: [INC-2026-000001] Your security incident report has been recorded
Message-ID: <jane-2@justice.gov.uk>

  Personal data involved: yes

Jane
EOF
show | check_json "the reporter's reply fills personal data" \
  'd["personal_data"] == "yes" and d["missing_fields"] == [] and
   any(e["type"] == "field_filled" for e in d["events"])'
[ "$(mails_to data.compliance@justice.gov.uk)" -ge 1 ] && ok "DACU told once personal data is yes" \
  || fail "DACU not told"

# Closing a medium incident needs its management report.
deliver <<EOF
$passed
From: bob@justice.gov.uk
To: security@justice.gov.uk
Subject: RE: [INC-2026-000001] Lost laptop
Message-ID: <bob-1@justice.gov.uk>

Status: closed
EOF
show | check_json "not closed without a management report" 'd["status"] == "triaged"'
grep -q "needs a management report" $(grep -l '^To: bob@justice.gov.uk' "$out"/*.eml) \
  && ok "bob is told why" || fail "refusal not explained"
deliver <<EOF
$passed
From: bob@justice.gov.uk
To: security@justice.gov.uk
Subject: RE: [INC-2026-000001] Lost laptop
Message-ID: <bob-2@justice.gov.uk>

Status: closed
Report: The laptop was encrypted and has been wiped remotely.
Staff reminded to keep devices with them. Owner: Bob.
EOF
show | check_json "closed with its management report" \
  'd["status"] == "closed" and any(e["type"] == "management_report" for e in d["events"])'

"$IG" verify > "$WORK/verify.out" && ok "verify passes after the case ran" \
  || fail "verify: $(cat "$WORK/verify.out")"

# Export: a bundle that checks out on its own.
"$IG" export INC-2026-000001 "$WORK/bundle" > /dev/null && ok "export" || fail "export"
(cd "$WORK/bundle" && sha256sum --quiet -c SHA256SUMS) && ok "the manifest matches every file" \
  || fail "manifest mismatch"
expect_eq "every incoming message exported" "$(ls "$WORK/bundle/in" | wc -l)" 6
show > "$WORK/show.json"
python3 - "$WORK/bundle" "$WORK/show.json" <<'PY' && ok "record.json is the record; events.json rehashes" || fail "bundle content"
import hashlib, json, sys
bundle, shown = sys.argv[1], sys.argv[2]
assert json.load(open(bundle + "/record.json")) == json.load(open(shown))
events = json.load(open(bundle + "/events.json"))
for e in events:
    text = "%s\n%d\n%d\n%s\n%s\n%s\n%s" % (e["prev_hash"], e["id"], e["incident_id"], e["at"],
                                         e["actor"], e["type"], e["detail"])
    if e["message_row"] or e["message_sha256"] or e["state"]:
        text += "\n%d\n%s\n%s" % (e["message_row"] or 0, e["message_sha256"] or "", e["state"] or "")
    assert hashlib.sha256(text.encode()).hexdigest() == e["hash"], e["id"]
PY
rc=0
"$IG" export INC-2026-000001 "$WORK/bundle" 2> "$WORK/export.err" || rc=$?
expect_eq "export refuses a non-empty directory" "$rc" 1
grep -q "is not empty" "$WORK/export.err" && ok "and says so" || fail "$(cat "$WORK/export.err")"
rc=0
"$IG" export INC-2026-000099 "$WORK/none" 2> "$WORK/export.err" || rc=$?
expect_eq "export of no such incident" "$rc:$(cat "$WORK/export.err")" \
  "1:incident-gateway: export: no incident INC-2026-000099"
[ ! -e "$WORK/none" ] && ok "and makes no directory" || fail "a directory was made"
finish
