/* store_outbox.c - the outbox in the case store: queued mail and webhook
 * deliveries, their retries and bounces, and the acknowledgement count
 * behind the rate limit. Part of the SQLite implementation of store.h. */
#include "gateway/store.h"

#include "gateway/error.h"
#include "gateway/store_db.h"

gint64 store_outbox_add(IgStore *store, const IgOutboxIn *in, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO outbox(incident_id, kind, template, to_addr, subject, message_id,"
      " body, next_attempt_at, created_at) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id", error);
  if (!st)
    return 0;
  gsize len = 0;
  const void *body = g_bytes_get_data(in->body, &len);
  if (in->incident_id)
    db_bind_int64(st, 1, in->incident_id);
  else
    db_bind_null(st, 1);
  sq_bind_text(st, 2, in->kind);
  sq_bind_text(st, 3, in->template_name);
  sq_bind_text(st, 4, in->to);
  sq_bind_text(st, 5, in->subject);
  sq_bind_text(st, 6, in->message_id);
  sq_bind_blob(st, 7, body, len);
  sq_bind_text(st, 8, in->created_at);
  sq_bind_text(st, 9, in->created_at);
  return sq_insert_id(store, st, error);
}

#define OUTBOX_COLUMNS \
  "o.id, o.kind, o.template, o.to_addr, o.subject, o.message_id, i.reference, o.state," \
  " o.attempts, o.next_attempt_at, o.last_error, o.created_at"

static IgOutboxRec *outbox_from_row(DbStmt *st)
{
  IgOutboxRec *o = g_new0(IgOutboxRec, 1);
  int i = 0;
  o->id = db_col_int64(st, i++);
  o->kind = sq_col_text(st, i++);
  o->template_name = sq_col_text(st, i++);
  o->to = sq_col_text(st, i++);
  o->subject = sq_col_text(st, i++);
  o->message_id = sq_col_text(st, i++);
  o->reference = sq_col_text(st, i++);
  o->state = sq_col_text(st, i++);
  o->attempts = db_col_int64(st, i++);
  o->next_attempt_at = sq_col_text(st, i++);
  o->last_error = sq_col_text(st, i++);
  o->created_at = sq_col_text(st, i++);
  if (db_col_count(st) > i)
    o->body = g_bytes_new(db_col_blob(st, i), db_col_bytes(st, i));
  return o;
}

GPtrArray *store_outbox_claim_many(IgStore *store, const char *now, const char *owner,
                                   const char *until, guint max, GError **error)
{
  /* IMMEDIATE: the write lock is taken before the rows are chosen, so two
   * processes cannot both choose one. A claim need not survive a power
   * cut (the row is then sent again, as after any crash before the mark),
   * so its commit is not synced. */
  if (!sq_begin_unsynced(store, error))
    return NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)outbox_rec_free);
  gboolean ok = FALSE;
  int rc;
#define CLAIMABLE \
  "SELECT " OUTBOX_COLUMNS ", o.body FROM outbox o" \
  " LEFT JOIN incidents i ON i.id = o.incident_id" \
  " WHERE o.state = 'pending' AND o.next_attempt_at <= ?1" \
  " AND (o.claimed_until IS NULL OR o.claimed_until < ?1) ORDER BY o.id LIMIT ?2"
  /* On PostgreSQL the rows another process is claiming are passed over,
   * not waited for. */
  DbStmt *st = sq_prep2(store, CLAIMABLE, CLAIMABLE " FOR UPDATE OF o SKIP LOCKED", error);
  if (!st)
    goto out;
  sq_bind_text(st, 1, now);
  db_bind_int64(st, 2, max);
  while ((rc = db_step(st)) == DB_ROW)
    g_ptr_array_add(rows, outbox_from_row(st));
  db_reset(st);
  if (rc != DB_DONE) {
    sq_fail(store, error, "read the outbox");
    goto out;
  }
  for (guint i = 0; i < rows->len; i++) {
    st = sq_prep(store, "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?",
                 error);
    if (!st)
      goto out;
    sq_bind_text(st, 1, owner);
    sq_bind_text(st, 2, until);
    db_bind_int64(st, 3, ((IgOutboxRec *)g_ptr_array_index(rows, i))->id);
    if (!sq_step_done(store, st, error))
      goto out;
  }
  ok = TRUE;
out:
  if (sq_end_unsynced(store, ok, error))
    return rows;
  g_ptr_array_unref(rows);
  return NULL;
}

IgOutboxRec *store_outbox_claim(IgStore *store, const char *now, const char *owner,
                                const char *until, GError **error)
{
  g_autoptr(GPtrArray) rows = store_outbox_claim_many(store, now, owner, until, 1, error);
  return rows && rows->len ? g_ptr_array_steal_index(rows, 0) : NULL;
}

static gpointer owner_from_row(DbStmt *st)
{
  return sq_col_text(st, 0);
}

