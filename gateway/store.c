/* store.c - SQLite implementation of the case store (see store.h).
 *
 * WAL with synchronous=FULL: a commit is on disk before we acknowledge or
 * move a message out of the source. Statements are prepared once per
 * connection and cached by their SQL text. The audit chain links every
 * event to the previous one by SHA-256, so a changed or deleted event
 * breaks verification. */
#include "gateway/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/hash.h"

struct IgStore {
  sqlite3 *db;
  char *path;
  GHashTable *stmts;        /* const char *sql -> sqlite3_stmt* */
  /* The end of the audit chain as this transaction sees it; forgotten at
   * every begin (another process may have written) and rollback. */
  gboolean head_known;
  gint64 head_id;
  char *head_hash;
};

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

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
};

static gboolean db_fail(IgStore *store, GError **error, const char *what)
{
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s: %s", store->path,
              what, sqlite3_errmsg(store->db));
  return FALSE;
}

static gboolean exec(IgStore *store, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", store->path,
                msg ? msg : "SQL error");
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

/* A cached prepared statement, reset and ready for binding. */
static sqlite3_stmt *prep(IgStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *st = g_hash_table_lookup(store->stmts, sql);
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
  }
  if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                         NULL) != SQLITE_OK) {
    db_fail(store, error, "prepare");
    return NULL;
  }
  g_hash_table_insert(store->stmts, (gpointer)sql, st);
  return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static char *col_text(sqlite3_stmt *st, int i)
{
  const unsigned char *s = sqlite3_column_text(st, i);
  return s ? g_strdup((const char *)s) : NULL;
}

/* Runs a statement that returns no rows. */
static gboolean step_done(IgStore *store, sqlite3_stmt *st, GError **error)
{
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return db_fail(store, error, "write");
  return TRUE;
}

static void stmt_finalize(gpointer st)
{
  sqlite3_finalize(st);
}

static gboolean migrate(IgStore *store, GError **error)
{
  sqlite3_stmt *st = NULL;
  int version = 0;
  if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
    return db_fail(store, error, "read schema version");
  if (sqlite3_step(st) == SQLITE_ROW)
    version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);

  int latest = (int)G_N_ELEMENTS(migrations);
  if (version > latest) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "%s: schema version %d is newer than this program (%d)",
                store->path, version, latest);
    return FALSE;
  }
  for (int v = version; v < latest; v++) {
    g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", v + 1);
    if (!exec(store, "BEGIN IMMEDIATE", error))
      return FALSE;
    if (!exec(store, migrations[v], error) || !exec(store, bump, error)) {
      exec(store, "ROLLBACK", NULL);
      return FALSE;
    }
    if (!exec(store, "COMMIT", error))
      return FALSE;
  }
  return TRUE;
}

IgStore *store_open(const char *path, GError **error)
{
  IgStore *store = g_new0(IgStore, 1);
  store->path = g_strdup(path);
  store->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       stmt_finalize);

  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0750) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: cannot create directory: %s",
                dir, g_strerror(errno));
    goto fail;
  }
  if (sqlite3_open_v2(path, &store->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    db_fail(store, error, "open");
    goto fail;
  }
  sqlite3_busy_timeout(store->db, 10000);
  sqlite3_extended_result_codes(store->db, 1);
  if (!exec(store, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "PRAGMA foreign_keys=ON;", error))
    goto fail;
  if (!migrate(store, error))
    goto fail;
  return store;

fail:
  store_close(store);
  return NULL;
}

void store_close(IgStore *store)
{
  if (!store)
    return;
  g_hash_table_destroy(store->stmts);
  if (store->db)
    sqlite3_close(store->db);
  g_free(store->path);
  g_free(store->head_hash);
  g_free(store);
}

gboolean store_begin(IgStore *store, GError **error)
{
  store->head_known = FALSE;
  return exec(store, "BEGIN IMMEDIATE", error);
}

gboolean store_commit(IgStore *store, GError **error)
{
  return exec(store, "COMMIT", error);
}

void store_rollback(IgStore *store)
{
  store->head_known = FALSE;
  if (!sqlite3_get_autocommit(store->db))
    exec(store, "ROLLBACK", NULL);
}

gboolean store_savepoint(IgStore *store, GError **error)
{
  return exec(store, "SAVEPOINT msg", error);
}

gboolean store_release(IgStore *store, GError **error)
{
  return exec(store, "RELEASE msg", error);
}

