/* store_schema.c - the SQLite store's schema, as the migrations that
 * build it one version after another. Part of the SQLite implementation
 * of store.h; store.c runs them (migrate()). */
#include "gateway/store_db.h"

/* Each entry brings the schema from version i to i + 1; append only. */
static const char *const migrations[] = {
  "CREATE TABLE ref_seq(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
  "CREATE TABLE incidents("
  " id INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE,"
  " status TEXT NOT NULL, impact TEXT, category TEXT,"
  " near_miss INTEGER NOT NULL DEFAULT 0, personal_data TEXT,"
  " reporter_name TEXT, reporter_email TEXT, reporter_phone TEXT,"
  " business_area TEXT, supplier TEXT, via TEXT NOT NULL, source TEXT NOT NULL,"
  " forwarded_by TEXT, detected_at TEXT, occurred_at TEXT,"
  " received_at TEXT NOT NULL, reported_late INTEGER, minutes_to_report INTEGER,"
  " systems_affected TEXT, information_asset TEXT, asset_owner TEXT,"
  " summary TEXT, description TEXT, actions_taken TEXT,"
  " missing_fields TEXT NOT NULL DEFAULT '', owner TEXT,"
  " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
  "CREATE TABLE messages("
  " id INTEGER PRIMARY KEY, message_id TEXT, sha256 TEXT NOT NULL UNIQUE,"
  " raw BLOB NOT NULL, size INTEGER NOT NULL, from_addr TEXT, subject TEXT,"
  " received_at TEXT NOT NULL, kind TEXT NOT NULL,"
  " incident_id INTEGER REFERENCES incidents(id), note TEXT);"
  "CREATE UNIQUE INDEX messages_message_id ON messages(message_id)"
  " WHERE message_id IS NOT NULL;"
  "CREATE INDEX messages_incident ON messages(incident_id);"
  "CREATE TABLE events("
  " id INTEGER PRIMARY KEY, incident_id INTEGER REFERENCES incidents(id),"
  " at TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL,"
  " detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
  "CREATE INDEX events_incident ON events(incident_id);"
  "CREATE TABLE outbox("
  " id INTEGER PRIMARY KEY, incident_id INTEGER REFERENCES incidents(id),"
  " kind TEXT NOT NULL, template TEXT, to_addr TEXT NOT NULL, subject TEXT,"
  " message_id TEXT, body BLOB NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
  " attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL,"
  " last_error TEXT, created_at TEXT NOT NULL, sent_at TEXT);"
  "CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
  "CREATE INDEX outbox_message_id ON outbox(message_id);"
  "CREATE INDEX outbox_ack ON outbox(template, to_addr, created_at);"
  "CREATE TABLE rules_fired(incident_id INTEGER NOT NULL, rule TEXT NOT NULL,"
  " at TEXT NOT NULL, PRIMARY KEY(incident_id, rule));"
  "CREATE TABLE deadlines("
  " id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),"
  " kind TEXT NOT NULL, due_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
  " reminders_sent INTEGER NOT NULL DEFAULT 0, UNIQUE(incident_id, kind));"
  "CREATE TABLE failures(sha256 TEXT PRIMARY KEY, count INTEGER NOT NULL,"
  " last_error TEXT, at TEXT);",

  /* The chain's end, so deleting the newest events is detected too. */
  "CREATE TABLE audit_head(one INTEGER PRIMARY KEY CHECK (one = 1),"
  " last_id INTEGER NOT NULL, hash TEXT NOT NULL);"
  "INSERT INTO audit_head(one, last_id, hash)"
  " SELECT 1, coalesce(max(id), 0),"
  " coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), '" GENESIS_HASH "')"
  " FROM events;",

  /* Messages being recorded, committed before the work starts: what is
   * left here after a crash was in the hands of the process that died. */
  "CREATE TABLE in_flight(sha256 TEXT PRIMARY KEY, single INTEGER NOT NULL);",

  /* rate_limit_total counts every acknowledgement in its window. */
  "CREATE INDEX outbox_ack_time ON outbox(template, created_at);",

  /* An outbox row is claimed by one process before it is sent, until a
   * time after which a claim left by a process that died lapses. */
  "ALTER TABLE outbox ADD COLUMN claimed_by TEXT; ALTER TABLE outbox ADD COLUMN claimed_until TEXT;",

  /* The suspicious mail a report passes on, and its indicators. */
  "CREATE TABLE evidence("
  " id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),"
  " from_addr TEXT, from_name TEXT, reply_to TEXT, return_path TEXT, subject TEXT,"
  " date TEXT, sha256 TEXT NOT NULL, relays TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX evidence_incident ON evidence(incident_id);"
  "CREATE TABLE observables("
  " id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),"
  " type TEXT NOT NULL, value TEXT NOT NULL, defanged TEXT NOT NULL, sha256 TEXT,"
  " recorded_at TEXT NOT NULL, UNIQUE(incident_id, type, value));"
  "CREATE INDEX observables_time ON observables(recorded_at);",

  /* The audit chain covers each stored message and each incident's state
   * (store_seal.c); what a store held before is sealed once on opening. */
  "ALTER TABLE events ADD COLUMN message_row INTEGER;"
  " ALTER TABLE events ADD COLUMN message_sha256 TEXT;"
  " ALTER TABLE events ADD COLUMN state TEXT;"
  " CREATE INDEX events_message ON events(message_row) WHERE message_row IS NOT NULL;"
  /* What OST writes after the investigation (policy 001), as sent. */
  " CREATE TABLE management_reports("
  "  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),"
  "  at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL);"
  " CREATE INDEX management_reports_incident ON management_reports(incident_id);"
  " CREATE INDEX outbox_incident ON outbox(incident_id, template);"
  " CREATE INDEX deadlines_due ON deadlines(state, kind, due_at);",

  /* Manager digests sent (digest.c): where "since the last digest"
   * starts, and the daily one at most once per local date, whichever
   * process gets there first. day is NULL for one sent on demand. */
  "CREATE TABLE digests(id INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT UNIQUE,"
  " kind TEXT NOT NULL, head_hash TEXT NOT NULL);"
  " CREATE INDEX digests_at ON digests(at);"
  " CREATE INDEX incidents_created ON incidents(created_at);"
  " CREATE INDEX incidents_received ON incidents(received_at);",

  /* A deadline keeps the time it was due (shown, and overdue from then);
   * next_at is when the scheduler acts on it next, moved on by each
   * reminder. An escalated deadline still waits: it ends done when what
   * it waited for comes. */
  "ALTER TABLE deadlines ADD COLUMN next_at TEXT;"
  " UPDATE deadlines SET next_at = due_at;"
  " DROP INDEX deadlines_due;"
  " CREATE INDEX deadlines_next ON deadlines(state, next_at);",

  /* The words of each incident that `list --search` matches (its summary,
   * description, reporter and OST's notes), one row per incident under
   * its id, kept in step by triggers and filled from what the store
   * already holds. */
  "CREATE VIRTUAL TABLE incident_search USING fts5(summary, description, reporter, notes,"
  " tokenize = 'unicode61 remove_diacritics 2');"
  " INSERT INTO incident_search(rowid, summary, description, reporter, notes)"
  " SELECT i.id, i.summary, i.description,"
  " coalesce(i.reporter_name, '') || ' ' || coalesce(i.reporter_email, ''),"
  " coalesce((SELECT group_concat(e.detail, char(10)) FROM events e"
  "           WHERE e.incident_id = i.id AND e.type = 'note'), '')"
  " FROM incidents i;"
  " CREATE TRIGGER incident_search_add AFTER INSERT ON incidents BEGIN"
  "  INSERT INTO incident_search(rowid, summary, description, reporter, notes)"
  "  VALUES(new.id, new.summary, new.description,"
  "  coalesce(new.reporter_name, '') || ' ' || coalesce(new.reporter_email, ''), '');"
  " END;"
  /* store_update_incident() writes every column: only a change of these
   * rewrites the row's words. */
  " CREATE TRIGGER incident_search_change"
  " AFTER UPDATE OF summary, description, reporter_name, reporter_email ON incidents"
  " WHEN new.summary IS NOT old.summary OR new.description IS NOT old.description"
  "  OR new.reporter_name IS NOT old.reporter_name"
  "  OR new.reporter_email IS NOT old.reporter_email BEGIN"
  "  UPDATE incident_search SET summary = new.summary, description = new.description,"
  "  reporter = coalesce(new.reporter_name, '') || ' ' || coalesce(new.reporter_email, '')"
  "  WHERE rowid = new.id;"
  " END;"
  " CREATE TRIGGER incident_search_note AFTER INSERT ON events WHEN new.type = 'note' BEGIN"
  "  UPDATE incident_search SET notes = notes || char(10) || new.detail"
  "  WHERE rowid = new.incident_id;"
  " END;",

  /* A message's bytes in a table of their own, the last column of its
   * row: written there with incremental blob I/O (store_messages.c), a
   * 25 MB message is no longer built into a 25 MB row in memory first. */
  "CREATE TABLE message_bodies(id INTEGER PRIMARY KEY REFERENCES messages(id),"
  " raw BLOB NOT NULL);"
  " INSERT INTO message_bodies(id, raw) SELECT id, raw FROM messages;"
  " ALTER TABLE messages DROP COLUMN raw;",

  /* What `run` last saw of its source (store_health.c), for `status`. */
  "CREATE TABLE service_health(name TEXT PRIMARY KEY, at TEXT NOT NULL,"
  " detail TEXT);"
  " CREATE INDEX messages_received ON messages(received_at);",

  /* The search index's segments merged 16 at a level, not FTS5's 4: with
   * 4, recording into a store of 100,000 incidents ran at 0.80 of an
   * empty store's rate, with 16 at 0.92 (bench/RESULTS.md); a search
   * reads more segments and still takes 11-20 ms at 130,000. */
  "INSERT INTO incident_search(incident_search, rank) VALUES('automerge', 16);",
};

int sq_schema_version(void)
{
  return (int)G_N_ELEMENTS(migrations);
}

const char *sq_migration(int from_version)
{
  return migrations[from_version];
}
