/* store_db.h - internal to the store; callers include store.h only.
 *
 * One implementation of store.h over two databases: SQLite (embedded,
 * the default) and PostgreSQL (database = postgresql://..., a shared
 * store for several gateways), the latter through the module pgmod.h
 * loads. The store's files speak to either with the statements and
 * helpers below: a statement's SQL is written once where both databases
 * read it alike, twice (sq_prep2()) where they do not. What only one of
 * them has (SQLite's files, backups and run lock; PostgreSQL's
 * leadership) is named for it. */
#ifndef IG_STORE_DB_H
#define IG_STORE_DB_H

#include <glib.h>
#include <sqlite3.h>

#include "gateway/pgmod.h"
#include "gateway/store.h"

/* A prepared statement of either database; cached by the store. */
typedef struct {
  sqlite3_stmt *sq;         /* SQLite's, or NULL */
  PgStmt *pg;               /* PostgreSQL's, or NULL */
  const IgPgOps *ops;
  /* PostgreSQL: it writes a table an incident's state covers, so it ends
   * the cached state hash (store.c; SQLite's update hook does that). Only
   * sq_step_done() and sq_insert_id() run such statements. */
  gboolean writes_state;
} DbStmt;

#define DB_ROW SQLITE_ROW
#define DB_DONE SQLITE_DONE
G_STATIC_ASSERT(PG_ROW == SQLITE_ROW && PG_DONE == SQLITE_DONE);

static inline int db_step(DbStmt *st)
{
  return st->sq ? sqlite3_step(st->sq) : st->ops->step(st->pg);
}
static inline void db_reset(DbStmt *st)
{
  if (st->sq)
    sqlite3_reset(st->sq);
  else
    st->ops->reset(st->pg);
}
static inline void db_bind_int64(DbStmt *st, int i, gint64 v)
{
  if (st->sq)
    sqlite3_bind_int64(st->sq, i, v);
  else
    st->ops->bind_int64(st->pg, i, v);
}
static inline void db_bind_null(DbStmt *st, int i)
{
  if (st->sq)
    sqlite3_bind_null(st->sq, i);
  else
    st->ops->bind_null(st->pg, i);
}
static inline gint64 db_col_int64(DbStmt *st, int i)
{
  return st->sq ? sqlite3_column_int64(st->sq, i) : st->ops->column_int64(st->pg, i);
}
static inline int db_col_int(DbStmt *st, int i)
{
  return (int)db_col_int64(st, i);
}
static inline gboolean db_col_null(DbStmt *st, int i)
{
  return st->sq ? sqlite3_column_type(st->sq, i) == SQLITE_NULL
                : st->ops->column_null(st->pg, i);
}
/* The statement's until its next step or reset; NULL for SQL NULL. */
static inline const char *db_col_text(DbStmt *st, int i)
{
  return st->sq ? (const char *)sqlite3_column_text(st->sq, i)
                : st->ops->column_text(st->pg, i);
}
static inline const void *db_col_blob(DbStmt *st, int i)
{
  return st->sq ? sqlite3_column_blob(st->sq, i) : st->ops->column_blob(st->pg, i);
}
static inline gsize db_col_bytes(DbStmt *st, int i)
{
  return st->sq ? (gsize)sqlite3_column_bytes(st->sq, i) : st->ops->column_bytes(st->pg, i);
}
static inline int db_col_count(DbStmt *st)
{
  return st->sq ? sqlite3_column_count(st->sq) : st->ops->column_count(st->pg);
}

struct IgStore {
  sqlite3 *db;              /* SQLite's connection, or NULL */
  PgConn *pg;               /* or PostgreSQL's, through pg_ops */
  const IgPgOps *pg_ops;
  char *pg_uri;             /* to connect again after the connection was lost */
  char *path;               /* the file, or the URI without its password */
  GHashTable *stmts;        /* const char *sql -> DbStmt* */
  /* The end of the audit chain as this transaction sees it; forgotten at
   * every begin (another process may have written) and rollback. */
  gboolean head_known;
  gint64 head_id;
  char *head_hash;
  /* The state hash of incident state_id (sq_incident_state()), kept
   * while nothing it covers is written (an update hook watches) inside
   * one transaction: most events of a mail follow no change at all. */
  gint64 state_id;
  char *state_hash;
  /* store_begin() was called and neither commit nor rollback since. */
  gboolean in_txn;
  /* SQLite's message for the last failed statement: when SQLite has
   * rolled the transaction back by itself (disk full, I/O error), this
   * is the cause to report, not what fails after it. */
  char *last_error;
  /* PostgreSQL: a statement failed inside the transaction, which refuses
   * everything after it but a rollback (to the savepoint). */
  gboolean pg_aborted;
};

