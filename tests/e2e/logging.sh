#!/usr/bin/env bash
# Log lines (gateway/log.h): -q keeps warnings and errors only, -v adds
# debug lines; under systemd (stderr is the stream JOURNAL_STREAM names)
# each line carries its priority as "<N>" and no timestamp of its own,
# and a JOURNAL_STREAM naming another stream changes nothing.
source "$(dirname "$0")/lib.sh"
write_config
report() { # N - a report with its own Message-ID
  printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Phone %s stolen\nMessage-ID: <log-%s@justice.gov.uk>\n\nIncident category: lost or stolen equipment\nDescription: My work phone was stolen.\n' "$1" "$1"
}
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z '

report 1 | "$IG" -q ingest --now 2026-11-23T09:00:00Z > /dev/null 2> "$WORK/quiet.log" \
  || fail "ingest -q exit $?"
expect_eq "-q: no info lines" "$(wc -l < "$WORK/quiet.log")" 0
report 2 | "$IG" ingest --now 2026-11-23T09:00:00Z > /dev/null 2> "$WORK/plain.log"
grep -Eq "${stamp}info INC-2026-000002 <log-2@justice.gov.uk> stdin: new report" "$WORK/plain.log" \
  && ok "default: info lines with their time" || fail "default log: $(cat "$WORK/plain.log")"
grep -q ' debug ' "$WORK/plain.log" && fail "default: debug lines shown" || ok "default: no debug lines"
report 3 | "$IG" -v ingest --now 2026-11-23T09:00:00Z > /dev/null 2> "$WORK/verbose.log"
grep -Eq "${stamp}debug - <-> [0-9]+ mail\(s\) written; syncing them together" "$WORK/verbose.log" \
  && ok "-v: debug lines" || fail "-v log: $(cat "$WORK/verbose.log")"
expect_error "-v with -q" 2 "incident-gateway: give --verbose or --quiet, not both" \
  "$IG" -v -q list

# The journal: stderr is a file here, named by its device and inode.
: > "$WORK/journal.log"
stream=$(stat -c '%d:%i' "$WORK/journal.log")
report 4 | JOURNAL_STREAM=$stream "$IG" ingest --now 2026-11-23T09:00:00Z > /dev/null \
  2>> "$WORK/journal.log"
grep -q '^<6>info INC-2026-000004 <log-4@justice.gov.uk> stdin: new report$' "$WORK/journal.log" \
  && ok "journal: priority prefix, no timestamp" || fail "journal log: $(cat "$WORK/journal.log")"
grep -Eq "$stamp" "$WORK/journal.log" && fail "journal: a second timestamp" || ok "journal: one timestamp (the journal's)"
JOURNAL_STREAM=$stream "$IG" show nonsense 2>> "$WORK/journal.log" && fail "show nonsense passed"
grep -q '^<3>incident-gateway: show: "nonsense" is not a reference' "$WORK/journal.log" \
  && ok "journal: the failing command's last line at error priority" \
  || fail "journal, a failure: $(cat "$WORK/journal.log")"
report 5 | JOURNAL_STREAM=1:1 "$IG" ingest --now 2026-11-23T09:00:00Z > /dev/null 2> "$WORK/other.log"
grep -Eq "${stamp}info INC-2026-000005 " "$WORK/other.log" \
  && ok "another stream named: plain lines" || fail "JOURNAL_STREAM of another stream: $(cat "$WORK/other.log")"
finish