void store_rollback_to(IgStore *store)
{
  store->head_known = FALSE;
  exec(store, "ROLLBACK TO msg; RELEASE msg", NULL);
}

/* --- messages --- */

gboolean store_message_seen(IgStore *store, const char *sha256,
                            const char *message_id, gboolean *seen,
                            GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT 1 FROM messages WHERE sha256 = ?1"
      " OR (?2 IS NOT NULL AND message_id = ?2) LIMIT 1", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, sha256);
  bind_text(st, 2, message_id);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_fail(store, error, "look up message");
  *seen = rc == SQLITE_ROW;
  return TRUE;
}

gint64 store_add_message(IgStore *store, const IgMessageIn *in, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO messages(message_id, sha256, raw, size, from_addr, subject,"
      " received_at, kind, incident_id, note) VALUES(?,?,?,?,?,?,?,?,?,?)", error);
  if (!st)
    return 0;
  bind_text(st, 1, in->message_id);
  bind_text(st, 2, in->sha256);
  sqlite3_bind_blob64(st, 3, in->raw_len ? in->raw : "", in->raw_len, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)in->raw_len);
  bind_text(st, 5, in->from_addr);
  bind_text(st, 6, in->subject);
  bind_text(st, 7, in->received_at);
  bind_text(st, 8, in->kind);
  if (in->incident_id)
    sqlite3_bind_int64(st, 9, in->incident_id);
  else
    sqlite3_bind_null(st, 9);
  bind_text(st, 10, in->note);
  if (!step_done(store, st, error))
    return 0;
  return sqlite3_last_insert_rowid(store->db);
}

GBytes *store_message_raw(IgStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *st = prep(store, "SELECT raw FROM messages WHERE id = ?", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, id);
  GBytes *raw = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    raw = g_bytes_new(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
  else
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no stored message %" G_GINT64_FORMAT, id);
  sqlite3_reset(st);
  return raw;
}

static IgMessageRec *message_from_row(sqlite3_stmt *st)
{
  IgMessageRec *m = g_new0(IgMessageRec, 1);
  m->id = sqlite3_column_int64(st, 0);
  m->message_id = col_text(st, 1);
  m->direction = col_text(st, 2);
  m->from_addr = col_text(st, 3);
  m->subject = col_text(st, 4);
  m->received_at = col_text(st, 5);
  m->kind = col_text(st, 6);
  m->reference = col_text(st, 7);
  m->sha256 = col_text(st, 8);
  return m;
}

static GPtrArray *collect(IgStore *store, sqlite3_stmt *st, gpointer (*row)(sqlite3_stmt *),
                          GDestroyNotify free_fn, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(free_fn);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    g_ptr_array_add(out, row(st));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    db_fail(store, error, "read");
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
}

GPtrArray *store_list_messages(IgStore *store, gboolean unmatched_only, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT m.id, m.message_id, 'in', m.from_addr, m.subject, m.received_at,"
      " m.kind, i.reference, m.sha256 FROM messages m"
      " LEFT JOIN incidents i ON i.id = m.incident_id"
      " WHERE (?1 = 0 OR m.incident_id IS NULL)"
      " ORDER BY m.received_at DESC, m.id DESC", error);
  if (!st)
    return NULL;
  sqlite3_bind_int(st, 1, unmatched_only);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))message_from_row,
                 (GDestroyNotify)message_rec_free, error);
}

gint64 store_incident_for_message_ids(IgStore *store, const char *const *ids,
                                      GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT incident_id FROM messages WHERE message_id = ?1 AND incident_id IS NOT NULL"
      " UNION ALL SELECT incident_id FROM outbox WHERE message_id = ?1"
      " AND incident_id IS NOT NULL LIMIT 1", error);
  if (!st)
    return 0;
  for (; ids && *ids; ids++) {
    bind_text(st, 1, *ids);
    int rc = sqlite3_step(st);
    gint64 id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      db_fail(store, error, "look up thread");
      return 0;
    }
    if (id)
      return id;
  }
  return 0;
}

int store_note_failure(IgStore *store, const char *sha256, const char *error_text,
                       const char *at, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO failures(sha256, count, last_error, at) VALUES(?1, 1, ?2, ?3)"
      " ON CONFLICT(sha256) DO UPDATE SET count = count + 1, last_error = ?2, at = ?3"
      " RETURNING count", error);
  if (!st)
    return -1;
  bind_text(st, 1, sha256);
  bind_text(st, 2, error_text);
  bind_text(st, 3, at);
  int rc = sqlite3_step(st);
  int count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_reset(st);
  if (count < 0)
    db_fail(store, error, "record failure");
  return count;
}

