#!/usr/bin/env bash
# report quarterly: the Cabinet Office return of the incidents received in
# a quarter of the configured zone (Europe/London), as CSV and JSON, and
# the one-line errors for a bad quarter or kind, refused before any store
# is made.
source "$(dirname "$0")/lib.sh"
write_config

expect_error "a fifth quarter" 2 \
  'incident-gateway: report quarterly "2026Q5": not a quarter (use YYYYQN, N from 1 to 4, e.g. 2026Q4)' \
  "$IG" report quarterly 2026Q5
expect_error "a two-digit year" 2 \
  'incident-gateway: report quarterly "26Q1": not a quarter (use YYYYQN, N from 1 to 4, e.g. 2026Q4)' \
  "$IG" report quarterly 26Q1
expect_error "no quarter" 2 'incident-gateway: report quarterly: give a quarter, e.g. report quarterly 2026Q4' \
  "$IG" report quarterly
expect_error "an unknown kind" 2 'incident-gateway: report: unknown kind "unknown" (use report quarterly YYYYQN or report system NAME)' \
  "$IG" report unknown
expect_error "no kind" 2 'incident-gateway: report: give a kind, e.g. report quarterly 2026Q4' "$IG" report
expect_error "a second quarter" 2 'incident-gateway: report quarterly: unexpected argument "2026Q3"' \
  "$IG" report quarterly 2026Q4 2026Q3
expect_error "a bad format" 2 'incident-gateway: --format "xml": use one of csv, json' \
  "$IG" report quarterly 2026Q4 --format xml
expect_error "an option of another command" 2 'incident-gateway: report does not take --json' \
  "$IG" report quarterly 2026Q4 --json
store_made && fail "a refused report made a store" || ok "no store made by a refused report"

# Reports without a Date: each is received at its --now.
mkdir -p "$WORK/in"
form() { # form FILE SUBJECT FIELDS... - a form report from Jane Smith
  local file=$1 subject=$2
  shift 2
  { printf 'From: Jane Smith <jane.smith@justice.gov.uk>\r\nSubject: %s\r\nMessage-ID: <%s@justice.gov.uk>\r\n\r\nReporter name: Jane Smith\r\n' \
      "$subject" "$(basename "$file" .eml)"
    printf '%s\r\n' "$@"; } > "$WORK/in/$file"
}
form q3.eml "Phishing mail" "Date and time of detection: 30/09/2026 23:00" "Incident category: phishing" \
  "Impact: low" "Personal data involved: no" "Description: A mail asked for my password."
form bst.eml "Malware at a supplier" "Date and time of detection: 01/10/2026 00:00" \
  "Incident category: malware" "Impact: high" "Personal data involved: yes" \
  'Supplier: Acme, "Widgets" Ltd' "Description: Ransomware on the case system."
form late.eml "Laptop left on a train" "Date and time of detection: 22/11/2026 12:00" \
  "Incident category: lost-or-stolen-equipment" "Impact: low" "Personal data involved: no" \
  "Near miss: yes" "Supplier: =cmd|' /C calc'!A0" "Description: Left on the train, handed in."
printf 'From: Ann Lee <ann.lee@justice.gov.uk>\r\nSubject: Stolen\r\nMessage-ID: <eve@justice.gov.uk>\r\n\r\nMy laptop was stolen.\r\n' > "$WORK/in/eve.eml"
printf 'From: Ann Lee <ann.lee@justice.gov.uk>\r\nSubject: Stolen too\r\nMessage-ID: <ny@justice.gov.uk>\r\n\r\nMy phone was stolen.\r\n' > "$WORK/in/ny.eml"
# 23:30 BST on 30 September is Q3; 00:30 BST on 1 October (23:30 UTC) is
# Q4, and so is the last second of the year; midnight GMT is Q1 of 2027.
for r in q3:2026-09-30T22:30:00Z bst:2026-09-30T23:30:00Z late:2026-11-22T14:40:00Z \
         eve:2026-12-31T23:59:59Z ny:2027-01-01T00:00:00Z; do
  "$IG" ingest --now "${r#*:}" "$WORK/in/${r%%:*}.eml" > /dev/null 2>> "$WORK/ingest.log" \
    || fail "ingest ${r%%:*}.eml"
done

