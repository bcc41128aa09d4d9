#!/usr/bin/env bash
# pg_schema_check.sh - the store's PostgreSQL schema (gateway/store_pg_schema.c)
# on a real server, as the database's owner without superuser rights:
# every migration applies in order and records its version; the tables,
# columns, keys, indexes and triggers are SQLite's at its latest version;
# `list --search` finds what it finds on SQLite, whatever the user types
# (with the search statements SQL-NOTES.md gives); and two transactions
# adding notes to one incident at once both leave their words.
#
#   usage: pg_schema_check.sh URI [PG_SCHEMA_DUMP]
#
# URI: a libpq URI naming a database and its owner, who is no superuser.
# The check works in a schema of its own (first in search_path, public
# after it, where unaccent may already be), dropped at the end with all
# it made there. PG_SCHEMA_DUMP: the test program that prints the
# migrations (default build/pg_schema_dump). Needs psql and sqlite3.
# Exits 1 on a failed check, 2 on wrong use.
set -euo pipefail

usage() {
  echo "usage: $0 URI [PG_SCHEMA_DUMP]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
uri=$1
dump=${2:-build/pg_schema_dump}
[ -x "$dump" ] || { echo "$0: $dump: no such program (build pg_schema_dump)" >&2; usage; }
for tool in psql sqlite3; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool" >&2; exit 2; }
done

schema=ig_schema_check_$$
export PGOPTIONS="-c search_path=$schema,public"
run() { psql -XAtq -v ON_ERROR_STOP=1 -d "$uri" "$@"; }
work=$(mktemp -d)
cleanup() {
  run -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

who=$(run -c "SELECT r.rolsuper, d.datdba = r.oid FROM pg_roles r, pg_database d
              WHERE r.rolname = current_user AND d.datname = current_database()")
case $who in
  "f|t") ;;
  "t|"*) echo "$0: connect as the database's owner, not a superuser" >&2; exit 2 ;;
  *) echo "$0: the user does not own the database" >&2; exit 2 ;;
esac

latest=$("$dump" --version)

# The same descriptions of both schemas, one line per fact, compared as
# text: columns (in order, with type, NOT NULL, default and primary key),
# unique and plain indexes (columns, partial or not, the name of those
# made by CREATE INDEX), foreign keys and triggers. SQLite's search
# tables and PostgreSQL's schema_version and incident_search are each
# backend's own.
"$dump" --sqlite | sqlite3 "$work/sqlite.db" >/dev/null
sqlite3 -separator '|' "$work/sqlite.db" >"$work/sqlite.txt" <<'SQL'
CREATE TEMP VIEW t AS SELECT name FROM sqlite_schema
  WHERE type = 'table' AND name NOT LIKE 'incident_search%';
SELECT 'column', t.name, c.name,
       CASE c.type WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text'
                   WHEN 'BLOB' THEN 'bytea' ELSE c.type END,
       c."notnull" OR c.pk > 0, coalesce(c.dflt_value, ''), c.pk > 0
  FROM t, pragma_table_info(t.name) c ORDER BY t.name, c.cid;
SELECT 'index', t.name,
       (SELECT group_concat(name, ',') FROM
         (SELECT k.name FROM pragma_index_info(i.name) k ORDER BY k.seqno)),
       i."unique", i.partial, CASE i.origin WHEN 'c' THEN i.name ELSE '-' END
  FROM t, pragma_index_list(t.name) i WHERE i.origin <> 'pk' ORDER BY 2, 3;
SELECT 'foreign key', t.name, f."from", f."table", f."to"
  FROM t, pragma_foreign_key_list(t.name) f ORDER BY 2, 3;
SELECT 'trigger', name FROM sqlite_schema WHERE type = 'trigger' ORDER BY 2;
SQL