int store_in_flight_get(IgStore *store, const char *sha256, GError **error)
{
  sqlite3_stmt *st = prep(store, "SELECT single FROM in_flight WHERE sha256 = ?", error);
  if (!st)
    return -2;
  bind_text(st, 1, sha256);
  int rc = sqlite3_step(st);
  int state = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    db_fail(store, error, "read in-flight marks");
    return -2;
  }
  return state;
}

gboolean store_in_flight_set(IgStore *store, const char *sha256, gboolean single,
                             GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO in_flight(sha256, single) VALUES(?, ?)"
      " ON CONFLICT(sha256) DO UPDATE SET single = excluded.single", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, sha256);
  sqlite3_bind_int(st, 2, single);
  return step_done(store, st, error);
}

gboolean store_in_flight_clear(IgStore *store, const char *sha256, GError **error)
{
  sqlite3_stmt *st = prep(store, "DELETE FROM in_flight WHERE sha256 = ?", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, sha256);
  return step_done(store, st, error);
}

/* --- incidents --- */

char *store_next_reference(IgStore *store, const char *prefix, int year, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO ref_seq(year, last) VALUES(?1, 1)"
      " ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last", error);
  if (!st)
    return NULL;
  sqlite3_bind_int(st, 1, year);
  int rc = sqlite3_step(st);
  gint64 seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (!seq) {
    db_fail(store, error, "allocate reference");
    return NULL;
  }
  return g_strdup_printf("%s-%04d-%06" G_GINT64_FORMAT, prefix, year, seq);
}

#define INCIDENT_COLUMNS \
  "id, reference, status, impact, category, near_miss, personal_data," \
  " reporter_name, reporter_email, reporter_phone, business_area, supplier," \
  " via, source, forwarded_by, detected_at, occurred_at, received_at," \
  " reported_late, minutes_to_report, systems_affected, information_asset," \
  " asset_owner, summary, description, actions_taken, missing_fields, owner," \
  " created_at, updated_at"

