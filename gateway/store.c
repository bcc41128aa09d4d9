/* store.c - SQLite implementation of the case store (see store.h):
 * opening, schema migrations, transactions and savepoints, and the
 * statement helpers declared in store_sqlite.h.
 *
 * WAL with synchronous=FULL: a commit is on disk before we acknowledge or
 * move a message out of the source. Statements are prepared once per
 * connection and cached by their SQL text. The rest of store.h lives in
 * store_messages.c, store_incidents.c, store_list.c, store_evidence.c, store_outbox.c,
 * store_audit.c, store_digest.c and store_file.c (checks of the file before SQLite opens it,
 * the run lock). */
#include "gateway/store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

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
};

/* The first schema version whose chain covers messages and incidents. */
#define SEALED_VERSION 7


static void note_error(IgStore *store, const char *msg)
{
  g_free(store->last_error);
  store->last_error = g_strdup(msg);
}

/* Failures that may pass when tried again later. */
static int error_code(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
  case SQLITE_READONLY: /* a file system remounted read-only after an error */
  case SQLITE_FULL:
  case SQLITE_IOERR:
  case SQLITE_NOMEM:
    return IG_ERROR_TRANSIENT;
  default:
    return IG_ERROR_RUNTIME;
  }
}

/* On a full disk, an I/O error or no memory SQLite rolls the whole
 * transaction back, except after a statement that keeps a statement
 * journal (one that fires a trigger, such as an insert into incidents or
 * events): only that statement is undone. Rolled back here then too, so
 * that such a failure always ends the transaction (store.h), and the
 * rest of it fails with the cause instead of carrying on without what
 * the statement would have written. */
