/* store_audit.c - the hash-chained audit trail of the case store: events,
 * the recorded end of the chain, and store_verify(), which walks the chain
 * and rehashes every stored message. Part of the SQLite implementation of
 * store.h.
 *
 * Every event is linked to the previous one by SHA-256 and audit_head
 * records the last, so a changed, deleted or truncated event breaks
 * verification; store_seal.c ties the chain to the messages and to each
 * incident's state. */
#include "gateway/store.h"

#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/store_db.h"

/* What an event's hash covers. Events from before the chain covered
 * messages and incident states (all three NULL) keep their old text, so
 * their hashes still verify. */
typedef struct {
  gint64 message_row;         /* 0 = none */
  const char *message_sha256;
  const char *state;
} Seal;

static char *event_hash(const char *prev, gint64 id, gint64 incident_id,
                        const char *at, const char *actor, const char *type,
                        const char *detail, const Seal *seal)
{
  g_autoptr(GString) text = g_string_new(NULL);
  g_string_printf(text, "%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s", prev,
                  id, incident_id, at, actor, type, detail);
  if (seal->message_row || seal->message_sha256 || seal->state)
    g_string_append_printf(text, "\n%" G_GINT64_FORMAT "\n%s\n%s", seal->message_row,
                           seal->message_sha256 ? seal->message_sha256 : "",
                           seal->state ? seal->state : "");
  return hash_sha256_hex(text->str, text->len);
}

static gboolean load_head(IgStore *store, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT last_id, hash FROM audit_head", error);
  if (!st)
    return FALSE;
  int rc = db_step(st);
  if (rc == DB_ROW) {
    store->head_id = db_col_int64(st, 0);
    g_free(store->head_hash);
    store->head_hash = sq_col_text(st, 1);
  }
  db_reset(st);
  if (rc != DB_ROW)
    return sq_fail(store, error, "read audit chain");
  store->head_known = TRUE;
  return TRUE;
}

/* In a transaction: store_begin() forgot the head and the state, so what
 * another process wrote before it is read afresh. */
static gboolean write_event(IgStore *store, gint64 incident_id, const char *at,
                            const char *actor, const char *type, const char *detail,
                            gint64 message_row, const char *message_sha256, GError **error)
{
  if (!store->head_known && !load_head(store, error))
    return FALSE;
  if (incident_id && incident_id != store->state_id) {
    char *state = sq_incident_state(store, incident_id, error);
    if (!state)
      return FALSE;
    g_free(store->state_hash);
    store->state_hash = state;
    store->state_id = incident_id;
  }
  Seal seal = { message_row, message_sha256, incident_id ? store->state_hash : NULL };
  gint64 id = store->head_id + 1;
  g_autofree char *hash = event_hash(store->head_hash, id, incident_id, at, actor, type,
                                     detail, &seal);
  DbStmt *st = sq_prep(store,
      "INSERT INTO events(id, incident_id, at, actor, type, detail, prev_hash, hash,"
      " message_row, message_sha256, state) VALUES(?,?,?,?,?,?,?,?,?,?,?)", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, id);
  if (incident_id)
    db_bind_int64(st, 2, incident_id);
  else
    db_bind_null(st, 2);
  sq_bind_text(st, 3, at);
  sq_bind_text(st, 4, actor);
  sq_bind_text(st, 5, type);
  sq_bind_text(st, 6, detail);
  sq_bind_text(st, 7, store->head_hash);
  sq_bind_text(st, 8, hash);
  if (message_row)
    db_bind_int64(st, 9, message_row);
  else
    db_bind_null(st, 9);
  sq_bind_text(st, 10, message_sha256);
  sq_bind_text(st, 11, seal.state);
  if (!sq_step_done(store, st, error))
    return FALSE;
  DbStmt *head = sq_prep(store, "UPDATE audit_head SET last_id = ?, hash = ?", error);
  if (!head)
    return FALSE;
  db_bind_int64(head, 1, id);
  sq_bind_text(head, 2, hash);
  if (!sq_step_done(store, head, error))
    return FALSE;
  store->head_id = id;
  g_free(store->head_hash);
  store->head_hash = g_steal_pointer(&hash);
  return TRUE;
}

/* Outside a transaction (and not in one SQLite has rolled back: that
 * fails as the transaction's other statements do) the event gets one of
 * its own, begun before the head is read: the event and the head are
 * written both or neither (an event without its head would take the id
 * the next one needs), and no other process appends between the read and
 * the write. */
static gboolean append_event(IgStore *store, gint64 incident_id, const char *at,
                             const char *actor, const char *type, const char *detail,
                             gint64 message_row, const char *message_sha256, GError **error)
{
  if (store->in_txn || sq_in_txn(store))
    return write_event(store, incident_id, at, actor, type, detail, message_row,
                       message_sha256, error);
  if (!store_begin(store, error))
    return FALSE;
  if (!write_event(store, incident_id, at, actor, type, detail, message_row, message_sha256,
                   error)) {
    store_rollback(store);
    return FALSE;
  }
  return store_commit(store, error);
}

gboolean store_add_event(IgStore *store, gint64 incident_id, const char *at,
                         const char *actor, const char *type, const char *detail,
                         GError **error)
{
  return append_event(store, incident_id, at, actor, type, detail, 0, NULL, error);
}

gboolean sq_record_message(IgStore *store, gint64 row, gint64 incident_id, const char *at,
                           const char *sha256, const char *detail, GError **error)
{
  return append_event(store, incident_id, at, "gateway", "stored", detail, row, sha256,
                      error);
}