gboolean store_add_incident(IgStore *store, IgIncident *inc, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO incidents(" INCIDENT_COLUMNS ") VALUES(NULL,?,?,?,?,?,?,?,?,?,"
      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (!st)
    return FALSE;
  int i = 1;
  bind_text(st, i++, inc->reference);
  bind_text(st, i++, inc->status);
  bind_text(st, i++, inc->impact);
  bind_text(st, i++, inc->category);
  sqlite3_bind_int(st, i++, inc->near_miss);
  bind_text(st, i++, inc->personal_data);
  bind_text(st, i++, inc->reporter_name);
  bind_text(st, i++, inc->reporter_email);
  bind_text(st, i++, inc->reporter_phone);
  bind_text(st, i++, inc->business_area);
  bind_text(st, i++, inc->supplier);
  bind_text(st, i++, inc->via);
  bind_text(st, i++, inc->source);
  bind_text(st, i++, inc->forwarded_by);
  bind_text(st, i++, inc->detected_at);
  bind_text(st, i++, inc->occurred_at);
  bind_text(st, i++, inc->received_at);
  if (inc->reported_late >= 0)
    sqlite3_bind_int(st, i++, inc->reported_late);
  else
    sqlite3_bind_null(st, i++);
  if (inc->minutes_to_report >= 0)
    sqlite3_bind_int64(st, i++, inc->minutes_to_report);
  else
    sqlite3_bind_null(st, i++);
  bind_text(st, i++, inc->systems_affected);
  bind_text(st, i++, inc->information_asset);
  bind_text(st, i++, inc->asset_owner);
  bind_text(st, i++, inc->summary);
  bind_text(st, i++, inc->description);
  bind_text(st, i++, inc->actions_taken);
  g_autofree char *missing = g_strjoinv(",", inc->missing_fields);
  bind_text(st, i++, missing);
  bind_text(st, i++, inc->owner);
  bind_text(st, i++, inc->created_at);
  bind_text(st, i++, inc->updated_at);
  if (!step_done(store, st, error))
    return FALSE;
  inc->id = sqlite3_last_insert_rowid(store->db);
  return TRUE;
}

static IgIncident *incident_from_row(sqlite3_stmt *st)
{
  IgIncident *inc = incident_new();
  int i = 0;
  inc->id = sqlite3_column_int64(st, i++);
  inc->reference = col_text(st, i++);
  inc->status = col_text(st, i++);
  inc->impact = col_text(st, i++);
  inc->category = col_text(st, i++);
  inc->near_miss = sqlite3_column_int(st, i++);
  inc->personal_data = col_text(st, i++);
  inc->reporter_name = col_text(st, i++);
  inc->reporter_email = col_text(st, i++);
  inc->reporter_phone = col_text(st, i++);
  inc->business_area = col_text(st, i++);
  inc->supplier = col_text(st, i++);
  inc->via = col_text(st, i++);
  inc->source = col_text(st, i++);
  inc->forwarded_by = col_text(st, i++);
  inc->detected_at = col_text(st, i++);
  inc->occurred_at = col_text(st, i++);
  inc->received_at = col_text(st, i++);
  inc->reported_late = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
  i++;
  inc->minutes_to_report = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
  i++;
  inc->systems_affected = col_text(st, i++);
  inc->information_asset = col_text(st, i++);
  inc->asset_owner = col_text(st, i++);
  inc->summary = col_text(st, i++);
  inc->description = col_text(st, i++);
  inc->actions_taken = col_text(st, i++);
  const char *missing = (const char *)sqlite3_column_text(st, i++);
  g_strfreev(inc->missing_fields);
  inc->missing_fields = (missing && *missing) ? g_strsplit(missing, ",", -1)
                                              : g_new0(char *, 1);
  inc->owner = col_text(st, i++);
  inc->created_at = col_text(st, i++);
  inc->updated_at = col_text(st, i++);
  return inc;
}

char *store_incident_reference(IgStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *st = prep(store, "SELECT reference FROM incidents WHERE id = ?", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, id);
  char *ref = sqlite3_step(st) == SQLITE_ROW ? col_text(st, 0) : NULL;
  sqlite3_reset(st);
  if (!ref)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no incident %" G_GINT64_FORMAT, id);
  return ref;
}

gint64 store_incident_id(IgStore *store, const char *reference, GError **error)
{
  sqlite3_stmt *st = prep(store, "SELECT id FROM incidents WHERE reference = ?", error);
  if (!st)
    return 0;
  bind_text(st, 1, reference);
  gint64 id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return id;
}

IgIncident *store_get_incident(IgStore *store, const char *reference, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE reference = ?", error);
  if (!st)
    return NULL;
  bind_text(st, 1, reference);
  IgIncident *inc = NULL;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    inc = incident_from_row(st);
  else if (rc != SQLITE_DONE)
    db_fail(store, error, "read incident");
  sqlite3_reset(st);
  return inc;
}

GPtrArray *store_list_incidents(IgStore *store, const IgIncidentFilter *f, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT " INCIDENT_COLUMNS " FROM incidents i"
      " WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR impact = ?2)"
      " AND (?3 = 0 OR status NOT IN ('resolved', 'closed', 'rejected'))"
      " AND (?4 = 0 OR EXISTS (SELECT 1 FROM deadlines d WHERE d.incident_id = i.id"
      "      AND d.state = 'pending' AND d.due_at < ?5))"
      " ORDER BY received_at DESC, id DESC", error);
  if (!st)
    return NULL;
  bind_text(st, 1, f ? f->status : NULL);
  bind_text(st, 2, f ? f->impact : NULL);
  sqlite3_bind_int(st, 3, f && f->open_only);
  sqlite3_bind_int(st, 4, f && f->overdue_only);
  bind_text(st, 5, f ? f->now : NULL);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))incident_from_row,
                 (GDestroyNotify)incident_free, error);
}

GPtrArray *store_incident_messages(IgStore *store, gint64 incident_id, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT m.id, m.message_id, 'in', m.from_addr, m.subject, m.received_at,"
      " m.kind, i.reference, m.sha256, 0 AS o FROM messages m"
      " JOIN incidents i ON i.id = m.incident_id WHERE m.incident_id = ?1"
      " UNION ALL SELECT o.id, o.message_id, 'out', NULL, o.subject, o.created_at,"
      " o.template, i.reference, NULL, 1 FROM outbox o"
      " JOIN incidents i ON i.id = o.incident_id WHERE o.incident_id = ?1"
      " AND o.kind = 'mail' ORDER BY o, 6, 1", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, incident_id);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))message_from_row,
                 (GDestroyNotify)message_rec_free, error);
}

