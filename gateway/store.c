/* store.c - SQLite implementation of the case store (see store.h):
 * opening, schema migrations, transactions and savepoints, and the
 * statement helpers declared in store_sqlite.h.
 *
 * WAL with synchronous=FULL: a commit is on disk before we acknowledge or
 * move a message out of the source. Statements are prepared once per
 * connection and cached by their SQL text. The rest of store.h lives in
 * store_messages.c, store_incidents.c, store_outbox.c and store_audit.c. */
#include "gateway/store.h"

#include <errno.h>

#include "gateway/error.h"
#include "gateway/store_sqlite.h"

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
};

gboolean sq_fail(IgStore *store, GError **error, const char *what)
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

sqlite3_stmt *sq_prep(IgStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *st = g_hash_table_lookup(store->stmts, sql);
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
  }
  if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                         NULL) != SQLITE_OK) {
    sq_fail(store, error, "prepare");
    return NULL;
  }
  g_hash_table_insert(store->stmts, (gpointer)sql, st);
  return st;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

char *sq_col_text(sqlite3_stmt *st, int i)
{
  const unsigned char *s = sqlite3_column_text(st, i);
  return s ? g_strdup((const char *)s) : NULL;
}

gboolean sq_step_done(IgStore *store, sqlite3_stmt *st, GError **error)
{
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return sq_fail(store, error, "write");
  return TRUE;
}

GPtrArray *sq_collect(IgStore *store, sqlite3_stmt *st, gpointer (*row)(sqlite3_stmt *),
                      GDestroyNotify free_fn, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(free_fn);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    g_ptr_array_add(out, row(st));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    sq_fail(store, error, "read");
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
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
    return sq_fail(store, error, "read schema version");
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
    sq_fail(store, error, "open");
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
