/* store_pg.c - the store on PostgreSQL (database = postgresql://...):
 * connecting through the module pgmod.h loads, bringing the schema to the
 * latest version (store_pg_schema.c), the lead of several `run`
 * processes, and what PostgreSQL leaves to its own tools (backups). The
 * statements themselves are the store's, shared with SQLite (store_db.h). */
#include "gateway/store.h"

#include <string.h>

#include "gateway/error.h"
#include "gateway/store_db.h"
#include "gateway/store_pg_schema.h"

gboolean store_database_is_pg(const char *database)
{
  return g_str_has_prefix(database, "postgresql://") || g_str_has_prefix(database, "postgres://");
}

char *sq_database_shown(const char *uri)
{
  /* postgresql://user:secret@host/db?password=secret&...: the user's
   * password, in either place, stays out of every message and log; the
   * other parameters (TLS files, options) are left out for brevity. */
  GString *out = g_string_new(NULL);
  const char *rest = strstr(uri, "://");
  rest = rest ? rest + 3 : uri;
  g_string_append_len(out, uri, rest - uri);
  const char *at = strchr(rest, '@');
  const char *slash = strchr(rest, '/');
  if (at && (!slash || at < slash)) {
    const char *colon = memchr(rest, ':', at - rest);
    g_string_append_len(out, rest, (colon ? colon : at) - rest);
    rest = at;
  }
  g_string_append_len(out, rest, strcspn(rest, "?"));
  return g_string_free(out, FALSE);
}

/* The version the store's schema_version row holds: 0 for a database
 * without the gateway's tables; refused when it has some of them but no
 * version (another program's, or a half-made store). */
static gboolean read_version(IgStore *store, int *version, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT to_regclass('schema_version') IS NOT NULL, to_regclass('incidents') IS NOT NULL",
      error);
  if (!st)
    return FALSE;
  if (db_step(st) != DB_ROW)
    return sq_fail(store, error, "read the schema version");
  gboolean versioned = db_col_int(st, 0), ours = db_col_int(st, 1);
  db_reset(st);
  *version = 0;
  /* The first migration makes both tables at once: one without the other
   * is another program's (schema_version is a common name). */
  if (versioned && !ours)
    return sq_refuse_foreign(store, "a database with a schema_version table but no incidents"
                             " table", error);
  if (!versioned) {
    if (ours)
      return sq_refuse_foreign(store, "a database with an incidents table but no gateway"
                               " schema version", error);
    return TRUE;
  }
  st = sq_prep(store, "SELECT max(version) FROM schema_version", error);
  if (!st)
    return FALSE;
  if (db_step(st) != DB_ROW)
    return sq_fail(store, error, "read the schema version");
  *version = db_col_int(st, 0);
  db_reset(st);
  return TRUE;
}

/* The whole schema change in one transaction under the writers' lock:
 * of several gateways starting at once, one migrates and the others find
 * the work done. */
static gboolean migrate(IgStore *store, GError **error)
{
  int latest = pg_schema_version(), version = 0;
  if (!store_begin(store, error))
    return FALSE;
  if (!read_version(store, &version, error))
    goto fail;
  /* Each migration records the version it reaches (store_pg_schema.h). */
  if (!sq_migrate_from(store, version, latest, pg_migration, error))
    goto fail;
  return store_commit(store, error);
fail:
  store_rollback(store);
  return FALSE;
}

/* A writer waits for the writers' lock (store_begin()) as long as for
 * SQLite's, its busy timeout, then fails transiently (SQLSTATE 55P03): a
 * transaction that never ends (a hung process) must not hold `ingest` for
 * ever, where the MTA would try again later. Set for the session, which
 * may set its own. */
#define LOCK_TIMEOUT "SET lock_timeout = 10000"

static gboolean connect_store(IgStore *store, GError **error)
{
  store->pg = store->pg_ops->connect(store->pg_uri, error);
  if (store->pg && store->pg_ops->exec(store->pg, LOCK_TIMEOUT, error))
    return TRUE;
  if (store->pg)
    store->pg_ops->close(store->pg);
  store->pg = NULL;
  g_prefix_error(error, "%s: ", store->path);
  return FALSE;
}

gboolean pg_store_ready(IgStore *store, GError **error)
{
  if (store->pg && store->pg_ops->alive(store->pg))
    return TRUE;
  g_hash_table_remove_all(store->stmts);
  if (store->pg)
    store->pg_ops->close(store->pg);
  store->pg = NULL;
  return connect_store(store, error);
}

IgStore *pg_store_open(const char *uri, GError **error)
{
  const IgPgOps *ops = pgmod_ops(error);
  if (!ops)
    return NULL;
  g_autofree char *shown = sq_database_shown(uri);
  IgStore *store = sq_store_new(shown);
  store->pg_ops = ops;
  store->pg_uri = g_strdup(uri);
  if (!connect_store(store, error) || !migrate(store, error)) {
    store_close(store);
    return NULL;
  }
  return store;
}

gboolean pg_store_backup(IgStore *store, GError **error)
{
  g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
              "%s: a PostgreSQL store is backed up with PostgreSQL's own tools: pg_dump for a"
              " copy of the database, pg_basebackup with WAL archiving for point-in-time"
              " recovery, or a streaming standby; `verify` checks the store (or a restored"
              " copy) in place", store->path);
  return FALSE;
}

/* --- the lead (store_lead()) --- */

/* The lead's session ended (or never was): whatever it held is gone
 * with it. */
void pg_lead_end(IgStoreLock *lock)
{
  if (lock->try_lead)
    lock->ops->finalize(lock->try_lead);
  if (lock->pg)
    lock->ops->close(lock->pg);
  lock->try_lead = NULL;
  lock->pg = NULL;
  lock->leading = FALSE;
}

static gboolean lead_session(IgStoreLock *lock, const char *shown, GError **error)
{
  lock->pg = lock->ops->connect(lock->uri, error);
  if (!lock->pg) {
    g_prefix_error(error, "%s: ", shown);
    return FALSE;
  }
  lock->try_lead = lock->ops->prepare(lock->pg, "SELECT pg_try_advisory_lock(" SQ_LEAD_LOCK ")",
                                      error);
  if (!lock->try_lead) {
    pg_lead_end(lock);
    return FALSE;
  }
  return TRUE;
}

gboolean pg_lead(IgStoreLock *lock, gboolean *leading, GError **error)
{
  *leading = FALSE;
  if (lock->pg && !lock->ops->alive(lock->pg))
    pg_lead_end(lock);
  g_autofree char *shown = sq_database_shown(lock->uri);
  if (!lock->pg && !lead_session(lock, shown, error))
    return FALSE;
  /* Asked again while held, it is taken once more (session locks stack)
   * and answers at once: the session is alive and ours. */
  lock->ops->reset(lock->try_lead);
  if (lock->ops->step(lock->try_lead) != PG_ROW) {
    g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s: cannot take the lead: %s", shown,
                lock->ops->errmsg(lock->pg));
    pg_lead_end(lock);
    return FALSE;
  }
  gboolean taken = lock->ops->column_int64(lock->try_lead, 0) != 0;
  lock->ops->reset(lock->try_lead);
  if (taken && lock->leading &&
      !lock->ops->exec(lock->pg, "SELECT pg_advisory_unlock(" SQ_LEAD_LOCK ")", error))
    return FALSE;
  lock->leading = taken;
  *leading = taken;
  return TRUE;
}