/* --- events --- */

static char *event_hash(const char *prev, gint64 id, gint64 incident_id,
                        const char *at, const char *actor, const char *type,
                        const char *detail)
{
  g_autofree char *text = g_strdup_printf(
      "%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s", prev, id,
      incident_id, at, actor, type, detail);
  return hash_sha256_hex(text, strlen(text));
}

static gboolean load_head(IgStore *store, GError **error)
{
  sqlite3_stmt *st = prep(store, "SELECT last_id, hash FROM audit_head", error);
  if (!st)
    return FALSE;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    store->head_id = sqlite3_column_int64(st, 0);
    g_free(store->head_hash);
    store->head_hash = col_text(st, 1);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW)
    return db_fail(store, error, "read audit chain");
  store->head_known = TRUE;
  return TRUE;
}

gboolean store_add_event(IgStore *store, gint64 incident_id, const char *at,
                         const char *actor, const char *type, const char *detail,
                         GError **error)
{
  /* Outside a transaction each statement commits alone, so another
   * process may have moved the head since. */
  if ((!store->head_known || sqlite3_get_autocommit(store->db)) && !load_head(store, error))
    return FALSE;
  gint64 id = store->head_id + 1;
  g_autofree char *hash = event_hash(store->head_hash, id, incident_id, at, actor, type,
                                     detail);
  sqlite3_stmt *st = prep(store,
      "INSERT INTO events(id, incident_id, at, actor, type, detail, prev_hash, hash)"
      " VALUES(?,?,?,?,?,?,?,?)", error);
  if (!st)
    return FALSE;
  sqlite3_bind_int64(st, 1, id);
  if (incident_id)
    sqlite3_bind_int64(st, 2, incident_id);
  else
    sqlite3_bind_null(st, 2);
  bind_text(st, 3, at);
  bind_text(st, 4, actor);
  bind_text(st, 5, type);
  bind_text(st, 6, detail);
  bind_text(st, 7, store->head_hash);
  bind_text(st, 8, hash);
  if (!step_done(store, st, error))
    return FALSE;
  sqlite3_stmt *head = prep(store, "UPDATE audit_head SET last_id = ?, hash = ?", error);
  if (!head)
    return FALSE;
  sqlite3_bind_int64(head, 1, id);
  bind_text(head, 2, hash);
  if (!step_done(store, head, error))
    return FALSE;
  store->head_id = id;
  g_free(store->head_hash);
  store->head_hash = g_steal_pointer(&hash);
  return TRUE;
}

static IgEventRec *event_from_row(sqlite3_stmt *st)
{
  IgEventRec *e = g_new0(IgEventRec, 1);
  e->id = sqlite3_column_int64(st, 0);
  e->at = col_text(st, 1);
  e->actor = col_text(st, 2);
  e->type = col_text(st, 3);
  e->detail = col_text(st, 4);
  return e;
}

GPtrArray *store_incident_events(IgStore *store, gint64 incident_id, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT id, at, actor, type, detail FROM events WHERE incident_id = ?"
      " ORDER BY id", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, incident_id);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))event_from_row,
                 (GDestroyNotify)event_rec_free, error);
}

/* --- rules and deadlines --- */

gboolean store_fire_rule(IgStore *store, gint64 incident_id, const char *rule,
                         const char *at, gboolean *first, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO rules_fired(incident_id, rule, at) VALUES(?,?,?)"
      " ON CONFLICT DO NOTHING", error);
  if (!st)
    return FALSE;
  sqlite3_bind_int64(st, 1, incident_id);
  bind_text(st, 2, rule);
  bind_text(st, 3, at);
  if (!step_done(store, st, error))
    return FALSE;
  *first = sqlite3_changes(store->db) == 1;
  return TRUE;
}

gboolean store_add_deadline(IgStore *store, gint64 incident_id, const char *kind,
                            const char *due_at, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO deadlines(incident_id, kind, due_at) VALUES(?,?,?)"
      " ON CONFLICT(incident_id, kind) DO UPDATE SET due_at = excluded.due_at", error);
  if (!st)
    return FALSE;
  sqlite3_bind_int64(st, 1, incident_id);
  bind_text(st, 2, kind);
  bind_text(st, 3, due_at);
  return step_done(store, st, error);
}