/* A store not yet connected: its path and an empty statement cache. */
IgStore *sq_store_new(const char *path);

/* The schema version this program writes (the number of migrations). */
int sq_schema_version(void);
/* The SQL that brings the schema from version from_version to the next,
 * 0 <= from_version < sq_schema_version() (store_schema.c). */
const char *sq_migration(int from_version);

/* "IGWY" in the header's application_id: this file is a gateway store. */
#define SQ_APPLICATION_ID 0x49475759
/* The keys of a PostgreSQL store's advisory locks (two int4s): the
 * writers' and the lead's, each per schema, so that stores in two schemas
 * of one database are as apart as two databases. */
#define SQ_WRITERS_LOCK "1229412185, hashtext(current_schema())"
#define SQ_LEAD_LOCK "1229412186, hashtext(current_schema())"

/* prev_hash of the first audit event. */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Refuses a file that is not a usable store (empty, truncated, not
 * SQLite) before SQLite opens it; the file is left untouched. */
gboolean sq_check_file(const char *path, GError **error);

/* Sets error to "PATH: why; refusing to use it ..."; returns FALSE. */
gboolean sq_refuse_foreign(IgStore *store, const char *why, GError **error);

/* A transaction whose commit reaches the log but is not synced to disk:
 * for what a power cut may lose at no cost but repeated work (claims,
 * marks). sq_end_unsynced() commits it when ok, else rolls it back, and
 * syncs commits again; it returns whether the commit was made. */
gboolean sq_begin_unsynced(IgStore *store, GError **error);
gboolean sq_end_unsynced(IgStore *store, gboolean ok, GError **error);

/* Sets error to "PATH: what: the database's message"; returns FALSE. */
gboolean sq_fail(IgStore *store, GError **error, const char *what);

/* A cached prepared statement, reset and ready for binding. The cache is
 * keyed by the address of sql, so pass a string literal. */
DbStmt *sq_prep(IgStore *store, const char *sql, GError **error);
/* The same, with pg_sql instead of sql on PostgreSQL (both literals). */
DbStmt *sq_prep2(IgStore *store, const char *sql, const char *pg_sql, GError **error);

/* Runs sql (no parameters, no rows) directly. */
gboolean sq_exec(IgStore *store, const char *sql, GError **error);

/* Runs migration(v) for v from version up to latest, inside the caller's
 * transaction; refuses a version this program does not know. */
gboolean sq_migrate_from(IgStore *store, int version, int latest,
                         const char *(*migration)(int from_version), GError **error);

/* TRUE on PostgreSQL. */
static inline gboolean sq_is_pg(const IgStore *store)
{
  return store->pg_ops != NULL;
}

/* Rows changed by st, run to its end just before. */
gint64 sq_changes(IgStore *store, DbStmt *st);

/* TRUE while a transaction is open on the connection, the store's own
 * (store_begin()) or one a read opened. */
gboolean sq_in_txn(IgStore *store);

/* Runs an INSERT ... RETURNING id and gives that id; 0 on error. */
gint64 sq_insert_id(IgStore *store, DbStmt *st, GError **error);

/* Binds len bytes of data, which must stay as they are until st is
 * stepped (not copied on SQLite). */
void sq_bind_blob(DbStmt *st, int i, const void *data, gsize len);

/* --- PostgreSQL (store_pg.c) --- */

/* database without a password in it, for messages; caller frees. */
char *sq_database_shown(const char *database);

/* Opens the PostgreSQL store at uri and brings its schema to the latest
 * version. */
IgStore *pg_store_open(const char *uri, GError **error);
/* Refuses, naming PostgreSQL's own backup tools. */
gboolean pg_store_backup(IgStore *store, GError **error);
/* Outside a transaction, connects again when the connection was lost (a
 * restarted server, a network cut), forgetting the statements prepared
 * on the old one; TRUE at once while it is alive. */
gboolean pg_store_ready(IgStore *store, GError **error);

/* store_lock_service()'s lock: a file on SQLite; on PostgreSQL a session
 * of its own holding the lead while it has it. */
