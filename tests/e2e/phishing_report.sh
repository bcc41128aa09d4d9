#!/usr/bin/env bash
# Reported phishing end to end (SPEC 2 and 4): a member of staff forwards a
# phish inline from Outlook and another attaches one; each is recorded with
# the member of staff as reporter and the phish as evidence; its
# indicators come out of `observables` as text (defanged only), JSON, CSV
# and a STIX 2.1 bundle; OST's notification lists them defanged, and no
# mail sent out carries a live link of the attacker's.
source "$(dirname "$0")/lib.sh"
write_config
mkdir -p "$WORK/in"
cat > "$WORK/in/inline.eml" <<'EOF'
From: Jane Smith <jane.smith@justice.gov.uk>
To: security@justice.gov.uk
Subject: FW: Your invoice is overdue
Date: Mon, 23 Nov 2026 10:02:00 +0000
Message-ID: <phish-inline@justice.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Got this at 09:50, looks dodgy. I have not clicked it.

Jane

From: Accounts <accounts@invoices-online.example>
Sent: 23 November 2026 09:41
To: Smith, Jane <Jane.Smith@justice.gov.uk>
Subject: Your invoice is overdue

Dear Customer, your invoice is overdue. View it here: Invoice portal
--alt
Content-Type: text/html; charset=utf-8

<p>Got this at 09:50, looks dodgy. I have not clicked it.</p><p>Jane</p>
<p><b>From:</b> Accounts &lt;accounts@invoices-online.example&gt;<br>
<b>Sent:</b> 23 November 2026 09:41<br><b>Subject:</b> Your invoice is overdue</p>
<p>Dear Customer, your invoice is overdue. View it here:
<a href="https://pay.invoices-online.example/login?id=7">Invoice portal</a></p>
--alt--
EOF
cat > "$WORK/in/attached.eml" <<'EOF'
From: Sam Lee <sam.lee@justice.gov.uk>
To: security@justice.gov.uk
Subject: Suspicious email
Date: Mon, 23 Nov 2026 11:00:00 +0000
Message-ID: <phish-attached@justice.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain

Attaching a mail that asks me to update my bank details for payroll.
--m
Content-Type: message/rfc822

Received: from mail.payroll-update.example (mail.payroll-update.example [203.0.113.9])
	by mx.justice.gov.uk; Mon, 23 Nov 2026 10:40:00 +0000
Return-Path: <bounce@payroll-update.example>
From: "HR Payroll" <payroll@payroll-update.example>
Reply-To: hr-team@collect.example
Subject: Update your bank details
Date: Mon, 23 Nov 2026 10:39:00 +0000
Message-ID: <evil-1@payroll-update.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="i"

--i
Content-Type: text/plain

Update your bank details at http://payroll-update.example/form today.
--i
Content-Type: application/octet-stream; name="payslip.pdf.exe"
Content-Disposition: attachment; filename="payslip.pdf.exe"
Content-Transfer-Encoding: base64

aGVsbG8=
--i--
--m--
EOF
"$IG" ingest "$WORK/in/inline.eml" --now 2026-11-23T10:05:00Z > /dev/null || fail "ingest inline"
"$IG" ingest "$WORK/in/attached.eml" --now 2026-11-23T11:05:00Z > /dev/null || fail "ingest attached"

"$IG" show INC-2026-000001 --json | check_json "inline forward: staff reporter, phish as evidence" \
  'd["reporter"]["email"] == "jane.smith@justice.gov.uk" and d["forwarded_by"] is None
   and d["source"] == "forward" and d["description"].startswith("Got this at 09:50")
   and d["evidence"][0]["from"] == "accounts@invoices-online.example"
   and d["evidence"][0]["subject"] == "Your invoice is overdue"
   and set(d["evidence"][0]) >= {"from", "reply_to", "return_path", "subject", "date", "sha256"}'
"$IG" show INC-2026-000001 --json | check_json "inline forward: the HTML link target is an observable" \
  '{"type": "url", "value": "https://pay.invoices-online.example/login?id=7",
    "defanged": "hxxps://pay[.]invoices-online[.]example/login?id=7", "sha256": None}
   in d["observables"]'
"$IG" show INC-2026-000002 --json | check_json "attached phish: relays, reply-to and file" \
  'd["reporter"]["email"] == "sam.lee@justice.gov.uk"
   and d["evidence"][0]["reply_to"] == "hr-team@collect.example"
   and d["evidence"][0]["return_path"] == "bounce@payroll-update.example"
   and len(d["evidence"][0]["relays"]) == 1
   and {"type": "ip", "value": "203.0.113.9"}.items() <= [o for o in d["observables"] if o["type"] == "ip"][0].items()
   and [o for o in d["observables"] if o["type"] == "file"][0]["sha256"]
       == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"'

