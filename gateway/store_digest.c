/* store_digest.c - what the manager digest reads from the case store, and
 * the record of digests sent. Part of the SQLite implementation of
 * store.h.
 *
 * Each figure of the digest is one query: counts are aggregated by the
 * database (GROUP BY) and lists come back whole, so a digest costs a few
 * statements whatever the number of incidents. */
#include "gateway/store.h"

#include "gateway/error.h"
#include "gateway/store_db.h"

static IgDigestItem *item_from_row(DbStmt *st)
{
  IgDigestItem *d = g_new0(IgDigestItem, 1);
  d->reference = sq_col_text(st, 0);
  d->at = sq_col_text(st, 1);
  d->impact = sq_col_text(st, 2);
  d->category = sq_col_text(st, 3);
  d->summary = sq_col_text(st, 4);
  d->kind = sq_col_text(st, 5);
  return d;
}

static IgCountRow *count_from_row(DbStmt *st)
{
  IgCountRow *c = g_new0(IgCountRow, 1);
  c->key = sq_col_text(st, 0);
  c->key2 = sq_col_text(st, 1);
  c->count = db_col_int64(st, 2);
  return c;
}

static GPtrArray *collect_items(IgStore *store, DbStmt *st, GError **error)
{
  return sq_collect(store, st, (gpointer(*)(DbStmt *))item_from_row, digest_item_free,
                    error);
}

static GPtrArray *collect_counts(IgStore *store, DbStmt *st, GError **error)
{
  return sq_collect(store, st, (gpointer(*)(DbStmt *))count_from_row, count_row_free,
                    error);
}

GPtrArray *store_digest_incidents(IgStore *store, const char *since, const char *until,
                                  gboolean late_only, GError **error)
{
  /* Recorded (created_at), not received: a report that reached the
   * mailbox before the last digest but was recorded after it is new. */
  DbStmt *st = sq_prep(store,
      "SELECT reference, received_at, impact, category, summary, NULL FROM incidents"
      " WHERE (CAST(?1 AS TEXT) IS NULL OR created_at > ?1) AND created_at <= ?2"
      " AND (?3 = 0 OR reported_late = 1) ORDER BY created_at, id", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, since);
  sq_bind_text(st, 2, until);
  db_bind_int64(st, 3, late_only);
  return collect_items(store, st, error);
}

GPtrArray *store_digest_open_counts(IgStore *store, const char *until, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT status, impact, count(*) FROM incidents"
      " WHERE status NOT IN ('closed', 'rejected') AND created_at <= ?"
      " GROUP BY status, impact ORDER BY status NULLS FIRST, impact NULLS FIRST", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, until);
  return collect_counts(store, st, error);
}

GPtrArray *store_digest_category_counts(IgStore *store, const char *from, const char *until,
                                        GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT category, NULL, count(*) FROM incidents"
      " WHERE received_at >= ?1 AND received_at <= ?2 GROUP BY category"
      " ORDER BY category NULLS FIRST", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, from);
  sq_bind_text(st, 2, until);
  return collect_counts(store, st, error);
}

GPtrArray *store_digest_overdue(IgStore *store, const char *now, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT i.reference, d.due_at, i.impact, i.category, i.summary, d.kind"
      " FROM deadlines d JOIN incidents i ON i.id = d.incident_id"
      " WHERE d.state IN ('pending', 'escalated') AND d.due_at < ?1"
      " AND d.kind <> 'correspondence_notice'"
      " AND i.created_at <= ?1"
      " ORDER BY d.due_at, d.id", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, now);
  return collect_items(store, st, error);
}

gboolean store_audit_head(IgStore *store, char **hash, char **at, GError **error)
{
  *hash = *at = NULL;
  DbStmt *st = sq_prep(store,
      "SELECT h.hash, e.at FROM audit_head h LEFT JOIN events e ON e.id = h.last_id", error);
  if (!st)
    return FALSE;
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *hash = sq_col_text(st, 0);
    *at = sq_col_text(st, 1);
  }
  db_reset(st);
  if (rc != DB_ROW || !*hash) {
    g_clear_pointer(at, g_free);
    return sq_fail(store, error, "read the audit chain's head");
  }
  return TRUE;
}

gboolean store_digest_last(IgStore *store, const char *now, char **at, GError **error)
{
  *at = NULL;
  DbStmt *st = sq_prep(store, "SELECT max(at) FROM digests WHERE at <= ?", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, now);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *at = sq_col_text(st, 0);
  db_reset(st);
  return rc == DB_ROW || sq_fail(store, error, "read digests");
}

gboolean store_digest_sent_on(IgStore *store, const char *day, gboolean *sent, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT 1 FROM digests WHERE day = ?", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, day);
  int rc = db_step(st);
  db_reset(st);
  *sent = rc == DB_ROW;
  return rc == DB_ROW || rc == DB_DONE || sq_fail(store, error, "read digests");
}

gboolean store_digest_record(IgStore *store, const char *at, const char *day,
                             const char *head_hash, gboolean *recorded, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO digests(at, day, kind, head_hash) VALUES(?,?,?,?)"
      " ON CONFLICT(day) DO NOTHING", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, at);
  sq_bind_text(st, 2, day);
  sq_bind_text(st, 3, day ? "daily" : "on demand");
  sq_bind_text(st, 4, head_hash);
  if (!sq_step_done(store, st, error))
    return FALSE;
  *recorded = sq_changes(store, st) == 1;
  return TRUE;
}