static IgEventRec *event_from_row(DbStmt *st)
{
  IgEventRec *e = g_new0(IgEventRec, 1);
  e->id = db_col_int64(st, 0);
  e->at = sq_col_text(st, 1);
  e->actor = sq_col_text(st, 2);
  e->type = sq_col_text(st, 3);
  e->detail = sq_col_text(st, 4);
  e->prev_hash = sq_col_text(st, 5);
  e->hash = sq_col_text(st, 6);
  e->message_row = db_col_int64(st, 7);
  e->message_sha256 = sq_col_text(st, 8);
  e->state = sq_col_text(st, 9);
  return e;
}

gboolean sq_events_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                      GError **error)
{
#define EVENTS_OF(ids) \
  "SELECT id, at, actor, type, detail, prev_hash, hash, coalesce(message_row, 0)," \
  " message_sha256, state, incident_id FROM events" \
  " WHERE incident_id IN " ids " ORDER BY incident_id, id"
  DbStmt *st = sq_prep2(store, EVENTS_OF(SQ_IDS("?")), EVENTS_OF(SQ_IDS_PG("?")), error);
  if (!st)
    return FALSE;
  sq_bind_ids(st, 1, ids, n);
  return sq_collect_by_incident(store, st, 10, (gpointer(*)(DbStmt *))event_from_row,
                                (GDestroyNotify)event_rec_free, by_incident, error);
}

GPtrArray *store_incident_events(IgStore *store, gint64 incident_id, GError **error)
{
  g_autoptr(GHashTable) by_incident = sq_rows_new();
  if (!sq_events_of(store, &incident_id, 1, by_incident, error))
    return NULL;
  return sq_rows_take(by_incident, incident_id, (GDestroyNotify)event_rec_free);
}

/* --- integrity --- */

gboolean store_verify(IgStore *store, IgVerifyCounts *counts, GError **error)
{
  gint64 *events_checked = &counts->events, *messages_checked = &counts->messages;
  *events_checked = *messages_checked = counts->incidents = 0;
  DbStmt *st = sq_prep(store,
      "SELECT id, coalesce(incident_id, 0), at, actor, type, detail, prev_hash, hash,"
      " coalesce(message_row, 0), message_sha256, state FROM events ORDER BY id", error);
  if (!st)
    return FALSE;
  g_autofree char *prev = g_strdup(GENESIS_HASH);
  gint64 expect_id = 1;
  gboolean ok = TRUE;
  int rc;
  while (ok && (rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, 0);
    const char *stored_prev = db_col_text(st, 6);
    const char *stored = db_col_text(st, 7);
    Seal seal = { db_col_int64(st, 8), db_col_text(st, 9),
                  db_col_text(st, 10) };
    g_autofree char *hash = event_hash(prev, id, db_col_int64(st, 1),
        db_col_text(st, 2), db_col_text(st, 3),
        db_col_text(st, 4), db_col_text(st, 5),
        &seal);
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
  db_reset(st);
  if (!ok)
    return FALSE;

  st = sq_prep(store, "SELECT last_id, hash FROM audit_head", error);
  if (!st)
    return FALSE;
  rc = db_step(st);
  if (rc == DB_DONE) {
    g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                "%s: the audit chain ends at event %" G_GINT64_FORMAT " but the record of"
                " where it ends (audit_head) was deleted", store->path, expect_id - 1);
    ok = FALSE;
  } else if (rc != DB_ROW) {
    ok = sq_fail(store, error, "read the audit chain's head");
  } else if (db_col_int64(st, 0) != expect_id - 1 ||
             g_strcmp0(db_col_text(st, 1), prev) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                "%s: the audit chain ends at event %" G_GINT64_FORMAT
                " but was recorded to end at event %" G_GINT64_FORMAT
                ": events were removed or the head was altered",
                store->path, expect_id - 1, (gint64)db_col_int64(st, 0));
    ok = FALSE;
  }
  db_reset(st);
  if (!ok)
    return FALSE;

  st = sq_prep(store, "SELECT m.id, m.sha256, b.raw FROM messages m"
                      " LEFT JOIN message_bodies b ON b.id = m.id ORDER BY m.id", error);
  if (!st)
    return FALSE;
  while (ok && (rc = db_step(st)) == DB_ROW) {
    g_autofree char *sum = hash_sha256_hex(db_col_blob(st, 2),
                                           (gsize)db_col_bytes(st, 2));
    if (g_strcmp0(sum, db_col_text(st, 1)) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY,
                  "%s: stored message %" G_GINT64_FORMAT " does not match its SHA-256",
                  store->path, (gint64)db_col_int64(st, 0));
      ok = FALSE;
    } else {
      (*messages_checked)++;
    }
  }
  db_reset(st);
  return ok && sq_verify_sealed(store, &counts->incidents, error);
}


gboolean store_verify_anchor(IgStore *store, const char *hash, gint64 *event_id,
                             GError **error)
{
  g_autofree char *lower = g_ascii_strdown(hash, -1);
  DbStmt *st = sq_prep(store, "SELECT id FROM events WHERE hash = ?", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, lower);
  int rc = db_step(st);
  *event_id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_reset(st);
  if (rc == DB_DONE)
    g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY, "%s: the anchor %s is not in the audit"
                " chain: the history up to it was rewritten", store->path, lower);
  else if (rc != DB_ROW)
    sq_fail(store, error, "read events");
  return rc == DB_ROW;
}