"$IG" show INC-2026-000002 > "$WORK/show.txt"
grep -q 'payroll@payroll-update\[.\]example' "$WORK/show.txt" && ok "show: the phisher defanged" \
  || fail "show: $(cat "$WORK/show.txt")"
grep -q 'http://payroll-update.example' "$WORK/show.txt" && fail "show printed a live link" \
  || ok "show: no live link"

"$IG" observables > "$WORK/obs.txt"
grep -q '^INC-2026-000001 *url *hxxps://pay\[.\]invoices-online\[.\]example/login?id=7$' "$WORK/obs.txt" \
  && ok "observables: text, defanged" || fail "observables: $(cat "$WORK/obs.txt")"
grep -q 'https\?://' "$WORK/obs.txt" && fail "observables text printed a live link" \
  || ok "observables text: no live link"
"$IG" observables INC-2026-000002 --format json | check_json "observables json: one incident, reference added" \
  'len(d) > 0 and all(o["reference"] == "INC-2026-000002" for o in d)
   and all(set(o) == {"reference", "type", "value", "defanged", "sha256"} for o in d)'
"$IG" observables --since 2026-11-23T11:00:00Z --format json | check_json "observables --since" \
  'len(d) > 0 and {o["reference"] for o in d} == {"INC-2026-000002"}'
"$IG" observables --since 2026-11-24 --format json | check_json "observables --since a later date: none" 'd == []'
"$IG" observables --format csv > "$WORK/obs.csv"
python3 - "$WORK/obs.csv" <<'EOF' && ok "observables csv: columns as the json keys, exact values" || fail "csv: $(head -3 "$WORK/obs.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert list(rows[0]) == ["reference", "type", "value", "defanged", "sha256"]
assert any(r["value"] == "http://payroll-update.example/form" for r in rows)
EOF
"$IG" observables --format stix | check_json "observables stix: a STIX 2.1 bundle" \
  'd["type"] == "bundle" and d["id"].startswith("bundle--")
   and any(o["type"] == "indicator" and o["spec_version"] == "2.1" and o["pattern_type"] == "stix"
           and o["pattern"] == "[url:value = '"'"'http://payroll-update.example/form'"'"']" for o in d["objects"])
   and sorted(o["name"].split(":")[0] for o in d["objects"] if o["type"] == "report") == ["INC-2026-000001", "INC-2026-000002"]
   and [o["created"] for o in d["objects"] if o["type"] == "report"] == ["2026-11-23T10:05:00.000Z", "2026-11-23T11:05:00.000Z"]'
rc=0; "$IG" observables --format xml > /dev/null 2> "$WORK/err.txt" || rc=$?
expect_eq "observables: unknown format is a usage error" "$rc" 2
expect_eq "observables: unknown format named with the choices" "$(cat "$WORK/err.txt")" \
  'incident-gateway: --format "xml": use one of text, json, csv, stix'
rc=0; "$IG" observables INC-2026-999999 > /dev/null 2> "$WORK/err.txt" || rc=$?
expect_eq "observables: unknown incident is a runtime failure" "$rc" 1
expect_eq "observables: unknown incident named" "$(cat "$WORK/err.txt")" \
  "incident-gateway: observables: no incident INC-2026-999999"

# OST's notification lists the indicators defanged; nothing sent out holds
# the attacker's live link.
ost=$(grep -l '^To: ost@' "$WORK"/var/outbox/*INC-2026-000001* | head -1)
grep -q 'hxxps://pay\[.\]invoices-online\[.\]example/login?id=7' "$ost" \
  && ok "OST notification lists the URL defanged" || fail "OST notification: $(cat "$ost")"
grep -q 'REPORTED SUSPICIOUS MAIL' "$ost" && ok "OST notification names the evidence" \
  || fail "OST notification has no evidence section"
# Searched in each mail's decoded text, so no transfer encoding can hide a
# link; the mails must be there to be searched.
python3 - "$WORK"/var/outbox/* <<'EOF' && ok "no live attacker link in the 4 mails sent out" \
  || fail "live attacker link sent out, or not the 4 mails expected"
import email, email.policy, sys
texts = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    texts.append("".join(p.get_content() for p in msg.walk() if p.get_content_maintype() == "text"))
assert len(texts) == 4 and all("INC-2026-00000" in t for t in texts), [len(t) for t in texts]
live = ("https://pay.invoices-online.example", "http://payroll-update.example")
bad = [link for t in texts for link in live if link in t]
assert not bad, bad
EOF
ack=$(grep -l '^To: jane.smith@' "$WORK"/var/outbox/*INC-2026-000001* | head -1)
grep -q '^Dear Jane Smith,' "$ack" && ok "ack to the member of staff by name" \
  || fail "ack: $(grep Dear "$ack")"
finish
