/* store_incidents.c - incidents in the case store: reference allocation,
 * the incident rows and their listings, the policy rules that fired, the
 * deadlines and the management reports. Part of the SQLite implementation of store.h. */
#include "gateway/store.h"

#include "gateway/error.h"
#include "gateway/store_db.h"

char *store_next_reference(IgStore *store, const char *prefix, int year, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO ref_seq(year, last) VALUES(?1, 1)"
      " ON CONFLICT(year) DO UPDATE SET last = ref_seq.last + 1 RETURNING last", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, year);
  int rc = db_step(st);
  gint64 seq = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_reset(st);
  if (!seq) {
    sq_fail(store, error, "allocate reference");
    return NULL;
  }
  return g_strdup_printf("%s-%04d-%06" G_GINT64_FORMAT, prefix, year, seq);
}

/* Binds the fields of SQ_INCIDENT_COLUMNS after id, from index 1. */
static void bind_incident(DbStmt *st, const IgIncident *inc)
{
  int i = 1;
  sq_bind_text(st, i++, inc->reference);
  sq_bind_text(st, i++, inc->status);
  sq_bind_text(st, i++, inc->impact);
  sq_bind_text(st, i++, inc->category);
  db_bind_int64(st, i++, inc->near_miss); /* -1 unknown: the column is NOT NULL */
  sq_bind_text(st, i++, inc->personal_data);
  sq_bind_text(st, i++, inc->reporter_name);
  sq_bind_text(st, i++, inc->reporter_email);
  sq_bind_text(st, i++, inc->reporter_phone);
  sq_bind_text(st, i++, inc->business_area);
  sq_bind_text(st, i++, inc->supplier);
  sq_bind_text(st, i++, inc->via);
  sq_bind_text(st, i++, inc->source);
  sq_bind_text(st, i++, inc->forwarded_by);
  sq_bind_text(st, i++, inc->detected_at);
  sq_bind_text(st, i++, inc->occurred_at);
  sq_bind_text(st, i++, inc->received_at);
  if (inc->reported_late >= 0)
    db_bind_int64(st, i++, inc->reported_late);
  else
    db_bind_null(st, i++);
  if (inc->minutes_to_report >= 0)
    db_bind_int64(st, i++, inc->minutes_to_report);
  else
    db_bind_null(st, i++);
  sq_bind_text(st, i++, inc->systems_affected);
  sq_bind_text(st, i++, inc->information_asset);
  sq_bind_text(st, i++, inc->asset_owner);
  sq_bind_text(st, i++, inc->summary);
  sq_bind_text(st, i++, inc->description);
  sq_bind_text(st, i++, inc->actions_taken);
  g_autofree char *missing = g_strjoinv(",", inc->missing_fields);
  sq_bind_text(st, i++, missing);
  sq_bind_text(st, i++, inc->owner);
  sq_bind_text(st, i++, inc->created_at);
  sq_bind_text(st, i++, inc->updated_at);
}

gboolean store_add_incident(IgStore *store, IgIncident *inc, GError **error)
{
  /* PostgreSQL takes DEFAULT for an identity column, SQLite NULL. */
  DbStmt *st = sq_prep2(store,
      "INSERT INTO incidents(" SQ_INCIDENT_COLUMNS ") VALUES(NULL,?,?,?,?,?,?,?,?,?,"
      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      "INSERT INTO incidents(" SQ_INCIDENT_COLUMNS ") VALUES(DEFAULT,?,?,?,?,?,?,?,?,?,"
      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", error);
  if (!st)
    return FALSE;
  bind_incident(st, inc);
  inc->id = sq_insert_id(store, st, error);
  return inc->id != 0;
}

gboolean store_update_incident(IgStore *store, const IgIncident *inc, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE incidents SET (" SQ_INCIDENT_COLUMNS ") = (id,?,?,?,?,?,?,?,?,?,"
      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) WHERE id = ?30", error);
  if (!st)
    return FALSE;
  bind_incident(st, inc);
  db_bind_int64(st, 30, inc->id);
  if (!sq_step_done(store, st, error))
    return FALSE;
  if (sq_changes(store, st) != 1) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: no incident %s to update",
                store->path, inc->reference);
    return FALSE;
  }
  return TRUE;
}

