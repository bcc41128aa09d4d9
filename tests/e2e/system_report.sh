#!/usr/bin/env bash
# report system NAME: the incidents naming an IT system, whatever the
# spelling, for its Accreditor (policy 001), with the outcome given when
# the OST closed one and its management report, as text, CSV and JSON;
# the one-line errors, refused before any store is made.
source "$(dirname "$0")/lib.sh"
write_config 's/^require_authentication = .*/require_authentication = authentication-results/'

expect_error "no name" 2 \
  'incident-gateway: report system: give the name of an IT system (letters or digits), e.g. report system NOMIS' \
  "$IG" report system
expect_error "a name without letters or digits" 2 \
  'incident-gateway: report system: give the name of an IT system (letters or digits), e.g. report system NOMIS' \
  "$IG" report system " - "
expect_error "two names" 2 \
  'incident-gateway: report system: unexpected argument "NOMIS" (quote a name of several words)' \
  "$IG" report system Prison NOMIS
expect_error "a bad --since" 2 \
  'incident-gateway: --since "yesterday": not a date or ISO-8601 time (e.g. 2026-11-01)' \
  "$IG" report system NOMIS --since yesterday
expect_error "a bad --format" 2 'incident-gateway: --format "xml": use one of csv, json' \
  "$IG" report system NOMIS --format xml
expect_error "--since for the quarterly return" 2 \
  'incident-gateway: report quarterly does not take --since (the quarter is the period)' \
  "$IG" report quarterly 2026Q4 --since 2026-10-01
store_made && fail "a refused report made a store" || ok "no store made by a refused report"

mkdir -p "$WORK/in"
n=0
# report SYSTEMS ASSET NOW - a form report naming the system, received at NOW.
report() {
  n=$((n + 1))
  { printf 'From: Jane Smith <jane.smith@justice.gov.uk>\r\nSubject: Incident %s\r\nMessage-ID: <r%s@justice.gov.uk>\r\n\r\n' "$n" "$n"
    printf 'Reporter name: Jane Smith\r\nIncident category: phishing\r\nImpact: medium\r\n'
    printf 'Personal data involved: no\r\nDescription: Something odd on %s.\r\n' "$1"
    printf 'Systems affected: %s\r\n' "$1"
    [ -z "$2" ] || printf 'Information asset: %s\r\n' "$2"; } > "$WORK/in/$n.eml"
  "$IG" ingest --now "$3" "$WORK/in/$n.eml" > /dev/null 2>> "$WORK/ingest.log" || fail "ingest of report $n"
}
# command REF NOW - an authenticated OST command mail (body on stdin).
command() {
  n=$((n + 1))
  { printf 'Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk; dmarc=pass header.from=justice.gov.uk\r\n'
    printf 'From: Alice Brown <alice@justice.gov.uk>\r\nSubject: RE: [%s] Incident\r\nMessage-ID: <c%s@justice.gov.uk>\r\n\r\n' "$1" "$n"
    cat; } > "$WORK/in/$n.eml"
  "$IG" ingest --now "$2" "$WORK/in/$n.eml" > /dev/null 2>> "$WORK/ingest.log" || fail "ingest of command $n"
}
report "NOMIS" "" 2026-09-15T09:00:00Z                      # 1: before --since
report "prison nomis (case notes)" "" 2026-10-05T09:00:00Z  # 2: closed, with a report
report "Delius" "Probation Delius" 2026-10-06T09:00:00Z     # 3: another system
report "Prison-NOMIS terminal" "" 2026-10-07T09:00:00Z      # 4: a note
report "laptop" "Prison NOMIS" 2026-10-08T09:00:00Z         # 5: the asset
report "@NOMIS, shared drive" "" 2026-10-09T09:00:00Z       # 6: a formula-like cell
report "NOMISx" "" 2026-10-10T09:00:00Z                     # 7: another word
command INC-2026-000002 2026-10-20T09:00:00Z <<'EOF'
Status: closed - password reset, no data lost
Report: Phish reached three users of NOMIS.
One password was reset; no case notes were read.
EOF
command INC-2026-000004 2026-10-21T09:00:00Z <<'EOF'
Note: waiting for the terminal's logs from the wing
EOF
"$IG" show INC-2026-000002 --json | check_json "INC-2026-000002 closed" 'd["status"] == "closed"'