gboolean sq_fail(IgStore *store, GError **error, const char *what)
{
  int rc = sqlite3_extended_errcode(store->db);
  note_error(store, sqlite3_errmsg(store->db));
  g_set_error(error, IG_ERROR, error_code(rc), "%s: %s: %s", store->path, what,
              store->last_error);
  int primary = rc & 0xff;
  if ((primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_NOMEM) &&
      store->in_txn && !sqlite3_get_autocommit(store->db))
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean exec(IgStore *store, const char *sql, GError **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec(store->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    note_error(store, msg ? msg : sqlite3_errmsg(store->db));
    g_set_error(error, IG_ERROR, error_code(rc), "%s: %s", store->path, store->last_error);
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

static gboolean sq_synchronous(IgStore *store, gboolean full, GError **error)
{
  return exec(store, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", error);
}

/* SQLite rolls a transaction back by itself on some errors (disk full,
 * I/O error). Nothing more may run in it, and what is tried next fails
 * with that cause rather than "no transaction is active". */
static gboolean txn_lost(IgStore *store, GError **error)
{
  if (!store->in_txn || !sqlite3_get_autocommit(store->db))
    return FALSE;
  g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: %s (the transaction was rolled back)",
              store->path, store->last_error ? store->last_error : "a statement failed");
  return TRUE;
}

sqlite3_stmt *sq_prep(IgStore *store, const char *sql, GError **error)
{
  if (txn_lost(store, error))
    return NULL;
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

void sq_bind_ids(sqlite3_stmt *st, int i, const gint64 *ids, guint n)
{
  GString *json = g_string_new("[");
  for (guint k = 0; k < n; k++)
    g_string_append_printf(json, "%s%" G_GINT64_FORMAT, k ? "," : "", ids[k]);
  g_string_append_c(json, ']');
  gsize len = json->len;
  sqlite3_bind_text64(st, i, g_string_free(json, FALSE), len, g_free, SQLITE_UTF8);
}

GHashTable *sq_rows_new(void)
{
  return g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                               (GDestroyNotify)g_ptr_array_unref);
}

gboolean sq_collect_by_incident(IgStore *store, sqlite3_stmt *st, int id_col,
                                gpointer (*row)(sqlite3_stmt *), GDestroyNotify free_fn,
                                GHashTable *by_incident, GError **error)
{
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(st, id_col);
    GPtrArray *rows = g_hash_table_lookup(by_incident, &id);
    if (!rows) {
      rows = g_ptr_array_new_with_free_func(free_fn);
      g_hash_table_insert(by_incident, g_memdup2(&id, sizeof id), rows);
    }
    g_ptr_array_add(rows, row(st));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return sq_fail(store, error, "read");
  return TRUE;
}

GPtrArray *sq_rows_take(GHashTable *by_incident, gint64 id, GDestroyNotify free_fn)
{
  gpointer key = NULL, rows = NULL;
  if (!g_hash_table_steal_extended(by_incident, &id, &key, &rows))
    return g_ptr_array_new_with_free_func(free_fn);
  g_free(key);
  return rows;
}

static void stmt_finalize(gpointer st)
{
  sqlite3_finalize(st);
}

/* The integer a one-value query returns (a header field, a count). */
static gboolean query_int(IgStore *store, const char *sql, int *value, GError **error)
{
  sqlite3_stmt *st = NULL;
  gboolean ok = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW;
  if (ok)
    *value = sqlite3_column_int(st, 0);
  else
    sq_fail(store, error, "read the database header");
  sqlite3_finalize(st);
  return ok;
}

/* TRUE when the file is ours, or (version 0) an empty database that
 * create_store() has just made. Stores from before application_id was set
 * are recognised by their schema version and tables. */
static gboolean check_identity(IgStore *store, int app_id, int version, gboolean fresh,
                               GError **error)
{
  if (app_id == SQ_APPLICATION_ID)
    return TRUE;
  if (app_id != 0) {
    g_autofree char *why = g_strdup_printf("another program's SQLite database"
                                           " (application_id 0x%08x)", (guint)app_id);
    return sq_refuse_foreign(store, why, error);
  }
  if (version == 0 && fresh)
    return TRUE;
  int tables = 0;
  if (!query_int(store, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                 " AND name IN ('incidents', 'messages', 'events', 'outbox')", &tables, error))
    return FALSE;
  if (version == 0 || tables != 4)
    return sq_refuse_foreign(store, "an SQLite database without the gateway's tables", error);
  return TRUE;
}

/* Checks the file is a gateway store, sets the connection up, and brings
 * the schema to the latest version in one IMMEDIATE transaction, reading
 * the version again inside it: of two processes starting at once on an
 * old store, the second finds the work done. */
static gboolean migrate(IgStore *store, gboolean fresh, GError **error)
{
  int latest = (int)G_N_ELEMENTS(migrations);
  g_autofree char *stamp = g_strdup_printf("PRAGMA user_version = %d;"
                                           " PRAGMA application_id = %d", latest, SQ_APPLICATION_ID);
  int app_id = 0, version = 0;
  if (!query_int(store, "PRAGMA application_id", &app_id, error) ||
      !query_int(store, "PRAGMA user_version", &version, error) ||
      !check_identity(store, app_id, version, fresh, error))
    return FALSE;
  /* Only now that the file is known to be ours may anything be written.
   * Statement journals (each recorded message is a savepoint) stay in
   * memory: they are never needed after a crash, and as files they were
   * most of the bytes written. */
  if (!exec(store, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", error))
    return FALSE;
  if (app_id == SQ_APPLICATION_ID && version == latest)
    return TRUE;
  if (!exec(store, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!query_int(store, "PRAGMA application_id", &app_id, error) ||
      !query_int(store, "PRAGMA user_version", &version, error) ||
      !check_identity(store, app_id, version, fresh, error))
    goto fail;
  if (version > latest || version < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "%s: schema version %d is not one this program knows (it knows up to %d)",
                store->path, version, latest);
    goto fail;
  }
  for (int v = version; v < latest; v++)
    if (!exec(store, migrations[v], error))
      goto fail;
  if (version > 0 && version < SEALED_VERSION) {
    /* No --now reaches a migration: the seal carries the real time. */
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *at = iso_utc(now);
    if (!sq_seal_unsealed(store, at, error))
      goto fail;
  }
  if (!exec(store, stamp, error) || !exec(store, "COMMIT", error))
    goto fail;
  return TRUE;
fail:
  exec(store, "ROLLBACK", NULL);
  return FALSE;
}

int sq_schema_version(void)
{
  return (int)G_N_ELEMENTS(migrations);
}

IgStore *sq_store_new(const char *path)
{
  IgStore *store = g_new0(IgStore, 1);
  store->path = g_strdup(path);
  store->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       stmt_finalize);
  return store;
}

/* A write to a table an incident's state covers (store_seal.c) ends the
 * cached state hash. */
static void state_written(void *arg, int op, const char *db, const char *table,
                          sqlite3_int64 rowid)
{
  static const char *const covered[] = { "incidents", "deadlines", "rules_fired", "messages",
                                         "evidence", "observables", "management_reports",
                                         NULL };
  IgStore *store = arg;
  (void)op;
  (void)db;
  (void)rowid;
  if (store->state_id && g_strv_contains(covered, table))
    store->state_id = 0;
}

static gboolean connect_db(IgStore *store, int flags, gboolean fresh, GError **error)
{
  if (sqlite3_open_v2(store->path, &store->db, flags, NULL) != SQLITE_OK)
    return sq_fail(store, error, "open");
  sqlite3_update_hook(store->db, state_written, store);
  sqlite3_busy_timeout(store->db, 10000);
  sqlite3_extended_result_codes(store->db, 1);
  return migrate(store, fresh, error);
}

/* A new store is built complete under a temporary name and then linked
 * into place, which fails when the name exists: so no half-made store is
 * ever left at path, and of two processes starting at once on no store
 * one makes it and the other uses that one. */
static gboolean create_store(const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmp_name = g_strdup_printf(".%s.new-XXXXXX", base);
  g_autofree char *tmp = g_build_filename(dir, tmp_name, NULL);
  gboolean ok = FALSE;
  /* The store holds raw reports, with their personal data: for the
   * gateway's user alone, unless the operator gave its directory a group
   * (chgrp, chmod g+s) so that monitoring or read commands can run as that
   * group; SQLite gives its log the same mode and the directory its group. */
  GStatBuf dir_st;
  mode_t mode = g_stat(dir, &dir_st) == 0 && (dir_st.st_mode & S_ISGID) ? 0640 : 0600;
  int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, mode);
  if (fd < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: cannot create: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  close(fd);
  IgStore *fresh = sq_store_new(tmp);
  ok = connect_db(fresh, SQLITE_OPEN_READWRITE, TRUE, error);
  store_close(fresh); /* checkpoints the log: the file stands alone */
  g_autofree char *wal = g_strconcat(tmp, "-wal", NULL);
  g_autofree char *shm = g_strconcat(tmp, "-shm", NULL);
  if (ok && g_file_test(wal, G_FILE_TEST_EXISTS)) {
    g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: cannot create: the new store's log"
                " could not be written back (disk full?)", path);
    ok = FALSE;
  }
  if (ok && link(tmp, path) != 0 && errno != EEXIST) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: cannot create: %s", path,
                g_strerror(errno));
    ok = FALSE;
  }
  unlink(tmp);
  unlink(wal);
  unlink(shm);
  return ok;
}

IgStore *store_open(const char *path, GError **error)
{
  IgStore *store = NULL;
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  /* A missing directory is a mistyped path or a volume not mounted:
   * a new, empty store there would hide the real one. It may pass (the
   * volume mounted): an MTA keeps the mail meanwhile. */
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: no such directory for the store %s",
                dir, path);
    return NULL;
  }
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    /* SQLite would replay a log left beside a deleted store into the new one.
     * A store another process has just linked into place gets its log as it
     * is opened: look for the store again before taking the log for a
     * leftover. */
    if (g_file_test(wal, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_EXISTS)) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: missing, but its write-ahead log"
                  " %s is there; refusing to start a new store beside it", path, wal);
      return NULL;
    }
    if (!create_store(path, error))
      return NULL;
  }
  if (!sq_check_file(path, error))
    return NULL;
  store = sq_store_new(path);
  /* The log is written back by SQLite's automatic checkpoints as it grows,
   * not by every process at its exit: an MTA runs one per message. */
  if (!connect_db(store, SQLITE_OPEN_READWRITE, FALSE, error) ||
      sqlite3_db_config(store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK) {
    store_close(store);
    return NULL;
  }
  return store;
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
  g_free(store->state_hash);
  g_free(store->last_error);
  g_free(store);
}