"$IG" report quarterly 2026Q4 > "$WORK/q4.csv" || fail "report quarterly 2026Q4: exit $?"
printf '%s\r\n' \
  'reference,received_at,detected_at,minutes_to_report,reported_late,category,impact,personal_data,near_miss,status,via,supplier' \
  'INC-2026-000002,2026-09-30T23:30:00Z,2026-09-30T23:00:00Z,30,false,malware,high,yes,false,new,direct,"Acme, ""Widgets"" Ltd"' \
  "INC-2026-000003,2026-11-22T14:40:00Z,2026-11-22T12:00:00Z,160,true,lost-or-stolen-equipment,low,no,true,new,direct,'=cmd|' /C calc'!A0" \
  'INC-2026-000004,2026-12-31T23:59:59Z,,,,lost-or-stolen-equipment,,,false,new,direct,' \
  '' \
  'total,incidents,3' \
  'total,category:lost-or-stolen-equipment,2' \
  'total,category:malware,1' \
  'total,impact:low,1' \
  'total,impact:medium,0' \
  'total,impact:high,1' \
  'total,impact:not assessed,1' \
  'total,reported_late,1' \
  'total,near_misses,1' \
  'total,personal_data,1' > "$WORK/want.csv"
cmp -s "$WORK/q4.csv" "$WORK/want.csv" && ok "CSV: the Q4 rows oldest first, quoted and guarded, then the totals" \
  || fail "CSV: $(diff "$WORK/want.csv" "$WORK/q4.csv" | cat -A)"
"$IG" report quarterly 2026q4 --format csv | cmp -s - "$WORK/want.csv" \
  && ok "--format csv gives the default output; q is taken for Q" || fail "report quarterly 2026q4 --format csv"

"$IG" report quarterly 2026Q4 --format json > "$WORK/q4.json" || fail "report quarterly --format json: exit $?"
check_json "JSON: the quarter and its bounds in UTC" \
  'd["quarter"] == "2026Q4" and d["from"] == "2026-09-30T23:00:00Z" and d["to"] == "2027-01-01T00:00:00Z"' \
  < "$WORK/q4.json"
check_json "JSON: one row per incident, oldest first, the CSV's columns" \
  '[r["reference"] for r in d["incidents"]] == ["INC-2026-000002", "INC-2026-000003", "INC-2026-000004"]
   and all(list(r) == ["reference", "received_at", "detected_at", "minutes_to_report", "reported_late",
                       "category", "impact", "personal_data", "near_miss", "status", "via", "supplier"]
           for r in d["incidents"])' < "$WORK/q4.json"
check_json "JSON: values as they are, unknown null, booleans true/false" \
  'd["incidents"][0]["supplier"] == "Acme, \"Widgets\" Ltd" and d["incidents"][1]["supplier"] == "=cmd|'"'"' /C calc'"'"'!A0"
   and d["incidents"][1]["minutes_to_report"] == 160 and d["incidents"][1]["reported_late"] is True
   and d["incidents"][1]["near_miss"] is True and d["incidents"][2]["impact"] is None
   and d["incidents"][2]["detected_at"] is None and d["incidents"][2]["reported_late"] is None' < "$WORK/q4.json"
check_json "JSON: the totals" \
  'd["totals"] == {"incidents": 3, "by_category": {"lost-or-stolen-equipment": 2, "malware": 1},
                   "by_impact": {"low": 1, "medium": 0, "high": 1, "not assessed": 1},
                   "reported_late": 1, "near_misses": 1, "personal_data": 1}' < "$WORK/q4.json"
for ref in INC-2026-000002 INC-2026-000004; do
  "$IG" show "$ref" --json | python3 -c '
import json, sys
show = json.load(sys.stdin)
row = [r for r in json.load(open(sys.argv[1]))["incidents"] if r["reference"] == show["reference"]][0]
sys.exit(0 if all(row[k] == show[k] for k in row) else 1)' "$WORK/q4.json" \
    && ok "JSON: $ref as show --json gives it" || fail "JSON: $ref differs from show --json"
done

"$IG" report quarterly 2026Q3 --format json \
  | check_json "Q3: 23:30 BST on 30 September" '[r["reference"] for r in d["incidents"]] == ["INC-2026-000001"]'
"$IG" report quarterly 2027Q1 --format json \
  | check_json "Q1 of 2027: midnight GMT on 1 January" '[r["reference"] for r in d["incidents"]] == ["INC-2027-000001"]'
expect_eq "an empty quarter: the header, a blank line and zero totals" \
  "$("$IG" report quarterly 2025Q2 | tr -d '\r' | head -3 | tail -2 | tr '\n' '|')" "|total,incidents,0|"
finish
