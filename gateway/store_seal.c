/* store_seal.c - what the audit chain vouches for beyond its own events:
 * every stored message and every incident's current state. Part of the
 * SQLite implementation of store.h.
 *
 * The chain alone proves only that its events were not changed. A row
 * edited in another table, a message and its SHA-256 replaced together,
 * or the newest events deleted with the head rewritten to match would all
 * pass. So each stored message is recorded by an event carrying its row
 * and SHA-256, and each event of an incident carries the hash of the
 * incident's whole state after it; verify then asks that every message
 * has its event and that every incident is as its newest event left it. */
#include "gateway/store.h"

#include <stdarg.h>
#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/store_db.h"

/* Appends every column of every row st returns, each tagged with its type
 * and length, so that no two different states write the same text. */
static gboolean state_rows(IgStore *store, DbStmt *st, const char *table,
                           GString *out, GError **error)
{
  int rc;
  g_string_append_printf(out, "[%s]\n", table);
  while ((rc = db_step(st)) == DB_ROW) {
    for (int i = 0; i < db_col_count(st); i++) {
      if (db_col_null(st, i)) {
        g_string_append(out, "n;");
        continue;
      }
      const char *text = db_col_text(st, i);
      int len = db_col_bytes(st, i);
      g_string_append_printf(out, "%d:", len);
      g_string_append_len(out, text, len);
      g_string_append_c(out, ';');
    }
    g_string_append_c(out, '\n');
  }
  db_reset(st);
  return rc == DB_DONE || sq_fail(store, error, "read incident state");
}

/* The columns are named, never `*`: a migration that adds a column must
 * not change the state of every incident recorded before it. One that
 * wants a new column covered appends it here and seals every incident
 * again (sq_seal_unsealed) in the same migration. */
static const char *const state_queries[][2] = {
  { "incident", "SELECT reference, status, impact, category, near_miss, personal_data,"
                " reporter_name, reporter_email, reporter_phone, business_area, supplier,"
                " via, source, forwarded_by, detected_at, occurred_at, received_at,"
                " reported_late, minutes_to_report, systems_affected, information_asset,"
                " asset_owner, summary, description, actions_taken, missing_fields, owner,"
                " created_at, updated_at FROM incidents WHERE id = ?" },
  { "deadlines", "SELECT kind, due_at, state, reminders_sent FROM deadlines"
                 " WHERE incident_id = ? ORDER BY kind" },
  { "rules", "SELECT rule, at FROM rules_fired WHERE incident_id = ? ORDER BY rule" },
  { "messages", "SELECT id, sha256, kind FROM messages WHERE incident_id = ? ORDER BY id" },
  { "evidence", "SELECT from_addr, from_name, reply_to, return_path, subject, date, sha256,"
                " relays FROM evidence WHERE incident_id = ? ORDER BY id" },
  { "observables", "SELECT type, value, defanged, sha256, recorded_at FROM observables"
                   " WHERE incident_id = ? ORDER BY id" },
  { "reports", "SELECT at, author, text FROM management_reports WHERE incident_id = ?"
               " ORDER BY id" },
};

char *sq_incident_state(IgStore *store, gint64 incident_id, GError **error)
{
  g_autoptr(GString) text = g_string_new(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(state_queries); i++) {
    DbStmt *st = sq_prep(store, state_queries[i][1], error);
    if (!st)
      return NULL;
    db_bind_int64(st, 1, incident_id);
    if (!state_rows(store, st, state_queries[i][0], text, error))
      return NULL;
  }
  return hash_sha256_hex(text->str, text->len);
}

G_GNUC_PRINTF(3, 4)
static gboolean integrity_error(IgStore *store, GError **error, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, args);
  va_end(args);
  g_set_error(error, IG_ERROR, IG_ERROR_INTEGRITY, "%s: %s", store->path, what);
  return FALSE;
}

/* Each message has the event that recorded it, with the same SHA-256, and
 * each such event still has its message. */
static gboolean verify_messages(IgStore *store, GError **error)
{
  DbStmt *st = sq_prep(store,
      "SELECT m.id, m.sha256, e.message_sha256 FROM messages m"
      " LEFT JOIN events e ON e.message_row = m.id ORDER BY m.id", error);
  if (!st)
    return FALSE;
  int rc;
  gboolean ok = TRUE;
  while (ok && (rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, 0);
    const char *recorded = db_col_text(st, 2);
    if (!recorded)
      ok = integrity_error(store, error, "stored message %" G_GINT64_FORMAT
                           " was not recorded by any audit event", id);
    else if (g_strcmp0(recorded, db_col_text(st, 1)) != 0)
      ok = integrity_error(store, error, "stored message %" G_GINT64_FORMAT
                           " is not the message its audit event recorded", id);
  }
  db_reset(st);
  if (!ok)
    return FALSE;
  if (rc != DB_DONE)
    return sq_fail(store, error, "read messages");
  st = sq_prep(store, "SELECT e.message_row FROM events e WHERE e.message_row IS NOT NULL"
               " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_row)"
               " LIMIT 1", error);
  if (!st)
    return FALSE;
  rc = db_step(st);
  gint64 gone = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_reset(st);
  if (rc == DB_ROW)
    return integrity_error(store, error, "stored message %" G_GINT64_FORMAT
                           " recorded by the audit chain was deleted", gone);
  return rc == DB_DONE || sq_fail(store, error, "read events");
}