static IgDeadlineRec *deadline_from_row(sqlite3_stmt *st)
{
  IgDeadlineRec *d = g_new0(IgDeadlineRec, 1);
  d->kind = col_text(st, 0);
  d->due_at = col_text(st, 1);
  d->state = col_text(st, 2);
  return d;
}

GPtrArray *store_incident_deadlines(IgStore *store, gint64 incident_id, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT kind, due_at, state FROM deadlines WHERE incident_id = ?"
      " ORDER BY due_at, id", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, incident_id);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))deadline_from_row,
                 (GDestroyNotify)deadline_rec_free, error);
}

/* --- outbox --- */

gint64 store_outbox_add(IgStore *store, const IgOutboxIn *in, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "INSERT INTO outbox(incident_id, kind, template, to_addr, subject, message_id,"
      " body, next_attempt_at, created_at) VALUES(?,?,?,?,?,?,?,?,?)", error);
  if (!st)
    return 0;
  gsize len = 0;
  const void *body = g_bytes_get_data(in->body, &len);
  if (in->incident_id)
    sqlite3_bind_int64(st, 1, in->incident_id);
  else
    sqlite3_bind_null(st, 1);
  bind_text(st, 2, in->kind);
  bind_text(st, 3, in->template_name);
  bind_text(st, 4, in->to);
  bind_text(st, 5, in->subject);
  bind_text(st, 6, in->message_id);
  sqlite3_bind_blob64(st, 7, len ? body : "", len, SQLITE_STATIC);
  bind_text(st, 8, in->created_at);
  bind_text(st, 9, in->created_at);
  if (!step_done(store, st, error))
    return 0;
  return sqlite3_last_insert_rowid(store->db);
}

#define OUTBOX_COLUMNS \
  "o.id, o.kind, o.template, o.to_addr, o.subject, o.message_id, i.reference, o.state," \
  " o.attempts, o.next_attempt_at, o.last_error, o.created_at"

static IgOutboxRec *outbox_from_row(sqlite3_stmt *st)
{
  IgOutboxRec *o = g_new0(IgOutboxRec, 1);
  int i = 0;
  o->id = sqlite3_column_int64(st, i++);
  o->kind = col_text(st, i++);
  o->template_name = col_text(st, i++);
  o->to = col_text(st, i++);
  o->subject = col_text(st, i++);
  o->message_id = col_text(st, i++);
  o->reference = col_text(st, i++);
  o->state = col_text(st, i++);
  o->attempts = sqlite3_column_int64(st, i++);
  o->next_attempt_at = col_text(st, i++);
  o->last_error = col_text(st, i++);
  o->created_at = col_text(st, i++);
  if (sqlite3_column_count(st) > i)
    o->body = g_bytes_new(sqlite3_column_blob(st, i), sqlite3_column_bytes(st, i));
  return o;
}

GPtrArray *store_outbox_due(IgStore *store, const char *now, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT " OUTBOX_COLUMNS ", o.body FROM outbox o"
      " LEFT JOIN incidents i ON i.id = o.incident_id"
      " WHERE o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id", error);
  if (!st)
    return NULL;
  bind_text(st, 1, now);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))outbox_from_row,
                 (GDestroyNotify)outbox_rec_free, error);
}

GPtrArray *store_list_outbox(IgStore *store, gboolean pending_only, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT " OUTBOX_COLUMNS " FROM outbox o"
      " LEFT JOIN incidents i ON i.id = o.incident_id"
      " WHERE (?1 = 0 OR o.state = 'pending') ORDER BY o.id DESC", error);
  if (!st)
    return NULL;
  sqlite3_bind_int(st, 1, pending_only);
  return collect(store, st, (gpointer(*)(sqlite3_stmt *))outbox_from_row,
                 (GDestroyNotify)outbox_rec_free, error);
}

gboolean store_outbox_sent(IgStore *store, gint64 id, const char *at, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?,"
      " last_error = NULL WHERE id = ?", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, at);
  sqlite3_bind_int64(st, 2, id);
  return step_done(store, st, error);
}

gboolean store_outbox_retry(IgStore *store, gint64 id, const char *next_at,
                            gboolean give_up, const char *error_text, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?,"
      " state = CASE WHEN ? THEN 'failed' ELSE 'pending' END, last_error = ?"
      " WHERE id = ?", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, next_at);
  sqlite3_bind_int(st, 2, give_up);
  bind_text(st, 3, error_text);
  sqlite3_bind_int64(st, 4, id);
  return step_done(store, st, error);
}

