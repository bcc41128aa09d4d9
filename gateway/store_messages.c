/* store_messages.c - incoming messages in the case store: dedupe, raw
 * bytes, listings and threading by Message-ID, plus the failure counts and
 * in-flight marks that find a message which keeps killing the gateway.
 * Part of the SQLite implementation of store.h. */
#include "gateway/store.h"

#include "gateway/error.h"
#include "gateway/store_db.h"

gboolean store_message_seen(IgStore *store, const char *sha256,
                            const char *message_id, gboolean *seen,
                            GError **error)
{
  /* Two lookups, each by its index: PostgreSQL's reusable plan of one
   * with OR read the whole table. A NULL Message-ID equals nothing. */
  DbStmt *st = sq_prep(store,
      "SELECT 1 FROM messages WHERE sha256 = ?1"
      " UNION ALL SELECT 1 FROM messages WHERE message_id = ?2 LIMIT 1", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, sha256);
  sq_bind_text(st, 2, message_id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE)
    return sq_fail(store, error, "look up message");
  *seen = rc == DB_ROW;
  return TRUE;
}

/* PostgreSQL takes the bytes as one parameter, sent as they are. */
static gboolean add_body_pg(IgStore *store, gint64 row, const char *raw, gsize len,
                            GError **error)
{
  DbStmt *st = sq_prep(store, "INSERT INTO message_bodies(id, raw) VALUES(?, ?)", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, row);
  sq_bind_blob(st, 2, raw, len);
  return sq_step_done(store, st, error);
}

/* The bytes go into a row of zeros made to their size, then over them
 * with incremental blob I/O: SQLite does not build a zero-blob that ends
 * its row in memory, so the message is never copied whole. */
static gboolean add_body(IgStore *store, gint64 row, const char *raw, gsize len,
                         GError **error)
{
  if (sq_is_pg(store))
    return add_body_pg(store, row, raw, len, error);
  DbStmt *st = sq_prep(store, "INSERT INTO message_bodies(id, raw)"
                                    " VALUES(?, zeroblob(?))", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, row);
  db_bind_int64(st, 2, (gint64)len);
  if (!sq_step_done(store, st, error))
    return FALSE;
  if (!len)
    return TRUE;
  sqlite3_blob *blob = NULL;
  gboolean ok = sqlite3_blob_open(store->db, "main", "message_bodies", "raw", row, 1,
                                  &blob) == SQLITE_OK &&
                sqlite3_blob_write(blob, raw, (int)len, 0) == SQLITE_OK;
  if (!ok)
    sq_fail(store, error, "write message");
  sqlite3_blob_close(blob);
  return ok;
}

gint64 store_add_message(IgStore *store, const IgMessageIn *in, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO messages(message_id, sha256, size, from_addr, subject,"
      " received_at, kind, incident_id, note) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id", error);
  if (!st)
    return 0;
  sq_bind_text(st, 1, in->message_id);
  sq_bind_text(st, 2, in->sha256);
  db_bind_int64(st, 3, (gint64)in->raw_len);
  sq_bind_text(st, 4, in->from_addr);
  sq_bind_text(st, 5, in->subject);
  sq_bind_text(st, 6, in->received_at);
  sq_bind_text(st, 7, in->kind);
  if (in->incident_id)
    db_bind_int64(st, 8, in->incident_id);
  else
    db_bind_null(st, 8);
  sq_bind_text(st, 9, in->note);
  gint64 row = sq_insert_id(store, st, error);
  if (!row || !add_body(store, row, in->raw, in->raw_len, error))
    return 0;
  g_autofree char *detail = g_strdup_printf("message %" G_GINT64_FORMAT " stored: %s, %"
                                            G_GSIZE_FORMAT " bytes", row, in->kind, in->raw_len);
  if (!sq_record_message(store, row, in->incident_id, in->recorded_at, in->sha256, detail,
                         error))
    return 0;
  return row;
}

GBytes *store_message_raw(IgStore *store, gint64 id, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT raw FROM message_bodies WHERE id = ?", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, id);
  GBytes *raw = NULL;
  int rc = db_step(st);
  if (rc == DB_ROW)
    raw = g_bytes_new(db_col_blob(st, 0), db_col_bytes(st, 0));
  else if (rc == DB_DONE)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no stored message %" G_GINT64_FORMAT, id);
  else
    sq_fail(store, error, "read stored message");
  db_reset(st);
  return raw;
}

static IgMessageRec *message_from_row(DbStmt *st)
{
  IgMessageRec *m = g_new0(IgMessageRec, 1);
  m->id = db_col_int64(st, 0);
  m->message_id = sq_col_text(st, 1);
  m->direction = sq_col_text(st, 2);
  m->from_addr = sq_col_text(st, 3);
  m->subject = sq_col_text(st, 4);
  m->received_at = sq_col_text(st, 5);
  m->kind = sq_col_text(st, 6);
  m->reference = sq_col_text(st, 7);
  m->sha256 = sq_col_text(st, 8);
  return m;
}