/* Each incident is as its newest event left it, and no event names an
 * incident that is gone. */
static gboolean verify_incidents(IgStore *store, gint64 *checked, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT e.incident_id FROM events e"
      " WHERE e.incident_id IS NOT NULL AND NOT EXISTS"
      " (SELECT 1 FROM incidents i WHERE i.id = e.incident_id) LIMIT 1", error);
  if (!st)
    return FALSE;
  int rc = db_step(st);
  gint64 gone = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_reset(st);
  if (rc == DB_ROW)
    return integrity_error(store, error, "incident %" G_GINT64_FORMAT
                           " named by the audit chain was deleted", gone);
  if (rc != DB_DONE)
    return sq_fail(store, error, "read events");

  /* Read apart from the walk: sq_incident_state() uses the cache too. */
  st = sq_prep(store, "SELECT i.id, (SELECT e.state FROM events e WHERE e.incident_id = i.id"
               " AND e.state IS NOT NULL ORDER BY e.id DESC LIMIT 1) FROM incidents i"
               " ORDER BY i.id", error);
  if (!st)
    return FALSE;
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func(g_free);
  while ((rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, 0);
    g_array_append_val(ids, id);
    g_ptr_array_add(states, sq_col_text(st, 1));
  }
  db_reset(st);
  if (rc != DB_DONE)
    return sq_fail(store, error, "read incidents");
  for (guint i = 0; i < ids->len; i++) {
    gint64 id = g_array_index(ids, gint64, i);
    const char *sealed = g_ptr_array_index(states, i);
    if (!sealed)
      return integrity_error(store, error, "incident %" G_GINT64_FORMAT
                             " was not recorded by any audit event", id);
    g_autofree char *now = sq_incident_state(store, id, error);
    if (!now)
      return FALSE;
    if (strcmp(now, sealed) != 0)
      return integrity_error(store, error, "incident %" G_GINT64_FORMAT " was changed"
                             " outside the audit trail (it is not as its newest event"
                             " left it)", id);
    (*checked)++;
  }
  return TRUE;
}

gboolean sq_verify_sealed(IgStore *store, gint64 *incidents_checked, GError **error)
{
  *incidents_checked = 0;
  return verify_messages(store, error) && verify_incidents(store, incidents_checked, error);
}

gboolean sq_seal_unsealed(IgStore *store, const char *at, GError **error)
{
  DbStmt *st = sq_prep(store, "SELECT m.id, m.sha256 FROM messages m WHERE NOT EXISTS"
      " (SELECT 1 FROM events e WHERE e.message_row = m.id) ORDER BY m.id", error);
  if (!st)
    return FALSE;
  g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GPtrArray) sums = g_ptr_array_new_with_free_func(g_free);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, 0);
    g_array_append_val(rows, id);
    g_ptr_array_add(sums, sq_col_text(st, 1));
  }
  db_reset(st);
  if (rc != DB_DONE)
    return sq_fail(store, error, "read messages");
  for (guint i = 0; i < rows->len; i++)
    if (!sq_record_message(store, g_array_index(rows, gint64, i), 0, at,
                           g_ptr_array_index(sums, i), "stored before the audit trail"
                           " covered messages", error))
      return FALSE;

  st = sq_prep(store, "SELECT id FROM incidents ORDER BY id", error);
  if (!st)
    return FALSE;
  g_autoptr(GArray) incidents = g_array_new(FALSE, FALSE, sizeof(gint64));
  while ((rc = db_step(st)) == DB_ROW) {
    gint64 id = db_col_int64(st, 0);
    g_array_append_val(incidents, id);
  }
  db_reset(st);
  if (rc != DB_DONE)
    return sq_fail(store, error, "read incidents");
  for (guint i = 0; i < incidents->len; i++)
    if (!store_add_event(store, g_array_index(incidents, gint64, i), at, "gateway", "sealed",
                         "state recorded when the audit trail began to cover it", error))
      return FALSE;
  return TRUE;
}