IgIncident *sq_incident_from_row(DbStmt *st)
{
  IgIncident *inc = incident_new();
  int i = 0;
  inc->id = db_col_int64(st, i++);
  inc->reference = sq_col_text(st, i++);
  inc->status = sq_col_text(st, i++);
  inc->impact = sq_col_text(st, i++);
  inc->category = sq_col_text(st, i++);
  inc->near_miss = db_col_int(st, i++);
  inc->personal_data = sq_col_text(st, i++);
  inc->reporter_name = sq_col_text(st, i++);
  inc->reporter_email = sq_col_text(st, i++);
  inc->reporter_phone = sq_col_text(st, i++);
  inc->business_area = sq_col_text(st, i++);
  inc->supplier = sq_col_text(st, i++);
  inc->via = sq_col_text(st, i++);
  inc->source = sq_col_text(st, i++);
  inc->forwarded_by = sq_col_text(st, i++);
  inc->detected_at = sq_col_text(st, i++);
  inc->occurred_at = sq_col_text(st, i++);
  inc->received_at = sq_col_text(st, i++);
  inc->reported_late = db_col_null(st, i) ? -1 : db_col_int(st, i);
  i++;
  inc->minutes_to_report = db_col_null(st, i) ? -1 : db_col_int64(st, i);
  i++;
  inc->systems_affected = sq_col_text(st, i++);
  inc->information_asset = sq_col_text(st, i++);
  inc->asset_owner = sq_col_text(st, i++);
  inc->summary = sq_col_text(st, i++);
  inc->description = sq_col_text(st, i++);
  inc->actions_taken = sq_col_text(st, i++);
  const char *missing = db_col_text(st, i++);
  g_strfreev(inc->missing_fields);
  inc->missing_fields = (missing && *missing) ? g_strsplit(missing, ",", -1)
                                              : g_new0(char *, 1);
  inc->owner = sq_col_text(st, i++);
  inc->created_at = sq_col_text(st, i++);
  inc->updated_at = sq_col_text(st, i++);
  return inc;
}

char *store_incident_reference(IgStore *store, gint64 id, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT reference FROM incidents WHERE id = ?", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  char *ref = rc == DB_ROW ? sq_col_text(st, 0) : NULL;
  if (rc == DB_DONE)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no incident %" G_GINT64_FORMAT, id);
  else if (rc != DB_ROW)
    sq_fail(store, error, "read incident reference");
  db_reset(st);
  return ref;
}

gint64 store_incident_id(IgStore *store, const char *reference, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT id FROM incidents WHERE reference = ?", error);
  if (!st)
    return 0;
  sq_bind_text(st, 1, reference);
  int rc = db_step(st);
  gint64 id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  if (rc != DB_ROW && rc != DB_DONE)
    sq_fail(store, error, "look up incident");
  db_reset(st);
  return id;
}

IgIncident *store_get_incident(IgStore *store, const char *reference, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents WHERE reference = ?", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, reference);
  IgIncident *inc = NULL;
  int rc = db_step(st);
  if (rc == DB_ROW)
    inc = sq_incident_from_row(st);
  else if (rc != DB_DONE)
    sq_fail(store, error, "read incident");
  db_reset(st);
  return inc;
}

/* received_at is always written by iso_utc(), one width and one zone, so
 * comparing the text compares the times. */
GPtrArray *store_incidents_received(IgStore *store, const char *from, const char *to,
                                    GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents"
      " WHERE received_at >= ?1 AND received_at < ?2 ORDER BY received_at, id", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, from);
  sq_bind_text(st, 2, to);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))sq_incident_from_row,
                    (GDestroyNotify)incident_free, error);
}

static IgSystemRow *system_row_from_row(DbStmt *st)
{
  IgSystemRow *r = g_new0(IgSystemRow, 1);
  r->incident = sq_incident_from_row(st);
  r->closing_reason = sq_col_text(st, 30);
  r->last_note = sq_col_text(st, 31);
  r->management_report = sq_col_text(st, 32);
  return r;
}

/* case_command.c writes the reason given with a status as the note
 * "reason for STATUS: ...". */
GPtrArray *store_system_candidates(IgStore *store, const char *since, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT " SQ_INCIDENT_COLUMNS ","
      " (SELECT detail FROM events e WHERE e.incident_id = i.id AND e.type = 'note'"
      "   AND (lower(detail) LIKE 'reason for resolved: %'"
      "        OR lower(detail) LIKE 'reason for closed: %'"
      "        OR lower(detail) LIKE 'reason for rejected: %') ORDER BY e.id DESC LIMIT 1),"
      " (SELECT detail FROM events e WHERE e.incident_id = i.id AND e.type = 'note'"
      "   ORDER BY e.id DESC LIMIT 1),"
      " (SELECT text FROM management_reports m WHERE m.incident_id = i.id"
      "   ORDER BY m.id DESC LIMIT 1)"
      " FROM incidents i"
      " WHERE (CAST(?1 AS TEXT) IS NULL OR received_at >= ?1)"
      " AND (systems_affected IS NOT NULL OR information_asset IS NOT NULL)"
      " ORDER BY received_at, id", error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, since);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))system_row_from_row,
                    system_row_free, error);
}

/* --- rules and deadlines --- */

gboolean store_fire_rule(IgStore *store, gint64 incident_id, const char *rule,
                         const char *at, gboolean *first, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO rules_fired(incident_id, rule, at) VALUES(?,?,?)"
      " ON CONFLICT DO NOTHING", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, rule);
  sq_bind_text(st, 3, at);
  if (!sq_step_done(store, st, error))
    return FALSE;
  *first = sq_changes(store, st) == 1;
  return TRUE;
}

