/* store.c - SQLite implementation of the case store (see store.h):
 * opening, running the schema's migrations (store_schema.c), transactions
 * and savepoints, and the statement helpers declared in store_db.h.
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
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/error.h"
#include "gateway/store_db.h"

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
  if (sq_is_pg(store)) {
    note_error(store, store->pg_ops->errmsg(store->pg));
    store->pg_aborted = store->in_txn;
    g_set_error(error, IG_ERROR,
                store->pg_ops->error_transient(store->pg) ? IG_ERROR_TRANSIENT : IG_ERROR_RUNTIME,
                "%s: %s: %s", store->path, what, store->last_error);
    return FALSE;
  }
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
  if (sq_is_pg(store)) {
    GError *pg_error = NULL;
    if (!store->in_txn && !pg_store_ready(store, error))
      return FALSE;
    if (store->pg_ops->exec(store->pg, sql, &pg_error))
      return TRUE;
    note_error(store, pg_error->message);
    store->pg_aborted = store->in_txn;
    g_set_error(error, IG_ERROR, pg_error->code, "%s: %s", store->path, store->last_error);
    g_error_free(pg_error);
    return FALSE;
  }
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
  if (!store->in_txn || sq_in_txn(store))
    return FALSE;
  g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: %s (the transaction was rolled back)",
              store->path, store->last_error ? store->last_error : "a statement failed");
  return TRUE;
}

static gboolean writes_state(const char *sql);

/* PostgreSQL refuses every statement after a failed one until the
 * transaction (or its savepoint) is rolled back: the first failure is the
 * cause to report. */
static gboolean txn_aborted(IgStore *store, GError **error)
{
  if (!store->pg_aborted)
    return FALSE;
  g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: %s (the transaction was rolled back)",
              store->path, store->last_error ? store->last_error : "a statement failed");
  return TRUE;
}

DbStmt *sq_prep2(IgStore *store, const char *sql, const char *pg_sql, GError **error)
{
  if (txn_lost(store, error) || txn_aborted(store, error))
    return NULL;
  if (sq_is_pg(store) && !store->in_txn && !pg_store_ready(store, error))
    return NULL;
  DbStmt *st = g_hash_table_lookup(store->stmts, sql);
  if (st) {
    if (st->sq) {
      sqlite3_reset(st->sq);
      sqlite3_clear_bindings(st->sq);
    } else {
      st->ops->reset(st->pg);
    }
    return st;
  }
  st = g_new0(DbStmt, 1);
  if (sq_is_pg(store)) {
    GError *pg_error = NULL;
    st->writes_state = writes_state(pg_sql);
    st->ops = store->pg_ops;
    st->pg = st->ops->prepare(store->pg, pg_sql, &pg_error);
    if (!st->pg) {
      note_error(store, pg_error->message);
      g_set_error(error, IG_ERROR, pg_error->code, "%s: prepare: %s", store->path,
                  store->last_error);
      g_error_free(pg_error);
      g_free(st);
      return NULL;
    }
  } else if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->sq,
                                NULL) != SQLITE_OK) {
    sq_fail(store, error, "prepare");
    g_free(st);
    return NULL;
  }
  g_hash_table_insert(store->stmts, (gpointer)sql, st);
  return st;
}

DbStmt *sq_prep(IgStore *store, const char *sql, GError **error)
{
  return sq_prep2(store, sql, sql, error);
}

gboolean sq_exec(IgStore *store, const char *sql, GError **error)
{
  return exec(store, sql, error);
}

gint64 sq_changes(IgStore *store, DbStmt *st)
{
  return st->sq ? sqlite3_changes64(store->db) : st->ops->changes(st->pg);
}

gboolean sq_in_txn(IgStore *store)
{
  if (sq_is_pg(store))
    return store->pg && store->pg_ops->in_txn(store->pg);
  return !sqlite3_get_autocommit(store->db);
}