GPtrArray *store_list_messages(IgStore *store, gboolean unmatched_only, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT m.id, m.message_id, 'in', m.from_addr, m.subject, m.received_at,"
      " m.kind, i.reference, m.sha256 FROM messages m"
      " LEFT JOIN incidents i ON i.id = m.incident_id"
      " WHERE (?1 = 0 OR m.incident_id IS NULL)"
      " ORDER BY m.received_at DESC, m.id DESC", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, unmatched_only);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))message_from_row,
                    (GDestroyNotify)message_rec_free, error);
}

gint64 store_incident_for_message_ids(IgStore *store, const char *const *ids,
                                      GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT incident_id FROM messages WHERE message_id = ?1 AND incident_id IS NOT NULL"
      " UNION ALL SELECT incident_id FROM outbox WHERE message_id = ?1"
      " AND incident_id IS NOT NULL LIMIT 1", error);
  if (!st)
    return 0;
  for (; ids && *ids; ids++) {
    sq_bind_text(st, 1, *ids);
    int rc = db_step(st);
    gint64 id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE) {
      sq_fail(store, error, "look up thread");
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
  DbStmt *st = sq_prep(store,
      "INSERT INTO failures(sha256, count, last_error, at) VALUES(?1, 1, ?2, ?3)"
      " ON CONFLICT(sha256) DO UPDATE SET count = failures.count + 1, last_error = ?2, at = ?3"
      " RETURNING count", error);
  if (!st)
    return -1;
  sq_bind_text(st, 1, sha256);
  sq_bind_text(st, 2, error_text);
  sq_bind_text(st, 3, at);
  int rc = db_step(st);
  int count = rc == DB_ROW ? db_col_int(st, 0) : -1;
  db_reset(st);
  if (count < 0)
    sq_fail(store, error, "record failure");
  return count;
}

int store_in_flight_get(IgStore *store, const char *sha256, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT single FROM in_flight WHERE sha256 = ?", error);
  if (!st)
    return -2;
  sq_bind_text(st, 1, sha256);
  int rc = db_step(st);
  int state = rc == DB_ROW ? db_col_int(st, 0) : -1;
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) {
    sq_fail(store, error, "read in-flight marks");
    return -2;
  }
  return state;
}

gboolean store_in_flight_set(IgStore *store, const char *sha256, gboolean single,
                             GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO in_flight(sha256, single) VALUES(?, ?)"
      " ON CONFLICT(sha256) DO UPDATE SET single = excluded.single", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, sha256);
  db_bind_int64(st, 2, single);
  return sq_step_done(store, st, error);
}

gboolean store_in_flight_mark(IgStore *store, char *const *shas, gsize n, gboolean single,
                              GError **error)
{
  if (!sq_begin_unsynced(store, error))
    return FALSE;
  gboolean ok = TRUE;
  for (gsize i = 0; ok && i < n; i++)
    ok = store_in_flight_set(store, shas[i], single, error);
  return sq_end_unsynced(store, ok, error);
}

gboolean store_in_flight_clear(IgStore *store, const char *sha256, GError **error)
{
  DbStmt *st = sq_prep(store, "DELETE FROM in_flight WHERE sha256 = ?", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, sha256);
  return sq_step_done(store, st, error);
}

gboolean sq_messages_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                        GError **error)
{
#define MESSAGES_OF(ids) \
  "SELECT m.id, m.message_id, 'in', m.from_addr, m.subject, m.received_at," \
  " m.kind, i.reference, m.sha256, 0 AS o, i.id AS inc FROM messages m" \
  " JOIN incidents i ON i.id = m.incident_id" \
  " WHERE m.incident_id IN " ids \
  " UNION ALL SELECT o.id, o.message_id, 'out', NULL, o.subject, o.created_at," \
  " o.template, i.reference, NULL, 1, i.id FROM outbox o" \
  " JOIN incidents i ON i.id = o.incident_id" \
  " WHERE o.incident_id IN " ids \
  " AND o.kind = 'mail' ORDER BY inc, o, 6, 1"
  DbStmt *st = sq_prep2(store, MESSAGES_OF(SQ_IDS("?1")), MESSAGES_OF(SQ_IDS_PG("?1")), error);
  if (!st)
    return FALSE;
  sq_bind_ids(st, 1, ids, n);
  return sq_collect_by_incident(store, st, 10, (gpointer(*)(DbStmt *))message_from_row,
                                (GDestroyNotify)message_rec_free, by_incident, error);
}

GPtrArray *store_incident_messages(IgStore *store, gint64 incident_id, GError **error)
{
  g_autoptr(GHashTable) by_incident = sq_rows_new();
  if (!sq_messages_of(store, &incident_id, 1, by_incident, error))
    return NULL;
  return sq_rows_take(by_incident, incident_id, (GDestroyNotify)message_rec_free);
}
