/* store.c - SQLite implementation of the case store (see store.h):
 * opening, running the schema's migrations (store_schema.c), transactions
 * and savepoints, and the statement helpers declared in store_sqlite.h.
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
  if (version > latest || version < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "%s: schema version %d is not one this program knows (it knows up to %d)",
                store->path, version, latest);
    goto fail;
  }
  for (int v = version; v < latest; v++)
    if (!exec(store, sq_migration(v), error))
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