"$IG" report system NOMIS --since 2026-10-01 > "$WORK/nomis.txt" || fail "report system NOMIS: exit $?"
expect_eq "text: the heading" "$(head -4 "$WORK/nomis.txt")" \
'IT security incidents naming the system "NOMIS" (for its Accreditor)
Information asset: Prison NOMIS (IAO nomis.iao@justice.gov.uk)
Period: received since 2026-10-01 00:00 BST
Incidents: 4'
expect_eq "text: one block per incident, oldest first" \
  "$(grep '^INC-' "$WORK/nomis.txt" | tr '\n' ' ')" \
  "INC-2026-000002 INC-2026-000004 INC-2026-000005 INC-2026-000006 "
grep -A12 '^INC-2026-000002$' "$WORK/nomis.txt" > "$WORK/block2.txt"
grep -qx '  Outcome:           closed: password reset, no data lost' "$WORK/block2.txt" \
  && grep -qx '    Phish reached three users of NOMIS.' "$WORK/block2.txt" \
  && grep -qx '    One password was reset; no case notes were read.' "$WORK/block2.txt" \
  && ok "text: the closing reason and the management report indented" \
  || fail "text: block of INC-2026-000002: $(cat "$WORK/block2.txt")"
grep -A12 '^INC-2026-000004$' "$WORK/nomis.txt" | grep -qx \
  "  Outcome:           waiting for the terminal's logs from the wing" \
  && ok "text: the last note as the outcome of an open incident" || fail "text: note of INC-2026-000004"
grep -A12 '^INC-2026-000005$' "$WORK/nomis.txt" | grep -qx '  Management report: none' \
  && ok "text: no management report said" || fail "text: INC-2026-000005 management report"

"$IG" report system nomis --since 2026-10-01 --format csv > "$WORK/nomis.csv" || fail "--format csv: exit $?"
python3 - "$WORK/nomis.csv" <<'PY' && ok "CSV: the columns, rows oldest first, outcome, report yes/no, guard" || fail "CSV: $(cat -A "$WORK/nomis.csv")"
import csv, sys
raw = open(sys.argv[1], newline="").read()
assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
rows = list(csv.reader(raw.splitlines()))
assert rows[0] == ["reference", "received_at", "detected_at", "category", "impact", "status",
                   "systems_affected", "information_asset", "outcome", "management_report"], rows[0]
body = rows[1:]
assert [r[0] for r in body] == ["INC-2026-000002", "INC-2026-000004", "INC-2026-000005",
                                "INC-2026-000006"], body
assert body[0][1] == "2026-10-05T09:00:00Z" and body[0][5] == "closed"
assert body[0][8] == "closed: password reset, no data lost" and body[0][9] == "yes"
assert body[1][8] == "waiting for the terminal's logs from the wing" and body[1][9] == "no"
assert body[2][6] == "laptop" and body[2][7] == "Prison NOMIS" and body[2][8] == ""
assert body[3][6] == "'@NOMIS, shared drive"
PY

"$IG" report system Prison-NOMIS --since 2026-10-01 --format json > "$WORK/nomis.json" || fail "--format json: exit $?"
check_json "JSON: the system, period, asset and count" \
  'd["system"] == "Prison-NOMIS" and d["since"] == "2026-09-30T23:00:00Z" and d["count"] == 3
   and d["assets"] == [{"name": "Prison NOMIS", "iao": "nomis.iao@justice.gov.uk"}]' < "$WORK/nomis.json"
check_json "JSON: the incidents naming the asset in full, the report's text" \
  '[r["reference"] for r in d["incidents"]] == ["INC-2026-000002", "INC-2026-000004", "INC-2026-000005"]
   and d["incidents"][0]["management_report"] == "yes"
   and d["incidents"][0]["management_report_text"].startswith("Phish reached three users of NOMIS.")
   and d["incidents"][1]["management_report_text"] is None
   and d["incidents"][0]["systems_affected"] == "prison nomis (case notes)"' < "$WORK/nomis.json"

"$IG" report system NOMIS --format json | check_json "without --since: from the first, not NOMISx" \
  'd["since"] is None and [r["reference"] for r in d["incidents"]] == ["INC-2026-000001",
   "INC-2026-000002", "INC-2026-000004", "INC-2026-000005", "INC-2026-000006"]'
"$IG" report system delius --format json | check_json "Delius: its own incident only" \
  '[r["reference"] for r in d["incidents"]] == ["INC-2026-000003"]
   and d["assets"] == [{"name": "Probation Delius", "iao": "delius.iao@justice.gov.uk"}]'
"$IG" report system OASys --since 2026-10-01T12:00:00+01:00 > "$WORK/none.txt" || fail "an empty report: exit $?"
expect_eq "an empty report says so" "$(tail -2 "$WORK/none.txt")" \
'Period: received since 2026-10-01 12:00 BST
Incidents: 0'
finish