gboolean store_outbox_bounced(IgStore *store, const char *message_id, const char *error_text,
                              gboolean *found, gint64 *incident_id, GError **error)
{
  sqlite3_stmt *st = prep(store,
      "UPDATE outbox SET state = 'bounced', last_error = ? WHERE message_id = ?"
      " AND kind = 'mail' RETURNING coalesce(incident_id, 0)", error);
  if (!st)
    return FALSE;
  bind_text(st, 1, error_text);
  bind_text(st, 2, message_id);
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  *incident_id = *found ? sqlite3_column_int64(st, 0) : 0;
  while (rc == SQLITE_ROW)
    rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return db_fail(store, error, "mark bounce");
  return TRUE;
}

gint64 store_count_acks_since(IgStore *store, const char *address, const char *since,
                              GError **error)
{
  sqlite3_stmt *st = prep(store,
      "SELECT count(*) FROM outbox WHERE template = 'ack' AND to_addr = ?"
      " AND created_at > ?", error);
  if (!st)
    return -1;
  bind_text(st, 1, address);
  bind_text(st, 2, since);
  gint64 n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  if (n < 0)
    db_fail(store, error, "count acknowledgements");
  return n;
}

/* --- integrity --- */

gboolean store_verify(IgStore *store, gint64 *events_checked,
                      gint64 *messages_checked, GError **error)
{
  *events_checked = *messages_checked = 0;
  sqlite3_stmt *st = prep(store,
      "SELECT id, coalesce(incident_id, 0), at, actor, type, detail, prev_hash, hash"
      " FROM events ORDER BY id", error);
  if (!st)
    return FALSE;
  g_autofree char *prev = g_strdup(GENESIS_HASH);
  gint64 expect_id = 1;
  gboolean ok = TRUE;
  int rc;
  while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(st, 0);
    const char *stored_prev = (const char *)sqlite3_column_text(st, 6);
    const char *stored = (const char *)sqlite3_column_text(st, 7);
    g_autofree char *hash = event_hash(prev, id, sqlite3_column_int64(st, 1),
        (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
        (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5));
    if (id != expect_id) {
      g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                  "%s: audit event %" G_GINT64_FORMAT " is missing", store->path, expect_id);
      ok = FALSE;
    } else if (g_strcmp0(stored_prev, prev) != 0 || g_strcmp0(stored, hash) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                  "%s: audit event %" G_GINT64_FORMAT " does not match its hash chain",
                  store->path, id);
      ok = FALSE;
    } else {
      g_free(prev);
      prev = g_strdup(stored);
      expect_id++;
      (*events_checked)++;
    }
  }
  sqlite3_reset(st);
  if (!ok)
    return FALSE;

  st = prep(store, "SELECT last_id, hash FROM audit_head", error);
  if (!st)
    return FALSE;
  rc = sqlite3_step(st);
  if (rc != SQLITE_ROW || sqlite3_column_int64(st, 0) != expect_id - 1 ||
      g_strcmp0((const char *)sqlite3_column_text(st, 1), prev) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                "%s: the audit chain ends at event %" G_GINT64_FORMAT
                " but was recorded to end at event %" G_GINT64_FORMAT
                ": events were removed or the head was altered",
                store->path, expect_id - 1,
                rc == SQLITE_ROW ? (gint64)sqlite3_column_int64(st, 0) : (gint64)-1);
    ok = FALSE;
  }
  sqlite3_reset(st);
  if (!ok)
    return FALSE;

  st = prep(store, "SELECT id, sha256, raw FROM messages ORDER BY id", error);
  if (!st)
    return FALSE;
  while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    g_autofree char *sum = hash_sha256_hex(sqlite3_column_blob(st, 2),
                                           (gsize)sqlite3_column_bytes(st, 2));
    if (g_strcmp0(sum, (const char *)sqlite3_column_text(st, 1)) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                  "%s: stored message %" G_GINT64_FORMAT " does not match its SHA-256",
                  store->path, (gint64)sqlite3_column_int64(st, 0));
      ok = FALSE;
    } else {
      (*messages_checked)++;
    }
  }
  sqlite3_reset(st);
  return ok;
}