GPtrArray *store_outbox_claimers(IgStore *store, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT DISTINCT claimed_by FROM outbox WHERE state = 'pending'"
      " AND claimed_by IS NOT NULL", error);
  if (!st)
    return NULL;
  return sq_collect(store, st, owner_from_row, g_free, error);
}

gboolean store_outbox_release(IgStore *store, const char *owner, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL"
      " WHERE claimed_by = ? AND state = 'pending'", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, owner);
  return sq_step_done(store, st, error);
}

GPtrArray *store_list_outbox(IgStore *store, gboolean pending_only, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT " OUTBOX_COLUMNS " FROM outbox o"
      " LEFT JOIN incidents i ON i.id = o.incident_id"
      " WHERE (?1 = 0 OR o.state = 'pending') ORDER BY o.id DESC", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, pending_only);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))outbox_from_row,
                    (GDestroyNotify)outbox_rec_free, error);
}

GPtrArray *store_outbox_of(IgStore *store, gint64 incident_id, const char *template_name,
                           GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT " OUTBOX_COLUMNS " FROM outbox o"
      " LEFT JOIN incidents i ON i.id = o.incident_id"
      " WHERE o.incident_id = ? AND o.template = ? ORDER BY o.id", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, template_name);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))outbox_from_row,
                    (GDestroyNotify)outbox_rec_free, error);
}

gboolean store_outbox_sent(IgStore *store, gint64 id, const char *at, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?,"
      " last_error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = ?", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, at);
  db_bind_int64(st, 2, id);
  return sq_step_done(store, st, error);
}

gboolean store_outbox_sent_many(IgStore *store, const gint64 *ids, guint n, const char *at,
                                GError **error)
{
  /* Not synced, as the claim: a power cut before the next synced commit
   * only sends these again, the same bytes under the same Message-ID. */
  if (!sq_begin_unsynced(store, error))
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < n; i++)
    ok = store_outbox_sent(store, ids[i], at, error);
  return sq_end_unsynced(store, ok, error);
}

gboolean store_outbox_retry(IgStore *store, gint64 id, const char *next_at,
                            gboolean give_up, const char *error_text, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?,"
      " state = CASE WHEN ? THEN 'failed' ELSE 'pending' END, last_error = ?,"
      " claimed_by = NULL, claimed_until = NULL WHERE id = ? AND state = 'pending'", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, next_at);
  db_bind_int64(st, 2, give_up);
  sq_bind_text(st, 3, error_text);
  db_bind_int64(st, 4, id);
  return sq_step_done(store, st, error);
}

gboolean store_outbox_bounced(IgStore *store, const char *message_id, const char *error_text,
                              gboolean *found, gint64 *incident_id, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE outbox SET state = 'bounced', last_error = ? WHERE message_id = ?"
      " AND kind = 'mail' RETURNING coalesce(incident_id, 0)", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, error_text);
  sq_bind_text(st, 2, message_id);
  int rc = db_step(st);
  *found = rc == DB_ROW;
  *incident_id = *found ? db_col_int64(st, 0) : 0;
  while (rc == DB_ROW)
    rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE)
    return sq_fail(store, error, "mark bounce");
  return TRUE;
}

gint64 store_count_acks_since(IgStore *store, const char *address, const char *since,
                              GError **error)
{
  DbStmt *st = address
      ? sq_prep(store, "SELECT count(*) FROM outbox WHERE template = 'ack' AND to_addr = ?"
                       " AND created_at > ?", error)
      : sq_prep(store, "SELECT count(*) FROM outbox WHERE template = 'ack'"
                       " AND created_at > ?", error);
  if (!st)
    return -1;
  int i = 1;
  if (address)
    sq_bind_text(st, i++, address);
  sq_bind_text(st, i, since);
  gint64 n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
  db_reset(st);
  if (n < 0)
    sq_fail(store, error, "count acknowledgements");
  return n;
}

gboolean store_outbox_last(IgStore *store, gint64 incident_id, const char *template_name,
                           char **to, char **created_at, char **message_id, GError **error)
{
  *to = *created_at = NULL;
  if (message_id)
    *message_id = NULL;
  DbStmt *st = sq_prep(store, "SELECT to_addr, created_at, message_id FROM outbox"
      " WHERE incident_id = ? AND template = ? ORDER BY id DESC LIMIT 1", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, template_name);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *to = sq_col_text(st, 0);
    *created_at = sq_col_text(st, 1);
    if (message_id)
      *message_id = sq_col_text(st, 2);
  }
  db_reset(st);
  return rc == DB_ROW || rc == DB_DONE || sq_fail(store, error, "read outbox");
}

GBytes *store_outbox_body(IgStore *store, gint64 id, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT body FROM outbox WHERE id = ?", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, id);
  GBytes *body = NULL;
  int rc = db_step(st);
  if (rc == DB_ROW)
    body = g_bytes_new(db_col_blob(st, 0), db_col_bytes(st, 0));
  else if (rc == DB_DONE)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no outbox row %" G_GINT64_FORMAT, id);
  else
    sq_fail(store, error, "read outbox row");
  db_reset(st);
  return body;
}