{
  echo "CREATE SCHEMA $schema;"
  echo 'CREATE TEMP TABLE failures(what text);'
  # "extension unaccent already exists" is no failure; the search's
  # notices, from here on, are.
  echo 'SET client_min_messages = warning;'
  for ((v = 0; v < latest; v++)); do
    echo 'BEGIN;'
    "$dump" "$v"
    echo "INSERT INTO failures SELECT 'migration $v left schema_version at ' ||"
    echo "  coalesce((SELECT string_agg(version::text, ',') FROM schema_version), 'no row')"
    echo "  WHERE (SELECT array_agg(version) FROM schema_version) IS DISTINCT FROM '{$((v + 1))}';"
    echo 'COMMIT;'
  done
  echo 'RESET client_min_messages;'
  echo "\\o $work/pg.txt"
  cat <<'SQL'
CREATE TEMP VIEW t AS SELECT c.oid, c.relname FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
  AND c.relname NOT IN ('schema_version', 'incident_search');
CREATE TEMP VIEW cols AS SELECT t.oid, t.relname, a.attnum, a.attname FROM t
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped;
SELECT 'column', c.relname, c.attname, format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.attnotnull THEN 1 ELSE 0 END,
       coalesce(regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::text$', ''), ''),
       CASE WHEN EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indisprimary
                         AND c.attnum = ANY (x.indkey)) THEN 1 ELSE 0 END
  FROM cols c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = c.attnum
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = c.attnum
  ORDER BY c.relname, c.attnum;
SELECT 'index', t.relname, k.cols,
       CASE WHEN x.indisunique THEN 1 ELSE 0 END, CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END,
       CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) THEN '-'
            ELSE x.indexrelid::regclass::text END
  FROM t JOIN pg_index x ON x.indrelid = t.oid,
  LATERAL (SELECT string_agg(c.attname, ',' ORDER BY k.n) COLLATE "C" AS cols
           FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
           JOIN cols c ON c.oid = t.oid AND c.attnum = k.attnum) k
  WHERE NOT x.indisprimary ORDER BY t.relname, k.cols;
SELECT 'foreign key', t.relname, c.attname, r.relname, rc.attname
  FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
  JOIN cols c ON c.oid = t.oid AND c.attnum = k.conkey[1]
  JOIN pg_class r ON r.oid = k.confrelid
  JOIN pg_attribute rc ON rc.attrelid = k.confrelid AND rc.attnum = k.confkey[1]
  ORDER BY t.relname, c.attname;
SELECT 'trigger', tgname FROM pg_trigger
  WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM t)
  ORDER BY tgname;
\o /dev/null
SQL
  cat <<'SQL'
-- What `list --search` lists: the few-matches statement of SQL-NOTES.md,
-- the references newest first.
CREATE FUNCTION listed(q text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(reference, ' ' ORDER BY received_at DESC, id DESC), '')
  FROM incidents i WHERE id IN (SELECT id FROM incident_search
                                WHERE words @@ incident_search_query(q)) $$;
-- And the many-matches one, walking the incidents newest first.
CREATE FUNCTION walked(q text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(reference, ' ' ORDER BY received_at DESC, id DESC), '')
  FROM incidents i WHERE (q IS NULL OR (SELECT s.words FROM incident_search s
                                        WHERE s.id = i.id) @@ (SELECT incident_search_query(q))) $$;
CREATE FUNCTION incident(ref text, received text, summary text, description text,
                         name text, email text) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO incidents(reference, status, via, source, received_at, summary, description,
                        reporter_name, reporter_email, created_at, updated_at)
  VALUES(ref, 'new', 'email', 'mailbox', received, summary, description, name, email,
         received, received) RETURNING id $$;
CREATE FUNCTION event(id bigint, incident bigint, event_type text, event_detail text)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO events(id, incident_id, at, actor, type, detail, prev_hash, hash)
  VALUES(id, incident, '2026-01-05T10:00:00Z', 'ost', event_type, event_detail,
         repeat('0', 64), repeat('1', 64)) $$;
