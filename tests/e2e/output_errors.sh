#!/usr/bin/env bash
# When a command cannot do what it was asked, it says so and its exit
# status shows it: output that cannot be written (a full disk, here
# /dev/full) is exit 1 with one line, never a silently cut listing; usage
# mistakes are exit 2 naming what is wrong; a damaged store (on
# PostgreSQL, tables the gateway may no longer read) makes every reading
# command fail with the database's reason instead of printing an empty or
# partial list. Observables as CSV keep each exact value and guard the
# readable one against spreadsheet formulas.
source "$(dirname "$0")/lib.sh"
write_config

# status_is DESCRIPTION WANT COMMAND... - the exit status, stderr kept in err.txt
status_is() {
  local what=$1 want=$2 rc=0
  shift 2
  "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  expect_eq "$what (exit status)" "$rc" "$want"
}

# last_error_is DESCRIPTION TEXT - stderr is one line holding TEXT
last_error_is() {
  if [ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -qF -- "$2" "$WORK/err.txt"; then
    ok "$1"
  else
    fail "$1: stderr was: $(cat "$WORK/err.txt")"
  fi
}

mkdir -p "$WORK/in"
cat > "$WORK/in/phish.eml" <<'EOF'
From: Sam Lee <sam.lee@justice.gov.uk>
To: security@justice.gov.uk
Subject: Suspicious email
Date: Mon, 23 Nov 2026 11:00:00 +0000
Message-ID: <phish-csv@justice.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain

Attaching a phishing mail that asks me to open a spreadsheet.
--m
Content-Type: message/rfc822

From: Payroll <payroll@payroll-update.example>
To: sam.lee@justice.gov.uk
Subject: Update your bank details
Date: Mon, 23 Nov 2026 10:40:00 +0000
Message-ID: <evil-1@payroll-update.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="e"

--e
Content-Type: text/plain

Open the attached form.
--e
Content-Type: application/vnd.ms-excel
Content-Disposition: attachment; filename="=cmd|' /C calc'!A0 \"x\".xls"
Content-Transfer-Encoding: base64

SGVsbG8=
--e--
--m--
EOF

# --- before anything is recorded ---
"$IG" observables > "$WORK/none.txt" || fail "observables on an empty store"
expect_eq "observables: an empty store says so" "$(cat "$WORK/none.txt")" "no observables"
"$IG" ingest "$WORK/in/phish.eml" > /dev/null || fail "ingest"
ref=INC-2026-000001

# --- CSV: exact values, quotes doubled, formulas guarded in the readable column ---
"$IG" observables --format csv > "$WORK/obs.csv"
grep -qF "\"$ref\",\"file\",\"=cmd|' /C calc'!A0 \"\"x\"\".xls\",\"'=cmd|' /C calc'!A0 \"\"x\"\"[.]xls\"," "$WORK/obs.csv" \
  && ok "csv: the exact file name, and the defanged one behind an apostrophe" \
  || fail "csv: $(cat "$WORK/obs.csv")"

# --- output that cannot be written: exit 1, one line, in text as in JSON ---
for cmd in "list" "list --json" "show $ref" "show $ref --json" "messages" "messages --json" \
           "outbox" "outbox --json" "observables" "observables --format csv" \
           "observables --format json" "observables --format stix" "verify"; do
  rc=0
  # shellcheck disable=SC2086
  "$IG" $cmd > /dev/full 2> "$WORK/err.txt" || rc=$?
  expect_eq "$cmd > /dev/full (exit status)" "$rc" 1
  last_error_is "$cmd > /dev/full: says so" "incident-gateway: stdout: write error"
done

# --- usage mistakes: exit 2, the mistake named ---
status_is "unknown option" 2 "$IG" --bogus list
last_error_is "unknown option named" "--bogus"
status_is "no command" 2 "$IG"
last_error_is "no command: says so" "no command given (try --help)"
for cmd in list messages outbox verify check-config "poll --once" run; do
  # shellcheck disable=SC2086
  status_is "$cmd with a stray argument" 2 "$IG" $cmd stray
  last_error_is "$cmd: the stray argument named" "${cmd%% *}: unexpected argument \"stray\""
done
status_is "observables --since not a date" 2 "$IG" observables --since last-week
last_error_is "--since value named" '--since "last-week": not a date or ISO-8601 time'
status_is "observables --format unknown" 2 "$IG" observables --format xml
last_error_is "--format value named" '--format "xml": use one of text, json, csv, stix'
status_is "observables with two references" 2 "$IG" observables "$ref" INC-2026-000002
last_error_is "observables: one reference at most" "give at most one reference"
status_is "observables of an unknown incident" 1 "$IG" observables INC-2026-999999
last_error_is "observables: unknown reference named" "no incident INC-2026-999999"
status_is "ingest of a directory" 1 "$IG" ingest "$WORK/in"
grep -qF "$WORK/in: read error: Is a directory" "$WORK/err.txt" && ok "ingest: the directory named" \
  || fail "ingest of a directory: $(cat "$WORK/err.txt")"

# --- each command, its configuration missing: exit 2, the file named ---
for cmd in list "show $ref" messages outbox observables verify "poll --once" run check-config; do
  # shellcheck disable=SC2086
  status_is "$cmd without its configuration" 2 "$IG" -c "$WORK/missing.conf" $cmd
  last_error_is "$cmd: the missing configuration named" "$WORK/missing.conf"
done

# --- a damaged store: reading commands fail with the reason, never list nothing ---
if on_pg; then
  db_sql "REVOKE SELECT ON incidents, messages, outbox, observables FROM CURRENT_USER"
  reason="permission denied for table"
else
  reason="database disk image is malformed"
python3 - "$DATABASE" <<'EOF'
import sqlite3, sys
db = sys.argv[1]
c = sqlite3.connect(db)
pages = [r[0] for r in c.execute("SELECT rootpage FROM sqlite_schema WHERE type = 'table'"
                                 " AND name IN ('incidents', 'messages', 'outbox', 'observables')")]
size = c.execute("PRAGMA page_size").fetchone()[0]
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
with open(db, "r+b") as f:
    for p in pages:
        f.seek((p - 1) * size)
        f.write(b"\x5a" * 512)
EOF
fi
for cmd in list "show $ref" messages outbox observables; do
  # shellcheck disable=SC2086
  status_is "$cmd on a damaged store" 1 "$IG" $cmd
  last_error_is "$cmd on a damaged store: the reason" "$reason"
  [ -s "$WORK/out.txt" ] && fail "$cmd on a damaged store printed: $(head -3 "$WORK/out.txt")" \
    || ok "$cmd on a damaged store: nothing printed"
done
finish
