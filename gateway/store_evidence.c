/* store_evidence.c - the suspicious mail an incident reports, kept as
 * evidence, in the case store. Part of the SQLite implementation of
 * store.h. */
#include "gateway/store.h"

#include "gateway/store_sqlite.h"

gboolean store_add_evidence(IgStore *store, const IgIncident *inc, GError **error)
{
  sqlite3_stmt *st = NULL;
  for (guint i = 0; i < inc->evidence->len; i++) {
    const IgEvidence *e = g_ptr_array_index(inc->evidence, i);
    st = sq_prep(store,
        "INSERT INTO evidence(incident_id, from_addr, from_name, reply_to, return_path,"
        " subject, date, sha256, relays) VALUES(?,?,?,?,?,?,?,?,?)", error);
    if (!st)
      return FALSE;
    g_autofree char *relays = g_strjoinv("\n", e->relays);
    sqlite3_bind_int64(st, 1, inc->id);
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
  return TRUE;
}

static IgEvidence *evidence_from_row(sqlite3_stmt *st)
{
  IgEvidence *e = g_new0(IgEvidence, 1);
  e->from_addr = sq_col_text(st, 0);
  e->from_name = sq_col_text(st, 1);
  e->reply_to = sq_col_text(st, 2);
  e->return_path = sq_col_text(st, 3);
  e->subject = sq_col_text(st, 4);
  e->date = sq_col_text(st, 5);
  e->sha256 = sq_col_text(st, 6);
  const char *relays = (const char *)sqlite3_column_text(st, 7);
  e->relays = relays && *relays ? g_strsplit(relays, "\n", -1) : g_new0(char *, 1);
  return e;
}

GPtrArray *store_incident_evidence(IgStore *store, gint64 incident_id, GError **error)
{
  sqlite3_stmt *st = sq_prep(store,
      "SELECT from_addr, from_name, reply_to, return_path, subject, date, sha256, relays"
      " FROM evidence WHERE incident_id = ? ORDER BY id", error);
  if (!st)
    return NULL;
  sqlite3_bind_int64(st, 1, incident_id);
  return sq_collect(store, st, (gpointer(*)(sqlite3_stmt *))evidence_from_row, evidence_free,
                    error);
}