CREATE FUNCTION expect(q text, want text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO failures SELECT format('search %L: listed %L, walked %L, want %L',
                                     q, listed(q), walked(q), want)
  WHERE listed(q) <> want OR walked(q) <> want $$;

SELECT incident('INC-A', '2026-01-01T10:00:00Z', 'Laptop stolen from car',
  'Taken from the boot in the station car park.', 'Jane Smith', 'jane.smith@justice.gov.uk');
SELECT incident('INC-B', '2026-01-02T10:00:00Z', 'Phishing mail',
  'A mail asked for bank details; it was left near the printer or the door.',
  'Seán O''Brien', 'sean.obrien@justice.gov.uk');
SELECT incident('INC-C', '2026-01-03T10:00:00Z', 'Tailgating at the side entrance',
  NULL, NULL, NULL);
SELECT incident('INC-D', '2026-01-04T10:00:00Z', 'Café door left open',
  'ПАРОЛЬ written on a note at the Ærø office; see https://intranet.example/a?b=c', 'Jane',
  'jane@example.com');

SELECT expect(q, want) FROM (VALUES
  ('laptop', 'INC-A'), ('LAPTOP', 'INC-A'), ('park', 'INC-A'), ('smith', 'INC-A'),
  ('jane', 'INC-D INC-A'),                        -- jane@example.com is the word jane
  ('jane@example.com', 'INC-D'), ('example', 'INC-D'),
  ('jane.smith@justice.gov.uk', 'INC-A'),
  ('smith.jane@justice.gov.uk', ''),              -- a run of words is a phrase
  ('smith jane', 'INC-A'),                        -- words apart: anywhere
  ('sean', 'INC-B'), ('SEÁN', 'INC-B'), ('séan', 'INC-B'),  -- accents aside, both ways
  ('cafe', 'INC-D'), ('CAFÉ', 'INC-D'), ('aero', 'INC-D'),
  ('пароль', 'INC-D'),                            -- case aside beyond ASCII
  ('intranet.example', 'INC-D'), ('https', 'INC-D'), ('b=c', 'INC-D'),
  ('O''Brien', 'INC-B'), ('stolen car', 'INC-A'), (E'  stolen \t car \n', 'INC-A'),
  ('justice', 'INC-B INC-A'), ('lap', ''), ('stolen bicycle', ''), ('nothing', ''),
  ('', ''), ('   ', ''), (NULL, NULL),
  -- The user's text is data, never tsquery syntax.
  ('OR', 'INC-B'), ('laptop OR phishing', ''), ('laptop | phishing', ''),
  ('laptop & stolen', 'INC-A'), ('laptop & !car', 'INC-A'), ('!laptop', 'INC-A'),
  ('laptop:*', 'INC-A'), ('lap:*', ''), ('lap*', ''), ('*', ''), ('laptop:A', ''),
  ('laptop <-> stolen', 'INC-A'), ('laptop <2> car', ''), ('(laptop)', 'INC-A'),
  ('"laptop"', 'INC-A'), ('"laptop', 'INC-A'), ('lap"top', ''), ('"', ''),
  ('''laptop''', 'INC-A'), ('''', ''), ('laptop\', 'INC-A'), ('\', ''),
  ('a:b', 'INC-D'),                               -- the URL's words a, b: no weight
  ('summary:laptop', ''), ('{summary}: laptop', ''), ('^laptop', 'INC-A'),
  ('NEAR(laptop stolen)', ''), ('laptop NOT car', ''), ('laptop + stolen', 'INC-A'),
  ('!!!', ''), ('&', ''), (':', '')) AS c(q, want)
WHERE q IS NOT NULL;
INSERT INTO failures SELECT 'search NULL listed something' WHERE listed(NULL) <> '';
INSERT INTO failures SELECT 'no search walked ' || walked(NULL)
  WHERE walked(NULL) <> 'INC-D INC-C INC-B INC-A';

-- Kept in step: notes as they are added, records as they change.
SELECT expect('ladder', '');
SELECT event(1, 3, 'note', 'found a ladder by the fence');
SELECT expect('ladder', 'INC-C');
SELECT event(2, 3, 'note', 'the contractor has the key');
SELECT expect('ladder contractor', 'INC-C');
SELECT event(3, 3, 'changed', 'owner: kettle@justice.gov.uk');
SELECT expect('kettle', '');              -- only notes, not every event
UPDATE incidents SET status = 'triaged' WHERE reference = 'INC-C';
SELECT expect('tailgating', 'INC-C');
UPDATE incidents SET description = 'The visitor had no pass.' WHERE reference = 'INC-C';
SELECT expect('visitor pass', 'INC-C');
SELECT expect('ladder', 'INC-C');         -- the notes stay
UPDATE incidents SET reporter_name = 'Ann Lee', reporter_email = 'ann.lee@justice.gov.uk'
  WHERE reference = 'INC-C';
SELECT expect('ann.lee@justice.gov.uk', 'INC-C');
UPDATE incidents SET summary = 'Door held open for a visitor' WHERE reference = 'INC-C';
SELECT expect('tailgating', '');
SELECT expect('door visitor pass ann', 'INC-C');

-- A report whose words pass tsvector's limit is still recorded, and
-- found by its first words.
INSERT INTO incidents(reference, status, via, source, received_at, summary, description,
                      created_at, updated_at)
SELECT 'INC-BIG', 'new', 'email', 'mailbox', '2026-01-06T10:00:00Z', 'Huge attachment',
       string_agg(md5(i::text), ' ') || ' ' || repeat('x', 3000), '2026-01-06T10:00:00Z',
       '2026-01-06T10:00:00Z'
  FROM generate_series(1, 45000) i;
SELECT expect('huge attachment', 'INC-BIG');
SELECT expect(md5('1'), 'INC-BIG');

\o
SELECT what FROM failures;
SQL
} >"$work/check.sql"

# Notices (a word too long to index, a query without words) are kept
# from the client: anything on stderr is a failure too.
if ! run -f "$work/check.sql" >"$work/failures.txt" 2>"$work/stderr.txt"; then
  echo "FAIL: psql stopped:" >&2
  cat "$work/stderr.txt" "$work/failures.txt" >&2
  exit 1
fi

# Two notes to INC-C at once: A adds its note and holds its transaction
# open until B, adding another, waits for a lock (for the search row);
# then A commits. Both notes' words must be there after B commits.
waited() { # APP WHAT - until session APP is in the state WHAT says
  for _ in $(seq 300); do
    [ "$(run -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1'
                 AND $2")" = 1 ] && return 0
    sleep 0.05
  done
  echo "FAIL: session $1 never got to: $2" >&2
  return 1
}
PGAPPNAME=check_a run >/dev/null 2>"$work/a.err" <<'SQL' &
BEGIN;
SELECT event(11, 3, 'note', 'alpha');
DO $$ BEGIN
  FOR i IN 1..300 LOOP
    PERFORM pg_stat_clear_snapshot();
    EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity
                      WHERE application_name = 'check_b' AND wait_event_type = 'Lock');
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
COMMIT;
SQL
a=$!
concurrent=ok
waited check_a "query LIKE 'DO %'" || concurrent=
[ -n "$concurrent" ] && PGAPPNAME=check_b run -c "SELECT event(12, 3, 'note', 'bravo')" \
  >/dev/null 2>"$work/b.err" || concurrent=
wait "$a" || concurrent=
if [ -z "$concurrent" ]; then
  cat "$work/a.err" "$work/b.err" >&2
  echo "search after two notes at once: a session failed" >>"$work/failures.txt"
else
  run -c "SELECT 'search after two notes at once: ' || listed('alpha bravo')
          WHERE listed('alpha bravo') <> 'INC-C'" >>"$work/failures.txt"
fi
failed=0
if [ -s "$work/stderr.txt" ]; then
  echo "FAIL: the server said:" >&2
  cat "$work/stderr.txt" >&2
  failed=1
fi
if [ -s "$work/failures.txt" ]; then
  sed 's/^/FAIL: /' "$work/failures.txt" >&2
  failed=1
fi
if ! diff -u --label sqlite --label postgresql "$work/sqlite.txt" "$work/pg.txt" >"$work/diff.txt"; then
  echo "FAIL: the tables differ from SQLite's:" >&2
  cat "$work/diff.txt" >&2
  failed=1
fi
[ "$failed" -eq 0 ] || exit 1
echo "ok: $latest migration(s), the tables of SQLite's schema, search"
