#!/usr/bin/env bash
# The text output of list, show, messages and outbox: what each promises
# to show, and what a sender wrote shown without letting it act on the
# operator's terminal: CR, LF, ESC and other control characters from an
# address or subject are printed escaped, one row per row.
source "$(dirname "$0")/lib.sh"
write_config
expect_eq "list: an empty store says so" "$("$IG" list)" "no incidents"
expect_eq "messages: an empty store says so" "$("$IG" messages)" "no messages"
expect_eq "outbox: an empty outbox says so" "$("$IG" outbox)" "outbox empty"
mkdir -p "$WORK/in"
printf 'From: Jane Smith <jane.smith@justice.gov.uk>\r\nSubject: Laptop stolen\r\nMessage-ID: <t-1@justice.gov.uk>\r\n\r\nMy laptop was stolen.\r\n' > "$WORK/in/1.eml"
# A folded quoted local part: GMime keeps the CR LF inside the address.
printf 'From: "x\r\n 2026-11-30 12:00  report  INC-2026-999999  fake row"@attacker.example\r\nSubject: =?utf-8?q?Re=3A_=5BINC-2026-000001=5D_hello=1B=5B2Jworld?=\r\nMessage-ID: <t-2@attacker.example>\r\n\r\nMore about it.\r\n' > "$WORK/in/2.eml"
"$IG" ingest "$WORK/in/1.eml" "$WORK/in/2.eml" > /dev/null || fail "ingest"

"$IG" messages > "$WORK/messages.txt"
expect_eq "messages: a header and one line per message" "$(wc -l < "$WORK/messages.txt")" 3
grep -q $'\e' "$WORK/messages.txt" && fail "messages printed a raw ESC" || ok "messages: no raw ESC"
grep -q $'\r' "$WORK/messages.txt" && fail "messages printed a raw CR" || ok "messages: no raw CR"
grep -qF '"x\r\n 2026-11-30 12:00' "$WORK/messages.txt" && grep -qF 'hello\u{1B}[2Jworld' "$WORK/messages.txt" \
  && ok "messages: control characters shown escaped" || fail "messages: $(cat -v "$WORK/messages.txt")"

"$IG" list > "$WORK/list.txt"
expect_eq "list: a header and one line for the one incident (the second mail is a reply)" "$(wc -l < "$WORK/list.txt")" 2
grep -q '^REFERENCE  *STATUS  *IMPACT  *CATEGORY  *RECEIVED  *SUMMARY$' "$WORK/list.txt" \
  && ok "list: the header names the columns" || fail "list: $(head -1 "$WORK/list.txt")"
grep -q '^INC-2026-000001  *new  *-  *lost-or-stolen-equipment  .*Laptop stolen$' "$WORK/list.txt" \
  && ok "list: reference, status, impact, category and summary" || fail "list: $(cat "$WORK/list.txt")"
grep -q $'[\e\r]' "$WORK/list.txt" && fail "list printed a raw control character" \
  || ok "list: no raw control characters"

"$IG" show INC-2026-000001 > "$WORK/show.txt"
head -1 "$WORK/show.txt" | grep -q '^INC-2026-000001  Laptop stolen$' && ok "show: reference and summary first" \
  || fail "show: $(head -1 "$WORK/show.txt")"
for line in 'Status: *new$' 'Category: *lost-or-stolen-equipment$' 'Reporter: *Jane Smith <jane.smith@justice.gov.uk>$' \
            'Near miss: *no$' 'Source: *free_text$'; do
  grep -q "^$line" "$WORK/show.txt" && ok "show: $line" || fail "show: no line $line in $(cat "$WORK/show.txt")"
done
for section in 'Description:' 'Deadlines:' 'Messages:' 'Events:'; do
  grep -q "^$section$" "$WORK/show.txt" && ok "show: $section section" || fail "show: no $section section"
done
grep -q '^My laptop was stolen.$' "$WORK/show.txt" && ok "show: the description" || fail "show: no description"

# Three rows: OST's notice and the ack of the report, and OST's notice of
# the reply, whose subject carries the sender's ESC.
"$IG" outbox > "$WORK/outbox.txt"
rows=3
expect_eq "outbox: a header and one line per row" "$(wc -l < "$WORK/outbox.txt")" $((rows + 1))
grep -qF 'hello\u{1B}[2Jworld' "$WORK/outbox.txt" && ok "outbox: the sender's ESC shown escaped" \
  || fail "outbox: $(cat -v "$WORK/outbox.txt")"
grep -q $'[\e\r]' "$WORK/outbox.txt" && fail "outbox printed a raw control character" \
  || ok "outbox: no raw control characters"

# A form report sent 90 minutes after detection, with a two-line
# description and the actions taken, whose subject hides a file name
# behind a right-to-left override; the first mail it queues meets a
# different file of its name in the dir: transport, so it waits.
printf 'From: Ann Lee <ann.lee@justice.gov.uk>\r\nSubject: =?utf-8?q?Invoice_=E2=80=AEfdp.exe?=\r\nMessage-ID: <t-3@justice.gov.uk>\r\nDate: Mon, 23 Nov 2026 10:30:00 +0000\r\n\r\nReporter name: Ann Lee\r\nDate and time of detection: 23/11/2026 09:00\r\nIncident category: malware\r\nImpact: low\r\nPersonal data involved: no\r\nDescription: A pop-up said my files were encrypted.\r\n  Then the PC restarted.\r\nActions taken: Unplugged the network cable.\r\n' > "$WORK/in/3.eml"
next_row=$(printf '%08d' $((rows + 1)))
printf 'an earlier mail\n' > "$WORK/var/outbox/$next_row-INC-2026-000002.eml"
"$IG" ingest "$WORK/in/3.eml" > /dev/null 2>&1 || fail "ingest of the form report"

"$IG" show INC-2026-000002 > "$WORK/show2.txt"
grep -q '^Time to report: *1 h 30 min (late)$' "$WORK/show2.txt" && ok "show: time to report in hours and minutes, late" \
  || fail "show: $(grep Minutes "$WORK/show2.txt")"
grep -A3 '^Description:$' "$WORK/show2.txt" | grep -q '^Then the PC restarted.$' \
  && ok "show: the description keeps its lines" || fail "show: $(cat "$WORK/show2.txt")"
grep -A1 '^Actions taken:$' "$WORK/show2.txt" | grep -q '^Unplugged the network cable.$' \
  && ok "show: actions taken" || fail "show: no actions taken in $(cat "$WORK/show2.txt")"
"$IG" list | grep '^INC-2026-000002 .*  \[late\]$' > /dev/null && ok "list: a late report marked" \
  || fail "list: $("$IG" list)"
"$IG" messages | grep -F 'Invoice \u{202E}fdp.exe' > /dev/null && ok "messages: a right-to-left override shown escaped" \
  || fail "messages: $("$IG" messages | cat -v)"

"$IG" outbox > "$WORK/outbox2.txt"
grep -A1 "^$((rows + 1)) *pending *1 *INC-2026-000002 " "$WORK/outbox2.txt" \
  | grep -q '^        last error: .*a different file already has this name; not overwritten (next attempt [0-9-]* [0-9:]* [A-Z]*)$' \
  && ok "outbox: a waiting row with its last error and next attempt" || fail "outbox: $(cat "$WORK/outbox2.txt")"
expect_eq "outbox: one line per row, one more for each last error" "$(grep -vc '^        last error: ' "$WORK/outbox2.txt")" \
  $(( $("$IG" outbox --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') + 1 ))
finish