gint64 sq_insert_id(IgStore *store, DbStmt *st, GError **error)
{
  gint64 id = 0;
  if (st->writes_state)
    store->state_id = 0;
  if (db_step(st) == DB_ROW) {
    id = db_col_int64(st, 0);
    if (db_step(st) != DB_DONE)
      id = 0;
  }
  if (!id)
    sq_fail(store, error, "write");
  db_reset(st);
  return id;
}

void sq_bind_blob(DbStmt *st, int i, const void *data, gsize len)
{
  if (st->sq)
    sqlite3_bind_blob64(st->sq, i, len ? data : "", len, SQLITE_STATIC);
  else
    st->ops->bind_blob(st->pg, i, data, len);
}

void sq_bind_text(DbStmt *st, int i, const char *s)
{
  if (!s)
    db_bind_null(st, i);
  else if (st->sq)
    sqlite3_bind_text(st->sq, i, s, -1, SQLITE_TRANSIENT);
  else
    st->ops->bind_text(st->pg, i, s);
}

char *sq_col_text(DbStmt *st, int i)
{
  return g_strdup(db_col_text(st, i));
}

gboolean sq_step_done(IgStore *store, DbStmt *st, GError **error)
{
  int rc = db_step(st);
  db_reset(st);
  if (st->writes_state)
    store->state_id = 0;
  if (rc != DB_DONE)
    return sq_fail(store, error, "write");
  return TRUE;
}

GPtrArray *sq_collect(IgStore *store, DbStmt *st, gpointer (*row)(DbStmt *),
                      GDestroyNotify free_fn, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(free_fn);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    g_ptr_array_add(out, row(st));
  db_reset(st);
  if (rc != DB_DONE) {
    sq_fail(store, error, "read");
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
}

void sq_bind_ids(DbStmt *st, int i, const gint64 *ids, guint n)
{
  GString *json = g_string_new("[");
  for (guint k = 0; k < n; k++)
    g_string_append_printf(json, "%s%" G_GINT64_FORMAT, k ? "," : "", ids[k]);
  g_string_append_c(json, ']');
  sq_bind_text(st, i, json->str);
  g_string_free(json, TRUE);
}

GHashTable *sq_rows_new(void)
{
  return g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                               (GDestroyNotify)g_ptr_array_unref);
}

gboolean sq_collect_by_incident(IgStore *store, DbStmt *st, int id_col,
                                gpointer (*row)(DbStmt *), GDestroyNotify free_fn,
                                GHashTable *by_incident, GError **error)
{
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, id_col);
    GPtrArray *rows = g_hash_table_lookup(by_incident, &id);
    if (!rows) {
      rows = g_ptr_array_new_with_free_func(free_fn);
      g_hash_table_insert(by_incident, g_memdup2(&id, sizeof id), rows);
    }
    g_ptr_array_add(rows, row(st));
  }
  db_reset(st);
  if (rc != DB_DONE)
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

static void stmt_finalize(gpointer data)
{
  DbStmt *st = data;
  if (st->sq)
    sqlite3_finalize(st->sq);
  else
    st->ops->finalize(st->pg);
  g_free(st);
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

gboolean sq_migrate_from(IgStore *store, int version, int latest,
                         const char *(*migration)(int from_version), GError **error)
{
  if (version > latest || version < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "%s: schema version %d is not one this program knows (it knows up to %d)",
                store->path, version, latest);
    return FALSE;
  }
  for (int v = version; v < latest; v++)
    if (!exec(store, migration(v), error))
      return FALSE;
  return TRUE;
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
  int latest = sq_schema_version();
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
  if (!sq_migrate_from(store, version, latest, sq_migration, error))
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

IgStore *sq_store_new(const char *path)
{
  IgStore *store = g_new0(IgStore, 1);
  store->path = g_strdup(path);
  store->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       stmt_finalize);
  return store;
}

/* The tables an incident's state covers (store_seal.c): a write to one
 * ends the cached state hash. */
static const char *const covered[] = { "incidents", "deadlines", "rules_fired", "messages",
                                       "evidence", "observables", "management_reports", NULL };

/* PostgreSQL has no update hook: a statement is known by its SQL to
 * write a covered table (INSERT INTO t, UPDATE t, DELETE FROM t). */