gboolean store_begin(IgStore *store, GError **error)
{
  store->head_known = FALSE;
  store->state_id = 0;
  store->in_txn = exec(store, "BEGIN IMMEDIATE", error);
  return store->in_txn;
}

void store_rollback(IgStore *store)
{
  store->head_known = FALSE;
  store->state_id = 0;
  store->in_txn = FALSE;
  if (!sqlite3_get_autocommit(store->db))
    exec(store, "ROLLBACK", NULL);
}

gboolean store_commit(IgStore *store, GError **error)
{
  if (txn_lost(store, error) || !exec(store, "COMMIT", error)) {
    /* A COMMIT that fails (busy, interrupted, I/O) leaves the transaction
     * open; rolled back here, no caller can leave the next BEGIN failing. */
    store_rollback(store);
    return FALSE;
  }
  store->in_txn = FALSE;
  return TRUE;
}

gboolean sq_begin_unsynced(IgStore *store, GError **error)
{
  if (sq_synchronous(store, FALSE, error) && store_begin(store, error))
    return TRUE;
  sq_synchronous(store, TRUE, NULL);
  return FALSE;
}

gboolean sq_end_unsynced(IgStore *store, gboolean ok, GError **error)
{
  if (ok)
    ok = store_commit(store, error);
  else
    store_rollback(store);
  return sq_synchronous(store, TRUE, ok ? error : NULL) && ok;
}

gboolean store_savepoint(IgStore *store, GError **error)
{
  return !txn_lost(store, error) && exec(store, "SAVEPOINT msg", error);
}

gboolean store_release(IgStore *store, GError **error)
{
  return !txn_lost(store, error) && exec(store, "RELEASE msg", error);
}

void store_rollback_to(IgStore *store)
{
  store->head_known = FALSE;
  store->state_id = 0;
  if (!txn_lost(store, NULL))
    exec(store, "ROLLBACK TO msg; RELEASE msg", NULL);
}
