/* store_evidence.c - the suspicious mail an incident reports, kept as
 * evidence, and its indicators (observables) in the case store. Part of
 * the SQLite implementation of store.h. */
#include "gateway/store.h"

#include "gateway/store_db.h"

gboolean store_add_evidence(IgStore *store, const IgIncident *inc, GError **error)
{
  DbStmt *st = NULL;
  for (guint i = 0; i < inc->evidence->len; i++) {
    const IgEvidence *e = g_ptr_array_index(inc->evidence, i);
    st = sq_prep(store,
        "INSERT INTO evidence(incident_id, from_addr, from_name, reply_to, return_path,"
        " subject, date, sha256, relays) VALUES(?,?,?,?,?,?,?,?,?)", error);
    if (!st)
      return FALSE;
    g_autofree char *relays = g_strjoinv("\n", e->relays);
    db_bind_int64(st, 1, inc->id);
    sq_bind_text(st, 2, e->from_addr);
    sq_bind_text(st, 3, e->from_name);
    sq_bind_text(st, 4, e->reply_to);
    sq_bind_text(st, 5, e->return_path);
    sq_bind_text(st, 6, e->subject);
    sq_bind_text(st, 7, e->date);
    sq_bind_text(st, 8, e->sha256);
    sq_bind_text(st, 9, relays);
    if (!sq_step_done(store, st, error))
      return FALSE;
  }
  for (guint i = 0; i < inc->observables->len; i++) {
    const IgObservable *o = g_ptr_array_index(inc->observables, i);
    st = sq_prep(store,
        "INSERT INTO observables(incident_id, type, value, defanged, sha256, recorded_at)"
        " VALUES(?,?,?,?,?,?) ON CONFLICT DO NOTHING", error);
    if (!st)
      return FALSE;
    db_bind_int64(st, 1, inc->id);
    sq_bind_text(st, 2, o->type);
    sq_bind_text(st, 3, o->value);
    sq_bind_text(st, 4, o->defanged);
    sq_bind_text(st, 5, o->sha256);
    sq_bind_text(st, 6, inc->created_at);
    if (!sq_step_done(store, st, error))
      return FALSE;
  }
  return TRUE;
}

static IgEvidence *evidence_from_row(DbStmt *st)
{
  IgEvidence *e = g_new0(IgEvidence, 1);
  e->from_addr = sq_col_text(st, 0);
  e->from_name = sq_col_text(st, 1);
  e->reply_to = sq_col_text(st, 2);
  e->return_path = sq_col_text(st, 3);
  e->subject = sq_col_text(st, 4);
  e->date = sq_col_text(st, 5);
  e->sha256 = sq_col_text(st, 6);
  const char *relays = db_col_text(st, 7);
  e->relays = relays && *relays ? g_strsplit(relays, "\n", -1) : g_new0(char *, 1);
  return e;
}

GPtrArray *store_incident_evidence(IgStore *store, gint64 incident_id, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT from_addr, from_name, reply_to, return_path, subject, date, sha256, relays"
      " FROM evidence WHERE incident_id = ? ORDER BY id", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, incident_id);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))evidence_from_row, evidence_free,
                    error);
}

static IgObservable *observable_from_row(DbStmt *st)
{
  IgObservable *o = g_new0(IgObservable, 1);
  o->reference = sq_col_text(st, 0);
  o->type = sq_col_text(st, 1);
  o->value = sq_col_text(st, 2);
  o->defanged = sq_col_text(st, 3);
  o->sha256 = sq_col_text(st, 4);
  o->recorded_at = sq_col_text(st, 5);
  return o;
}

/* One incident's are found through its reference, the rest in time
 * order: one statement for both would read every observable. */
GPtrArray *store_observables(IgStore *store, const char *reference, const char *since,
                             GError **error)
{
  DbStmt *st = reference
      ? sq_prep(store,
                "SELECT i.reference, o.type, o.value, o.defanged, o.sha256, o.recorded_at"
                " FROM observables o JOIN incidents i ON i.id = o.incident_id"
                " WHERE i.reference = ?1 AND (CAST(?2 AS TEXT) IS NULL OR o.recorded_at >= ?2)"
                " ORDER BY o.recorded_at, o.id", error)
      : sq_prep(store,
                "SELECT i.reference, o.type, o.value, o.defanged, o.sha256, o.recorded_at"
                " FROM observables o JOIN incidents i ON i.id = o.incident_id"
                " WHERE CAST(?1 AS TEXT) IS NULL OR o.recorded_at >= ?1"
                " ORDER BY o.recorded_at, o.id", error);
  if (!st)
    return NULL;
  if (reference) {
    sq_bind_text(st, 1, reference);
    sq_bind_text(st, 2, since);
  } else {
    sq_bind_text(st, 1, since);
  }
  return sq_collect(store, st, (gpointer(*)(DbStmt *))observable_from_row,
                    observable_free, error);
}