gboolean store_add_deadline(IgStore *store, gint64 incident_id, const char *kind,
                            const char *due_at, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO deadlines(incident_id, kind, due_at, next_at) VALUES(?1, ?2, ?3, ?3)"
      " ON CONFLICT(incident_id, kind) DO UPDATE SET due_at = excluded.due_at,"
      " next_at = excluded.next_at, state = 'pending', reminders_sent = 0", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, kind);
  sq_bind_text(st, 3, due_at);
  return sq_step_done(store, st, error);
}

#define DEADLINE_COLUMNS "incident_id, kind, due_at, state, reminders_sent, next_at"

static IgDeadlineRec *deadline_from_row(DbStmt *st)
{
  IgDeadlineRec *d = g_new0(IgDeadlineRec, 1);
  d->incident_id = db_col_int64(st, 0);
  d->kind = sq_col_text(st, 1);
  d->due_at = sq_col_text(st, 2);
  d->state = sq_col_text(st, 3);
  d->reminders = db_col_int(st, 4);
  d->next_at = sq_col_text(st, 5);
  return d;
}

gboolean store_set_deadline_state(IgStore *store, gint64 incident_id, const char *kind,
                                  const char *state, gboolean *changed, GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE deadlines SET state = ?3 WHERE incident_id = ?1 AND kind = ?2"
      " AND state IN ('pending', 'escalated')", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, kind);
  sq_bind_text(st, 3, state);
  if (!sq_step_done(store, st, error))
    return FALSE;
  *changed = sq_changes(store, st) == 1;
  return TRUE;
}

gboolean store_advance_deadline(IgStore *store, gint64 incident_id, const char *kind,
                                const char *next_due, const char *state, gboolean *changed,
                                GError **error)
{
  DbStmt *st = sq_prep(store,
      "UPDATE deadlines SET reminders_sent = reminders_sent + 1,"
      " next_at = coalesce(?3, next_at), state = CASE WHEN ?3 IS NULL THEN ?4 ELSE state END"
      " WHERE incident_id = ?1 AND kind = ?2 AND state = 'pending'", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, kind);
  sq_bind_text(st, 3, next_due);
  sq_bind_text(st, 4, state);
  if (!sq_step_done(store, st, error))
    return FALSE;
  *changed = sq_changes(store, st) == 1;
  return TRUE;
}

GPtrArray *store_due_deadlines(IgStore *store, const char *now, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT " DEADLINE_COLUMNS " FROM deadlines"
                             " WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id",
                             error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, now);
  return sq_collect(store, st, (gpointer(*)(DbStmt *))deadline_from_row,
                    (GDestroyNotify)deadline_rec_free, error);
}

gboolean sq_deadlines_of(IgStore *store, const gint64 *ids, guint n, GHashTable *by_incident,
                         GError **error)
{
#define DEADLINES_OF(ids) \
  "SELECT " DEADLINE_COLUMNS " FROM deadlines" \
  " WHERE incident_id IN " ids " ORDER BY incident_id, due_at, id"
  DbStmt *st = sq_prep2(store, DEADLINES_OF(SQ_IDS("?")), DEADLINES_OF(SQ_IDS_PG("?")), error);
  if (!st)
    return FALSE;
  sq_bind_ids(st, 1, ids, n);
  return sq_collect_by_incident(store, st, 0, (gpointer(*)(DbStmt *))deadline_from_row,
                                (GDestroyNotify)deadline_rec_free, by_incident, error);
}

GPtrArray *store_incident_deadlines(IgStore *store, gint64 incident_id, GError **error)
{
  g_autoptr(GHashTable) by_incident = sq_rows_new();
  if (!sq_deadlines_of(store, &incident_id, 1, by_incident, error))
    return NULL;
  return sq_rows_take(by_incident, incident_id, (GDestroyNotify)deadline_rec_free);
}


/* --- management reports --- */

gboolean store_add_management_report(IgStore *store, gint64 incident_id, const char *at,
                                     const char *author, const char *text, GError **error)
{
  DbStmt *st = sq_prep(store,
      "INSERT INTO management_reports(incident_id, at, author, text) VALUES(?,?,?,?)", error);
  if (!st)
    return FALSE;
  db_bind_int64(st, 1, incident_id);
  sq_bind_text(st, 2, at);
  sq_bind_text(st, 3, author);
  sq_bind_text(st, 4, text);
  return sq_step_done(store, st, error);
}

char *store_management_report(IgStore *store, gint64 incident_id, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT text FROM management_reports"
                             " WHERE incident_id = ? ORDER BY id DESC LIMIT 1", error);
  if (!st)
    return NULL;
  db_bind_int64(st, 1, incident_id);
  int rc = db_step(st);
  char *text = rc == DB_ROW ? sq_col_text(st, 0) : NULL;
  if (rc != DB_ROW && rc != DB_DONE)
    sq_fail(store, error, "read management report");
  db_reset(st);
  return text;
}