static gboolean writes_state(const char *sql)
{
  static const char *const verbs[] = { "INSERT INTO ", "UPDATE ", "DELETE FROM " };
  for (gsize v = 0; v < G_N_ELEMENTS(verbs); v++) {
    if (!g_str_has_prefix(sql, verbs[v]))
      continue;
    const char *table = sql + strlen(verbs[v]);
    gsize len = strcspn(table, " (");
    for (const char *const *c = covered; *c; c++)
      if (strlen(*c) == len && strncmp(*c, table, len) == 0)
        return TRUE;
  }
  return FALSE;
}

static void state_written(void *arg, int op, const char *db, const char *table,
                          sqlite3_int64 rowid)
{
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
  if (store_database_is_pg(path))
    return pg_store_open(path, error);
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
  if (store->pg)
    store->pg_ops->close(store->pg);
  g_free(store->pg_uri);
  g_free(store->path);
  g_free(store->head_hash);
  g_free(store->state_hash);
  g_free(store->last_error);
  g_free(store);
}

/* Writers take turns, on PostgreSQL as on SQLite (BEGIN IMMEDIATE):
 * every transaction that writes extends the one audit chain and may
 * allocate a reference, and a gateway's writes are short. The lock is
 * the transaction's, let go at its end or with its session. */
#define PG_BEGIN "BEGIN; SELECT pg_advisory_xact_lock(" SQ_WRITERS_LOCK ")"

gboolean store_begin(IgStore *store, GError **error)
{
  if (sq_is_pg(store) && !pg_store_ready(store, error))
    return FALSE;
  store->head_known = FALSE;
  store->state_id = 0;
  store->pg_aborted = FALSE;
  store->in_txn = exec(store, sq_is_pg(store) ? PG_BEGIN : "BEGIN IMMEDIATE", error);
  if (!store->in_txn && sq_is_pg(store) && sq_in_txn(store))
    exec(store, "ROLLBACK", NULL);
  return store->in_txn;
}

void store_rollback(IgStore *store)
{
  store->head_known = FALSE;
  store->state_id = 0;
  store->in_txn = FALSE;
  store->pg_aborted = FALSE;
  if (sq_in_txn(store))
    exec(store, "ROLLBACK", NULL);
}

gboolean store_commit(IgStore *store, GError **error)
{
  /* PostgreSQL answers COMMIT of a failed transaction by rolling it back
   * without an error: never ask it to. */
  if (txn_lost(store, error) || txn_aborted(store, error) || !exec(store, "COMMIT", error)) {
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
  /* On PostgreSQL without the writers' lock: these transactions touch
   * neither the audit chain nor the references, and the outbox's rows
   * are claimed row by row (FOR UPDATE SKIP LOCKED, store_outbox.c). */
  if (sq_is_pg(store)) {
    if (!pg_store_ready(store, error))
      return FALSE;
    store->head_known = FALSE;
    store->state_id = 0;
    store->pg_aborted = FALSE;
    store->in_txn = exec(store, "BEGIN; SET LOCAL synchronous_commit = off", error);
    if (!store->in_txn && sq_in_txn(store))
      exec(store, "ROLLBACK", NULL);
    return store->in_txn;
  }
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
  if (sq_is_pg(store))
    return ok;
  return sq_synchronous(store, TRUE, ok ? error : NULL) && ok;
}

gboolean store_savepoint(IgStore *store, GError **error)
{
  return !txn_lost(store, error) && !txn_aborted(store, error) &&
         exec(store, "SAVEPOINT msg", error);
}

gboolean store_release(IgStore *store, GError **error)
{
  return !txn_lost(store, error) && !txn_aborted(store, error) &&
         exec(store, "RELEASE msg", error);
}

void store_rollback_to(IgStore *store)
{
  store->head_known = FALSE;
  store->state_id = 0;
  store->pg_aborted = FALSE;
  if (!txn_lost(store, NULL))
    exec(store, "ROLLBACK TO msg; RELEASE msg", NULL);
}
