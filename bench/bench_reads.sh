#!/usr/bin/env bash
# bench_reads.sh BUILD [N] - reads at N incidents (default 100,000): show,
# list --limit 50 (text and JSON), list --search WORD --limit 50 and the
# whole list --json, each the whole process's wall time (median of 5),
# side by side with the sqlite3 CLI reading the same rows from the same
# store, the baseline; prints both and their ratio. Then the ingest rate
# into that store beside the rate into an empty one.
#
# The store is made by the gateway itself (its schema, migrations and
# search index): the examples, two reported phishing mails (evidence and
# observables) and an OST note are ingested, then each of the nine
# incidents is copied with SQL, in one transaction, into N
# incidents with their messages (raw mail padded to a few KB), events,
# deadlines, rules and outbox mail, their text varied (a site name, a
# ticket number, every tenth an OST note) so that words match some and
# not others. The copies' audit chain is not rehashed: `verify` fails on
# this store, and nothing here needs it.
set -euo pipefail
build=${1:-build}
n=${2:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
IG=$build/incident-gateway
command -v sqlite3 > /dev/null || { echo "bench_reads: needs the sqlite3 CLI (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/var/gateway.db
mkdir -p "$work/var"
sed -e "s|^database = .*|database = $db|" -e "s|^url = maildir:.*|url = maildir:$work/var/mail|" \
    -e "s|^url = dir:.*|url = dir:$work/var/outbox|" -e "s|^managers = .*|managers =|" \
    -e 's/^require_authentication = .*/require_authentication = authentication-results/' \
    "$here/config/gateway.conf" > "$work/gateway.conf"
export INCIDENT_GATEWAY_CONFIG=$work/gateway.conf
"$IG" ingest --now 2026-11-23T09:00:00Z "$here"/examples/*.eml \
  "$here"/tests/fixtures/corpus/40[79]-fwd-attached-*.eml > /dev/null 2>&1
printf 'Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk; dmarc=pass header.from=justice.gov.uk\r\nFrom: Alice Brown <alice@justice.gov.uk>\r\nSubject: RE: [INC-2026-000002] Laptop\r\nMessage-ID: <note-1@justice.gov.uk>\r\n\r\nStatus: investigating\r\nNote: spoke to the train operator about lost property\r\n' \
  > "$work/note.eml"
"$IG" ingest --now 2026-11-23T10:00:00Z "$work/note.eml" > /dev/null 2>&1

start=$(date +%s)
sqlite3 "$db" > /dev/null <<SQL
.bail on
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
BEGIN;
CREATE TEMP TABLE site(k INTEGER PRIMARY KEY, name TEXT);
INSERT INTO site(name) VALUES ('Wandsworth'), ('Belmarsh'), ('Petty France'), ('Croydon'),
  ('Leeds'), ('Manchester'), ('Cardiff'), ('Bristol'), ('Nottingham'), ('Liverpool'),
  ('Birmingham'), ('Sheffield'), ('Newcastle'), ('Durham'), ('Exeter'), ('Norwich'),
  ('Ipswich'), ('Lincoln'), ('Preston'), ('Swansea'), ('Wakefield'), ('Hull'), ('York'),
  ('Chelmsford'), ('Maidstone'), ('Canterbury'), ('Reading'), ('Oxford'), ('Cambridge'),
  ('Winchester'), ('Bedford'), ('Luton'), ('Northampton'), ('Leicester'), ('Derby'),
  ('Stoke'), ('Shrewsbury'), ('Worcester'), ('Gloucester'), ('Taunton'), ('Truro'),
  ('Plymouth'), ('Bournemouth'), ('Brighton'), ('Guildford'), ('Woolwich'), ('Highbury'),
  ('Southwark'), ('Isleworth'), ('Snaresbrook');
CREATE TEMP TABLE copy(n INTEGER PRIMARY KEY, seed INTEGER, id INTEGER, at TEXT, site TEXT);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $n)
INSERT INTO copy SELECT n, (n - 1) % (SELECT count(*) FROM incidents) + 1, 1000 + n,
  strftime('%Y-%m-%dT%H:%M:%SZ', '2024-01-01', printf('+%d minutes', n * 5 + n * 7919 % 90)),
  (SELECT name FROM site WHERE k = n % 50 + 1) FROM c;
INSERT INTO incidents(id, reference, status, impact, category, near_miss, personal_data,
  reporter_name, reporter_email, reporter_phone, business_area, supplier, via, source,
  forwarded_by, detected_at, occurred_at, received_at, reported_late, minutes_to_report,
  systems_affected, information_asset, asset_owner, summary, description, actions_taken,
  missing_fields, owner, created_at, updated_at)
SELECT c.id, printf('INC-2025-%06d', c.n),
  CASE WHEN c.n > $n - 500 THEN 'new' WHEN c.n % 10 < 7 THEN 'closed' WHEN c.n % 10 = 7 THEN 'resolved'
       WHEN c.n % 10 = 8 THEN 'investigating' ELSE 'triaged' END,
  i.impact, i.category, i.near_miss, i.personal_data, i.reporter_name,
  replace(i.reporter_email, '@', printf('%d@', c.n % 3000)), i.reporter_phone, i.business_area,
  i.supplier, i.via, i.source, i.forwarded_by, c.at, c.at, c.at, i.reported_late,
  i.minutes_to_report, i.systems_affected, i.information_asset, i.asset_owner,
  i.summary || ' at ' || c.site,
  i.description || char(10) || char(10) || 'Seen at the ' || c.site || ' office, ticket '
    || c.n || '. The member of staff was asked to keep the device and any printed material'
    || ' as they were, to write down what they saw and when, and to wait for the security'
    || ' team before contacting anyone else about it. Their line manager has been told.'
    || CASE WHEN c.n % 3 = 0 THEN ' The service desk logged the call and checked that'
       || ' the account shows no further sign-ins from unknown locations since then.' ELSE '' END,
  i.actions_taken, i.missing_fields, i.owner, c.at, c.at
FROM copy c JOIN incidents i ON i.id = c.seed;
INSERT INTO messages(message_id, sha256, size, from_addr, subject, received_at, kind,
  incident_id, note)
SELECT coalesce(m.message_id, 'none') || '.' || c.n, substr(m.sha256, 1, 52) || printf('%012d', c.n),
  m.size + 1000 + c.n % 6000, m.from_addr, m.subject, c.at, m.kind, c.id, m.note
FROM copy c JOIN messages m ON m.incident_id = c.seed ORDER BY c.n, m.id;
INSERT INTO message_bodies(id, raw)
SELECT n.id, b.raw || CAST(substr(printf('%.*c', 1000 + c.n % 6000, 'x'), 1) AS BLOB)
FROM copy c JOIN messages m ON m.incident_id = c.seed JOIN message_bodies b ON b.id = m.id
JOIN messages n ON n.message_id = coalesce(m.message_id, 'none') || '.' || c.n;
INSERT INTO events(incident_id, at, actor, type, detail, prev_hash, hash, message_row,
  message_sha256, state)
SELECT c.id, c.at, e.actor, e.type, e.detail, e.prev_hash, e.hash, e.message_row,
  e.message_sha256, e.state
FROM copy c JOIN events e ON e.incident_id = c.seed ORDER BY c.n, e.id;
INSERT INTO events(incident_id, at, actor, type, detail, prev_hash, hash)
SELECT c.id, c.at, 'alice@justice.gov.uk', 'note',
  'Called the reporter; the ' || c.site || ' site manager confirmed the details.', '', ''
FROM copy c WHERE c.n % 10 = 0;
INSERT INTO deadlines(incident_id, kind, due_at, state, reminders_sent, next_at)
SELECT c.id, d.kind, c.at, CASE WHEN c.n > $n - 500 THEN 'pending' ELSE 'done' END,
  d.reminders_sent, c.at
FROM copy c JOIN deadlines d ON d.incident_id = c.seed;
INSERT INTO evidence(incident_id, from_addr, from_name, reply_to, return_path, subject, date,
  sha256, relays)
SELECT c.id, e.from_addr, e.from_name, e.reply_to, e.return_path, e.subject, e.date, e.sha256,
  e.relays FROM copy c JOIN evidence e ON e.incident_id = c.seed;
INSERT INTO observables(incident_id, type, value, defanged, sha256, recorded_at)
SELECT c.id, o.type, o.value, o.defanged, o.sha256, c.at
FROM copy c JOIN observables o ON o.incident_id = c.seed;
INSERT INTO rules_fired(incident_id, rule, at)
SELECT c.id, r.rule, c.at FROM copy c JOIN rules_fired r ON r.incident_id = c.seed;
INSERT INTO outbox(incident_id, kind, template, to_addr, subject, message_id, body, state,
  attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT c.id, o.kind, o.template, o.to_addr, replace(o.subject, 'INC-2026-', 'INC-2025-'),
  o.message_id || '.' || c.n, o.body, o.state, o.attempts, c.at, o.last_error, c.at, c.at
FROM copy c JOIN outbox o ON o.incident_id = c.seed ORDER BY c.n, o.id;
-- The chain's recorded end moved past the copies, so new events follow them.
UPDATE audit_head SET last_id = (SELECT max(id) FROM events),
  hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1);
COMMIT;
PRAGMA journal_mode = WAL;
SQL
echo "reads: store of $(sqlite3 "$db" "SELECT count(*) FROM incidents") incidents made in" \
  "$(( $(date +%s) - start )) s, $(du -m "$db" | cut -f1) MB"

# ms CMD... - median wall time of 5 runs, in milliseconds (output discarded).
ms() {
  local times=() t0 t1
  for _ in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$@" > /dev/null || { echo "bench_reads: $* failed" >&2; exit 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 / 1000 }'
}

# compare NAME TARGET-MS IG-ARGS -- SQL - one line each for the gateway and
# sqlite3 -json running SQL on the store, and their ratio.
compare() {
  local name=$1 target=$2
  shift 2
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  local sql=$2 ours base
  ours=$(ms "$IG" "${args[@]}")
  base=$(ms sqlite3 -json "$db" "$sql")
  printf 'reads: %-34s baseline sqlite3 %7s ms  gateway %7s ms  ratio %5.1f%s\n' "$name" \
    "$base" "$ours" "$(awk -v a="$ours" -v b="$base" 'BEGIN { print a / b }')" \
    "${target:+  (target < $target ms)}"
}

# What a run of each program costs before it reads anything: starting the
# process (the gateway loads some 30 shared libraries, sqlite3 a few). No
# command is faster than this.
floor_ig=$(ms "$IG" --help)
floor_sq=$(ms sqlite3 "$db" "SELECT 1")
printf 'reads: %-34s baseline sqlite3 %7s ms  gateway %7s ms\n' "start (SELECT 1, --help)" \
  "$floor_sq" "$floor_ig"

ROW="SELECT * FROM incidents"
ref=$(printf 'INC-2025-%06d' $((n / 2)))
ONE="(SELECT id FROM incidents WHERE reference = '$ref')"
PAGE="(SELECT id FROM incidents ORDER BY received_at DESC, id DESC LIMIT 50)"
DETAILS_OF() {
  echo "SELECT * FROM deadlines WHERE incident_id IN $1 ORDER BY incident_id, due_at, id;
    SELECT id, message_id, from_addr, subject, received_at, kind, sha256 FROM messages
      WHERE incident_id IN $1 ORDER BY incident_id, received_at, id;
    SELECT id, message_id, subject, created_at, template FROM outbox
      WHERE incident_id IN $1 AND kind = 'mail' ORDER BY incident_id, created_at, id;
    SELECT id, at, actor, type, detail FROM events WHERE incident_id IN $1 ORDER BY incident_id, id;"
}
compare "show REF --json" 50 show "$ref" --json -- \
  "$ROW WHERE id IN $ONE; $(DETAILS_OF "$ONE")
   SELECT * FROM evidence WHERE incident_id IN $ONE; SELECT * FROM observables WHERE incident_id IN $ONE;"
compare "list --limit 50" 50 list --limit 50 -- \
  "SELECT reference, status, impact, category, received_at, summary, reported_late FROM incidents
   ORDER BY received_at DESC, id DESC LIMIT 50"
compare "list --limit 50 --json" 50 list --limit 50 --json -- \
  "$ROW ORDER BY received_at DESC, id DESC LIMIT 50; $(DETAILS_OF "$PAGE")"
# Words that 2% and 14% of the incidents have: the baseline walks the
# incidents newest first as the gateway does for them.
for word in belmarsh laptop; do
  compare "list --search $word --limit 50" 50 list --search $word --limit 50 -- \
    "SELECT reference, status, impact, category, received_at, summary, reported_late
     FROM incidents INDEXED BY incidents_received
     WHERE id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH '\"$word\"')
     ORDER BY received_at DESC, id DESC LIMIT 50"
done
# A word one incident has (its ticket number): read by id.
compare "list --search $((n / 2)) --limit 50" 50 list --search $((n / 2)) --limit 50 -- \
  "SELECT reference, status, impact, category, received_at, summary, reported_late FROM incidents
   WHERE id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH '\"$((n / 2))\"')
   ORDER BY received_at DESC, id DESC LIMIT 50"
compare "list --json (all)" "" list --json -- \
  "$ROW ORDER BY received_at DESC, id DESC; $(DETAILS_OF "(SELECT id FROM incidents)")"
rss=$( { /usr/bin/time -f '%M' "$IG" list --json > /dev/null; } 2>&1 | tail -1)
echo "reads: list --json (all) peak RSS $rss KB"

# The ingest rate as the store grows: the same 1,000 mixed reports
# ingested into an empty store and into this one of n incidents, side by
# side; the ratio should stay near 1.
python3 "$here/bench/make_corpus.py" "$work/corpus" 1000
empty=$work/empty
mkdir -p "$empty"
sed -e "s|^database = .*|database = $empty/gateway.db|" -e "s|^url = dir:.*|url = dir:$empty/outbox|" \
    "$work/gateway.conf" > "$empty/gateway.conf"
ingest_rate() { # config
  local t0 t1
  t0=$(date +%s%N)
  INCIDENT_GATEWAY_CONFIG=$1 "$IG" ingest --now 2026-11-24T09:00:00Z "$work"/corpus/*.eml \
    > /dev/null 2> "$work/ingest.err" || { echo "bench_reads: ingest failed: $(tail -3 "$work/ingest.err")" >&2; exit 1; }
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", 1000 / (ns / 1e9) }'
}
at_empty=$(ingest_rate "$empty/gateway.conf")
at_n=$(ingest_rate "$work/gateway.conf")
printf 'reads: ingest of 1,000 reports: into an empty store %s msg/s, into the store of %s %s msg/s, ratio %s\n' \
  "$at_empty" "$n" "$at_n" "$(awk -v a="$at_n" -v b="$at_empty" 'BEGIN { printf "%.2f", a / b }')"