struct IgStoreLock {
  int fd;                   /* SQLite: the lock file, locked */
  char *uri;                /* PostgreSQL: the store; NULL on SQLite */
  const IgPgOps *ops;
  PgConn *pg;               /* the lead's session, NULL while unconnected */
  PgStmt *try_lead;
  gboolean leading;
};

/* store_lead() and store_unlock_service() on PostgreSQL. */
gboolean pg_lead(IgStoreLock *lock, gboolean *leading, GError **error);
void pg_lead_end(IgStoreLock *lock);

/* Binds s, or NULL as SQL NULL. */
void sq_bind_text(DbStmt *st, int i, const char *s);

/* A copy of column i, or NULL; caller frees. */
char *sq_col_text(DbStmt *st, int i);

/* Runs a statement that returns no rows. */
gboolean sq_step_done(IgStore *store, DbStmt *st, GError **error);

/* Steps st to the end, turning each row into an element with row();
 * NULL on error. */
GPtrArray *sq_collect(IgStore *store, DbStmt *st, gpointer (*row)(DbStmt *),
                      GDestroyNotify free_fn, GError **error);

/* Binds ids (n of them) as one value, a JSON array, that SQ_IDS(p) or
 * on PostgreSQL SQ_IDS_PG(p) reads as a set of ids (p its placeholder):
 * the incidents a query is about, in one statement. */
#define SQ_IDS(p) "(SELECT value FROM json_each(" p "))"
#define SQ_IDS_PG(p) "(SELECT value::bigint FROM json_array_elements_text((" p ")::json))"
void sq_bind_ids(DbStmt *st, int i, const gint64 *ids, guint n);

/* Steps st to the end like sq_collect(), filing each row under the
 * incident id in its column id_col: by_incident maps gint64* -> GPtrArray*
 * (sq_rows_new()), an array made on an incident's first row. */
gboolean sq_collect_by_incident(IgStore *store, DbStmt *st, int id_col,
                                gpointer (*row)(DbStmt *), GDestroyNotify free_fn,
                                GHashTable *by_incident, GError **error);

/* An empty map for sq_collect_by_incident(); caller unrefs. */
GHashTable *sq_rows_new(void);

/* The rows filed under id, taken out of by_incident (an empty array
 * freeing with free_fn when there are none); caller unrefs. */
GPtrArray *sq_rows_take(GHashTable *by_incident, gint64 id, GDestroyNotify free_fn);

/* The deadlines, messages and events of the n incidents ids, filed by
 * incident into by_incident, in the order store_incident_deadlines(),
 * store_incident_messages() and store_incident_events() return them: one
 * statement each, however many incidents (store_incidents.c,
 * store_messages.c, store_audit.c). */
gboolean sq_deadlines_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                         GError **error);
gboolean sq_messages_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                        GError **error);
gboolean sq_events_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                      GError **error);

/* The columns of an incident row, and the incident such a row holds
 * (store_incidents.c); caller frees. */
#define SQ_INCIDENT_COLUMNS \
  "id, reference, status, impact, category, near_miss, personal_data," \
  " reporter_name, reporter_email, reporter_phone, business_area, supplier," \
  " via, source, forwarded_by, detected_at, occurred_at, received_at," \
  " reported_late, minutes_to_report, systems_affected, information_asset," \
  " asset_owner, summary, description, actions_taken, missing_fields, owner," \
  " created_at, updated_at"
IgIncident *sq_incident_from_row(DbStmt *st);

/* SHA-256 of incident_id's state: its fields, deadlines, rules fired,
 * messages, evidence, observables and management reports (store_seal.c).
 * Caller frees. */
char *sq_incident_state(IgStore *store, gint64 incident_id, GError **error);

/* Adds the audit event that records stored message row with its SHA-256
 * (store_audit.c). */
gboolean sq_record_message(IgStore *store, gint64 row, gint64 incident_id, const char *at,
                           const char *sha256, const char *detail, GError **error);

/* FALSE with IG_ERROR_INTEGRITY unless every message has its recording
 * event and every incident is as its newest event left it. */
gboolean sq_verify_sealed(IgStore *store, gint64 *incidents_checked, GError **error);

/* Records, once, what a store made before the chain covered messages and
 * incident states holds: an event per message and per incident. */
gboolean sq_seal_unsealed(IgStore *store, const char *at, GError **error);

#endif /* IG_STORE_DB_H */
