/* store_sqlite.h - internal to the SQLite implementation of store.h;
 * callers include store.h only.
 *
 * The connection, its statement cache and the few helpers that every
 * store_*.c file uses to prepare, bind, step and read rows. Anything that
 * names sqlite3 stays behind this header, so a second backend of store.h
 * replaces these files without touching the callers. */
#ifndef IG_STORE_SQLITE_H
#define IG_STORE_SQLITE_H

#include <glib.h>
#include <sqlite3.h>

#include "gateway/store.h"

struct IgStore {
  sqlite3 *db;
  char *path;
  GHashTable *stmts;        /* const char *sql -> sqlite3_stmt* */
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

/* Sets error to "PATH: what: SQLite's message"; returns FALSE. */
gboolean sq_fail(IgStore *store, GError **error, const char *what);

/* A cached prepared statement, reset and ready for binding. The cache is
 * keyed by the address of sql, so pass a string literal. */
sqlite3_stmt *sq_prep(IgStore *store, const char *sql, GError **error);

/* Binds s, or NULL as SQL NULL. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);

/* A copy of column i, or NULL; caller frees. */
char *sq_col_text(sqlite3_stmt *st, int i);

/* Runs a statement that returns no rows. */
gboolean sq_step_done(IgStore *store, sqlite3_stmt *st, GError **error);

/* Steps st to the end, turning each row into an element with row();
 * NULL on error. */
GPtrArray *sq_collect(IgStore *store, sqlite3_stmt *st, gpointer (*row)(sqlite3_stmt *),
                      GDestroyNotify free_fn, GError **error);

/* Binds ids (n of them) as one value that "IN (SELECT value FROM
 * json_each(?))" reads: the incidents a query is about, in one statement. */
void sq_bind_ids(sqlite3_stmt *st, int i, const gint64 *ids, guint n);

/* Steps st to the end like sq_collect(), filing each row under the
 * incident id in its column id_col: by_incident maps gint64* -> GPtrArray*
 * (sq_rows_new()), an array made on an incident's first row. */
gboolean sq_collect_by_incident(IgStore *store, sqlite3_stmt *st, int id_col,
                                gpointer (*row)(sqlite3_stmt *), GDestroyNotify free_fn,
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
IgIncident *sq_incident_from_row(sqlite3_stmt *st);

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

#endif
